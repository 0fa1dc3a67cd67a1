// Over 400 lines, kept whole: the Python SDK's FlowsClient methods (SpecificFlowClient has its own
// file), each a few lines over GlobusClient's request helpers; the response shapes live in their
// own files.
import { FlowsScopes, GlobusClient, type GlobusClientOptions } from "@globus-app/core";
import { markerPaging, type PageParams, Paginator, type PagingOptions } from "../paging/paginator.ts";
import { FlowsAPIError } from "./flows-api-error.ts";
import type {
  FlowDocument,
  FlowListDocument,
  FlowPrincipal,
  FlowRole,
  FlowValidationDocument,
  RunDefinitionDocument,
  RunDocument,
  RunListDocument,
  RunLogDocument,
  RunLogEntry,
} from "./flows-documents.ts";

/** Query parameter values; `undefined` ones are left out. */
type QueryValue = string | number | boolean | undefined;

/** What every Flows method accepts besides its own parameters. */
export interface FlowsCallOptions {
  /** More query parameters, sent as given (the Python SDK's `query_params`). */
  queryParams?: Readonly<Record<string, QueryValue>>;
  /** Cancels the request (a `GlobusNetworkError` coded `NETWORK_ABORTED`). */
  signal?: AbortSignal;
}

/** The optional fields of a flow, as {@link FlowsClient.createFlow} and {@link FlowsClient.updateFlow} take them. */
export interface FlowFieldsOptions extends FlowsCallOptions {
  subtitle?: string;
  description?: string;
  flowViewers?: readonly FlowPrincipal[];
  flowStarters?: readonly FlowPrincipal[];
  flowAdministrators?: readonly FlowPrincipal[];
  runManagers?: readonly FlowPrincipal[];
  runMonitors?: readonly FlowPrincipal[];
  keywords?: readonly string[];
  subscriptionId?: string | null;
  /** More body fields, sent as given (the Python SDK's `additional_fields`). */
  additionalFields?: Readonly<Record<string, unknown>>;
}

/** What {@link FlowsClient.updateFlow} changes: any field of a flow. */
export interface UpdateFlowOptions extends FlowFieldsOptions {
  title?: string;
  definition?: Record<string, unknown>;
  inputSchema?: Record<string, unknown>;
}

/** Parameters of {@link FlowsClient.listFlows}. */
export interface ListFlowsParams extends FlowsCallOptions {
  /** Only flows where the caller has one of these roles. @default any role */
  filterRoles?: FlowRole | Iterable<FlowRole>;
  /** Deprecated by Flows in favour of `filterRoles`; sent as `filter_role`. */
  filterRole?: FlowRole;
  /** Only flows whose title, subtitle, description or keywords have every word. */
  filterFulltext?: string;
  /** Sort order, e.g. `"updated_at DESC"` or `["title ASC", "created_at DESC"]`. */
  orderby?: string | Iterable<string>;
  /** The page after the one that answered with this marker. */
  marker?: string;
}

/** Parameters of {@link FlowsClient.listRuns}. */
export interface ListRunsParams extends FlowsCallOptions {
  /** Only runs of these flows. */
  filterFlowId?: string | Iterable<string>;
  /** Only runs where the caller has one of these roles (`run_owner`, `run_manager`, `run_monitor`). */
  filterRoles?: string | Iterable<string>;
  /** Sort order, e.g. `"start_time DESC"`. */
  orderby?: string | Iterable<string>;
  marker?: string;
}

/** Parameters of {@link FlowsClient.getRunLogs}. */
export interface GetRunLogsParams extends FlowsCallOptions {
  /** Entries a page. @default Flows': 10 */
  limit?: number;
  /** Newest first. @default false */
  reverseOrder?: boolean;
  marker?: string;
}

/** What {@link FlowsClient.updateRun} changes. */
export interface UpdateRunOptions extends FlowsCallOptions {
  label?: string;
  tags?: readonly string[];
  runManagers?: readonly FlowPrincipal[];
  runMonitors?: readonly FlowPrincipal[];
  additionalFields?: Readonly<Record<string, unknown>>;
}

/** The paginated calls of a {@link FlowsClient}: each a {@link Paginator} over Flows' marker pages. */
export interface FlowsPaginatedCalls {
  /** Pages of {@link FlowsClient.listFlows}. */
  listFlows(params?: ListFlowsParams, paging?: PagingOptions): Paginator<FlowListDocument, FlowDocument>;
  /** Pages of {@link FlowsClient.listRuns}. */
  listRuns(params?: ListRunsParams, paging?: PagingOptions): Paginator<RunListDocument, RunDocument>;
  /** Pages of {@link FlowsClient.getRunLogs}. */
  getRunLogs(
    runId: string,
    params?: GetRunLogsParams,
    paging?: PagingOptions,
  ): Paginator<RunLogDocument, RunLogEntry>;
}

const commaList = (value: string | Iterable<string> | undefined): string | undefined =>
  value === undefined ? undefined : typeof value === "string" ? value : [...value].join(",");

const id = (value: string): string => encodeURIComponent(value);

/** @internal Drops `undefined` fields, so that Flows sees only what the caller set. */
export const defined = (fields: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(fields).filter((entry) => entry[1] !== undefined));

function flowFields(options: FlowFieldsOptions): Record<string, unknown> {
  return defined({
    subtitle: options.subtitle,
    description: options.description,
    flow_viewers: options.flowViewers,
    flow_starters: options.flowStarters,
    flow_administrators: options.flowAdministrators,
    run_managers: options.runManagers,
    run_monitors: options.runMonitors,
    keywords: options.keywords,
    subscription_id: options.subscriptionId,
    ...options.additionalFields,
  });
}

/**
 * A client for Globus Flows: flows (create, get, list, update, delete, validate) and runs (list,
 * get, logs, definition, update, cancel, delete). The Python SDK's `FlowsClient`, method for method
 * in camelCase, async; running a flow needs that flow's own scope, so it is
 * {@link SpecificFlowClient}'s. Bound to an app it registers Flows' `all` scope. Errors are
 * {@link FlowsAPIError}s; 429 and 5xx are retried. List calls also page with
 * {@link FlowsClient.paginated}.
 *
 * @example
 * ```ts
 * const flows = new FlowsClient({ app });
 * const flow = await flows.createFlow("Hello", { StartAt: "Hi", States: { Hi: { Type: "Pass", End: true } } }, {});
 * for await (const run of flows.paginated.listRuns({ filterFlowId: flow.id }).items()) console.log(run.status);
 * ```
 */
export class FlowsClient extends GlobusClient {
  /**
   * Async iterators over the paginated calls: `for await (const page of flows.paginated.listFlows())`,
   * or `.items()` for every flow.
   */
  readonly paginated: FlowsPaginatedCalls;

  /**
   * @param options - `app` (registers `https://auth.globus.org/scopes/eec9b274-…/all` with it) or
   *   `authorizer`; `baseUrl` (default: `GLOBUS_SDK_SERVICE_URL_FLOWS`, else the environment's
   *   Flows), retries, timeouts.
   * @throws {GlobusSDKUsageError} for both `app` and `authorizer`, or an environment that is not the app's.
   */
  constructor(options: GlobusClientOptions = {}) {
    super(options, {
      service: "flows",
      resourceServer: FlowsScopes.resourceServer,
      defaultScopes: FlowsScopes.all,
      createError: (init) => new FlowsAPIError(init),
    });
    this.paginated = this.#paginatedCalls();
  }

  #call<T>(
    method: "get" | "post" | "put" | "delete",
    path: string,
    options: FlowsCallOptions,
    query: Record<string, QueryValue> = {},
    json?: unknown,
  ): Promise<T> {
    // wire: unverified — Flows' paths have no version segment.
    return this.request<T>(method, path, {
      query: { ...query, ...options.queryParams },
      ...(json === undefined ? {} : { json }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /**
   * Creates a flow owned by the caller.
   * @param definition - the flow's states; @param inputSchema - JSON Schema of a run's input.
   * @throws {FlowsAPIError} `UNPROCESSABLE_ENTITY` (422) for a definition Flows refuses.
   * @example
   * ```ts
   * const { id } = await flows.createFlow("Copy", definition, { required: ["source"] }, { flowStarters: ["all_authenticated_users"] });
   * ```
   */
  createFlow(
    title: string,
    definition: Record<string, unknown>,
    inputSchema: Record<string, unknown>,
    options: FlowFieldsOptions = {},
  ): Promise<FlowDocument> {
    const body = { title, definition, input_schema: inputSchema, ...flowFields(options) };
    return this.#call("post", "flows", options, {}, body);
  }

  /**
   * A flow the caller may see.
   * @throws {FlowsAPIError} `NOT_FOUND` (404), also for a flow the caller has no role on.
   * @example
   * ```ts
   * const { title, definition } = await flows.getFlow(flowId);
   * ```
   */
  getFlow(flowId: string, options: FlowsCallOptions = {}): Promise<FlowDocument> {
    return this.#call("get", `flows/${id(flowId)}`, options);
  }

  /**
   * One page of the flows the caller has a role on (see `paginated.listFlows` for all).
   * @throws {FlowsAPIError} `BAD_REQUEST` (400) for an unknown role or `orderby` field.
   * @example
   * ```ts
   * const { flows: mine } = await flows.listFlows({ filterRoles: "flow_owner", orderby: "updated_at DESC" });
   * ```
   */
  listFlows(params: ListFlowsParams = {}): Promise<FlowListDocument> {
    return this.#call("get", "flows", params, {
      filter_role: params.filterRole,
      filter_roles: commaList(params.filterRoles),
      filter_fulltext: params.filterFulltext,
      orderby: commaList(params.orderby),
      marker: params.marker,
    });
  }

  /**
   * Changes a flow's fields; administrators only.
   * @throws {FlowsAPIError} `FORBIDDEN` (403) for others, `NOT_FOUND` (404), 422 for a bad definition.
   * @example
   * ```ts
   * await flows.updateFlow(flowId, { subtitle: "Now with checksums", keywords: ["copy"] });
   * ```
   */
  updateFlow(flowId: string, options: UpdateFlowOptions): Promise<FlowDocument> {
    const body = defined({
      title: options.title,
      definition: options.definition,
      input_schema: options.inputSchema,
      ...flowFields(options),
    });
    return this.#call("put", `flows/${id(flowId)}`, options, {}, body);
  }

  /**
   * Deletes a flow; its owner only.
   * @throws {FlowsAPIError} `FORBIDDEN` (403), `NOT_FOUND` (404).
   * @example
   * ```ts
   * await flows.deleteFlow(flowId);
   * ```
   */
  deleteFlow(flowId: string, options: FlowsCallOptions = {}): Promise<FlowDocument> {
    return this.#call("delete", `flows/${id(flowId)}`, options);
  }

  /**
   * Checks a definition (and input schema) without creating a flow; answers the scopes its runs need.
   * @throws {FlowsAPIError} `UNPROCESSABLE_ENTITY` (422) naming the problems.
   * @example
   * ```ts
   * const { scopes } = await flows.validateFlow(definition);
   * ```
   */
  validateFlow(
    definition: Record<string, unknown>,
    inputSchema?: Record<string, unknown>,
    options: FlowsCallOptions = {},
  ): Promise<FlowValidationDocument> {
    const body = defined({ definition, input_schema: inputSchema });
    return this.#call("post", "flows/validate", options, {}, body);
  }

  /**
   * One page of the runs the caller may see (see `paginated.listRuns` for all).
   * @throws {FlowsAPIError} `BAD_REQUEST` (400) for an unknown `orderby` field.
   * @example
   * ```ts
   * const { runs } = await flows.listRuns({ filterFlowId: flowId, orderby: "start_time DESC" });
   * ```
   */
  listRuns(params: ListRunsParams = {}): Promise<RunListDocument> {
    return this.#call("get", "runs", params, {
      filter_flow_id: commaList(params.filterFlowId),
      filter_roles: commaList(params.filterRoles),
      orderby: commaList(params.orderby),
      marker: params.marker,
    });
  }

  /**
   * A run, with its status and (once succeeded) its output.
   * @throws {FlowsAPIError} `NOT_FOUND` (404).
   * @example
   * ```ts
   * const { status, details } = await flows.getRun(runId, { includeFlowDescription: true });
   * ```
   */
  getRun(
    runId: string,
    options: FlowsCallOptions & { includeFlowDescription?: boolean } = {},
  ): Promise<RunDocument> {
    return this.#call("get", `runs/${id(runId)}`, options, {
      include_flow_description: options.includeFlowDescription,
    });
  }

  /**
   * One page of a run's log (see `paginated.getRunLogs` for all of it).
   * @throws {FlowsAPIError} `NOT_FOUND` (404).
   * @example
   * ```ts
   * const { entries } = await flows.getRunLogs(runId, { limit: 50, reverseOrder: true });
   * ```
   */
  getRunLogs(runId: string, params: GetRunLogsParams = {}): Promise<RunLogDocument> {
    return this.#call("get", `runs/${id(runId)}/log`, params, {
      limit: params.limit,
      reverse_order: params.reverseOrder,
      marker: params.marker,
    });
  }

  /**
   * The definition and input schema the run started with (the flow may have changed since).
   * @throws {FlowsAPIError} `NOT_FOUND` (404).
   * @example
   * ```ts
   * const { definition } = await flows.getRunDefinition(runId);
   * ```
   */
  getRunDefinition(runId: string, options: FlowsCallOptions = {}): Promise<RunDefinitionDocument> {
    return this.#call("get", `runs/${id(runId)}/definition`, options);
  }

  /**
   * Cancels an active run; run managers only. The run becomes `FAILED`, its `details.code`
   * `FlowCanceled`.
   * @throws {FlowsAPIError} `FORBIDDEN` (403) for monitors, `NOT_FOUND` (404).
   * @example
   * ```ts
   * const run = await flows.cancelRun(runId);
   * run.details.code; // "FlowCanceled"
   * ```
   */
  cancelRun(runId: string, options: FlowsCallOptions = {}): Promise<RunDocument> {
    return this.#call("post", `runs/${id(runId)}/cancel`, options);
  }

  /**
   * Changes a run's label, tags, managers or monitors; run managers only.
   * @throws {FlowsAPIError} `FORBIDDEN` (403), `NOT_FOUND` (404).
   * @example
   * ```ts
   * await flows.updateRun(runId, { label: "nightly copy", tags: ["nightly"] });
   * ```
   */
  updateRun(runId: string, options: UpdateRunOptions): Promise<RunDocument> {
    const body = defined({
      label: options.label,
      tags: options.tags,
      run_managers: options.runManagers,
      run_monitors: options.runMonitors,
      ...options.additionalFields,
    });
    return this.#call("put", `runs/${id(runId)}`, options, {}, body);
  }

  /**
   * Deletes a run that has ended (Flows' "release"); run managers only.
   * @throws {FlowsAPIError} `STATE_CONFLICT` (409) for an active run, `NOT_FOUND` (404).
   * @example
   * ```ts
   * await flows.deleteRun(runId);
   * ```
   */
  deleteRun(runId: string, options: FlowsCallOptions = {}): Promise<RunDocument> {
    // wire: unverified — the Python SDK's delete_run posts to runs/<id>/release.
    return this.#call("post", `runs/${id(runId)}/release`, options);
  }

  #paginatedCalls(): FlowsPaginatedCalls {
    // Each page repeats the caller's parameters with the marker the previous page answered.
    const paged = <P extends { marker?: string }, Page, Item>(
      call: (params: P) => Promise<Page>,
      params: P,
      itemsOf: (page: Page) => Item[],
      paging: PagingOptions,
    ) =>
      new Paginator<Page, Item>(
        (query: PageParams, signal) =>
          call({
            ...params,
            ...(typeof query.marker === "string" ? { marker: query.marker } : {}),
            ...(signal ? { signal } : {}),
          }),
        markerPaging<Page>(params.marker === undefined ? {} : { marker: params.marker }, {
          param: "marker",
          responseKey: "marker",
        }),
        itemsOf,
        paging,
      );
    return {
      listFlows: (params = {}, paging = {}) =>
        paged(
          (p: ListFlowsParams) => this.listFlows(p),
          params,
          (page) => page.flows,
          paging,
        ),
      listRuns: (params = {}, paging = {}) =>
        paged(
          (p: ListRunsParams) => this.listRuns(p),
          params,
          (page) => page.runs,
          paging,
        ),
      getRunLogs: (runId, params = {}, paging = {}) =>
        paged(
          (p: GetRunLogsParams) => this.getRunLogs(runId, p),
          params,
          (page) => page.entries,
          paging,
        ),
    };
  }
}
