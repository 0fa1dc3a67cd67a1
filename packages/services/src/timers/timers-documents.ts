/**
 * A timer's status: `new` (just created, not yet seen by the scheduler), `loaded` (scheduled), or
 * `inactive` (paused by its owner, or stopped for want of consent; `inactive_reason` says which).
 */
export type TimerStatus = "new" | "loaded" | "inactive";

/**
 * Why a timer is `inactive`: `cause` `"user"` (paused; `detail` null), or
 * `"globus_auth_requirements"` with a GARE in `detail` (resume it after the consent, with
 * `updateCredentials`).
 */
export interface TimerInactiveReason {
  cause: "user" | "globus_auth_requirements" | (string & {});
  detail: Record<string, unknown> | null;
}

/** A timer as `createTimer` answers it (Timers' v2 timer). */
export interface TimerDocument {
  job_id: string;
  name: string;
  /** `new` in the answer that creates it. */
  status: TimerStatus;
  timer_type: "transfer" | "flow" | (string & {});
  /** The schedule as sent (`type` `once` or `recurring`). */
  schedule: Record<string, unknown>;
  /** For a transfer timer, the Transfer document each run submits. */
  body: Record<string, unknown>;
  submitted_at: string;
  last_ran_at: string | null;
  next_run: string | null;
  number_of_runs: number;
  number_of_errors: number;
  inactive_reason: TimerInactiveReason | null;
  [field: string]: unknown;
}

/** What the action a run started reports: for a transfer timer, the Transfer task in `details`. */
export interface TimerActionStatus {
  action_id: string;
  /** `ACTIVE`, `INACTIVE`, `SUCCEEDED` or `FAILED`. */
  status: string;
  display_status: string;
  /** For a transfer timer, Transfer's task document (with `task_id`). */
  details: { task_id?: string; [field: string]: unknown };
  [field: string]: unknown;
}

/** One run of a timer: when it ran, and what the service it called answered. */
export interface TimerRunResult {
  ran_at: string;
  /** The HTTP status the action answered the run with (`202` when it started). */
  status: number;
  errors: unknown;
  data: TimerActionStatus;
  [field: string]: unknown;
}

/** When a job stops: at `date`, or after `n_runs` runs (one of them null). */
export interface TimerStopAfter {
  date: string | null;
  n_runs: number | null;
}

/**
 * A timer as the job calls answer it (`getJob`, `listJobs`, `updateJob`, `deleteJob`): its
 * schedule as `start`, `interval` and `stop_after`, what it calls as `callback_url` and
 * `callback_body`, and its runs' `results`.
 */
export interface TimerJobDocument {
  job_id: string;
  name: string;
  status: TimerStatus;
  start: string;
  /** Seconds between runs; `null` for a timer that runs once. */
  interval: number | null;
  stop_after: TimerStopAfter | null;
  /** The action each run calls (for a transfer timer, the Transfer action provider). */
  callback_url: string;
  callback_body: Record<string, unknown>;
  scope: string | null;
  submitted_at: string;
  last_ran_at: string | null;
  next_run: string | null;
  n_runs: number;
  n_errors: number;
  inactive_reason: TimerInactiveReason | null;
  results: { data: TimerRunResult[]; page_next: string | null };
  [field: string]: unknown;
}

/** What `createTimer` answers: the new timer. */
export interface CreateTimerResult {
  timer: TimerDocument;
  [field: string]: unknown;
}

/** What `listJobs` answers. */
export interface TimerJobListDocument {
  jobs: TimerJobDocument[];
  [field: string]: unknown;
}

/** What `pauseJob` and `resumeJob` answer: `Successfully paused job <id>.` and the like. */
export interface TimerMessageDocument {
  message: string;
  [field: string]: unknown;
}
