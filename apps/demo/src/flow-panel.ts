import {
  type FlowsClient,
  isGlobusAPIError,
  type RunDocument,
  type SpecificFlowClient,
  toGare,
} from "globus-app";
import type { ConsentNotice } from "./consent-notice.ts";
import { h } from "./dom.ts";
import type { ProblemNotice } from "./problem-notice.ts";
import { isCancelledRun } from "./run-status.ts";
import { RunView } from "./run-view.ts";
import { sessionState } from "./session-state.ts";

/** What a {@link FlowPanel} needs from the page. */
export interface FlowPanelOptions {
  /** Bound to the app with Flows' `view_flows` and `run_status` scopes: the flow, its runs and logs. */
  readonly flows: FlowsClient;
  /** Bound to the app with the flow's own `user` scope; none: the panel says how to configure one. */
  readonly flow: SpecificFlowClient | undefined;
  /** The input the panel offers, as JSON text (the person may edit it). */
  readonly input: string;
  /** Where a failed call is worded. */
  readonly problem: ProblemNotice;
  /** The consent step a `ConsentRequired` GARE of `runFlow` leads to. */
  readonly consent: ConsentNotice;
}

/** What the panel keeps for this tab, so that a consent by redirect comes back to it. */
interface SavedState {
  /** The run shown last. */
  run?: string | undefined;
  /** Input of a run that waited for a consent by redirect: started once the login is back. */
  pending?: string | undefined;
  /** A run INACTIVE for a consent given by redirect: resumed once the login is back. */
  resume?: string | undefined;
}

const saved = sessionState<SavedState>("globus-app-demo:flow-panel");

/** The run's input from the box: a JSON object, or the reason it is not one. */
function parseInput(text: string): { body: Record<string, unknown> } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `The input is not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { problem: "The input must be a JSON object ({ … })." };
  }
  return { body: value as Record<string, unknown> };
}

/**
 * Runs one flow (`SpecificFlowClient.runFlow`) with the input in the box and follows the run to its
 * end ({@link RunView}). A flow whose steps act through other services (here Transfer) needs the
 * person's consent to that under the flow's own scope; Flows asks for it with a `ConsentRequired`
 * GARE, which the panel turns into a consent step ({@link ConsentNotice}) that signs in with the
 * GARE's parameters and runs the flow again — at once after a popup, or when the page comes back
 * from a redirect (the input waits in sessionStorage). A run that stops later for a consent (Flows'
 * INACTIVE, its `details` a GARE: a Transfer step on a collection without its `data_access`) gets
 * the same consent step, which then resumes the run (`SpecificFlowClient.resumeRun`).
 *
 * @example
 * ```ts
 * const panel = new FlowPanel({ flows, flow: new SpecificFlowClient(flowId, { app }), input: "{}", problem, consent });
 * container.append(panel.element);
 * await panel.show();
 * ```
 */
export class FlowPanel {
  /** The panel: a card with the flow, the input, the Run button, the consent step and the run. */
  readonly element: HTMLElement;

  readonly #options: FlowPanelOptions;
  readonly #about: HTMLParagraphElement;
  readonly #input: HTMLTextAreaElement;
  readonly #inputProblem: HTMLParagraphElement;
  readonly #runButton: HTMLButtonElement;
  readonly #note: HTMLParagraphElement;
  readonly #run: RunView;
  #title: string | undefined;
  #shown = false;

  constructor(options: FlowPanelOptions) {
    this.#options = options;
    this.#about = h("p", { class: "muted", id: "flow-about" });
    this.#input = h("textarea", {
      id: "flow-input",
      // Tall enough for the sample input without scrolling, not for a whole page of JSON.
      rows: String(Math.min(16, Math.max(4, options.input.split("\n").length + 1))),
      spellcheck: "false",
      "aria-describedby": "flow-input-problem",
    });
    this.#input.value = options.input;
    this.#inputProblem = h("p", { class: "warn", id: "flow-input-problem", "aria-live": "polite" });
    this.#runButton = h("button", { type: "button", id: "run-flow" }, "Run the flow");
    this.#runButton.addEventListener("click", () => void this.#start(this.#input.value));
    this.#note = h("p", { class: "transfer-note", id: "flow-note", "aria-live": "polite" });
    this.#run = new RunView({
      flows: options.flows,
      onError: (error) => options.problem.show(error),
      onSettled: (run) => this.#settled(run),
    });

    const flowId = options.flow?.flowId;
    this.element = h(
      "section",
      { class: "card", id: "flow-panel", "aria-labelledby": "flow-heading" },
      h("h2", { id: "flow-heading" }, "Run a flow"),
      flowId
        ? this.#about
        : h(
            "p",
            { class: "muted" },
            "No flow is configured: set VITE_DEMO_FLOW_ID to a flow you may run (and VITE_DEMO_FLOW_INPUT to its input).",
          ),
      flowId ? h("p", { class: "muted" }, "Flow id ", h("code", { id: "flow-id" }, flowId)) : null,
      flowId ? h("label", { for: "flow-input", class: "field-label" }, "Input (JSON)") : null,
      flowId ? this.#input : null,
      flowId ? this.#inputProblem : null,
      flowId ? h("div", { class: "actions" }, this.#runButton) : null,
      options.consent.element,
      options.problem.element,
      this.#note,
      this.#run.element,
    );
  }

  /**
   * Signed in: the first time, says what the flow is (`FlowsClient.getFlow`), then starts a run that
   * waited for a consent by redirect, or goes on watching the last run.
   */
  async show(): Promise<void> {
    const flow = this.#options.flow;
    if (this.#shown || !flow) return;
    this.#shown = true;
    const state = saved.load();
    try {
      const document = await this.#options.flows.getFlow(flow.flowId);
      this.#title = document.title;
      this.#about.replaceChildren(
        h("strong", { id: "flow-title" }, document.title),
        document.subtitle ? ` — ${document.subtitle}` : "",
      );
    } catch (error) {
      // Running it may still work (a run needs the flow's own scope, not view_flows).
      this.#options.problem.show(error);
    }
    if (state.pending !== undefined) {
      saved.save({ pending: undefined });
      this.#input.value = state.pending;
      await this.#start(state.pending);
    } else if (state.resume !== undefined) {
      saved.save({ resume: undefined });
      await this.#resume(state.resume);
    } else if (state.run) {
      void this.#run.watch(state.run);
    }
  }

  /** Signed out: forget the run, the input and any consent step (the next person sees none of it). */
  hide(): void {
    this.#shown = false;
    saved.clear();
    this.#run.clear();
    this.#options.consent.hide();
    this.#options.problem.hide();
    this.#input.value = this.#options.input;
    this.#inputProblem.textContent = "";
    this.#note.textContent = "";
    this.#about.replaceChildren();
    this.#title = undefined;
  }

  async #start(text: string): Promise<void> {
    const flow = this.#options.flow;
    if (!flow) return;
    this.#options.consent.hide();
    this.#options.problem.hide();
    const input = parseInput(text);
    if ("problem" in input) {
      this.#inputProblem.textContent = input.problem;
      this.#input.focus();
      return;
    }
    this.#inputProblem.textContent = "";
    this.#runButton.disabled = true;
    this.#runButton.setAttribute("aria-busy", "true");
    this.#note.textContent = "Starting a run…";
    try {
      const run = await flow.runFlow(input.body, { label: "globus-app demo run", tags: ["globus-app-demo"] });
      saved.save({ run: run.run_id });
      this.#note.textContent = `Run started: ${run.run_id}.`;
      void this.#run.watch(run.run_id);
    } catch (error) {
      this.#note.textContent = "";
      // A 403 that carries a Globus Auth requirements error: a sign-in with its parameters fixes it.
      const gare = isGlobusAPIError(error) ? toGare(error.body) : null;
      if (gare) {
        this.#options.consent.show({
          gare,
          asker: this.#title ? `The flow “${this.#title}”` : "The flow",
          retried: "the run",
          beforeRedirect: () => saved.save({ pending: text }),
          retry: () => this.#start(text),
        });
      } else {
        this.#options.problem.show(error);
      }
    } finally {
      this.#runButton.disabled = false;
      this.#runButton.removeAttribute("aria-busy");
    }
  }

  #settled(run: RunDocument): void {
    // Flows reports a cancelled run as FAILED: say "cancelled", not "failed".
    this.#note.textContent = `Run ${run.label || run.run_id}: ${isCancelledRun(run) ? "cancelled" : run.status}.`;
    const gare = run.status === "INACTIVE" ? toGare(run.details) : null;
    if (!gare) return;
    this.#options.consent.show({
      gare,
      asker: `The run ${run.label || run.run_id}`,
      retried: "the run",
      beforeRedirect: () => saved.save({ resume: run.run_id }),
      retry: () => this.#resume(run.run_id),
    });
  }

  /** Resumes a run that waited for a consent, and follows it again. */
  async #resume(runId: string): Promise<void> {
    const flow = this.#options.flow;
    if (!flow) return;
    this.#options.consent.hide();
    this.#options.problem.hide();
    try {
      const run = await flow.resumeRun(runId);
      this.#note.textContent = `Run resumed: ${run.label || run.run_id}.`;
      saved.save({ run: runId });
      void this.#run.watch(runId);
    } catch (error) {
      this.#options.problem.show(error);
    }
  }
}
