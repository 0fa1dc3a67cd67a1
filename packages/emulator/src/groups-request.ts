import type { GroupRecord, GroupsStore, MembershipStatus } from "./groups-store.ts";
import type { RequestContext } from "./request-context.ts";
import { ServiceFault, type ServiceRoute } from "./service-request.ts";
import { isUuid } from "./stable-uuid.ts";

// What every handler of the fake Groups shares: its signature, Groups' faults, the group a path
// names and who may see or administer it, and its parameters.

/** @internal One Groups call: the request, the caller's identity id, the store. */
export type GroupsHandler = (ctx: RequestContext, caller: string, store: GroupsStore) => void;

/** @internal A Groups route: a pattern on the path after `/groups/v2/`. */
export type GroupsRoute = ServiceRoute<GroupsHandler>;

/** @internal A fault Groups answers with its status, code and message. */
export const fault = (status: number, code: string, message: string): ServiceFault =>
  new ServiceFault(status, code, message);
/** @internal 400 `INVALID_REQUEST`. */
export const badRequest = (message: string): ServiceFault => fault(400, "INVALID_REQUEST", message);
/** 404 `GROUP_NOT_FOUND`. */
const groupNotFound = (id: string): ServiceFault =>
  fault(404, "GROUP_NOT_FOUND", `No group '${id.slice(0, 100)}' was found`);
/** @internal 403 `FORBIDDEN`. */
export const forbidden = (message: string): ServiceFault => fault(403, "FORBIDDEN", message);

/** @internal The group the path names; `GROUP_NOT_FOUND` otherwise. */
export function groupFromPath(ctx: RequestContext, store: GroupsStore): GroupRecord {
  const id = (ctx.pathParams[0] ?? "").toLowerCase();
  const group = isUuid(id) ? store.groups.get(id) : undefined;
  if (!group) throw groupNotFound(id);
  return group;
}

const LIVE: readonly MembershipStatus[] = ["active", "invited", "pending"];

/** Whether the caller may see a group at all: a live membership, or a group visible to everyone signed in. */
function canSee(store: GroupsStore, group: GroupRecord, caller: string): boolean {
  const status = store.membership(group, caller)?.status;
  return (
    group.policies.group_visibility === "authenticated" || (status !== undefined && LIVE.includes(status))
  );
}

/** @internal The group the path names, if the caller may see it; `FORBIDDEN` otherwise. */
export function visibleGroup(ctx: RequestContext, store: GroupsStore, caller: string): GroupRecord {
  const group = groupFromPath(ctx, store);
  if (!canSee(store, group, caller)) throw forbidden(`You may not view group ${group.id}`);
  return group;
}

/** @internal Whether `who` is an active manager or administrator of the group. */
export const isManager = (store: GroupsStore, group: GroupRecord, who: string): boolean => {
  const role = store.activeRole(group, who);
  return role === "admin" || role === "manager";
};

/** @internal The group the path names, if the caller administers it; `FORBIDDEN` otherwise. */
export function administeredGroup(ctx: RequestContext, store: GroupsStore, caller: string): GroupRecord {
  const group = visibleGroup(ctx, store, caller);
  if (store.activeRole(group, caller) !== "admin") {
    throw forbidden(`Only an administrator of group ${group.id} may do this`);
  }
  return group;
}

/** @internal A comma list query parameter whose values must be among `allowed`; `undefined` when absent. */
export function listParam(
  ctx: RequestContext,
  name: string,
  allowed: readonly string[],
): string[] | undefined {
  const raw = ctx.query.get(name);
  if (raw === null || raw === "") return undefined;
  const values = raw.split(",").map((value) => value.trim());
  const unknown = values.find((value) => !allowed.includes(value));
  if (unknown !== undefined) {
    throw badRequest(`Invalid ${name} '${unknown.slice(0, 50)}'; allowed: ${allowed.join(", ")}`);
  }
  return values;
}

/** @internal A non-empty string of at most `max` characters (`null` allowed when optional). */
export function text(
  value: unknown,
  what: string,
  options: { max: number; optional?: boolean },
): string | undefined {
  if (value === undefined || (value === null && options.optional)) return undefined;
  if (typeof value !== "string" || value.trim() === "" || value.length > options.max) {
    throw badRequest(`${what} must be a non-empty string of at most ${options.max} characters`);
  }
  return value;
}
