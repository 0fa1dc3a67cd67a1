import { GlobusNetworkError } from "@globus-app/core";

/** Query parameters of one page request. */
export type PageParams = Readonly<Record<string, string | number | boolean | undefined>>;

/** Options of an iteration over a paginated call: when to stop early. */
export interface PagingOptions {
  /**
   * Stop after this many items in all: `items()` yields exactly this many (or fewer when the
   * results run out), page iteration stops after the page holding the last of them, and offset
   * paging asks for no more than it still needs. @default no limit
   */
  maxItems?: number;
  /**
   * Stops the iteration: the page request in flight is aborted and the loop throws a
   * `GlobusNetworkError` coded `NETWORK_ABORTED`, at once or before the next page is asked for.
   */
  signal?: AbortSignal;
}

/**
 * How a service pages one call: the first page's parameters, the parameters of the page after a
 * given one (`undefined` when it was the last), and how to ask for at most `n` items.
 */
export interface PagingStrategy<Page> {
  /** The query of the first page. */
  readonly first: PageParams;
  /** The query of the page after `page` (asked for with `params`); `undefined` after the last. */
  next(page: Page, params: PageParams): PageParams | undefined;
  /** `params` changed to ask for no more than `wanted` items, when the call can. */
  sized(params: PageParams, wanted: number): PageParams;
}

/** The fields a page of an offset-paged Transfer call may carry. */
interface OffsetPage {
  readonly offset?: unknown;
  readonly limit?: unknown;
  readonly total?: unknown;
  readonly has_next_page?: unknown;
}

/**
 * Offset and limit paging, as Transfer's `task_list`, `event_list` and `endpoint_search` do it:
 * the next page starts where this one ended, while `has_next_page` says so (when the page has that
 * field) or `offset + limit` is short of `total`, and never past `maxOffset` (the service's own
 * bound, beyond which it answers 400).
 */
export function offsetPaging<Page extends OffsetPage>(
  params: PageParams,
  options: { itemCount: (page: Page) => number; pageSize: number; maxOffset?: number },
): PagingStrategy<Page> {
  const limit = typeof params.limit === "number" ? params.limit : options.pageSize;
  return {
    first: { ...params, limit, offset: params.offset ?? 0 },
    next(page, current) {
      const offset = Number(current.offset ?? 0) + Number(current.limit ?? limit);
      const count = options.itemCount(page);
      const more =
        typeof page.has_next_page === "boolean"
          ? page.has_next_page
          : typeof page.total === "number" && offset < page.total;
      if (!more || count === 0 || offset > (options.maxOffset ?? Number.POSITIVE_INFINITY)) return undefined;
      return { ...current, offset, limit };
    },
    sized: (current, wanted) => ({ ...current, limit: Math.max(1, Math.min(limit, wanted)) }),
  };
}

/**
 * Marker paging: the page names the marker of the next one in `responseKey` (`null` or absent on
 * the last page), sent back as `param`. Transfer's `successful_transfers` and `skipped_errors` use
 * `marker`/`next_marker`; `shared_endpoint_list` uses `next_token` both ways.
 */
export function markerPaging<Page>(
  params: PageParams,
  options: { param: string; responseKey: string },
): PagingStrategy<Page> {
  return {
    first: params,
    next(page, current) {
      const marker = (page as Record<string, unknown>)[options.responseKey];
      if (marker === null || marker === undefined || marker === "") return undefined;
      return { ...current, [options.param]: String(marker) };
    },
    sized: (current) => current,
  };
}

/**
 * `last_key` paging, as Transfer's endpoint-manager task lists do it: while `has_next_page`, the
 * next page is asked for with the `last_key` of this one.
 */
export function lastKeyPaging<Page>(params: PageParams): PagingStrategy<Page> {
  return {
    first: params,
    next(page, current) {
      const { has_next_page: more, last_key: key } = page as Record<string, unknown>;
      if (more !== true || typeof key !== "string" || key === "") return undefined;
      return { ...current, last_key: key };
    },
    sized: (current) => current,
  };
}

/**
 * An async iteration over the pages of a paginated call, or (with {@link Paginator.items}) over
 * their items. Nothing is requested until the loop starts; each page is requested when the loop
 * wants it, so `break` stops the requests; `maxItems` and `signal` stop them too. Each loop over
 * the same paginator starts again from the first page.
 *
 * @example
 * ```ts
 * for await (const page of transfer.paginated.taskList({ filter: { status: "ACTIVE" } })) {
 *   console.log(page.total, page.DATA.length);
 * }
 * for await (const task of transfer.paginated.taskList({}, { maxItems: 50, signal }).items()) {
 *   console.log(task.task_id, task.status);
 * }
 * ```
 */
export class Paginator<Page, Item> implements AsyncIterable<Page> {
  readonly #fetch: (params: PageParams, signal: AbortSignal | undefined) => Promise<Page>;
  readonly #strategy: PagingStrategy<Page>;
  readonly #itemsOf: (page: Page) => readonly Item[];
  readonly #options: PagingOptions;

  /**
   * @param fetchPage - requests one page with these query parameters.
   * @param strategy - how the call pages ({@link offsetPaging}, {@link markerPaging}, {@link lastKeyPaging}).
   * @param itemsOf - the items of a page (Transfer's `DATA`).
   * @throws {RangeError} for a `maxItems` that is not a non-negative integer.
   */
  constructor(
    fetchPage: (params: PageParams, signal: AbortSignal | undefined) => Promise<Page>,
    strategy: PagingStrategy<Page>,
    itemsOf: (page: Page) => readonly Item[],
    options: PagingOptions = {},
  ) {
    const { maxItems } = options;
    if (maxItems !== undefined && !(Number.isInteger(maxItems) && maxItems >= 0)) {
      throw new RangeError("maxItems must be a non-negative integer");
    }
    this.#fetch = fetchPage;
    this.#strategy = strategy;
    this.#itemsOf = itemsOf;
    this.#options = options;
  }

  /** The pages, first to last. @throws what the call throws; `NETWORK_ABORTED` once `signal` aborts. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Page, void, undefined> {
    const { signal, maxItems = Number.POSITIVE_INFINITY } = this.#options;
    let params: PageParams | undefined = this.#strategy.first;
    let seen = 0;
    while (params !== undefined && seen < maxItems) {
      if (signal?.aborted) throw aborted(signal);
      const request = Number.isFinite(maxItems) ? this.#strategy.sized(params, maxItems - seen) : params;
      const page = await this.#fetch(request, signal);
      seen += this.#itemsOf(page).length;
      yield page;
      params = this.#strategy.next(page, request);
    }
  }

  /** The items of every page, in order, at most `maxItems` of them. @throws as the page iteration. */
  async *items(): AsyncGenerator<Item, void, undefined> {
    let left = this.#options.maxItems ?? Number.POSITIVE_INFINITY;
    if (left <= 0) return;
    for await (const page of this) {
      for (const item of this.#itemsOf(page)) {
        yield item;
        if (--left <= 0) return;
      }
    }
  }

  /** Every item in an array (mind `maxItems` on large results). @throws as the page iteration. */
  async toArray(): Promise<Item[]> {
    const all: Item[] = [];
    for await (const item of this.items()) all.push(item);
    return all;
  }
}

function aborted(signal: AbortSignal): GlobusNetworkError {
  return new GlobusNetworkError("The paginated call was cancelled by the caller's AbortSignal.", {
    code: "NETWORK_ABORTED",
    cause: signal.reason,
  });
}
