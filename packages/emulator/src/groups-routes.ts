import { randomUUID } from "node:crypto";
import {
  defaultPolicies,
  GROUP_ROLES,
  type GroupPoliciesRecord,
  type GroupRecord,
  type GroupRole,
  type GroupsStore,
  MEMBERSHIP_STATUSES,
  type MembershipRecord,
  type MembershipStatus,
  SIGNUP_FIELDS,
} from "./groups-store.ts";
import { isoTime } from "./iso-time.ts";
import type { RequestContext } from "./request-context.ts";
import { GROUPS_RESOURCE_SERVER } from "./scope-registry.ts";
import { asObject, identifyCaller, jsonObjectBody, ServiceFault } from "./service-request.ts";
import { isUuid } from "./stable-uuid.ts";

/** The Groups scope that allows everything. */
export const GROUPS_ALL_SCOPE = "urn:globus:auth:scope:groups.api.globus.org:all";
/** The read-only Groups scope: GET requests only. */
export const GROUPS_VIEW_SCOPE = "urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships";

/** @internal One Groups call: the request, the caller's identity id, the store. */
type GroupsHandler = (ctx: RequestContext, caller: string, store: GroupsStore) => void;

/** @internal A Groups route: a pattern on the path after `/groups/v2/`. */
export interface GroupsRoute {
  readonly pattern: RegExp;
  readonly methods: Readonly<Partial<Record<string, GroupsHandler>>>;
}

const fault = (status: number, code: string, message: string): ServiceFault =>
  new ServiceFault(status, code, message);
const badRequest = (message: string): ServiceFault => fault(400, "INVALID_REQUEST", message);
const groupNotFound = (id: string): ServiceFault =>
  fault(404, "GROUP_NOT_FOUND", `No group '${id.slice(0, 100)}' was found`);
const forbidden = (message: string): ServiceFault => fault(403, "FORBIDDEN", message);

/**
 * @internal Groups' error body. // wire: unverified — Groups v2 answers `{code, detail}` as far as
 * we know; the status is repeated so that a reader without the HTTP status has it.
 */
export function groupsError(ctx: RequestContext, status: number, code: string, detail: string): void {
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

function groupFromPath(ctx: RequestContext, store: GroupsStore): GroupRecord {
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

function visibleGroup(ctx: RequestContext, store: GroupsStore, caller: string): GroupRecord {
  const group = groupFromPath(ctx, store);
  if (!canSee(store, group, caller)) throw forbidden(`You may not view group ${group.id}`);
  return group;
}

const isManager = (store: GroupsStore, group: GroupRecord, who: string): boolean => {
  const role = store.activeRole(group, who);
  return role === "admin" || role === "manager";
};

function administeredGroup(ctx: RequestContext, store: GroupsStore, caller: string): GroupRecord {
  const group = visibleGroup(ctx, store, caller);
  if (store.activeRole(group, caller) !== "admin") {
    throw forbidden(`Only an administrator of group ${group.id} may do this`);
  }
  return group;
}

function membershipDocument(group: GroupRecord, membership: MembershipRecord): Record<string, unknown> {
  return {
    group_id: group.id,
    identity_id: membership.identityId,
    username: membership.username,
    role: membership.role,
    status: membership.status,
    invited_by: membership.invitedBy,
    membership_fields: { ...membership.membershipFields },
    created: isoTime(membership.created),
    updated: isoTime(membership.updated),
  };
}

/** The memberships the caller may list: all for managers, active ones for members when allowed. */
function visibleMemberships(store: GroupsStore, group: GroupRecord, caller: string): MembershipRecord[] {
  if (isManager(store, group, caller)) return group.memberships;
  if (store.activeRole(group, caller) && group.policies.group_members_visibility === "members") {
    return group.memberships.filter((m) => m.status === "active");
  }
  return group.memberships.filter((m) => m.identityId === caller);
}

const BATCH_ACTIONS = [
  "add",
  "remove",
  "invite",
  "accept",
  "decline",
  "approve",
  "reject",
  "request_join",
  "join",
  "leave",
  "change_role",
] as const;
type BatchAction = (typeof BATCH_ACTIONS)[number];

/** What the caller may do to a group, by action. // wire: unverified (the shape of `allowed_actions`) */
function allowedActions(store: GroupsStore, group: GroupRecord, caller: string): Record<string, boolean> {
  const status = store.membership(group, caller)?.status;
  const manager = isManager(store, group, caller);
  const admin = store.activeRole(group, caller) === "admin";
  const open = group.policies.group_visibility === "authenticated";
  return {
    update_group: admin,
    delete_group: admin,
    update_policies: admin,
    add: manager,
    remove: manager,
    invite: manager,
    approve: manager,
    reject: manager,
    change_role: manager,
    accept: status === "invited",
    decline: status === "invited",
    request_join: open && group.policies.join_requests && status !== "active" && status !== "pending",
    join: open && !group.policies.join_requests && status !== "active",
    leave: status === "active",
  };
}

const INCLUDES = ["memberships", "my_memberships", "policies", "allowed_actions", "child_ids"];

/**
 * A group document. // wire: unverified — `enforce_session`, `session_limit`, `session_timeout`
 * and `subscription_admin_verified_id` are as we believe Groups v2 names them.
 */
function groupDocument(
  store: GroupsStore,
  group: GroupRecord,
  caller: string,
  include: ReadonlySet<string>,
  myStatuses?: readonly MembershipStatus[],
): Record<string, unknown> {
  const document: Record<string, unknown> = {
    id: group.id,
    name: group.name,
    description: group.description,
    parent_id: group.parentId,
    group_type: "regular",
    enforce_session: group.policies.is_high_assurance,
    session_limit: group.policies.authentication_assurance_timeout ?? 28_800,
    session_timeout: 86_400,
    subscription_id: null,
    subscription_admin_verified_id: group.subscriptionAdminVerifiedId,
  };
  if (include.has("my_memberships") || myStatuses) {
    document.my_memberships = group.memberships
      .filter((m) => m.identityId === caller && (!myStatuses || myStatuses.includes(m.status)))
      .map((m) => membershipDocument(group, m));
  }
  if (include.has("memberships")) {
    document.memberships = visibleMemberships(store, group, caller).map((m) => membershipDocument(group, m));
  }
  if (include.has("policies")) document.policies = policiesDocument(group.policies);
  if (include.has("allowed_actions")) document.allowed_actions = allowedActions(store, group, caller);
  if (include.has("child_ids")) {
    document.child_ids = [...store.groups.values()].filter((g) => g.parentId === group.id).map((g) => g.id);
  }
  return document;
}

const policiesDocument = (policies: GroupPoliciesRecord): Record<string, unknown> => ({
  ...policies,
  signup_fields: [...policies.signup_fields],
});

function listParam(ctx: RequestContext, name: string, allowed: readonly string[]): string[] | undefined {
  const raw = ctx.query.get(name);
  if (raw === null || raw === "") return undefined;
  const values = raw.split(",").map((value) => value.trim());
  const unknown = values.find((value) => !allowed.includes(value));
  if (unknown !== undefined) {
    throw badRequest(`Invalid ${name} '${unknown.slice(0, 50)}'; allowed: ${allowed.join(", ")}`);
  }
  return values;
}

function text(
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

// Groups

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

/** `GET`/`PUT preferences`: the caller's `allow_add`. // wire: unverified (a flat `{allow_add}`) */
const getPreferences: GroupsHandler = (ctx, caller, store) => {
  ctx.respond.json(200, { ...store.preferencesOf(caller) });
};

const setPreferences: GroupsHandler = (ctx, caller, store) => {
  const body = jsonObjectBody(ctx, badRequest);
  if (typeof body.allow_add !== "boolean") throw badRequest("allow_add must be true or false");
  store.preferences.set(caller, { allow_add: body.allow_add });
  store.changed();
  ctx.respond.json(200, { ...store.preferencesOf(caller) });
};

function signupFields(value: unknown): Record<string, string> {
  const fields = asObject(value ?? {});
  if (
    !fields ||
    !Object.entries(fields).every(
      ([key, field]) =>
        (SIGNUP_FIELDS as readonly string[]).includes(key) &&
        typeof field === "string" &&
        field.length <= 1000,
    )
  ) {
    throw badRequest(`membership_fields must map ${SIGNUP_FIELDS.join(", ")} to strings`);
  }
  return { ...(fields as Record<string, string>) };
}

/** `GET`/`PUT groups/<id>/membership_fields`: the caller's own membership. // wire: unverified */
const getMembershipFields: GroupsHandler = (ctx, caller, store) => {
  const group = groupFromPath(ctx, store);
  const membership = store.membership(group, caller);
  if (!membership) throw fault(404, "MEMBERSHIP_NOT_FOUND", `You have no membership in group ${group.id}`);
  ctx.respond.json(200, membershipDocument(group, membership));
};

const setMembershipFields: GroupsHandler = (ctx, caller, store) => {
  const group = groupFromPath(ctx, store);
  const membership = store.membership(group, caller);
  if (!membership) throw fault(404, "MEMBERSHIP_NOT_FOUND", `You have no membership in group ${group.id}`);
  membership.membershipFields = signupFields(jsonObjectBody(ctx, badRequest).membership_fields);
  membership.updated = store.now();
  store.changed();
  ctx.respond.json(200, membershipDocument(group, membership));
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

// Batch membership actions

/** Why one action on one identity failed: an entry of the answer's `errors`. */
class ActionRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface ActionItem {
  readonly identityId: string;
  readonly role: GroupRole | undefined;
  readonly fields: Record<string, string>;
}

function actionItems(action: BatchAction, value: unknown): ActionItem[] {
  if (!Array.isArray(value)) throw badRequest(`'${action}' must be a list`);
  return value.map((raw) => {
    const item = asObject(raw);
    const identityId = item?.identity_id;
    if (!item || typeof identityId !== "string" || !isUuid(identityId)) {
      throw badRequest(`Each '${action}' item needs an identity_id (a UUID)`);
    }
    const role = item.role;
    if (role !== undefined && !(GROUP_ROLES as readonly unknown[]).includes(role)) {
      throw badRequest(`role must be one of ${GROUP_ROLES.join(", ")}`);
    }
    if (action === "change_role" && role === undefined)
      throw badRequest("Each 'change_role' item needs a role");
    return {
      identityId: identityId.toLowerCase(),
      role: role as GroupRole | undefined,
      fields: action === "request_join" ? signupFields(item.membership_fields) : {},
    };
  });
}

/**
 * Applies one action to one identity, or throws {@link ActionRefused}. Managers (and admins) add,
 * invite, remove, approve, reject and change roles; only admins touch admins; the identity itself
 * accepts, declines, requests to join, joins and leaves; a group always keeps an active admin.
 * // wire: unverified — the error codes, and `join` as joining an open group (visible to everyone
 * signed in, without join requests) at once.
 */
function applyAction(
  ctx: RequestContext,
  store: GroupsStore,
  group: GroupRecord,
  caller: string,
  action: BatchAction,
  item: ActionItem,
): MembershipRecord {
  const existing = store.membership(group, item.identityId);
  const callerRole = store.activeRole(group, caller);
  const manager = callerRole === "admin" || callerRole === "manager";
  const refuse = (code: string, message: string): never => {
    throw new ActionRefused(code, message);
  };
  const needManager = () => {
    if (!manager) refuse("PERMISSION_DENIED", `Only managers and administrators of the group may ${action}`);
  };
  const needSelf = () => {
    if (item.identityId !== caller) refuse("PERMISSION_DENIED", `Only the identity itself may ${action}`);
  };
  const needStatus = (...statuses: MembershipStatus[]): MembershipRecord => {
    if (!existing || !statuses.includes(existing.status)) {
      refuse(
        "INVALID_MEMBERSHIP_STATUS",
        `The identity's membership is ${existing?.status ?? "absent"}; ${action} needs ${statuses.join(" or ")}`,
      );
    }
    return existing as MembershipRecord;
  };
  const touchingAdmin = () => {
    if ((existing?.role === "admin" || item.role === "admin") && callerRole !== "admin") {
      refuse("PERMISSION_DENIED", "Only administrators may add, remove or appoint administrators");
    }
  };
  const keepsAnAdmin = () => {
    const admins = group.memberships.filter((m) => m.status === "active" && m.role === "admin");
    if (existing?.role === "admin" && existing.status === "active" && admins.length === 1) {
      refuse("LAST_ADMIN", "A group must keep at least one active administrator");
    }
  };
  const put = (status: MembershipStatus, role: GroupRole, extra: Partial<MembershipRecord> = {}) => {
    const now = store.now();
    if (existing) {
      existing.status = status;
      existing.role = role;
      existing.updated = now;
      Object.assign(existing, extra);
      return existing;
    }
    const identity = ctx.state.identities.get(item.identityId);
    if (!identity) refuse("IDENTITY_NOT_FOUND", `No identity ${item.identityId} is known`);
    const created: MembershipRecord = {
      identityId: item.identityId,
      username: identity?.username ?? null,
      role,
      status,
      invitedBy: null,
      membershipFields: {},
      created: now,
      updated: now,
      ...extra,
    };
    group.memberships.push(created);
    return created;
  };
  const open = group.policies.group_visibility === "authenticated";
  switch (action) {
    case "add":
      needManager();
      touchingAdmin();
      if (existing?.status === "active") refuse("ALREADY_ACTIVE", "The identity is already an active member");
      if (!store.preferencesOf(item.identityId).allow_add) {
        refuse("ADD_NOT_ALLOWED", "The identity does not allow being added to groups; invite it instead");
      }
      return put("active", item.role ?? "member");
    case "invite":
      needManager();
      touchingAdmin();
      if (existing?.status === "active") refuse("ALREADY_ACTIVE", "The identity is already an active member");
      return put("invited", item.role ?? "member", { invitedBy: caller });
    case "remove":
      needManager();
      touchingAdmin();
      needStatus("active", "invited", "pending");
      keepsAnAdmin();
      return put("removed", (existing as MembershipRecord).role);
    case "approve":
      needManager();
      return put("active", needStatus("pending").role);
    case "reject":
      needManager();
      return put("rejected", needStatus("pending").role);
    case "change_role":
      needManager();
      touchingAdmin();
      needStatus("active");
      if (item.role !== "admin") keepsAnAdmin();
      return put("active", item.role as GroupRole);
    case "accept":
      needSelf();
      return put("active", needStatus("invited").role);
    case "decline":
      needSelf();
      return put("declined", needStatus("invited").role);
    case "leave":
      needSelf();
      needStatus("active");
      keepsAnAdmin();
      return put("left", (existing as MembershipRecord).role);
    case "request_join":
      needSelf();
      if (!(open && group.policies.join_requests)) {
        refuse("JOIN_REQUESTS_NOT_ALLOWED", "The group does not take join requests");
      }
      if (existing && ["active", "pending"].includes(existing.status)) {
        refuse("INVALID_MEMBERSHIP_STATUS", `The identity's membership is already ${existing.status}`);
      }
      return put("pending", "member", { membershipFields: item.fields });
    case "join":
      needSelf();
      if (!(open && !group.policies.join_requests)) {
        refuse("JOIN_NOT_ALLOWED", "The group is not open to join; request to join instead");
      }
      if (existing?.status === "active") refuse("ALREADY_ACTIVE", "The identity is already an active member");
      return put("active", "member");
  }
}

/** `POST groups/<id>`: batch membership actions; what failed is listed under `errors`. */
const batchMembershipAction: GroupsHandler = (ctx, caller, store) => {
  const group = groupFromPath(ctx, store);
  const body = jsonObjectBody(ctx, badRequest);
  const unknown = Object.keys(body).find((key) => !(BATCH_ACTIONS as readonly string[]).includes(key));
  if (unknown !== undefined) {
    throw badRequest(`Unknown action '${unknown.slice(0, 50)}'; actions: ${BATCH_ACTIONS.join(", ")}`);
  }
  // Every item is checked before any is applied: a malformed batch changes nothing.
  const work = BATCH_ACTIONS.filter((action) => body[action] !== undefined).map(
    (action) => [action, actionItems(action, body[action])] as const,
  );
  const answer: Record<string, unknown> = {};
  const errors: Record<string, unknown[]> = {};
  for (const [action, items] of work) {
    const done: unknown[] = [];
    for (const item of items) {
      try {
        done.push(membershipDocument(group, applyAction(ctx, store, group, caller, action, item)));
      } catch (error) {
        if (!(error instanceof ActionRefused)) throw error;
        const refused = errors[action] ?? [];
        errors[action] = refused;
        refused.push({
          identity_id: item.identityId,
          code: error.code,
          detail: error.message,
        });
      }
    }
    answer[action] = done;
  }
  store.changed();
  ctx.respond.json(200, { ...answer, errors });
};

const UUID_PART = "([^/]+)";
const at = (path: string): RegExp => new RegExp(`^${path.replaceAll(":id", UUID_PART)}$`);

/** @internal The fake Groups' routes, by path after `/groups/v2/`. */
export const GROUPS_ROUTES: readonly GroupsRoute[] = [
  { pattern: at("groups/my_groups"), methods: { GET: myGroups } },
  { pattern: at("groups"), methods: { POST: createGroup } },
  {
    pattern: at("groups/:id"),
    methods: { GET: getGroup, PUT: updateGroup, DELETE: deleteGroup, POST: batchMembershipAction },
  },
  { pattern: at("groups/:id/policies"), methods: { GET: getPolicies, PUT: setPolicies } },
  {
    pattern: at("groups/:id/membership_fields"),
    methods: { GET: getMembershipFields, PUT: setMembershipFields },
  },
  { pattern: at("groups/:id/subscription_admin_verified"), methods: { PUT: setSubscriptionAdminVerified } },
  { pattern: at("preferences"), methods: { GET: getPreferences, PUT: setPreferences } },
];
