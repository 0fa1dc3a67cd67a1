import type { FlowsClient, RunDocument, RunLogEntry } from "globus-app";
import { h } from "./dom.ts";
import { runStatusWords, shortTime, statusBadge } from "./run-status.ts";
import { fact, WatchedView } from "./watched-view.ts";

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
export class RunView extends WatchedView<RunDocument, RunLogEntry> {
  readonly #flows: FlowsClient;

  constructor(options: RunViewOptions) {
    super({ id: "run", title: "Run", listTitle: "Log", listId: "run-log", factsId: "run-facts" }, options);
    this.#flows = options.flows;
  }

  /** Shows a run and polls it until it settles (or another run, or `stop()`, replaces it). */
  watch(runId: string): Promise<void> {
    return this.watchWith(async (signal) => {
      const [run, log] = await Promise.all([
        this.#flows.getRun(runId, { signal }),
        this.#flows.getRunLogs(runId, { limit: 100, signal }),
      ]);
      return [run, log.entries];
    });
  }

  protected render(run: RunDocument, entries: readonly RunLogEntry[]): void {
    const words = runStatusWords(run);
    this.heading.textContent = `Run: ${run.label || run.run_id}`;
    this.facts.replaceChildren(
      h("dt", {}, "Status"),
      h("dd", { id: "run-status" }, statusBadge(run.status, words), " ", words),
      ...fact("Flow", run.flow_title),
      ...fact("Started", shortTime(run.start_time)),
      ...fact("Completed", shortTime(run.completion_time)),
      ...fact("Run id", h("code", {}, run.run_id)),
    );
    this.list.replaceChildren(
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
