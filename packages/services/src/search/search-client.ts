// Over 400 lines, kept whole: one class with the Python SDK's SearchClient methods, each a few
// lines over GlobusClient's request helpers; the query builder and response shapes live in their
// own files.
import { GlobusClient, type GlobusClientOptions, SearchScopes } from "@globus-app/core";
import {
  markerPaging,
  offsetPaging,
  type PageParams,
  Paginator,
  type PagingOptions,
} from "../paging/paginator.ts";
import { SearchAPIError } from "./search-api-error.ts";
import type {
  EntryDeleteResult,
  GIngest,
  GMetaResult,
  GScrollResult,
  GSearchResult,
  IndexAcknowledgement,
  IngestResult,
  SearchIndexDocument,
  SearchIndexListDocument,
  SearchRoleDeleteResult,
  SearchRoleDocument,
  SearchRoleListDocument,
  SearchTaskDocument,
  SearchTaskListDocument,
  TaskSubmitResult,
} from "./search-documents.ts";
import type { SearchQuery, SearchQueryDocument, SearchScrollQuery } from "./search-query.ts";

/** Query parameter values; `undefined` ones are left out. */
type QueryValue = string | number | boolean | undefined;

/** What every Search method accepts besides its own parameters. */
export interface SearchCallOptions {
  /** More query parameters, sent as given (the Python SDK's `query_params`). */
  queryParams?: Readonly<Record<string, QueryValue>>;
  /** Cancels the request (a `GlobusNetworkError` coded `NETWORK_ABORTED`). */
  signal?: AbortSignal;
}

/** Parameters of {@link SearchClient.search}. */
export interface SearchParams extends SearchCallOptions {
  /** Where the page starts (`offset + limit` ≤ 10000). @default 0 */
  offset?: number;
  /** Page size. @default 10 (Search's) */
  limit?: number;
  /** Read `q` with the advanced syntax. @default false (Search's) */
  advanced?: boolean;
}

/** Parameters of {@link SearchClient.postSearch}: `offset` and `limit` replace the document's. */
export interface PostSearchParams extends SearchCallOptions {
  offset?: number;
  limit?: number;
}

/** Parameters of {@link SearchClient.scroll}: `marker` replaces the document's. */
export interface ScrollParams extends SearchCallOptions {
  marker?: string;
}

/** Parameters of {@link SearchClient.getEntry} and {@link SearchClient.deleteEntry}. */
export interface EntryParams extends SearchCallOptions {
  /** The entry id; the subject's default entry when absent. */
  entryId?: string;
}

/** A query: a builder or its document. */
export type SearchQueryInput = SearchQuery | SearchScrollQuery | SearchQueryDocument;

/** The paginated calls of a {@link SearchClient}: each returns a {@link Paginator} over `gmeta`. */
export interface SearchPaginatedCalls {
  /** Pages of {@link SearchClient.search} (offset, `has_next_page`; 100 a page, 10000 results at most). */
  search(
    indexId: string,
    q: string,
    params?: SearchParams,
    paging?: PagingOptions,
  ): Paginator<GSearchResult, GMetaResult>;
  /** Pages of {@link SearchClient.postSearch} (offset, `has_next_page`; 100 a page, 10000 results at most). */
  postSearch(
    indexId: string,
    data: SearchQueryInput,
    params?: PostSearchParams,
    paging?: PagingOptions,
  ): Paginator<GSearchResult, GMetaResult>;
  /** Pages of {@link SearchClient.scroll} (`marker`), every match however many. */
  scroll(
    indexId: string,
    data?: SearchQueryInput,
    params?: ScrollParams,
    paging?: PagingOptions,
  ): Paginator<GScrollResult, GMetaResult>;
}

const id = (value: string): string => encodeURIComponent(value);

const documentOf = (data: SearchQueryInput | undefined): SearchQueryDocument => {
  if (data === undefined) return {};
  return typeof data.toJSON === "function"
    ? (data as SearchQuery).toJSON()
    : { ...(data as SearchQueryDocument) };
};

/** Search's result window: an offset-paged walk stops before `offset + limit` passes it. */
const RESULT_WINDOW = 10_000;

/**
 * A client for Globus Search (API v1): queries (GET, POST with a {@link SearchQuery}, scroll),
 * ingest and deletes (tasks), subjects and entries, indices and their roles. The Python SDK's
 * `SearchClient`, method for method in camelCase, async. Bound to an app it registers
 * `search:all`; without a token, queries see public entries only. Errors are
 * {@link SearchAPIError}s; 429 and 5xx are retried. Queries and scrolls also have async
 * iterators in {@link SearchClient.paginated}.
 *
 * @example
 * ```ts
 * const search = new SearchClient({ app });
 * const { task_id } = await search.ingest(indexId, { ingest_type: "GMetaEntry",
 *   ingest_data: { subject: "https://example.org/d/1", visible_to: ["public"], content: { title: "One" } } });
 * const { gmeta, total } = await search.search(indexId, "title:One");
 * ```
 */
export class SearchClient extends GlobusClient {
  /**
   * Async iterators over the paginated calls: `for await (const page of
   * search.paginated.postSearch(indexId, query))`, or `.items()` for every subject. The last
   * argument stops early: `{ maxItems, signal }`.
   */
  readonly paginated: SearchPaginatedCalls;

  /**
   * @param options - `app` (registers `urn:globus:auth:scope:search.api.globus.org:all` with it) or
   *   `authorizer` (or neither, for public entries); `baseUrl` (default:
   *   `GLOBUS_SDK_SERVICE_URL_SEARCH`, else the environment's Search), retries, timeouts.
   * @throws {GlobusSDKUsageError} for both `app` and `authorizer`, or an environment that is not the app's.
   */
  constructor(options: GlobusClientOptions = {}) {
    super(options, {
      service: "search",
      resourceServer: SearchScopes.resourceServer,
      defaultScopes: SearchScopes.all,
      createError: (init) => new SearchAPIError(init),
    });
    this.paginated = this.#paginatedCalls();
  }

  #call<T>(
    method: "get" | "post" | "patch" | "delete",
    path: string,
    options: SearchCallOptions,
    query: Record<string, QueryValue> = {},
    json?: unknown,
  ): Promise<T> {
    return this.request<T>(method, `v1/${path}`, {
      query: { ...query, ...options.queryParams },
      ...(json === undefined ? {} : { json }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  // Queries

  /**
   * One page of results of a query string (GET; see `paginated.search` for all).
   * @throws {SearchAPIError} `NotFound.NoSuchIndex` (404); 400 for a bad query or `offset + limit` past 10000.
   * @example
   * ```ts
   * const { total, gmeta } = await search.search(indexId, "protein", { limit: 20 });
   * ```
   */
  search(indexId: string, q: string, params: SearchParams = {}): Promise<GSearchResult> {
    return this.#searchPage(indexId, q, params);
  }

  #searchPage(
    indexId: string,
    q: string,
    params: SearchParams,
    paging: PageParams = {},
  ): Promise<GSearchResult> {
    return this.#call("get", `index/${id(indexId)}/search`, params, {
      q,
      offset: params.offset,
      limit: params.limit,
      advanced: params.advanced,
      ...paging,
    });
  }

  /**
   * One page of results of a query document (POST): filters, facets, boosts, sorts (see
   * `paginated.postSearch` for all).
   * @throws {SearchAPIError} as `search`; 400 for a filter or facet Search refuses.
   * @example
   * ```ts
   * const page = await search.postSearch(indexId, new SearchQuery("*").addFacet("Years", "year"));
   * console.log(page.facet_results?.[0]?.buckets);
   * ```
   */
  postSearch(indexId: string, data: SearchQueryInput, params: PostSearchParams = {}): Promise<GSearchResult> {
    return this.#postSearchPage(indexId, documentOf(data), params);
  }

  #postSearchPage(
    indexId: string,
    document: SearchQueryDocument,
    params: PostSearchParams,
    paging: PageParams = {},
  ): Promise<GSearchResult> {
    const body = {
      ...document,
      ...(params.offset === undefined ? {} : { offset: params.offset }),
      ...(params.limit === undefined ? {} : { limit: params.limit }),
      ...paging,
    };
    return this.#call("post", `index/${id(indexId)}/search`, params, {}, body);
  }

  /**
   * One page of a scroll: every match of a query, page by page, past the 10000 results a search
   * stops at; pass the page's `marker` to get the next (see `paginated.scroll`).
   * @throws {SearchAPIError} 400 for a bad marker or query.
   * @example
   * ```ts
   * let page = await search.scroll(indexId, { q: "*", limit: 1000 });
   * while (page.marker) page = await search.scroll(indexId, { q: "*", limit: 1000 }, { marker: page.marker });
   * ```
   */
  scroll(indexId: string, data: SearchQueryInput = {}, params: ScrollParams = {}): Promise<GScrollResult> {
    return this.#scrollPage(indexId, documentOf(data), params);
  }

  #scrollPage(
    indexId: string,
    document: SearchQueryDocument,
    params: ScrollParams,
    paging: PageParams = {},
  ): Promise<GScrollResult> {
    const body = {
      ...document,
      ...(params.marker === undefined ? {} : { marker: params.marker }),
      ...paging,
    };
    return this.#call("post", `index/${id(indexId)}/scroll`, params, {}, body);
  }

  // Ingest and deletes

  /**
   * Ingests one entry (`GMetaEntry`) or a list (`GMetaList`); a task applies it (see `getTask`).
   * @throws {SearchAPIError} 400 for a malformed document, 403 without the writer role.
   * @example
   * ```ts
   * const { task_id } = await search.ingest(indexId, { ingest_type: "GMetaList", ingest_data: { gmeta: entries } });
   * ```
   */
  ingest(indexId: string, data: GIngest, options: SearchCallOptions = {}): Promise<IngestResult> {
    return this.#call("post", `index/${id(indexId)}/ingest`, options, {}, data);
  }

  /**
   * Deletes every entry matching a query (`q`, `filters`), by a task.
   * @throws {SearchAPIError} 400 for a bad query, 403 without the writer role.
   * @example
   * ```ts
   * await search.deleteByQuery(indexId, { q: "*", filters: [{ type: "match_any", field_name: "year", values: [2020] }] });
   * ```
   */
  deleteByQuery(
    indexId: string,
    data: SearchQueryInput,
    options: SearchCallOptions = {},
  ): Promise<TaskSubmitResult> {
    return this.#call("post", `index/${id(indexId)}/delete_by_query`, options, {}, documentOf(data));
  }

  /**
   * Deletes every entry of these subjects, by a task.
   * @throws {SearchAPIError} 400 for an empty list, 403 without the writer role.
   * @example
   * ```ts
   * await search.batchDeleteBySubject(indexId, ["https://example.org/d/1", "https://example.org/d/2"]);
   * ```
   */
  batchDeleteBySubject(
    indexId: string,
    subjects: Iterable<string>,
    additionalParams: Readonly<Record<string, unknown>> = {},
    options: SearchCallOptions = {},
  ): Promise<TaskSubmitResult> {
    return this.#call(
      "post",
      `index/${id(indexId)}/batch_delete_by_subject`,
      options,
      {},
      {
        subjects: [...subjects],
        ...additionalParams,
      },
    );
  }

  /**
   * A subject with the entries the caller may see.
   * @throws {SearchAPIError} 404 when none is visible.
   * @example
   * ```ts
   * const { entries } = await search.getSubject(indexId, "https://example.org/d/1");
   * ```
   */
  getSubject(indexId: string, subject: string, options: SearchCallOptions = {}): Promise<GMetaResult> {
    return this.#call("get", `index/${id(indexId)}/subject`, options, { subject });
  }

  /**
   * Deletes every entry of a subject, by a task.
   * @example
   * ```ts
   * const { task_id } = await search.deleteSubject(indexId, "https://example.org/d/1");
   * ```
   */
  deleteSubject(
    indexId: string,
    subject: string,
    options: SearchCallOptions = {},
  ): Promise<TaskSubmitResult> {
    return this.#call("delete", `index/${id(indexId)}/subject`, options, { subject });
  }

  /**
   * One entry of a subject (its default entry unless `entryId`).
   * @throws {SearchAPIError} 404 when there is none the caller may see.
   * @example
   * ```ts
   * const { entries: [entry] } = await search.getEntry(indexId, subject, { entryId: "v2" });
   * ```
   */
  getEntry(indexId: string, subject: string, params: EntryParams = {}): Promise<GMetaResult> {
    return this.#call("get", `index/${id(indexId)}/entry`, params, { subject, entry_id: params.entryId });
  }

  /**
   * Deletes one entry of a subject, at once.
   * @throws {SearchAPIError} 404 when there is no such entry.
   * @example
   * ```ts
   * await search.deleteEntry(indexId, subject, { entryId: "v1" });
   * ```
   */
  deleteEntry(indexId: string, subject: string, params: EntryParams = {}): Promise<EntryDeleteResult> {
    return this.#call("delete", `index/${id(indexId)}/entry`, params, { subject, entry_id: params.entryId });
  }

  // Tasks

  /**
   * An ingest or delete task: `state` is `PENDING`, then `SUCCESS` or `FAILED`.
   * @throws {SearchAPIError} 404 for an unknown task.
   * @example
   * ```ts
   * const { state } = await search.getTask(taskId);
   * ```
   */
  getTask(taskId: string, options: SearchCallOptions = {}): Promise<SearchTaskDocument> {
    return this.#call("get", `task/${id(taskId)}`, options);
  }

  /**
   * The latest tasks of an index, newest first.
   * @example
   * ```ts
   * const { tasks } = await search.getTaskList(indexId);
   * ```
   */
  getTaskList(indexId: string, options: SearchCallOptions = {}): Promise<SearchTaskListDocument> {
    return this.#call("get", `task_list/${id(indexId)}`, options);
  }

  // Indices

  /**
   * Creates a (trial) index owned by the caller.
   * @throws {SearchAPIError} 400 without a display name.
   * @example
   * ```ts
   * const { id: indexId } = await search.createIndex("Beamline 7 datasets", "What beamline 7 measured");
   * ```
   */
  createIndex(
    displayName: string,
    description: string,
    options: SearchCallOptions = {},
  ): Promise<SearchIndexDocument> {
    return this.#call("post", "index", options, {}, { display_name: displayName, description });
  }

  /**
   * An index's description, size and the caller's roles on it (`permissions`).
   * @throws {SearchAPIError} `NotFound.NoSuchIndex` (404).
   * @example
   * ```ts
   * const { num_entries, permissions } = await search.getIndex(indexId);
   * ```
   */
  getIndex(indexId: string, options: SearchCallOptions = {}): Promise<SearchIndexDocument> {
    return this.#call("get", `index/${id(indexId)}`, options);
  }

  /**
   * The indices the caller holds a role on.
   * @example
   * ```ts
   * const { index_list } = await search.indexList();
   * ```
   */
  indexList(options: SearchCallOptions = {}): Promise<SearchIndexListDocument> {
    return this.#call("get", "index_list", options);
  }

  /**
   * Changes an index's display name or description; admins and owners.
   * @throws {SearchAPIError} 403 for others.
   * @example
   * ```ts
   * await search.updateIndex(indexId, { description: "All of beamline 7" });
   * ```
   */
  updateIndex(
    indexId: string,
    changes: { displayName?: string; description?: string },
    options: SearchCallOptions = {},
  ): Promise<SearchIndexDocument> {
    return this.#call(
      "patch",
      `index/${id(indexId)}`,
      options,
      {},
      {
        ...(changes.displayName === undefined ? {} : { display_name: changes.displayName }),
        ...(changes.description === undefined ? {} : { description: changes.description }),
      },
    );
  }

  /**
   * Marks an index for deletion (`delete-pending`); `reopenIndex` undoes it until it is final.
   * @throws {SearchAPIError} 403 unless the caller owns it.
   * @example
   * ```ts
   * await search.deleteIndex(indexId);
   * ```
   */
  deleteIndex(indexId: string, options: SearchCallOptions = {}): Promise<IndexAcknowledgement> {
    return this.#call("delete", `index/${id(indexId)}`, options);
  }

  /**
   * Reopens an index marked for deletion.
   * @throws {SearchAPIError} `Conflict.IncompatibleIndexStatus` (409) for an index that is open.
   * @example
   * ```ts
   * await search.reopenIndex(indexId);
   * ```
   */
  reopenIndex(indexId: string, options: SearchCallOptions = {}): Promise<IndexAcknowledgement> {
    return this.#call("post", `index/${id(indexId)}/reopen`, options);
  }

  // Roles

  /**
   * Grants a role (`{role_name: "writer" | "admin" | "owner", principal: "urn:globus:auth:identity:<id>"
   * | "urn:globus:groups:id:<id>"}`).
   * @throws {SearchAPIError} 400 for a bad principal, 403 without the admin role (owner for owners).
   * @example
   * ```ts
   * await search.createRole(indexId, { role_name: "writer", principal: `urn:globus:groups:id:${groupId}` });
   * ```
   */
  createRole(
    indexId: string,
    data: { role_name: string; principal: string; [field: string]: unknown },
    options: SearchCallOptions = {},
  ): Promise<SearchRoleDocument> {
    return this.#call("post", `index/${id(indexId)}/role`, options, {}, data);
  }

  /**
   * An index's roles.
   * @example
   * ```ts
   * const { role_list } = await search.getRoleList(indexId);
   * ```
   */
  getRoleList(indexId: string, options: SearchCallOptions = {}): Promise<SearchRoleListDocument> {
    return this.#call("get", `index/${id(indexId)}/role_list`, options);
  }

  /**
   * Revokes a role; an index keeps at least one owner.
   * @throws {SearchAPIError} 404 for an unknown role.
   * @example
   * ```ts
   * await search.deleteRole(indexId, roleId);
   * ```
   */
  deleteRole(
    indexId: string,
    roleId: string,
    options: SearchCallOptions = {},
  ): Promise<SearchRoleDeleteResult> {
    return this.#call("delete", `index/${id(indexId)}/role/${id(roleId)}`, options);
  }

  #paginatedCalls(): SearchPaginatedCalls {
    const gmeta = (page: { gmeta: GMetaResult[] }): GMetaResult[] => page.gmeta ?? [];
    const signalled = <P extends SearchCallOptions>(params: P, signal: AbortSignal | undefined): P =>
      signal ? { ...params, signal } : params;
    return {
      search: (indexId, q, params = {}, paging = {}) =>
        new Paginator(
          (query, signal) => this.#searchPage(indexId, q, signalled(params, signal), query),
          offsetPaging<GSearchResult>(
            { limit: params.limit, offset: params.offset },
            { itemCount: (page) => gmeta(page).length, pageSize: 100, maxOffset: RESULT_WINDOW - 1 },
          ),
          gmeta,
          paging,
        ),
      postSearch: (indexId, data, params = {}, paging = {}) => {
        const document = documentOf(data);
        const limit = params.limit ?? document.limit;
        const offset = params.offset ?? document.offset;
        return new Paginator(
          (query, signal) => this.#postSearchPage(indexId, document, signalled(params, signal), query),
          offsetPaging<GSearchResult>(
            { limit, offset },
            { itemCount: (page) => gmeta(page).length, pageSize: 100, maxOffset: RESULT_WINDOW - 1 },
          ),
          gmeta,
          paging,
        );
      },
      scroll: (indexId, data = {}, params = {}, paging = {}) => {
        const document = documentOf(data);
        const marker = params.marker ?? document.marker;
        return new Paginator(
          (query, signal) => this.#scrollPage(indexId, document, signalled(params, signal), query),
          markerPaging<GScrollResult>({ marker }, { param: "marker", responseKey: "marker" }),
          gmeta,
          paging,
        );
      },
    };
  }
}
