import { randomUUID } from "node:crypto";
import type { RequestContext } from "./request-context.ts";
import { SEARCH_RESOURCE_SERVER } from "./scope-registry.ts";
import { SEARCH_ENTRY_ROUTES } from "./search-entry-routes.ts";
import { SEARCH_INDEX_ROUTES } from "./search-index-routes.ts";
import { parseQuery, QueryError, score } from "./search-query-engine.ts";
import type { SearchHandler, SearchRoute } from "./search-request.ts";
import { SEARCH_ROLE_ROUTES } from "./search-role-routes.ts";
import { identifyCaller, ServiceFault } from "./service-request.ts";

// The scopes live with the scope registry (the Search handlers check them); they stay importable
// from here, where the package's index and the Search tests have always found them.
export { SEARCH_ALL_SCOPE, SEARCH_INGEST_SCOPE, SEARCH_SEARCH_SCOPE } from "./scope-registry.ts";

/**
 * @internal Search's error body, a `GError`. // wire: unverified — the codes other than
 * `NotFound.NoSuchIndex` are the emulator's choice.
 */
export function searchError(
  ctx: Pick<RequestContext, "respond">,
  status: number,
  code: string,
  message: string,
  errorData?: unknown,
): void {
  ctx.respond.json(status, {
    "@datatype": "GError",
    "@version": "2017-09-01",
    status,
    code,
    message,
    request_id: randomUUID().replaceAll("-", ""),
    ...(errorData === undefined ? {} : { error_data: errorData }),
  });
}

/** @internal Runs a Search handler: the caller (anonymous allowed, a bad token never), tasks, errors. */
export function runSearch(ctx: RequestContext, handler: SearchHandler): void {
  const caller = identifyCaller(ctx, SEARCH_RESOURCE_SERVER);
  if (caller.kind === "refused") {
    searchError(ctx, 401, "AuthenticationFailed", caller.reason);
    return;
  }
  const store = ctx.state.search;
  store.matchesQuery = (index, query) => {
    const parsed = parseQuery(query);
    return new Set(index.entries.filter((entry) => score(parsed, entry) > 0));
  };
  store.settle();
  try {
    handler(
      ctx,
      caller.kind === "token"
        ? { identity: caller.record.subject, scopes: caller.scopes }
        : { identity: undefined, scopes: new Set() },
      store,
    );
  } catch (error) {
    if (error instanceof ServiceFault) searchError(ctx, error.status, error.code, error.message);
    else if (error instanceof QueryError) searchError(ctx, 400, "BadRequest.InvalidQuery", error.message);
    else throw error;
  }
}

/**
 * @internal The fake Search's routes, by path after `/search/v1/`: indices and their tasks, their
 * entries, and roles on them.
 */
export const SEARCH_ROUTES: readonly SearchRoute[] = [
  ...SEARCH_INDEX_ROUTES,
  ...SEARCH_ENTRY_ROUTES,
  ...SEARCH_ROLE_ROUTES,
];
