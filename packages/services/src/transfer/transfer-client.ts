// Over 400 lines, kept whole: one class with the Python SDK's TransferClient methods, each a few
// lines over GlobusClient's request helpers (splitting a class across files would need mixins that
// hurt its types and docs); the request and response shapes live in their own files.
import {
  GlobusClient,
  type GlobusClientOptions,
  GlobusNetworkError,
  GlobusSDKUsageError,
  type IdOrIds,
  TransferScopes,
  transferWithDataAccess,
} from "@globus-app/core";
import {
  markerPaging,
  offsetPaging,
  type PageParams,
  Paginator,
  type PagingOptions,
} from "../paging/paginator.ts";
import type { DeleteData } from "./delete-data.ts";
import { TransferAPIError } from "./transfer-api-error.ts";
import type { TransferData } from "./transfer-data.ts";
import type {
  AccessCreateResult,
  AccessListDocument,
  AccessRuleDocument,
  BookmarkDocument,
  BookmarkListDocument,
  EndpointDocument,
  EndpointListDocument,
  EntityType,
  EventDocument,
  EventListDocument,
  FileDocument,
  FileListDocument,
  PauseInfoDocument,
  PauseRuleListDocument,
  RoleDocument,
  RoleListDocument,
  ServerListDocument,
  SharedEndpointListDocument,
  SkippedErrorDocument,
  SkippedErrorsDocument,
  SubmissionIdDocument,
  SubmissionResult,
  SuccessfulTransferDocument,
  SuccessfulTransfersDocument,
  TaskDocument,
  TaskListDocument,
  TransferResult,
} from "./transfer-documents.ts";

/** Query parameter values; `undefined` ones are left out. */
type QueryValue = string | number | boolean | undefined;

/** What every method accepts besides its own parameters. */
export interface TransferCallOptions {
  /** More query parameters, sent as given (the Python SDK's `query_params`). */
  queryParams?: Readonly<Record<string, QueryValue>>;
  /** Cancels the request (a `GlobusNetworkError` coded `NETWORK_ABORTED`). */
  signal?: AbortSignal;
}

/**
 * A Transfer filter: a string as Transfer reads it (`"status:ACTIVE,INACTIVE/label:~nightly*"`), a
 * record of field → value or values (`{ status: ["ACTIVE", "INACTIVE"], label: "~nightly*" }`), or
 * a list of either, joined with `/` as the Python SDK does.
 */
export type TransferFilter =
  | string
  | Readonly<Record<string, string | readonly string[]>>
  | readonly (string | Readonly<Record<string, string | readonly string[]>>)[];

/** Parameters of {@link TransferClient.endpointSearch}. */
export interface EndpointSearchParams extends TransferCallOptions {
  /** Text to look for in names, descriptions, owners, keywords. */
  filterFulltext?: string;
  /** `all`, `my-endpoints`, `my-gcp-endpoints`, `recently-used`, `in-use`, `shared-by-me`, `shared-with-me`, `administered-by-me`. */
  filterScope?: string;
  /** Only what this identity owns. */
  filterOwnerId?: string;
  /** Only guest collections on this host. */
  filterHostEndpoint?: string;
  /** Only functional (`false`) or non-functional (`true`) ones. */
  filterNonFunctional?: boolean;
  /** Only this entity type. */
  filterEntityType?: EntityType;
  /** Page size, 1–100. @default 25 (Transfer's) */
  limit?: number;
  /** Where the page starts (offset + limit ≤ 1000). @default 0 */
  offset?: number;
}

/** Parameters of {@link TransferClient.operationLs}. */
export interface OperationLsParams extends TransferCallOptions {
  /** The directory. @default the collection's default directory (often `/~/`) */
  path?: string;
  /** Include names starting with `.`. @default true (Transfer's) */
  showHidden?: boolean;
  /** E.g. `"type ASC, name"`: fields `name`, `type`, `size`, `last_modified`, `permissions`, `user`, `group`. */
  orderby?: string | readonly string[];
  /** Page size (Transfer's limit is 100000). */
  limit?: number;
  /** Where the page starts. */
  offset?: number;
  /** E.g. `{ name: "~*.csv" }`, `"type:dir"`: fields `name` (`=`, `!=`, `~glob`, `!~glob`), `type`, `size`, `last_modified`, … */
  filter?: TransferFilter;
  /** The account to list as on a mapped collection that allows a choice. */
  localUser?: string;
}

/** Parameters of {@link TransferClient.taskList}. */
export interface TaskListParams extends TransferCallOptions {
  /** E.g. `{ status: ["ACTIVE", "INACTIVE"], type: "TRANSFER" }`; fields `task_id`, `type`, `status`, `label`, `request_time`, `completion_time`. */
  filter?: TransferFilter;
  /** E.g. `"request_time DESC"`. */
  orderby?: string | readonly string[];
  /** Page size, up to 1000. @default 10 (Transfer's) */
  limit?: number;
  /** Where the page starts. @default 0 */
  offset?: number;
}

/** Parameters of {@link TransferClient.taskEventList}. */
export interface TaskEventListParams extends TransferCallOptions {
  /** E.g. `"is_error:1"`. */
  filter?: TransferFilter;
  /** Page size, up to 1000. @default 10 (Transfer's) */
  limit?: number;
  /** Where the page starts. @default 0 */
  offset?: number;
}

/** Parameters of the marker-paged task lists. */
export interface TaskMarkerParams extends TransferCallOptions {
  /** The `next_marker` of the previous page. */
  marker?: string | number;
}

/** Parameters of {@link TransferClient.getSharedEndpointList}. */
export interface SharedEndpointListParams extends TransferCallOptions {
  /** Page size. */
  maxResults?: number;
  /** The `next_token` of the previous page. */
  nextToken?: string;
}

/** Options of {@link TransferClient.taskWait}. */
export interface TaskWaitOptions {
  /** Give up after about this many seconds. @default 10 */
  timeoutS?: number;
  /** Seconds between polls. @default 10 */
  pollingIntervalS?: number;
  /** Stops waiting: the wait rejects with a `GlobusNetworkError` coded `NETWORK_ABORTED`. */
  signal?: AbortSignal;
}

/** The paginated calls of a {@link TransferClient}: each returns a {@link Paginator}. */
export interface TransferPaginatedCalls {
  /** Pages of {@link TransferClient.endpointSearch} (offset, `has_next_page`; 100 a page). */
  endpointSearch(
    params?: EndpointSearchParams,
    paging?: PagingOptions,
  ): Paginator<EndpointListDocument, EndpointDocument>;
  /** Pages of {@link TransferClient.taskList} (offset, `total`; 1000 a page). */
  taskList(params?: TaskListParams, paging?: PagingOptions): Paginator<TaskListDocument, TaskDocument>;
  /** Pages of {@link TransferClient.taskEventList} (offset, `total`; 1000 a page). */
  taskEventList(
    taskId: string,
    params?: TaskEventListParams,
    paging?: PagingOptions,
  ): Paginator<EventListDocument, EventDocument>;
  /** Pages of {@link TransferClient.taskSuccessfulTransfers} (`marker`/`next_marker`). */
  taskSuccessfulTransfers(
    taskId: string,
    params?: TaskMarkerParams,
    paging?: PagingOptions,
  ): Paginator<SuccessfulTransfersDocument, SuccessfulTransferDocument>;
  /** Pages of {@link TransferClient.taskSkippedErrors} (`marker`/`next_marker`). */
  taskSkippedErrors(
    taskId: string,
    params?: TaskMarkerParams,
    paging?: PagingOptions,
  ): Paginator<SkippedErrorsDocument, SkippedErrorDocument>;
  /** Pages of {@link TransferClient.getSharedEndpointList} (`next_token`). */
  getSharedEndpointList(
    endpointId: string,
    params?: SharedEndpointListParams,
    paging?: PagingOptions,
  ): Paginator<SharedEndpointListDocument, EndpointDocument>;
}

/** Transfer's answers that are worth retrying when 5xx: not an endpoint's own refusal. */
function transferRetryCheck(_status: number, body: unknown): boolean {
  const code = typeof body === "object" && body !== null ? (body as { code?: unknown }).code : undefined;
  // The Python SDK's TransferClient rule: an ExternalError or EndpointError is the collection's
  // answer (a permission, a missing path, an unreachable server), which a retry does not change.
  return !(typeof code === "string" && (code.includes("ExternalError") || code.includes("EndpointError")));
}

function formatFilterItem(item: string | Readonly<Record<string, string | readonly string[]>>): string {
  if (typeof item === "string") return item;
  return Object.entries(item)
    .map(([field, value]) => `${field}:${typeof value === "string" ? value : value.join(",")}`)
    .join("/");
}

/** @internal A {@link TransferFilter} as Transfer's `filter` parameter. */
export function formatTransferFilter(filter: TransferFilter | undefined): string | undefined {
  if (filter === undefined) return undefined;
  if (typeof filter === "string" || !Array.isArray(filter)) {
    return formatFilterItem(filter as string | Readonly<Record<string, string | readonly string[]>>);
  }
  return (filter as readonly (string | Readonly<Record<string, string | readonly string[]>>)[])
    .map(formatFilterItem)
    .join("/");
}

const orderbyParam = (orderby: string | readonly string[] | undefined): string | undefined =>
  orderby === undefined ? undefined : typeof orderby === "string" ? orderby : orderby.join(",");

const id = (value: string): string => encodeURIComponent(value);

const sleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/**
 * A client for Globus Transfer (API v0.10): collections and endpoints, their roles and access
 * rules, bookmarks, file operations, and transfer and delete tasks. The Python SDK's
 * `TransferClient`, method for method in camelCase, async. Bound to an app it registers
 * `transfer:all` (see {@link TransferClient.addAppDataAccessScope} for mapped collections) and asks
 * the app for tokens; 401 renews, GAREs (`ConsentRequired`, MFA) are redriven when the app's
 * `autoRedriveGares` is on.
 *
 * Every method resolves to Transfer's JSON document, typed (`TaskDocument`, `FileListDocument`, …)
 * but whole: fields the types do not name are there too. Errors are {@link TransferAPIError}s with
 * Transfer's code and request id. 429 and 5xx answers are retried (three times by default), except
 * Transfer's `ExternalError.*` and `EndpointError.*` answers, which a retry would not change; a
 * submit is safe to retry because its submission id makes Transfer start at most one task.
 * Paginated calls also have async iterators in {@link TransferClient.paginated}.
 *
 * @example
 * ```ts
 * const transfer = new TransferClient({ app });
 * const data = new TransferData({ sourceEndpoint: src, destinationEndpoint: dst, label: "results" })
 *   .addItem("/~/results/", "/~/backup/results/", { recursive: true });
 * const { task_id } = await transfer.submitTransfer(data);
 * if (await transfer.taskWait(task_id, { timeoutS: 600, pollingIntervalS: 5 })) {
 *   console.log((await transfer.getTask(task_id)).status);
 * }
 * ```
 */
export class TransferClient extends GlobusClient {
  /**
   * Async iterators over the paginated calls: `for await (const page of
   * transfer.paginated.taskList())`, or `.items()` for the items of every page. The second argument
   * stops early: `{ maxItems, signal }`.
   */
  readonly paginated: TransferPaginatedCalls;

  /**
   * @param options - `app` (registers `transfer:all` with it) or `authorizer`; `baseUrl` (default:
   *   `GLOBUS_SDK_SERVICE_URL_TRANSFER`, else the environment's Transfer), retries, timeouts.
   * @throws {GlobusSDKUsageError} for both `app` and `authorizer`, or an environment that is not the app's.
   */
  constructor(options: GlobusClientOptions = {}) {
    super(options, {
      service: "transfer",
      resourceServer: TransferScopes.resourceServer,
      defaultScopes: TransferScopes.all,
      retryCheck: transferRetryCheck,
      createError: (init) => new TransferAPIError(init),
    });
    this.paginated = this.#paginatedCalls();
  }

  #call<T>(
    method: "get" | "post" | "put" | "delete",
    path: string,
    options: TransferCallOptions,
    query: Record<string, QueryValue> = {},
    json?: unknown,
  ): Promise<T> {
    return this.request<T>(method, `v0.10/${path}`, {
      query: { ...query, ...options.queryParams },
      ...(json === undefined ? {} : { json }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /**
   * Registers `transfer:all` with an optional `data_access` dependency per collection with the bound
   * app, so that a login asks consent for them up front and the first transfer on a GCSv5 mapped
   * collection needs no `ConsentRequired` round trip (the Python SDK's `add_app_data_access_scope`).
   * Only for mapped collections that are not high assurance. Chainable.
   *
   * @throws {GlobusSDKUsageError} without an app, or for an id that is not a UUID.
   * @example
   * ```ts
   * const transfer = new TransferClient({ app }).addAppDataAccessScope([sourceId, destinationId]);
   * await app.login(); // one consent covers both collections
   * ```
   */
  addAppDataAccessScope(collectionIds: IdOrIds): this {
    return this.addAppScope(transferWithDataAccess(collectionIds));
  }

  // Collections and endpoints

  /**
   * Gets an endpoint or collection document.
   * @throws {TransferAPIError} `EndpointNotFound` (404) for an unknown id.
   * @example
   * ```ts
   * const { display_name, entity_type } = await transfer.getEndpoint(collectionId);
   * ```
   */
  getEndpoint(endpointId: string, options: TransferCallOptions = {}): Promise<EndpointDocument> {
    return this.#call("get", `endpoint/${id(endpointId)}`, options);
  }

  /**
   * Changes fields of an endpoint or collection (`display_name`, `description`, `keywords`, …); needs
   * the administrator role.
   * @throws {TransferAPIError} `PermissionDenied` (403) for others, `EndpointNotFound` (404).
   * @example
   * ```ts
   * await transfer.updateEndpoint(collectionId, { description: "Raw instrument data" });
   * ```
   */
  updateEndpoint(
    endpointId: string,
    data: Readonly<Record<string, unknown>>,
    options: TransferCallOptions = {},
  ): Promise<TransferResult> {
    return this.#call("put", `endpoint/${id(endpointId)}`, options, {}, { DATA_TYPE: "endpoint", ...data });
  }

  /**
   * Searches endpoints and collections (one page; see `paginated.endpointSearch` for all).
   * @throws {TransferAPIError} `ClientError.BadRequest` (400) for a limit above 100 or a page past 1000.
   * @example
   * ```ts
   * const { DATA } = await transfer.endpointSearch("tutorial", { filterEntityType: "GCSv5_guest_collection" });
   * ```
   */
  endpointSearch(
    filterFulltext?: string,
    params: Omit<EndpointSearchParams, "filterFulltext"> = {},
  ): Promise<EndpointListDocument> {
    return this.#endpointSearchPage({
      ...params,
      ...(filterFulltext === undefined ? {} : { filterFulltext }),
    });
  }

  #endpointSearchPage(params: EndpointSearchParams, paging: PageParams = {}): Promise<EndpointListDocument> {
    return this.#call("get", "endpoint_search", params, {
      filter_fulltext: params.filterFulltext,
      filter_scope: params.filterScope,
      filter_owner_id: params.filterOwnerId,
      filter_host_endpoint: params.filterHostEndpoint,
      filter_non_functional:
        params.filterNonFunctional === undefined ? undefined : params.filterNonFunctional ? 1 : 0,
      filter_entity_type: params.filterEntityType,
      limit: params.limit,
      offset: params.offset,
      ...paging,
    });
  }

  /**
   * The pause rules in effect for the caller on an endpoint (what stops their tasks or listings).
   * @example
   * ```ts
   * const { DATA: rules } = await transfer.myEffectivePauseRuleList(collectionId);
   * ```
   */
  myEffectivePauseRuleList(
    endpointId: string,
    options: TransferCallOptions = {},
  ): Promise<PauseRuleListDocument> {
    return this.#call("get", `endpoint_manager/my_effective_pause_rule_list/${id(endpointId)}`, options);
  }

  /**
   * The guest collections the caller owns on a host (mapped collection or endpoint).
   * @example
   * ```ts
   * const { DATA: guests } = await transfer.mySharedEndpointList(mappedCollectionId);
   * ```
   */
  mySharedEndpointList(endpointId: string, options: TransferCallOptions = {}): Promise<EndpointListDocument> {
    return this.#call("get", `endpoint/${id(endpointId)}/my_shared_endpoint_list`, options);
  }

  /**
   * One page of all guest collections on a host, for its administrators (see
   * `paginated.getSharedEndpointList`).
   * @example
   * ```ts
   * const { shared_endpoints, next_token } = await transfer.getSharedEndpointList(hostId, { maxResults: 50 });
   * ```
   */
  getSharedEndpointList(
    endpointId: string,
    params: SharedEndpointListParams = {},
  ): Promise<SharedEndpointListDocument> {
    return this.#call("get", `endpoint/${id(endpointId)}/shared_endpoint_list`, params, {
      max_results: params.maxResults,
      next_token: params.nextToken,
    });
  }

  /**
   * The servers of an endpoint.
   * @example
   * ```ts
   * const { DATA: servers } = await transfer.endpointServerList(endpointId);
   * ```
   */
  endpointServerList(endpointId: string, options: TransferCallOptions = {}): Promise<ServerListDocument> {
    return this.#call("get", `endpoint/${id(endpointId)}/server_list`, options);
  }

  /**
   * The roles granted on an endpoint or collection.
   * @throws {TransferAPIError} `PermissionDenied` (403) unless the caller may see them.
   * @example
   * ```ts
   * const { DATA: roles } = await transfer.endpointRoleList(guestCollectionId);
   * ```
   */
  endpointRoleList(endpointId: string, options: TransferCallOptions = {}): Promise<RoleListDocument> {
    return this.#call("get", `endpoint/${id(endpointId)}/role_list`, options);
  }

  /**
   * Grants a role (`administrator`, `access_manager`, `activity_manager`, `activity_monitor`).
   * @throws {TransferAPIError} `PermissionDenied` (403), `Exists` (409) for a role already granted.
   * @example
   * ```ts
   * const role = await transfer.addEndpointRole(guestId, { principal_type: "identity", principal: identityId, role: "access_manager" });
   * ```
   */
  addEndpointRole(
    endpointId: string,
    roleData: Readonly<Record<string, unknown>>,
    options: TransferCallOptions = {},
  ): Promise<RoleDocument> {
    return this.#call(
      "post",
      `endpoint/${id(endpointId)}/role`,
      options,
      {},
      { DATA_TYPE: "role", ...roleData },
    );
  }

  /**
   * Gets one role.
   * @throws {TransferAPIError} `ClientError.NotFound` (404).
   * @example
   * ```ts
   * const { role, principal } = await transfer.getEndpointRole(guestId, roleId);
   * ```
   */
  getEndpointRole(
    endpointId: string,
    roleId: string,
    options: TransferCallOptions = {},
  ): Promise<RoleDocument> {
    return this.#call("get", `endpoint/${id(endpointId)}/role/${id(roleId)}`, options);
  }

  /**
   * Revokes a role.
   * @throws {TransferAPIError} `ClientError.NotFound` (404), `PermissionDenied` (403).
   * @example
   * ```ts
   * await transfer.deleteEndpointRole(guestId, roleId);
   * ```
   */
  deleteEndpointRole(
    endpointId: string,
    roleId: string,
    options: TransferCallOptions = {},
  ): Promise<TransferResult> {
    return this.#call("delete", `endpoint/${id(endpointId)}/role/${id(roleId)}`, options);
  }

  /**
   * The access rules of a guest collection.
   * @throws {TransferAPIError} `PermissionDenied` (403) unless the caller manages access.
   * @example
   * ```ts
   * const { DATA: rules } = await transfer.endpointAclList(guestId);
   * ```
   */
  endpointAclList(endpointId: string, options: TransferCallOptions = {}): Promise<AccessListDocument> {
    return this.#call("get", `endpoint/${id(endpointId)}/access_list`, options);
  }

  /**
   * Gets one access rule.
   * @throws {TransferAPIError} `ClientError.NotFound` (404).
   * @example
   * ```ts
   * const { path, permissions } = await transfer.getEndpointAclRule(guestId, ruleId);
   * ```
   */
  getEndpointAclRule(
    endpointId: string,
    ruleId: string,
    options: TransferCallOptions = {},
  ): Promise<AccessRuleDocument> {
    return this.#call("get", `endpoint/${id(endpointId)}/access/${id(ruleId)}`, options);
  }

  /**
   * Adds an access rule: who (`principal_type` `identity`, `group`, `all_authenticated_users`,
   * `anonymous`, and `principal`) may read (`r`) or read and write (`rw`) under `path`.
   * @throws {TransferAPIError} `Exists` (409) for the same principal and path,
   *   `ClientError.BadRequest` (400) for a path not absolute or permissions not `r`/`rw`.
   * @example
   * ```ts
   * const { access_id } = await transfer.addEndpointAclRule(guestId, {
   *   principal_type: "identity", principal: identityId, path: "/shared/", permissions: "r" });
   * ```
   */
  addEndpointAclRule(
    endpointId: string,
    ruleData: Readonly<Record<string, unknown>>,
    options: TransferCallOptions = {},
  ): Promise<AccessCreateResult> {
    return this.#call(
      "post",
      `endpoint/${id(endpointId)}/access`,
      options,
      {},
      { DATA_TYPE: "access", ...ruleData },
    );
  }

  /**
   * Changes an access rule's `permissions` (or `expiration_date`).
   * @throws {TransferAPIError} `ClientError.NotFound` (404), `ClientError.BadRequest` (400).
   * @example
   * ```ts
   * await transfer.updateEndpointAclRule(guestId, ruleId, { permissions: "rw" });
   * ```
   */
  updateEndpointAclRule(
    endpointId: string,
    ruleId: string,
    ruleData: Readonly<Record<string, unknown>>,
    options: TransferCallOptions = {},
  ): Promise<TransferResult> {
    return this.#call(
      "put",
      `endpoint/${id(endpointId)}/access/${id(ruleId)}`,
      options,
      {},
      { DATA_TYPE: "access", ...ruleData },
    );
  }

  /**
   * Deletes an access rule.
   * @throws {TransferAPIError} `ClientError.NotFound` (404).
   * @example
   * ```ts
   * await transfer.deleteEndpointAclRule(guestId, ruleId);
   * ```
   */
  deleteEndpointAclRule(
    endpointId: string,
    ruleId: string,
    options: TransferCallOptions = {},
  ): Promise<TransferResult> {
    return this.#call("delete", `endpoint/${id(endpointId)}/access/${id(ruleId)}`, options);
  }

  // Bookmarks

  /**
   * The caller's bookmarks.
   * @example
   * ```ts
   * for (const { name, endpoint_id, path } of (await transfer.bookmarkList()).DATA) console.log(name, endpoint_id, path);
   * ```
   */
  bookmarkList(options: TransferCallOptions = {}): Promise<BookmarkListDocument> {
    return this.#call("get", "bookmark_list", options);
  }

  /**
   * Creates a bookmark: `{ name, endpoint_id, path }` (path absolute, ending in `/`).
   * @throws {TransferAPIError} `ClientError.BadRequest` (400), `Exists` (409) for a name in use.
   * @example
   * ```ts
   * const bookmark = await transfer.createBookmark({ name: "Results", endpoint_id: collectionId, path: "/~/results/" });
   * ```
   */
  createBookmark(
    bookmarkData: Readonly<Record<string, unknown>>,
    options: TransferCallOptions = {},
  ): Promise<BookmarkDocument> {
    return this.#call("post", "bookmark", options, {}, { DATA_TYPE: "bookmark", ...bookmarkData });
  }

  /**
   * Gets one bookmark.
   * @throws {TransferAPIError} `ClientError.NotFound` (404).
   * @example
   * ```ts
   * const { path } = await transfer.getBookmark(bookmarkId);
   * ```
   */
  getBookmark(bookmarkId: string, options: TransferCallOptions = {}): Promise<BookmarkDocument> {
    return this.#call("get", `bookmark/${id(bookmarkId)}`, options);
  }

  /**
   * Renames a bookmark (`{ name }`; Transfer changes nothing else).
   * @throws {TransferAPIError} `ClientError.NotFound` (404).
   * @example
   * ```ts
   * await transfer.updateBookmark(bookmarkId, { name: "Old results" });
   * ```
   */
  updateBookmark(
    bookmarkId: string,
    bookmarkData: Readonly<Record<string, unknown>>,
    options: TransferCallOptions = {},
  ): Promise<BookmarkDocument> {
    return this.#call(
      "put",
      `bookmark/${id(bookmarkId)}`,
      options,
      {},
      { DATA_TYPE: "bookmark", ...bookmarkData },
    );
  }

  /**
   * Deletes a bookmark.
   * @throws {TransferAPIError} `ClientError.NotFound` (404).
   * @example
   * ```ts
   * await transfer.deleteBookmark(bookmarkId);
   * ```
   */
  deleteBookmark(bookmarkId: string, options: TransferCallOptions = {}): Promise<TransferResult> {
    return this.#call("delete", `bookmark/${id(bookmarkId)}`, options);
  }

  // Filesystem

  /**
   * Lists a directory of a collection.
   * @throws {TransferAPIError} `ClientError.NotFound` (404) for a missing directory,
   *   `ConsentRequired` or `AuthorizationRequired` (403, with GAREs) when the collection needs
   *   `data_access` consent or an MFA or policy-satisfying login.
   * @example
   * ```ts
   * const { DATA } = await transfer.operationLs(collectionId, { path: "/~/", filter: { type: "file", name: "~*.csv" }, orderby: "size DESC" });
   * ```
   */
  operationLs(endpointId: string, params: OperationLsParams = {}): Promise<FileListDocument> {
    return this.#call("get", `operation/endpoint/${id(endpointId)}/ls`, params, {
      path: params.path,
      show_hidden: params.showHidden === undefined ? undefined : params.showHidden ? 1 : 0,
      orderby: orderbyParam(params.orderby),
      limit: params.limit,
      offset: params.offset,
      filter: formatTransferFilter(params.filter),
      local_user: params.localUser,
    });
  }

  /**
   * Makes a directory.
   * @throws {TransferAPIError} `ExternalError.MkdirFailed.Exists` (502) when it exists,
   *   `ClientError.NotFound` (404) when its parent does not.
   * @example
   * ```ts
   * await transfer.operationMkdir(collectionId, "/~/results/2025/");
   * ```
   */
  operationMkdir(
    endpointId: string,
    path: string,
    options: TransferCallOptions & { localUser?: string } = {},
  ): Promise<TransferResult> {
    return this.#call(
      "post",
      `operation/endpoint/${id(endpointId)}/mkdir`,
      options,
      {},
      {
        DATA_TYPE: "mkdir",
        path,
        ...(options.localUser === undefined ? {} : { local_user: options.localUser }),
      },
    );
  }

  /**
   * Renames or moves a file or directory within a collection.
   * @throws {TransferAPIError} `ClientError.NotFound` (404) for a missing `oldpath`,
   *   `ExternalError.RenameFailed.Exists` (502) when `newpath` exists.
   * @example
   * ```ts
   * await transfer.operationRename(collectionId, "/~/draft.txt", "/~/final.txt");
   * ```
   */
  operationRename(
    endpointId: string,
    oldpath: string,
    newpath: string,
    options: TransferCallOptions & { localUser?: string } = {},
  ): Promise<TransferResult> {
    return this.#call(
      "post",
      `operation/endpoint/${id(endpointId)}/rename`,
      options,
      {},
      {
        DATA_TYPE: "rename",
        old_path: oldpath,
        new_path: newpath,
        ...(options.localUser === undefined ? {} : { local_user: options.localUser }),
      },
    );
  }

  /**
   * Describes one file, directory or symlink.
   * @throws {TransferAPIError} `ClientError.NotFound` (404) when there is nothing at `path`.
   * @example
   * ```ts
   * const { type, size, last_modified } = await transfer.operationStat(collectionId, "/~/a.txt");
   * ```
   */
  operationStat(
    endpointId: string,
    path: string,
    options: TransferCallOptions & { localUser?: string } = {},
  ): Promise<FileDocument> {
    return this.#call("get", `operation/endpoint/${id(endpointId)}/stat`, options, {
      path,
      local_user: options.localUser,
    });
  }

  // Tasks

  /**
   * A new submission id: a task submitted with it is started at most once, however often the
   * submit is sent.
   * @example
   * ```ts
   * const { value } = await transfer.getSubmissionId();
   * ```
   */
  getSubmissionId(options: TransferCallOptions = {}): Promise<SubmissionIdDocument> {
    return this.#call("get", "submission_id", options);
  }

  async #submit(
    path: "transfer" | "delete",
    data: TransferData | DeleteData | Record<string, unknown>,
    options: TransferCallOptions,
  ): Promise<SubmissionResult> {
    // The id is kept on the caller's object: submitting it again is the same submission.
    if ("toJSON" in data && typeof data.toJSON === "function") {
      const builder = data as TransferData | DeleteData;
      builder.submissionId ??= (await this.getSubmissionId(options)).value;
      return this.#call("post", path, options, {}, builder.toJSON());
    }
    const record = data as Record<string, unknown>;
    if (record.submission_id === undefined)
      record.submission_id = (await this.getSubmissionId(options)).value;
    return this.#call("post", path, options, {}, record);
  }

  /**
   * Submits a transfer task. Without a submission id on `data`, asks for one first and stores it
   * on `data` (a `TransferData`, or a plain document's `submission_id`), so that submitting the same
   * `data` again answers `Duplicate` with the same `task_id` instead of starting another task.
   * @throws {TransferAPIError} `ConsentRequired` or `AuthorizationRequired` (403, with GAREs) for a
   *   collection that needs consent or a stronger login; `ClientError.BadRequest` (400) for a bad
   *   document; `EndpointNotFound` (404).
   * @example
   * ```ts
   * const result = await transfer.submitTransfer(new TransferData({ sourceEndpoint: a, destinationEndpoint: b }).addItem("/~/x", "/~/y"));
   * console.log(result.code, result.task_id); // "Accepted" …
   * ```
   */
  submitTransfer(
    data: TransferData | Record<string, unknown>,
    options: TransferCallOptions = {},
  ): Promise<SubmissionResult> {
    return this.#submit("transfer", data, options);
  }

  /**
   * Submits a delete task; the submission id is handled as in {@link TransferClient.submitTransfer}.
   * @throws {TransferAPIError} as `submitTransfer`.
   * @example
   * ```ts
   * const { task_id } = await transfer.submitDelete(new DeleteData({ endpoint: id, recursive: true }).addItem("/~/tmp/"));
   * ```
   */
  submitDelete(
    data: DeleteData | Record<string, unknown>,
    options: TransferCallOptions = {},
  ): Promise<SubmissionResult> {
    return this.#submit("delete", data, options);
  }

  /**
   * One page of the caller's tasks, newest first (see `paginated.taskList` for all).
   * @example
   * ```ts
   * const { DATA, total } = await transfer.taskList({ filter: { status: ["ACTIVE", "INACTIVE"] }, limit: 50 });
   * ```
   */
  taskList(params: TaskListParams = {}): Promise<TaskListDocument> {
    return this.#taskListPage(params);
  }

  #taskListPage(params: TaskListParams, paging: PageParams = {}): Promise<TaskListDocument> {
    return this.#call("get", "task_list", params, {
      filter: formatTransferFilter(params.filter),
      orderby: orderbyParam(params.orderby),
      limit: params.limit,
      offset: params.offset,
      ...paging,
    });
  }

  /**
   * Gets a task.
   * @throws {TransferAPIError} `ClientError.NotFound` (404) for a task that is not the caller's.
   * @example
   * ```ts
   * const { status, files_transferred, nice_status } = await transfer.getTask(taskId);
   * ```
   */
  getTask(taskId: string, options: TransferCallOptions = {}): Promise<TaskDocument> {
    return this.#call("get", `task/${id(taskId)}`, options);
  }

  /**
   * Changes an active task's `label` or `deadline`.
   * @throws {TransferAPIError} `ClientError.NotFound` (404); `ClientError.BadRequest` (400) for
   *   other fields or a finished task.
   * @example
   * ```ts
   * await transfer.updateTask(taskId, { label: "renamed" });
   * ```
   */
  updateTask(
    taskId: string,
    data: Readonly<Record<string, unknown>>,
    options: TransferCallOptions = {},
  ): Promise<TransferResult> {
    return this.#call("put", `task/${id(taskId)}`, options, {}, { DATA_TYPE: "task", ...data });
  }

  /**
   * Cancels a task: `code` `Canceled`, or `TaskComplete` when it had already finished.
   * @throws {TransferAPIError} `ClientError.NotFound` (404).
   * @example
   * ```ts
   * const { code } = await transfer.cancelTask(taskId);
   * ```
   */
  cancelTask(taskId: string, options: TransferCallOptions = {}): Promise<TransferResult> {
    return this.#call("post", `task/${id(taskId)}/cancel`, options);
  }

  /**
   * One page of a task's events, newest first (see `paginated.taskEventList`).
   * @example
   * ```ts
   * const errors = await transfer.taskEventList(taskId, { filter: "is_error:1" });
   * ```
   */
  taskEventList(taskId: string, params: TaskEventListParams = {}): Promise<EventListDocument> {
    return this.#taskEventListPage(taskId, params);
  }

  #taskEventListPage(
    taskId: string,
    params: TaskEventListParams,
    paging: PageParams = {},
  ): Promise<EventListDocument> {
    return this.#call("get", `task/${id(taskId)}/event_list`, params, {
      filter: formatTransferFilter(params.filter),
      limit: params.limit,
      offset: params.offset,
      ...paging,
    });
  }

  /**
   * One page of the files a finished task transferred (see `paginated.taskSuccessfulTransfers`).
   * @example
   * ```ts
   * const { DATA, next_marker } = await transfer.taskSuccessfulTransfers(taskId);
   * ```
   */
  taskSuccessfulTransfers(
    taskId: string,
    params: TaskMarkerParams = {},
  ): Promise<SuccessfulTransfersDocument> {
    return this.#call("get", `task/${id(taskId)}/successful_transfers`, params, { marker: params.marker });
  }

  /**
   * One page of the source errors a task skipped (see `paginated.taskSkippedErrors`).
   * @example
   * ```ts
   * const { DATA } = await transfer.taskSkippedErrors(taskId);
   * ```
   */
  taskSkippedErrors(taskId: string, params: TaskMarkerParams = {}): Promise<SkippedErrorsDocument> {
    return this.#call("get", `task/${id(taskId)}/skipped_errors`, params, { marker: params.marker });
  }

  /**
   * Why a task is paused: the pause rules holding it and the endpoints' messages.
   * @example
   * ```ts
   * const { pause_rules, source_pause_message } = await transfer.taskPauseInfo(taskId);
   * ```
   */
  taskPauseInfo(taskId: string, options: TransferCallOptions = {}): Promise<PauseInfoDocument> {
    return this.#call("get", `task/${id(taskId)}/pause_info`, options);
  }

  /**
   * Waits for a task to finish, polling `getTask` every `pollingIntervalS`: resolves `true` once
   * its status is no longer `ACTIVE` (as the Python SDK's `task_wait`: `SUCCEEDED`, `FAILED`, or
   * `INACTIVE`, which needs a person), `false` when `timeoutS` passes first.
   *
   * @throws {GlobusSDKUsageError} for a timeout or interval that is not a positive number;
   *   {@link TransferAPIError} as `getTask`; `GlobusNetworkError` `NETWORK_ABORTED` when `signal` aborts.
   * @example
   * ```ts
   * const done = await transfer.taskWait(taskId, { timeoutS: 3600, pollingIntervalS: 15 });
   * ```
   */
  async taskWait(taskId: string, options: TaskWaitOptions = {}): Promise<boolean> {
    const { timeoutS = 10, pollingIntervalS = 10, signal } = options;
    for (const [name, value] of [
      ["timeoutS", timeoutS],
      ["pollingIntervalS", pollingIntervalS],
    ] as const) {
      if (!(typeof value === "number" && Number.isFinite(value) && value > 0)) {
        throw new GlobusSDKUsageError(`taskWait's ${name} must be a positive number of seconds.`);
      }
    }
    const deadline = Date.now() + timeoutS * 1000;
    for (;;) {
      const task = await this.getTask(taskId, signal ? { signal } : {});
      if (task.status !== "ACTIVE") return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      try {
        await sleep(Math.min(pollingIntervalS * 1000, left), signal);
      } catch (reason) {
        throw new GlobusNetworkError(
          `Waiting for task ${taskId} was cancelled by the caller's AbortSignal.`,
          {
            code: "NETWORK_ABORTED",
            cause: reason,
          },
        );
      }
      if (Date.now() >= deadline) {
        // One last look, so that a task finishing during the last interval counts.
        return (await this.getTask(taskId, signal ? { signal } : {})).status !== "ACTIVE";
      }
    }
  }

  #paginatedCalls(): TransferPaginatedCalls {
    const data = <T>(page: { DATA: T[] }): T[] => page.DATA ?? [];
    return {
      endpointSearch: (params = {}, paging = {}) =>
        new Paginator(
          (query, signal) => this.#endpointSearchPage({ ...params, ...(signal ? { signal } : {}) }, query),
          offsetPaging<EndpointListDocument>(
            { limit: params.limit, offset: params.offset },
            { itemCount: (page) => data(page).length, pageSize: 100, maxOffset: 999 },
          ),
          data,
          paging,
        ),
      taskList: (params = {}, paging = {}) =>
        new Paginator(
          (query, signal) => this.#taskListPage({ ...params, ...(signal ? { signal } : {}) }, query),
          offsetPaging<TaskListDocument>(
            { limit: params.limit, offset: params.offset },
            { itemCount: (page) => data(page).length, pageSize: 1000 },
          ),
          data,
          paging,
        ),
      taskEventList: (taskId, params = {}, paging = {}) =>
        new Paginator(
          (query, signal) =>
            this.#taskEventListPage(taskId, { ...params, ...(signal ? { signal } : {}) }, query),
          offsetPaging<EventListDocument>(
            { limit: params.limit, offset: params.offset },
            { itemCount: (page) => data(page).length, pageSize: 1000 },
          ),
          data,
          paging,
        ),
      taskSuccessfulTransfers: (taskId, params = {}, paging = {}) =>
        new Paginator(
          (query, signal) =>
            this.#call<SuccessfulTransfersDocument>(
              "get",
              `task/${id(taskId)}/successful_transfers`,
              { ...params, ...(signal ? { signal } : {}) },
              { ...query },
            ),
          markerPaging<SuccessfulTransfersDocument>(
            { marker: params.marker },
            { param: "marker", responseKey: "next_marker" },
          ),
          data,
          paging,
        ),
      taskSkippedErrors: (taskId, params = {}, paging = {}) =>
        new Paginator(
          (query, signal) =>
            this.#call<SkippedErrorsDocument>(
              "get",
              `task/${id(taskId)}/skipped_errors`,
              { ...params, ...(signal ? { signal } : {}) },
              { ...query },
            ),
          markerPaging<SkippedErrorsDocument>(
            { marker: params.marker },
            { param: "marker", responseKey: "next_marker" },
          ),
          data,
          paging,
        ),
      getSharedEndpointList: (endpointId, params = {}, paging = {}) =>
        new Paginator(
          (query, signal) =>
            this.#call<SharedEndpointListDocument>(
              "get",
              `endpoint/${id(endpointId)}/shared_endpoint_list`,
              { ...params, ...(signal ? { signal } : {}) },
              { max_results: params.maxResults, ...query },
            ),
          markerPaging<SharedEndpointListDocument>(
            { next_token: params.nextToken },
            { param: "next_token", responseKey: "next_token" },
          ),
          (page) => page.shared_endpoints ?? [],
          paging,
        ),
    };
  }
}
