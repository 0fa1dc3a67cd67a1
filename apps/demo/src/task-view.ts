import type { EventDocument, TaskDocument, TransferClient } from "globus-app";
import { formatSize, h } from "./dom.ts";
import { shortTime, statusBadge, statusWords } from "./run-status.ts";
import { fact, WatchedView } from "./watched-view.ts";

export interface TaskViewOptions {
  readonly transfer: TransferClient;
  /** A failed call while watching (the panel words it). */
  readonly onError: (error: unknown) => void;
  /** The task stopped running: `SUCCEEDED`, `FAILED` or `INACTIVE`. */
  readonly onSettled: (task: TaskDocument) => void;
}

/**
 * One task, watched until it settles: its status, counts and events. Polls `getTask` itself (rather
 * than `taskWait`) so that the page shows each change as it happens; the interval grows from 1 s to
 * 10 s, so a long transfer costs few requests.
 */
export class TaskView extends WatchedView<TaskDocument, EventDocument> {
  /** The task shown, if any. */
  taskId: string | undefined;

  readonly #transfer: TransferClient;

  constructor(options: TaskViewOptions) {
    super(
      { id: "task", title: "Task", listTitle: "Events", listId: "task-events", factsId: "task-facts" },
      options,
    );
    this.#transfer = options.transfer;
  }

  /** Shows a task and polls it until it settles (or another task, or `stop()`, replaces it). */
  watch(taskId: string): Promise<void> {
    this.taskId = taskId;
    return this.watchWith(async (signal) => {
      const [task, events] = await Promise.all([
        this.#transfer.getTask(taskId, { signal }),
        this.#transfer.taskEventList(taskId, { limit: 20, signal }),
      ]);
      return [task, events.DATA];
    });
  }

  /** Stops and hides (sign-out). */
  override clear(): void {
    super.clear();
    this.taskId = undefined;
  }

  protected render(task: TaskDocument, events: readonly EventDocument[]): void {
    this.heading.textContent = `Task: ${task.label ?? task.task_id}`;
    const from = task.source_endpoint_display_name ?? task.source_endpoint_id;
    const to = task.destination_endpoint_display_name ?? task.destination_endpoint_id ?? "—";
    const status = h(
      "dd",
      { id: "task-status" },
      statusBadge(task.status),
      " ",
      statusWords[task.status] ?? "",
    );
    this.facts.replaceChildren(
      h("dt", {}, "Status"),
      status,
      ...fact("From", from),
      ...fact("To", to),
      ...fact("Files", `${task.files_transferred} of ${task.files} transferred`),
      ...fact("Data", formatSize(task.bytes_transferred)),
      ...fact("Requested", shortTime(task.request_time)),
      ...fact("Completed", shortTime(task.completion_time)),
      ...(task.fatal_error ? fact("Why it failed", task.fatal_error.description) : []),
      ...(task.is_paused ? fact("Paused", task.nice_status_short_description ?? "by an administrator") : []),
      ...fact("Task id", h("code", {}, task.task_id)),
    );
    this.list.replaceChildren(
      ...(events.length === 0
        ? [h("li", { class: "muted" }, "No events yet.")]
        : events.map((event) =>
            h(
              "li",
              { class: event.is_error ? "event error" : "event", "data-code": event.code },
              h("time", {}, shortTime(event.time)),
              " ",
              h("strong", {}, event.code),
              " ",
              event.details || event.description,
            ),
          )),
    );
  }
}

export interface TaskHistoryOptions {
  readonly transfer: TransferClient;
  readonly onError: (error: unknown) => void;
  /** "Show" on a row. */
  readonly onOpen: (taskId: string) => void;
}

const PAGE = 5;

/** The person's tasks, newest first, a page at a time ("More"). */
export class TaskHistory {
  readonly element: HTMLElement;

  readonly #options: TaskHistoryOptions;
  readonly #body: HTMLTableSectionElement;
  readonly #more: HTMLButtonElement;
  readonly #refresh: HTMLButtonElement;
  readonly #note: HTMLParagraphElement;
  #loaded = 0;
  #run = 0;

  constructor(options: TaskHistoryOptions) {
    this.#options = options;
    this.#body = h("tbody");
    this.#note = h("p", { class: "muted", "aria-live": "polite" });
    this.#more = h("button", { type: "button", class: "secondary small", hidden: true }, "More");
    this.#more.addEventListener("click", () => void this.#page(false));
    this.#refresh = h("button", { type: "button", class: "secondary small" }, "Refresh");
    this.#refresh.addEventListener("click", () => void this.load());
    this.element = h(
      "section",
      { class: "task-history", id: "task-history", "aria-labelledby": "task-history-heading" },
      h(
        "div",
        { class: "card-head" },
        h("h3", { id: "task-history-heading" }, "Task history"),
        this.#refresh,
      ),
      this.#note,
      h(
        "table",
        { class: "stack", id: "task-history-table" },
        h("caption", { class: "visually-hidden" }, "Your transfer tasks, newest first"),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, "Task"),
            h("th", { scope: "col" }, "Status"),
            h("th", { scope: "col" }, "From → To"),
            h("th", { scope: "col" }, "Requested"),
            h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Actions")),
          ),
        ),
        this.#body,
      ),
      h("div", { class: "actions" }, this.#more),
    );
  }

  /** The first page again (after a new task, say). */
  load(): Promise<void> {
    return this.#page(true);
  }

  clear(): void {
    this.#run++;
    this.#loaded = 0;
    this.#body.replaceChildren();
    this.#more.hidden = true;
    this.#note.textContent = "";
  }

  async #page(first: boolean): Promise<void> {
    const run = first ? ++this.#run : this.#run;
    const button = first ? this.#refresh : this.#more;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    try {
      const offset = first ? 0 : this.#loaded;
      const page = await this.#options.transfer.taskList({
        limit: PAGE,
        offset,
        orderby: "request_time DESC",
      });
      if (run !== this.#run) return; // a newer load replaced this one
      const rows = page.DATA.map((task) => this.#row(task));
      if (first) this.#body.replaceChildren(...rows);
      else this.#body.append(...rows);
      this.#loaded = offset + page.DATA.length;
      this.#more.hidden = this.#loaded >= page.total;
      this.#note.textContent =
        page.total === 0
          ? "No tasks yet: select files and press Transfer."
          : `Showing ${this.#loaded} of ${page.total} task${page.total === 1 ? "" : "s"}.`;
    } catch (error) {
      if (run === this.#run) this.#options.onError(error);
    } finally {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }

  #row(task: TaskDocument): HTMLTableRowElement {
    const from = task.source_endpoint_display_name ?? task.source_endpoint_id;
    const to = task.destination_endpoint_display_name ?? task.destination_endpoint_id ?? "—";
    const label = task.label ?? task.task_id;
    return h(
      "tr",
      { "data-task-id": task.task_id },
      h("th", { scope: "row", "data-label": "Task" }, label),
      h("td", { "data-label": "Status" }, statusBadge(task.status)),
      h("td", { "data-label": "From → To" }, `${from} → ${to}`),
      h("td", { "data-label": "Requested" }, shortTime(task.request_time)),
      h(
        "td",
        { class: "row-actions" },
        h(
          "button",
          {
            type: "button",
            class: "secondary small",
            "aria-label": `Show task ${label}`,
            onclick: () => this.#options.onOpen(task.task_id),
          },
          "Show",
        ),
      ),
    );
  }
}
