import {
  GlobusClient,
  type GlobusClientOptions,
  type IdOrIds,
  TimersScopes,
  timerWithFlowUser,
  timerWithTransferDataAccess,
} from "@globus-app/core";
import { TimersAPIError } from "./timers-api-error.ts";
import type {
  CreateTimerResult,
  TimerJobDocument,
  TimerJobListDocument,
  TimerMessageDocument,
} from "./timers-documents.ts";
import type { TransferTimer } from "./transfer-timer.ts";

/** Query parameter values; `undefined` ones are left out. */
type QueryValue = string | number | boolean | undefined;

/** What every Timers method accepts besides its own parameters. */
export interface TimersCallOptions {
  /** More query parameters, sent as given (the Python SDK's `query_params`). */
  queryParams?: Readonly<Record<string, QueryValue>>;
  /** Cancels the request (a `GlobusNetworkError` coded `NETWORK_ABORTED`). */
  signal?: AbortSignal;
}

const id = (value: string): string => encodeURIComponent(value);

/**
 * A client for Globus Timers: create a timer (`createTimer` with a {@link TransferTimer}), list,
 * get, rename, pause, resume and delete timers ("jobs"). The Python SDK's `TimersClient` in
 * camelCase, async. Bound to an app it registers `timer`; a transfer timer acts through Transfer,
 * so register that consent up front with {@link TimersClient.addAppTransferDataAccessScope} (or let
 * `autoRedriveGares` answer the GARE Timers sends). Errors are {@link TimersAPIError}s.
 *
 * @example
 * ```ts
 * const timers = new TimersClient({ app }).addAppTransferDataAccessScope([]);
 * const { timer } = await timers.createTimer(new TransferTimer({ schedule: new OnceTimerSchedule(), body: data }));
 * ```
 */
export class TimersClient extends GlobusClient {
  /**
   * @param options - `app` (registers `https://auth.globus.org/scopes/524230d7-…/timer` with it) or
   *   `authorizer`; `baseUrl` (default: `GLOBUS_SDK_SERVICE_URL_TIMER`, else the environment's
   *   Timers), retries, timeouts.
   * @throws {GlobusSDKUsageError} for both `app` and `authorizer`, or an environment that is not the app's.
   */
  constructor(options: GlobusClientOptions = {}) {
    super(options, {
      service: "timer",
      resourceServer: TimersScopes.resourceServer,
      defaultScopes: TimersScopes.timer,
      createError: (init) => new TimersAPIError(init),
    });
  }

  /**
   * Registers `timer[transfer:all[*data_access …]]`, so that one login consents to what transfer
   * timers on these GCS mapped collections need (the Python SDK's
   * `add_app_transfer_data_access_scope`; pass `[]` for Transfer alone). Chainable.
   * @throws {GlobusSDKUsageError} without an `app`, or for a collection id that is not a UUID.
   * @example
   * ```ts
   * const timers = new TimersClient({ app }).addAppTransferDataAccessScope([sourceId, destinationId]);
   * ```
   */
  addAppTransferDataAccessScope(collectionIds: IdOrIds): this {
    return this.addAppScope(timerWithTransferDataAccess(collectionIds));
  }

  /**
   * Registers `timer[<flow user scope> …]` for timers that run these flows (the Python SDK's
   * `add_app_flow_user_scope`). Chainable.
   * @throws {GlobusSDKUsageError} without an `app`, or for a flow id that is not a UUID.
   * @example
   * ```ts
   * new TimersClient({ app }).addAppFlowUserScope(flowId);
   * ```
   */
  addAppFlowUserScope(flowIds: IdOrIds): this {
    return this.addAppScope(timerWithFlowUser(flowIds));
  }

  #call<T>(method: string, path: string, options: TimersCallOptions, json?: unknown): Promise<T> {
    return this.request<T>(method, path, {
      query: { ...options.queryParams },
      ...(json === undefined ? {} : { json }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /**
   * Creates a timer. It answers the new timer in Timers' v2 shape ({@link CreateTimerResult}: `status`
   * `new`, `number_of_runs` 0); the job calls ({@link TimersClient.getJob} …) show it as a job.
   * @param timer - a {@link TransferTimer}, or a timer document.
   * @throws {TimersAPIError} `ValidationError` (422) for a timer Timers refuses; `ConsentRequired`
   *   (403, with a GARE) without Transfer consent under `timer`.
   * @example
   * ```ts
   * const { timer } = await timers.createTimer(new TransferTimer({ name: "hourly", schedule: new RecurringTimerSchedule(3600), body: data }));
   * ```
   */
  createTimer(
    timer: TransferTimer | Record<string, unknown>,
    options: TimersCallOptions = {},
  ): Promise<CreateTimerResult> {
    // wire: POST v2/timer {"timer": …} answers 201 {"timer": …} (the Python SDK's create_timer).
    return this.#call("post", "v2/timer", options, { timer });
  }

  /**
   * The caller's timers, as jobs (all in one answer: Timers does not page them).
   * @example
   * ```ts
   * for (const job of (await timers.listJobs()).jobs) console.log(job.name, job.next_run);
   * ```
   */
  listJobs(options: TimersCallOptions = {}): Promise<TimerJobListDocument> {
    // wire: GET jobs/ (with the slash, as the Python SDK sends it).
    return this.#call("get", "jobs/", options);
  }

  /**
   * A timer as a job, with the results of its runs (for a transfer timer, each run's Transfer task
   * is `results.data[i].data.details`).
   * @throws {TimersAPIError} `NOT_FOUND` (404).
   * @example
   * ```ts
   * const { status, results } = await timers.getJob(jobId);
   * const taskIds = results.data.map((run) => run.data.details.task_id);
   * ```
   */
  getJob(jobId: string, options: TimersCallOptions = {}): Promise<TimerJobDocument> {
    return this.#call("get", `jobs/${id(jobId)}`, options);
  }

  /**
   * Changes a timer's fields (`name`).
   * @throws {TimersAPIError} `NOT_FOUND` (404), `ValidationError` (422) for a field that cannot change.
   * @example
   * ```ts
   * await timers.updateJob(jobId, { name: "nightly copy" });
   * ```
   */
  updateJob(
    jobId: string,
    data: Record<string, unknown>,
    options: TimersCallOptions = {},
  ): Promise<TimerJobDocument> {
    return this.#call("patch", `jobs/${id(jobId)}`, options, data);
  }

  /**
   * Deletes a timer (answering the job as it was); its runs so far stay done.
   * @throws {TimersAPIError} `NOT_FOUND` (404).
   * @example
   * ```ts
   * await timers.deleteJob(jobId);
   * ```
   */
  deleteJob(jobId: string, options: TimersCallOptions = {}): Promise<TimerJobDocument> {
    return this.#call("delete", `jobs/${id(jobId)}`, options);
  }

  /**
   * Pauses a timer: it makes no runs until resumed. Its status becomes `inactive`, with
   * `inactive_reason` `{ cause: "user" }`.
   * @throws {TimersAPIError} `NOT_FOUND` (404).
   * @example
   * ```ts
   * await timers.pauseJob(jobId);
   * ```
   */
  pauseJob(jobId: string, options: TimersCallOptions = {}): Promise<TimerMessageDocument> {
    return this.#call("post", `jobs/${id(jobId)}/pause`, options);
  }

  /**
   * Resumes an `inactive` timer (its status becomes `loaded`); runs missed while paused are not made up.
   * @param options - `updateCredentials`: have Timers use the caller's current consents from now on.
   * @throws {TimersAPIError} `NOT_FOUND` (404).
   * @example
   * ```ts
   * await timers.resumeJob(jobId, { updateCredentials: true });
   * ```
   */
  resumeJob(
    jobId: string,
    options: TimersCallOptions & { updateCredentials?: boolean } = {},
  ): Promise<TimerMessageDocument> {
    const body =
      options.updateCredentials === undefined ? {} : { update_credentials: options.updateCredentials };
    return this.#call("post", `jobs/${id(jobId)}/resume`, options, body);
  }
}
