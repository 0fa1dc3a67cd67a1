import type { GARE, GlobusAuthorizationParameters } from "globus-app";
import { h } from "./dom.ts";
import { gareNeeds } from "./gare.ts";

/** What a {@link ConsentNotice} needs from the page. */
export interface ConsentNoticeOptions {
  /** The element id, e.g. `"flow-consent"`; the heading's id is this plus `-heading`. */
  readonly id: string;
  /** Navigates to Globus with the GARE's parameters; the page comes back to the same address. */
  readonly signInWithRedirect: (authParams: GlobusAuthorizationParameters) => void;
  /** Must be called straight from a click; resolves `true` once signed in. */
  readonly signInWithPopup: (authParams: GlobusAuthorizationParameters) => Promise<boolean>;
}

/** One consent step: the GARE, who asks, and how the refused call is retried. */
export interface ConsentRequest {
  /** The Globus Auth requirements error a call answered. */
  readonly gare: GARE;
  /** Who asks, for the heading, e.g. `The flow “Copy files”`. */
  readonly asker: string;
  /** What is retried once the consent is given, e.g. `the run`. */
  readonly retried: string;
  /** Before leaving for Globus: keep what is to be retried (in sessionStorage), since the page unloads. */
  readonly beforeRedirect: () => void;
  /** After a sign-in in a popup (the page stayed): retry at once. */
  readonly retry: () => Promise<unknown>;
}

/**
 * The consent step for a GARE (a `ConsentRequired` answer, MFA, policies): says why in Globus's own
 * words (`session_message`) and in the page's (what the sign-in must satisfy), then signs in with the
 * GARE's `authorization_parameters`, by redirect (**Continue with Globus**) or in a popup
 * (**Continue in a popup**), and retries the call.
 *
 * @example
 * ```ts
 * const consent = new ConsentNotice({ id: "flow-consent", signInWithRedirect, signInWithPopup });
 * const gare = isGlobusAPIError(error) ? toGare(error.body) : null;
 * if (gare) consent.show({ gare, asker: "The flow", retried: "the run", beforeRedirect: save, retry: run });
 * ```
 */
export class ConsentNotice {
  /** The notice, a labelled region; hidden until {@link ConsentNotice.show}. */
  readonly element: HTMLElement;

  readonly #options: ConsentNoticeOptions;
  readonly #heading: HTMLHeadingElement;

  constructor(options: ConsentNoticeOptions) {
    this.#options = options;
    this.#heading = h("h3", { id: `${options.id}-heading` });
    this.element = h("section", {
      class: "notice",
      id: options.id,
      "aria-labelledby": `${options.id}-heading`,
      hidden: true,
    });
  }

  /** Shows the step for `request`, replacing any earlier one. */
  show(request: ConsentRequest): void {
    const params = request.gare.authorization_parameters;
    const needs = gareNeeds(params);
    const redirect = h("button", { type: "button" }, "Continue with Globus");
    const popup = h("button", { type: "button", class: "secondary" }, "Continue in a popup");
    redirect.addEventListener("click", () => {
      request.beforeRedirect();
      this.#options.signInWithRedirect(params);
    });
    popup.addEventListener("click", () => {
      popup.disabled = true;
      redirect.disabled = true; // one sign-in at a time
      // No await before the login: the popup must open within the click.
      void this.#options.signInWithPopup(params).then(async (ok) => {
        popup.disabled = false;
        redirect.disabled = false;
        if (!ok) return; // the page-wide alert says why
        this.hide();
        await request.retry();
      });
    });
    this.#heading.textContent = `${request.asker} needs your consent`;
    this.element.replaceChildren(
      this.#heading,
      h("p", {}, params.session_message ?? "Globus asks for another sign-in."),
      h(
        "p",
        {},
        `It needs ${needs.join(", ") || "another sign-in"}. Continue, and ${request.retried} is retried.`,
      ),
      h("div", { class: "actions" }, redirect, popup),
    );
    this.element.hidden = false;
    this.element.scrollIntoView({ block: "nearest" });
  }

  /** Hides the step (done, or the person moved on). */
  hide(): void {
    this.element.hidden = true;
  }
}
