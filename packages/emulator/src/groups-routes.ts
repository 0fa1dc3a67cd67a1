import { randomUUID } from "node:crypto";
import { groupDocument, INCLUDES, policiesDocument } from "./groups-documents.ts";
import { batchMembershipAction, GROUPS_MEMBERSHIP_ROUTES } from "./groups-membership-routes.ts";
import {
  administeredGroup,
  badRequest,
  fault,
  forbidden,
  type GroupsHandler,
  type GroupsRoute,
  listParam,
  text,
  visibleGroup,
} from "./groups-request.ts";
import {
  defaultPolicies,
  type GroupRecord,
  MEMBERSHIP_STATUSES,
  type MembershipStatus,
  SIGNUP_FIELDS,
} from "./groups-store.ts";
import type { RequestContext } from "./request-context.ts";
import { GROUPS_RESOURCE_SERVER } from "./scope-registry.ts";
import { identifyCaller, jsonObjectBody, ServiceFault, servicePath } from "./service-request.ts";
import { isUuid } from "./stable-uuid.ts";

/** The Groups scope that allows everything. */
export const GROUPS_ALL_SCOPE = "urn:globus:auth:scope:groups.api.globus.org:all";
/** The read-only Groups scope: GET requests only. */
export const GROUPS_VIEW_SCOPE = "urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships";

/**
 * @internal Groups' error body. // wire: unverified — Groups v2 answers `{code, detail}` as far as
 * we know; the status is repeated so that a reader without the HTTP status has it.
 */
export function groupsError(
  ctx: Pick<RequestContext, "respond">,
  status: number,
  code: string,
  detail: string,
): void {
  ctx.respond.json(status, { code, detail, status });
}

/** @internal Runs a Groups handler: a live Groups token with a scope for the method, Groups' errors. */
export function runGroups(ctx: RequestContext, handler: GroupsHandler): void {
  const caller = identifyCaller(ctx, GROUPS_RESOURCE_SERVER);
  if (caller.kind === "anonymous") {
    groupsError(ctx, 401, "UNAUTHORIZED", "No Authorization header provided");
    return;
  }
  if (caller.kind === "refused") {
    groupsError(ctx, 401, "UNAUTHORIZED", caller.reason);
    return;
  }
  const readOnly = ctx.method === "GET" || ctx.method === "HEAD";
  if (!caller.scopes.has(GROUPS_ALL_SCOPE) && !(readOnly && caller.scopes.has(GROUPS_VIEW_SCOPE))) {
    groupsError(
      ctx,
      403,
      "INSUFFICIENT_SCOPE",
      readOnly
        ? `This call needs the scope ${GROUPS_ALL_SCOPE} or ${GROUPS_VIEW_SCOPE}`
        : `This call needs the scope ${GROUPS_ALL_SCOPE}`,
    );
    return;
  }
  try {
    handler(ctx, caller.record.subject, ctx.state.groups);
  } catch (error) {
    if (!(error instanceof ServiceFault)) throw error;
    groupsError(ctx, error.status, error.code, error.message);
  }
}

/** `GET my_groups?statuses=…`: the caller's groups, as a JSON array; active memberships by default. */
const myGroups: GroupsHandler = (ctx, caller, store) => {
  const statuses = (listParam(ctx, "statuses", MEMBERSHIP_STATUSES) ?? ["active"]) as MembershipStatus[];
  const groups = [...store.groups.values()]
    .filter((group) => group.memberships.some((m) => m.identityId === caller && statuses.includes(m.status)))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  ctx.respond.json(
    200,
    groups.map((group) => groupDocument(store, group, caller, new Set(), statuses)),
  );
};

/** `GET groups/<id>?include=…`. */
const getGroup: GroupsHandler = (ctx, caller, store) => {
  const group = visibleGroup(ctx, store, caller);
  const include = new Set(listParam(ctx, "include", INCLUDES) ?? []);
  ctx.respond.json(200, groupDocument(store, group, caller, include));
};

/** `POST groups`: a new group whose only member is its creator, as administrator. */
const createGroup: GroupsHandler = (ctx, caller, store) => {
  const body = jsonObjectBody(ctx, badRequest);
  const name = text(body.name, "name", { max: 100 }) as string;
  if (body.name === undefined) throw badRequest("name is required");
  const description = text(body.description, "description", { max: 5000, optional: true }) ?? null;
  let parentId: string | null = null;
  if (body.parent_id !== undefined && body.parent_id !== null) {
    const parent =
      typeof body.parent_id === "string" ? store.groups.get(body.parent_id.toLowerCase()) : undefined;
    if (!parent) throw badRequest("parent_id must name an existing group");
    if (store.activeRole(parent, caller) !== "admin") {
      throw forbidden(`Only an administrator of group ${parent.id} may create subgroups of it`);
    }
    parentId = parent.id;
  }
  const now = store.now();
  const group: GroupRecord = {
    id: randomUUID(),
    name,
    description,
    parentId,
    created: now,
    policies: defaultPolicies(),
    subscriptionAdminVerifiedId: null,
    memberships: [
      {
        identityId: caller,
        username: ctx.state.identities.get(caller)?.username ?? null,
        role: "admin",
        status: "active",
        invitedBy: null,
        membershipFields: {},
        created: now,
        updated: now,
      },
    ],
  };
  store.groups.set(group.id, group);
  store.changed();
  ctx.respond.json(201, groupDocument(store, group, caller, new Set(["my_memberships"])));
};

/** `PUT groups/<id>`: name and description; administrators only. */
const updateGroup: GroupsHandler = (ctx, caller, store) => {
  const group = administeredGroup(ctx, store, caller);
  const body = jsonObjectBody(ctx, badRequest);
  const unknown = Object.keys(body).find((key) => !["name", "description"].includes(key));
  if (unknown !== undefined) throw badRequest(`'${unknown.slice(0, 50)}' cannot be updated here`);
  const name = text(body.name, "name", { max: 100 });
  if (name !== undefined) group.name = name;
  if (body.description !== undefined) {
    group.description = text(body.description, "description", { max: 5000, optional: true }) ?? null;
  }
  store.changed();
  ctx.respond.json(200, groupDocument(store, group, caller, new Set()));
};

/** `DELETE groups/<id>`: answers with the deleted group; refused while it has subgroups. */
const deleteGroup: GroupsHandler = (ctx, caller, store) => {
  const group = administeredGroup(ctx, store, caller);
  if ([...store.groups.values()].some((g) => g.parentId === group.id)) {
    throw fault(409, "CONFLICT", `Group ${group.id} has subgroups; delete them first`);
  }
  const document = groupDocument(store, group, caller, new Set());
  store.groups.delete(group.id);
  store.changed();
  ctx.respond.json(200, document);
};

/** `GET`/`PUT groups/<id>/policies`. */
const getPolicies: GroupsHandler = (ctx, caller, store) => {
  ctx.respond.json(200, policiesDocument(visibleGroup(ctx, store, caller).policies));
};

const setPolicies: GroupsHandler = (ctx, caller, store) => {
  const group = administeredGroup(ctx, store, caller);
  const body = jsonObjectBody(ctx, badRequest);
  const oneOf = <T extends string>(key: string, values: readonly T[]): T => {
    const value = body[key];
    if (!values.includes(value as T)) throw badRequest(`${key} must be one of ${values.join(", ")}`);
    return value as T;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const value = body[key] ?? fallback;
    if (typeof value !== "boolean") throw badRequest(`${key} must be true or false`);
    return value;
  };
  if (typeof body.is_high_assurance !== "boolean") throw badRequest("is_high_assurance is required");
  const timeout = body.authentication_assurance_timeout ?? null;
  if (timeout !== null && !(Number.isInteger(timeout) && (timeout as number) > 0)) {
    throw badRequest("authentication_assurance_timeout must be a positive integer (seconds) or null");
  }
  const fields = body.signup_fields ?? [];
  if (!Array.isArray(fields) || !fields.every((f) => (SIGNUP_FIELDS as readonly unknown[]).includes(f))) {
    throw badRequest(`signup_fields must be a list of ${SIGNUP_FIELDS.join(", ")}`);
  }
  group.policies = {
    is_high_assurance: body.is_high_assurance,
    authentication_assurance_timeout: timeout as number | null,
    group_visibility: oneOf("group_visibility", ["authenticated", "private"] as const),
    group_members_visibility: oneOf("group_members_visibility", ["members", "managers"] as const),
    join_requests: bool("join_requests", false),
    signup_fields: [...new Set(fields as string[])],
  };
  store.changed();
  ctx.respond.json(200, policiesDocument(group.policies));
};

/** `PUT groups/<id>/subscription_admin_verified`. // wire: unverified */
const setSubscriptionAdminVerified: GroupsHandler = (ctx, caller, store) => {
  const group = administeredGroup(ctx, store, caller);
  const value = jsonObjectBody(ctx, badRequest).subscription_admin_verified_id;
  if (value !== null && !(typeof value === "string" && isUuid(value))) {
    throw badRequest("subscription_admin_verified_id must be a subscription id (UUID) or null");
  }
  group.subscriptionAdminVerifiedId = value === null ? null : value.toLowerCase();
  store.changed();
  ctx.respond.json(200, {
    group_id: group.id,
    subscription_admin_verified_id: group.subscriptionAdminVerifiedId,
  });
};

/**
 * @internal The fake Groups' routes, by path after `/groups/v2/`: groups here, memberships in
 * groups-membership-routes.ts (whose batch actions are posted to the group's own path).
 */
export const GROUPS_ROUTES: readonly GroupsRoute[] = [
  { pattern: servicePath("groups/my_groups"), methods: { GET: myGroups } },
  { pattern: servicePath("groups"), methods: { POST: createGroup } },
  {
    pattern: servicePath("groups/:id"),
    methods: { GET: getGroup, PUT: updateGroup, DELETE: deleteGroup, POST: batchMembershipAction },
  },
  { pattern: servicePath("groups/:id/policies"), methods: { GET: getPolicies, PUT: setPolicies } },
  {
    pattern: servicePath("groups/:id/subscription_admin_verified"),
    methods: { PUT: setSubscriptionAdminVerified },
  },
  ...GROUPS_MEMBERSHIP_ROUTES,
];
