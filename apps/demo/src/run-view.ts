import type { FlowsClient, RunDocument, RunLogEntry } from "globus-app";
import { h } from "./dom.ts";
import { pollUntilSettled, runStatusWords, shortTime, statusBadge } from "./run-status.ts";

/** What a {@link RunView} needs from the page. */
export interface RunViewOptions {
  /** Bound to the app with Flows' `run_status` scope (a run and its log). */
  readonly flows: FlowsClient;
  /** A failed call while watching (the panel words it). */
  readonly onError: (error: unknown) => void;
  /**
   * The run stopped running: `SUCCEEDED`, `FAILED` (a cancelled run too, its `details.code`
   * `FlowCanceled`), `ENDED` or `INACTIVE` (waiting).
   */
  readonly onSettled: (run: RunDocument) => void;
}

/**
 * One flow run, watched until it settles: its status and times (`FlowsClient.getRun`) and its log
 * (`FlowsClient.getRunLogs`), polled every second at first and every 10 s at most, so that the page
 * shows each state as the run reaches it and a long run costs few requests.
 *
 * @example
 * ```ts
 * const view = new RunView({ flows, onError: problem.show, onSettled: (run) => say(run.status) });
 * container.append(view.element);
 * await view.watch(run.run_id);
 * ```
 */
export class RunView {
  /** The view, a labelled region; hidden until a run is watched. */
  readonly element: HTMLElement;

  readonly #options: RunViewOptions;
  readonly #heading: HTMLHeadingElement;
  readonly #facts: HTMLDListElement;
  readonly #log: HTMLOListElement;
  #watching: AbortController | undefined;

  constructor(options: RunViewOptions) {
    this.#options = options;
    this.#heading = h("h3", { id: "run-heading" }, "Run");
    this.#facts = h("dl", { class: "facts", id: "run-facts" });
    this.#log = h("ol", { class: "events", id: "run-log" });
    this.element = h(
      "section",
      { class: "task-view", id: "run", "aria-labelledby": "run-heading", hidden: true },
      this.#heading,
      h("div", { "aria-live": "polite" }, this.#facts),
      h("h4", {}, "Log"),
      this.#log,
    );
  }

  /** Shows a run and polls it until it settles (or another run, or `stop()`, replaces it). */
  async watch(runId: string): Promise<void> {
    this.stop();
    const watching = new AbortController();
    this.#watching = watching;
    this.element.hidden = false;
    this.#heading.textContent = "Run";
    this.#facts.replaceChildren(h("dt", {}, "Status"), h("dd", {}, "Loading…"));
    this.#log.replaceChildren();
    const { signal } = watching;
    try {
      await pollUntilSettled(
        signal,
        async () => {
          const [run, log] = await Promise.all([
            this.#options.flows.getRun(runId, { signal }),
            this.#options.flows.getRunLogs(runId, { limit: 100, signal }),
          ]);
          if (!signal.aborted) this.#render(run, log.entries);
          return run;
        },
        this.#options,
      );
    } finally {
      if (this.#watching === watching) this.#watching = undefined;
    }
  }

  /** Stops polling (another run is shown, or the person signed out). */
  stop(): void {
    this.#watching?.abort();
    this.#watching = undefined;
  }

  /** Stops and hides (sign-out). */
  clear(): void {
    this.stop();
    this.element.hidden = true;
    this.#facts.replaceChildren();
    this.#log.replaceChildren();
  }

  #render(run: RunDocument, entries: readonly RunLogEntry[]): void {
    const words = runStatusWords(run);
    this.#heading.textContent = `Run: ${run.label || run.run_id}`;
    const fact = (term: string, ...value: (Node | string)[]): Node[] => [
      h("dt", {}, term),
      h("dd", {}, ...value),
    ];
    this.#facts.replaceChildren(
      h("dt", {}, "Status"),
      h("dd", { id: "run-status" }, statusBadge(run.status, words), " ", words),
      ...fact("Flow", run.flow_title),
      ...fact("Started", shortTime(run.start_time)),
      ...fact("Completed", shortTime(run.completion_time)),
      ...fact("Run id", h("code", {}, run.run_id)),
    );
    this.#log.replaceChildren(
      ...(entries.length === 0
        ? [h("li", { class: "muted" }, "No log entries yet.")]
        : entries.map((entry) => {
            // A Transfer step's log names its task: the transfer panel's history shows it too.
            const taskId = entry.details.task_id;
            return h(
              "li",
              { class: /Failed$/.test(entry.code) ? "event error" : "event", "data-code": entry.code },
              h("time", {}, shortTime(entry.time)),
              " ",
              h("strong", {}, entry.code),
              " ",
              entry.description,
              typeof taskId === "string" ? h("span", { class: "muted" }, ` (Transfer task ${taskId})`) : null,
            );
          })),
    );
  }
}
