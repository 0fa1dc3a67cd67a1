import type { FlowRecord, FlowsStore, RunRecord } from "./flows-store.ts";
import type { RequestContext } from "./request-context.ts";
import { ServiceFault, type ServiceRoute } from "./service-request.ts";
import { isUuid } from "./stable-uuid.ts";

// What every handler of the fake Flows shares: its caller and route types, Flows' faults, the
// roles on flows and runs and the flow or run a path names, and paging, sorting and parameters.

/** @internal Who calls the fake Flows: the identity and the scope tree of the token. */
export interface FlowsCaller {
  readonly identity: string;
  /** The client the caller's token was issued to. */
  readonly clientId: string;
}

/** @internal One Flows call: the request, its caller and the store. */
export type FlowsHandler = (ctx: RequestContext, caller: FlowsCaller, store: FlowsStore) => void;

/** @internal What a route's token must be for: Flows with one of these scopes, or one flow's `user` scope. */
export type Audience =
  | { readonly kind: "flows"; readonly scopes: readonly string[] }
  | { readonly kind: "flow"; readonly flowId: (ctx: RequestContext, store: FlowsStore) => string };

/** @internal A Flows route: a pattern on the path after `/flows/`, per method a handler and audience. */
export type FlowsRoute = ServiceRoute<readonly [Audience, FlowsHandler]>;

/** @internal A fault Flows answers with its status, code and detail. */
export const fault = (status: number, code: string, detail: string): ServiceFault =>
  new ServiceFault(status, code, detail);
/** @internal 400 `BAD_REQUEST`. */
export const badRequest = (detail: string): ServiceFault => fault(400, "BAD_REQUEST", detail);
/** @internal 404 `NOT_FOUND`: no `what` with this id. */
export const notFound = (what: string, id: string): ServiceFault =>
  fault(404, "NOT_FOUND", `No ${what} with id '${id.slice(0, 100)}' was found`);
/** @internal 403 `FORBIDDEN`. */
export const forbidden = (detail: string): ServiceFault => fault(403, "FORBIDDEN", detail);
/**
 * @internal Flows' validation errors, as in the Python SDK's `validate_flow` data: 422,
 * `error.detail` a list of `{loc, msg, type}` and `error.message` a summary (the emulator does not
 * track `loc` finely).
 */
export const unprocessable = (problems: string[]): ServiceFault =>
  new ServiceFault(422, "UNPROCESSABLE_ENTITY", problems.join("; "), {
    error: {
      code: "UNPROCESSABLE_ENTITY",
      detail: problems.map((msg) => ({ loc: ["body"], msg, type: "value_error" })),
      message: `${problems.length} validation error${problems.length === 1 ? "" : "s"} in body. ${problems.join("; ")}`,
    },
  });

/** @internal An identity as Flows names principals. */
export const urn = (identity: string): string => `urn:globus:auth:identity:${identity}`;
const hasPrincipal = (list: readonly string[], identity: string): boolean =>
  list.includes(urn(identity)) || list.includes("all_authenticated_users") || list.includes("public");

/** @internal The roles one may hold on a flow, strongest first. */
export const FLOW_ROLES = ["flow_owner", "flow_administrator", "flow_starter", "flow_viewer"] as const;

/** @internal The caller's roles on a flow, strongest first (an administrator may also start and view). */
export function flowRoles(flow: FlowRecord, identity: string): string[] {
  const roles: string[] = [];
  if (flow.owner === identity) roles.push("flow_owner");
  if (flow.owner === identity || hasPrincipal(flow.administrators, identity))
    roles.push("flow_administrator");
  if (roles.length > 0 || hasPrincipal(flow.starters, identity)) roles.push("flow_starter");
  if (roles.length > 0 || hasPrincipal(flow.viewers, identity)) roles.push("flow_viewer");
  return roles;
}

/** @internal The flow the path names, if the caller holds a role on it; `NOT_FOUND` otherwise. */
export function flowFromPath(ctx: RequestContext, store: FlowsStore, identity: string): FlowRecord {
  const id = (ctx.pathParams[0] ?? "").toLowerCase();
  const flow = isUuid(id) ? store.flows.get(id) : undefined;
  if (!flow || flowRoles(flow, identity).length === 0) throw notFound("flow", id);
  return flow;
}

/** @internal The caller's roles on a run, strongest first. */
export function runRoles(run: RunRecord, identity: string): string[] {
  const roles: string[] = [];
  if (run.owner === identity) roles.push("run_owner");
  if (run.owner === identity || hasPrincipal(run.runManagers, identity)) roles.push("run_manager");
  if (roles.length > 0 || hasPrincipal(run.runMonitors, identity)) roles.push("run_monitor");
  return roles;
}

/**
 * @internal The run the path names, if the caller holds a role on it (`NOT_FOUND` otherwise); with
 * `manage`, only for its managers (`FORBIDDEN` otherwise).
 */
export function runFromPath(
  ctx: RequestContext,
  store: FlowsStore,
  identity: string,
  manage = false,
): RunRecord {
  const id = (ctx.pathParams[0] ?? "").toLowerCase();
  const run = isUuid(id) ? store.runs.get(id) : undefined;
  const roles = run ? runRoles(run, identity) : [];
  if (!run || roles.length === 0) throw notFound("run", id);
  if (manage && !roles.includes("run_manager"))
    throw forbidden(`Only a manager of run ${run.id} may do this`);
  return run;
}

/** @internal Marker paging: the marker is the offset of the next page, opaque to clients. // wire: unverified */
export function page<T>(
  ctx: RequestContext,
  items: readonly T[],
  sizeParam: string,
  defaultSize: number,
  max: number,
) {
  const size = ctx.query.get(sizeParam);
  const limit = size === null ? defaultSize : Number(size);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw badRequest(`${sizeParam} must be an integer from 1 to ${max}`);
  }
  const marker = ctx.query.get("marker");
  const offset = marker === null ? 0 : Number.parseInt(Buffer.from(marker, "base64url").toString("utf8"), 10);
  if (!Number.isInteger(offset) || offset < 0) throw badRequest("Invalid marker");
  const more = offset + limit < items.length;
  return {
    items: items.slice(offset, offset + limit),
    limit,
    has_next_page: more,
    marker: more ? Buffer.from(String(offset + limit)).toString("base64url") : null,
  };
}

/** @internal The values of a repeated, comma-separated query parameter. */
export const commaParam = (ctx: RequestContext, name: string): string[] =>
  ctx.query.getAll(name).flatMap((value) =>
    value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** @internal Sorts by `orderby` ("field ASC|DESC", comma-separated); unknown fields are a 400. */
export function ordered<T>(
  ctx: RequestContext,
  items: T[],
  fields: Record<string, (item: T) => string | number>,
): T[] {
  const keys = commaParam(ctx, "orderby").map((spec) => {
    const [field = "", direction = "ASC"] = spec.split(/\s+/);
    const read = fields[field];
    if (!read || !/^(ASC|DESC)$/i.test(direction))
      throw badRequest(`Invalid orderby '${spec.slice(0, 100)}'`);
    return { read, sign: direction.toUpperCase() === "DESC" ? -1 : 1 };
  });
  return items.sort((a, b) => {
    for (const { read, sign } of keys) {
      const [x, y] = [read(a), read(b)];
      if (x !== y) return (x < y ? -1 : 1) * sign;
    }
    return 0;
  });
}

/** @internal A list of at most 100 strings (empty when absent). */
export const strings = (value: unknown, name: string): string[] => {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw badRequest(`${name} must be a list of strings`);
  }
  return value.slice(0, 100) as string[];
};
/** @internal A string of at most 5000 characters (`fallback` when absent). */
export const text = (value: unknown, name: string, fallback = ""): string => {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "string") throw badRequest(`${name} must be a string`);
  return value.slice(0, 5000);
};
