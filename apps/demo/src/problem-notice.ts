import type { ErrorReport } from "./describe-error.ts";
import { h } from "./dom.ts";

/** What a {@link ProblemNotice} needs from the page. */
export interface ProblemNoticeOptions {
  /** The element id, e.g. `"groups-problem"`. */
  readonly id: string;
  /** Words for a failure (the page's `describeError`). */
  readonly describe: (error: unknown) => ErrorReport;
  /** Starts a sign-in by redirect, offered when the report says signing in again helps. */
  readonly signInWithRedirect: () => void;
}

/**
 * A panel's own alert: what went wrong and what to do (from `describeError`), the library's message
 * under Details, a sign-in button when that helps, and Dismiss. Errors stay beside the panel that
 * met them, so one panel's trouble does not hide another's results.
 *
 * @example
 * ```ts
 * const problem = new ProblemNotice({ id: "groups-problem", describe, signInWithRedirect });
 * panel.append(problem.element);
 * try { await load(); } catch (error) { problem.show(error); }
 * ```
 */
export class ProblemNotice {
  /** The alert; hidden until {@link ProblemNotice.show}. */
  readonly element: HTMLElement;

  readonly #options: ProblemNoticeOptions;

  constructor(options: ProblemNoticeOptions) {
    this.#options = options;
    this.element = h("div", { class: "alert", id: options.id, role: "alert", hidden: true });
  }

  /**
   * Words `error` and shows it (also in the console, for bug reports; never a token). A sign-in that
   * Globus ended is the page's to say: its alert offers the ways back in and the panel is cleared, so
   * this notice stays hidden rather than say it twice (also when the call ends after the sign-out).
   */
  show(error: unknown): void {
    const report = this.#options.describe(error);
    if (report.sessionEnded) {
      this.hide();
      return;
    }
    const signIn = report.signIn
      ? h(
          "button",
          { type: "button", onclick: () => this.#options.signInWithRedirect() },
          "Sign in again with Globus",
        )
      : null;
    this.element.replaceChildren(
      h("h3", {}, report.title),
      h("p", {}, report.hint),
      h("details", {}, h("summary", {}, "Details"), h("p", {}, h("code", {}, report.detail))),
      h(
        "div",
        { class: "actions" },
        signIn,
        h("button", { type: "button", class: "secondary", onclick: () => this.hide() }, "Dismiss"),
      ),
    );
    this.element.hidden = false;
    console.warn("globus-app demo:", error);
  }

  /** Hides the alert (the person moved on, or dismissed it). */
  hide(): void {
    this.element.hidden = true;
  }
}
