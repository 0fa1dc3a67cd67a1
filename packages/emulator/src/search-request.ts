import type { RequestContext } from "./request-context.ts";
import { SEARCH_ALL_SCOPE, SEARCH_INGEST_SCOPE, SEARCH_SEARCH_SCOPE } from "./scope-registry.ts";
import { identityPrincipal, type SearchIndexRecord, type SearchStore } from "./search-store.ts";
import { ServiceFault, type ServiceRoute } from "./service-request.ts";
import { isUuid } from "./stable-uuid.ts";

// What every handler of the fake Search shares: the caller, Search's faults, the scopes a kind of
// call needs, the index a path names and the caller's role on it.

/** @internal Who calls: an identity id with its token's scopes, or nobody (anonymous queries see public entries). */
export interface SearchCaller {
  readonly identity: string | undefined;
  readonly scopes: ReadonlySet<string>;
}

/** @internal One Search call. */
export type SearchHandler = (ctx: RequestContext, caller: SearchCaller, store: SearchStore) => void;

/** @internal A Search route: a pattern on the path after `/search/v1/`. */
export type SearchRoute = ServiceRoute<SearchHandler>;

/** @internal A fault Search answers with its status, code and message. */
export const fault = (status: number, code: string, message: string): ServiceFault =>
  new ServiceFault(status, code, message);
/** @internal 400 `BadRequest`. */
export const badRequest = (message: string): ServiceFault => fault(400, "BadRequest", message);
/**
 * @internal 409 `Conflict.IncompatibleIndexStatus`, Search's answer (in the Python SDK's testing
 * data) to a call on an index whose status is not the one the call needs.
 */
export const incompatibleIndexStatus = (actual: string, required: string): ServiceFault =>
  fault(
    409,
    "Conflict.IncompatibleIndexStatus",
    `Index status (${actual}) did not match required status for this operation: ${required}`,
  );
/** 403 `Forbidden.Generic`. */
const forbidden = (message: string): ServiceFault => fault(403, "Forbidden.Generic", message);

/** @internal The token's scopes allow this kind of call: `all` always; `search` queries; `ingest` writes. */
export function needScope(caller: SearchCaller, kind: "query" | "write" | "manage"): void {
  if (caller.identity === undefined) {
    if (kind === "query") return;
    throw fault(401, "AuthenticationFailed", "This call needs a Search token");
  }
  const ok =
    caller.scopes.has(SEARCH_ALL_SCOPE) ||
    (kind === "query" && caller.scopes.has(SEARCH_SEARCH_SCOPE)) ||
    (kind === "write" && caller.scopes.has(SEARCH_INGEST_SCOPE));
  if (!ok) {
    const wanted = { query: "search", write: "ingest", manage: "all" }[kind];
    throw fault(403, "Forbidden.InsufficientScope", `This call needs the Search scope '${wanted}' or 'all'`);
  }
}

/** @internal The principals a caller acts as: `public`, their identity, and the groups they are active in. */
export function principalsOf(ctx: RequestContext, caller: SearchCaller): (principal: string) => boolean {
  return (principal) => {
    if (principal === "public") return true;
    if (caller.identity === undefined) return false;
    if (principal === identityPrincipal(caller.identity)) return true;
    const group = principal.startsWith("urn:globus:groups:id:") ? principal.slice(21) : undefined;
    return group !== undefined && ctx.state.groups.isActiveMember(group, caller.identity);
  };
}

const RANK = { writer: 1, admin: 2, owner: 3 } as const;

/** @internal The caller's strongest role on an index. */
export function roleOn(
  ctx: RequestContext,
  caller: SearchCaller,
  index: SearchIndexRecord,
): keyof typeof RANK | undefined {
  const holds = principalsOf(ctx, caller);
  let best: keyof typeof RANK | undefined;
  for (const role of index.roles) {
    if (role.principal !== "public" && holds(role.principal) && (!best || RANK[role.roleName] > RANK[best])) {
      best = role.roleName;
    }
  }
  return best;
}

/**
 * @internal The index the path names; `NotFound.NoSuchIndex` otherwise, and a 409 when it is
 * pending deletion (unless `open: false`).
 */
export function indexFromPath(
  ctx: RequestContext,
  store: SearchStore,
  options: { open?: boolean } = {},
): SearchIndexRecord {
  const id = (ctx.pathParams[0] ?? "").toLowerCase();
  const index = isUuid(id) ? store.indices.get(id) : undefined;
  if (!index) throw fault(404, "NotFound.NoSuchIndex", `There is no index named '${id.slice(0, 100)}'`);
  if (options.open !== false && index.status !== "open") {
    throw incompatibleIndexStatus("delete_pending", "open");
  }
  return index;
}

/** @internal Refuses (403) a caller without `least` or a stronger role on the index. */
export function needRole(
  ctx: RequestContext,
  caller: SearchCaller,
  index: SearchIndexRecord,
  least: keyof typeof RANK,
): void {
  const role = roleOn(ctx, caller, index);
  if (!role || RANK[role] < RANK[least]) {
    throw forbidden(`This call needs the ${least} role (or a stronger one) on index ${index.id}`);
  }
}
