import { isoTime } from "./iso-time.ts";
import type { TimerRecord } from "./timers-store.ts";
import { nextTime } from "./timers-store.ts";
import type { TransferStore } from "./transfer-store.ts";
import { taskDocument } from "./transfer-task-document.ts";

// The two shapes Timers answers with. Creating a timer (POST /v2/timer) answers the v2 timer
// (the Python SDK's V2_TRANSFER_TIMER: `timer_type`, `schedule`, `body`, `number_of_runs`); the
// /jobs/ calls answer the job (its V1_TIMER: `callback_url`, `callback_body`, `start`,
// `interval`, `stop_after`, `n_runs`, `results`).

/** The Transfer action provider a transfer timer's job calls (the Python SDK's V1_TIMER). */
const TRANSFER_ACTION_URL = "https://actions.automate.globus.org/transfer/transfer/run";

/** When the timer runs next, or `undefined` (inactive, or its schedule has ended). */
function nextRun(timer: TimerRecord, now: number): number | undefined {
  if (timer.status === "inactive") return undefined;
  // A new timer has not run yet: its first run may be now (a once timer without a time).
  if (timer.status === "new") return nextTime(timer.schedule, now, true);
  const last = timer.runs.at(-1)?.ranAt ?? now;
  return nextTime(timer.schedule, Math.max(now, last));
}

/** `{cause: "user"}` for a paused timer (the Python SDK's TIMER_INACTIVE_USER), else `null`. */
const inactiveReason = (timer: TimerRecord) =>
  timer.status === "inactive" ? { cause: "user", detail: null } : null;

/** The fields the v2 timer and the job share: which timer, its state, when it was made and runs. */
function timerState(timer: TimerRecord, now: number): Record<string, unknown> {
  const last = timer.runs.at(-1);
  const next = nextRun(timer, now);
  return {
    job_id: timer.id,
    name: timer.name,
    status: timer.status,
    submitted_at: isoTime(timer.submitted),
    last_ran_at: last ? isoTime(last.ranAt) : null,
    next_run: next === undefined ? null : isoTime(next),
    inactive_reason: inactiveReason(timer),
  };
}

/** @internal A timer as POST /v2/timer answers it. // wire: the Python SDK's V2_TRANSFER_TIMER */
export function timerDocument(timer: TimerRecord, now: number): Record<string, unknown> {
  return {
    ...timerState(timer, now),
    timer_type: "transfer",
    schedule: timer.scheduleDocument,
    body: timer.body,
    number_of_runs: timer.runs.length,
    number_of_errors: 0,
  };
}

/**
 * The Transfer action provider's input for a v2 transfer body: `source_endpoint_id`,
 * `destination_endpoint_id`, `transfer_items` (the V1_TIMER's `callback_body.body`); the task
 * options are kept. // wire: unverified — how Timers translates a v2 body.
 */
function transferActionBody(body: Record<string, unknown>): Record<string, unknown> {
  const { DATA_TYPE: _type, DATA, source_endpoint, destination_endpoint, ...options } = body;
  const items = Array.isArray(DATA) ? DATA : [];
  return {
    ...options,
    source_endpoint_id: source_endpoint,
    destination_endpoint_id: destination_endpoint,
    transfer_items: items.map((item: Record<string, unknown>) => {
      const { DATA_TYPE: _item, ...rest } = item;
      return rest;
    }),
  };
}

/** `start`, `interval` and `stop_after` of a job, from the v2 schedule. */
function jobSchedule(timer: TimerRecord): Record<string, unknown> {
  const schedule = timer.schedule;
  if (schedule.type === "once") {
    return { start: isoTime(schedule.at), interval: null, stop_after: { date: null, n_runs: 1 } };
  }
  const stop =
    schedule.endAt === null && schedule.count === null
      ? null
      : { date: schedule.endAt === null ? null : isoTime(schedule.endAt), n_runs: schedule.count };
  return { start: isoTime(schedule.start), interval: schedule.interval, stop_after: stop };
}

/** One run's result: the Transfer action's status, its `details` the task (V1_TIMER's `results.data`). */
function runResult(
  timer: TimerRecord,
  run: TimerRecord["runs"][number],
  transfer: TransferStore,
): Record<string, unknown> {
  const task = transfer.tasks.get(run.taskId);
  const details = task ? taskDocument(transfer, task) : { DATA_TYPE: "task", task_id: run.taskId };
  const status = task?.status ?? "ACTIVE";
  const completed = task?.completionTime ?? null;
  return {
    ran_at: isoTime(run.ranAt),
    status: 202,
    errors: null,
    data: {
      action_id: run.taskId,
      status,
      display_status: status,
      creator_id: `urn:globus:auth:identity:${timer.owner}`,
      label: null,
      manage_by: [],
      monitor_by: [],
      release_after: "P30D",
      start_time: isoTime(run.ranAt),
      completion_time: completed === null ? null : isoTime(completed),
      details,
    },
  };
}

/**
 * @internal A timer as GET, PATCH and DELETE /jobs/<id> and GET /jobs/ answer it: the job, with
 * its runs' results. // wire: the Python SDK's V1_TIMER (all runs on one page: `page_next` null)
 */
export function jobDocument(
  timer: TimerRecord,
  now: number,
  transfer: TransferStore,
): Record<string, unknown> {
  return {
    ...timerState(timer, now),
    ...jobSchedule(timer),
    callback_url: TRANSFER_ACTION_URL,
    callback_body: { body: transferActionBody(timer.body) },
    scope: null,
    n_runs: timer.runs.length,
    n_errors: 0,
    results: { data: timer.runs.map((run) => runResult(timer, run, transfer)), page_next: null },
  };
}
