/** One run of a timer: what the service it called answered. */
export interface TimerRunResult {
  ran_at: string;
  status: number;
  /** For a transfer timer, Transfer's submission result (with `task_id`). */
  data: { task_id?: string; [field: string]: unknown };
}

/** A timer as Timers answers with it. */
export interface TimerJobDocument {
  job_id: string;
  name: string;
  /** `loaded` (scheduled), `paused`, `deleted`. */
  status: string;
  timer_type: string;
  schedule: Record<string, unknown>;
  body: Record<string, unknown>;
  submitted_at: string;
  last_ran_at: string | null;
  next_run: string | null;
  n_runs: number;
  n_errors: number;
  inactive_reason: unknown;
  results: { data: TimerRunResult[]; page_next?: string | null };
  [field: string]: unknown;
}

/** What `createTimer` answers: the new timer. */
export interface CreateTimerResult {
  timer: TimerJobDocument;
  [field: string]: unknown;
}

/** What `listJobs` answers. */
export interface TimerJobListDocument {
  jobs: TimerJobDocument[];
  [field: string]: unknown;
}

/** What `pauseJob` and `resumeJob` answer. */
export interface TimerMessageDocument {
  message: string;
  [field: string]: unknown;
}
