import {
  flowUserWithTransferDataAccess,
  GlobusClient,
  type GlobusClientOptions,
  type IdOrIds,
  specificFlowScopes,
} from "@globus-app/core";
import { FlowsAPIError } from "./flows-api-error.ts";
import { defined, type FlowsCallOptions } from "./flows-client.ts";
import type { FlowPrincipal, RunActivityNotificationPolicy, RunDocument } from "./flows-documents.ts";

/** What {@link SpecificFlowClient.runFlow} and {@link SpecificFlowClient.validateRun} take besides the input. */
export interface RunFlowOptions extends FlowsCallOptions {
  /** A short name for the run. */
  label?: string;
  tags?: readonly string[];
  /** Who may cancel, change and delete the run besides its owner. */
  runManagers?: readonly FlowPrincipal[];
  /** Who may see the run. */
  runMonitors?: readonly FlowPrincipal[];
  /** Which statuses the run notifies its owner of. @default Flows': `{ status: ["INACTIVE"] }` */
  activityNotificationPolicy?: RunActivityNotificationPolicy;
  /** More body fields, sent as given (the Python SDK's `additional_fields`). */
  additionalFields?: Readonly<Record<string, unknown>>;
}

/** What {@link SpecificFlowClient.validateRun} answers for input a run would accept. */
export interface ValidateRunResult {
  message: string;
  [field: string]: unknown;
}

/**
 * A client for one flow's runs: start one (`runFlow`), check one would start (`validateRun`),
 * resume one (`resumeRun`). The Python SDK's `SpecificFlowClient`: its resource server is the flow
 * id and, bound to an app, it registers the flow's own `user` scope
 * (`https://auth.globus.org/scopes/<flowId>/flow_<flowId with _>_user`). When a run needs consents
 * the user has not given (e.g. to Transfer for a flow's Transfer actions), Flows answers 403 with a
 * GARE: an app with `autoRedriveGares` logs in for it and the call is sent again.
 *
 * @example
 * ```ts
 * const flow = new SpecificFlowClient(flowId, { app });
 * const run = await flow.runFlow({ source: "/~/data" }, { label: "nightly", tags: ["nightly"] });
 * ```
 */
export class SpecificFlowClient extends GlobusClient {
  /** The flow this client runs. */
  readonly flowId: string;

  /**
   * @param flowId - the flow's id (a UUID).
   * @param options - as {@link FlowsClient}'s; `app` gets the flow's `user` scope registered.
   * @throws {GlobusSDKUsageError} for a `flowId` that is not a UUID, both `app` and `authorizer`, or
   *   an environment that is not the app's.
   */
  constructor(flowId: string, options: GlobusClientOptions = {}) {
    const scopes = specificFlowScopes(flowId);
    super(options, {
      service: "flows",
      resourceServer: scopes.resourceServer,
      defaultScopes: scopes.user,
      createError: (init) => new FlowsAPIError(init),
    });
    this.flowId = scopes.resourceServer;
  }

  /**
   * Registers the flow's `user` scope with an optional Transfer `all` and an optional `data_access`
   * per collection, so that one login consents to what the flow's Transfer actions need (the Python
   * SDK's `add_app_transfer_data_access_scope`). Chainable.
   * @throws {GlobusSDKUsageError} without an `app`, or for a collection id that is not a UUID.
   * @example
   * ```ts
   * const flow = new SpecificFlowClient(flowId, { app }).addAppTransferDataAccessScope(collectionId);
   * ```
   */
  addAppTransferDataAccessScope(collectionIds: IdOrIds): this {
    return this.addAppScope(flowUserWithTransferDataAccess(this.flowId, collectionIds));
  }

  #post<T>(path: string, options: FlowsCallOptions, json?: unknown): Promise<T> {
    // wire: unverified — Flows' paths have no version segment.
    return this.request<T>("post", path, {
      query: { ...options.queryParams },
      ...(json === undefined ? {} : { json }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /**
   * Starts a run of the flow with `body` as its input.
   * @throws {FlowsAPIError} `ConsentRequired` (403, with a GARE) when the run needs more consent,
   *   `FLOW_INPUT_ERROR` (400) for input the flow's schema refuses, `NOT_FOUND` (404).
   * @example
   * ```ts
   * const run = await flow.runFlow({ message: "hi" }, { activityNotificationPolicy: { status: ["INACTIVE", "FAILED"] } });
   * ```
   */
  runFlow(body: Record<string, unknown>, options: RunFlowOptions = {}): Promise<RunDocument> {
    return this.#post(`flows/${encodeURIComponent(this.flowId)}/run`, options, runBody(body, options));
  }

  /**
   * Checks that a run with this input would start, without starting it.
   * @throws {FlowsAPIError} as {@link SpecificFlowClient.runFlow}.
   * @example
   * ```ts
   * await flow.validateRun({ message: "hi" });
   * ```
   */
  validateRun(body: Record<string, unknown>, options: RunFlowOptions = {}): Promise<ValidateRunResult> {
    return this.#post(
      `flows/${encodeURIComponent(this.flowId)}/validate_run`,
      options,
      runBody(body, options),
    );
  }

  /**
   * Resumes a run that stopped for consent, once it has been given.
   * @throws {FlowsAPIError} `ConsentRequired` (403) while it is still missing, `NOT_FOUND` (404).
   * @example
   * ```ts
   * await flow.resumeRun(runId);
   * ```
   */
  resumeRun(runId: string, options: FlowsCallOptions = {}): Promise<RunDocument> {
    return this.#post(`runs/${encodeURIComponent(runId)}/resume`, options);
  }
}

function runBody(body: Record<string, unknown>, options: RunFlowOptions): Record<string, unknown> {
  return defined({
    body,
    label: options.label,
    tags: options.tags,
    run_managers: options.runManagers,
    run_monitors: options.runMonitors,
    activity_notification_policy: options.activityNotificationPolicy,
    ...options.additionalFields,
  });
}
