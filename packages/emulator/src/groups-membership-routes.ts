import { membershipDocument } from "./groups-documents.ts";
import { badRequest, fault, type GroupsHandler, type GroupsRoute, groupFromPath } from "./groups-request.ts";
import {
  GROUP_ROLES,
  type GroupRecord,
  type GroupRole,
  type GroupsStore,
  type MembershipRecord,
  type MembershipStatus,
  SIGNUP_FIELDS,
} from "./groups-store.ts";
import type { RequestContext } from "./request-context.ts";
import { asObject, jsonObjectBody, servicePath } from "./service-request.ts";
import { isUuid } from "./stable-uuid.ts";

// Memberships of the fake Groups: batch membership actions, the caller's own membership fields,
// and whether the caller lets managers add them to groups.

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
 * One action on one identity, with the checks the actions share. Managers (and admins) add,
 * invite, remove, approve, reject and change roles; only admins touch admins; the identity itself
 * accepts, declines, requests to join, joins and leaves; a group always keeps an active admin.
 */
class MembershipChange {
  /** The identity's membership before the action, if any. */
  readonly existing: MembershipRecord | undefined;
  readonly callerRole: GroupRole | undefined;
  /** Visible to everyone signed in. */
  readonly open: boolean;

  constructor(
    readonly ctx: RequestContext,
    readonly store: GroupsStore,
    readonly group: GroupRecord,
    readonly caller: string,
    readonly action: BatchAction,
    readonly item: ActionItem,
  ) {
    this.existing = store.membership(group, item.identityId);
    this.callerRole = store.activeRole(group, caller);
    this.open = group.policies.group_visibility === "authenticated";
  }

  refuse(code: string, message: string): never {
    throw new ActionRefused(code, message);
  }

  needManager(): void {
    if (!(this.callerRole === "admin" || this.callerRole === "manager")) {
      this.refuse("PERMISSION_DENIED", `Only managers and administrators of the group may ${this.action}`);
    }
  }

  needSelf(): void {
    if (this.item.identityId !== this.caller) {
      this.refuse("PERMISSION_DENIED", `Only the identity itself may ${this.action}`);
    }
  }

  needStatus(...statuses: MembershipStatus[]): MembershipRecord {
    const { existing } = this;
    if (!existing || !statuses.includes(existing.status)) {
      this.refuse(
        "INVALID_MEMBERSHIP_STATUS",
        `The identity's membership is ${existing?.status ?? "absent"}; ${this.action} needs ${statuses.join(" or ")}`,
      );
    }
    return existing as MembershipRecord;
  }

  notActive(): void {
    if (this.existing?.status === "active") {
      this.refuse("ALREADY_ACTIVE", "The identity is already an active member");
    }
  }

  touchingAdmin(): void {
    if ((this.existing?.role === "admin" || this.item.role === "admin") && this.callerRole !== "admin") {
      this.refuse("PERMISSION_DENIED", "Only administrators may add, remove or appoint administrators");
    }
  }

  keepsAnAdmin(): void {
    const { existing } = this;
    const admins = this.group.memberships.filter((m) => m.status === "active" && m.role === "admin");
    if (existing?.role === "admin" && existing.status === "active" && admins.length === 1) {
      this.refuse("LAST_ADMIN", "A group must keep at least one active administrator");
    }
  }

  /** Sets the membership's status and role (creating it for a known identity). */
  put(status: MembershipStatus, role: GroupRole, extra: Partial<MembershipRecord> = {}): MembershipRecord {
    const { existing, item } = this;
    const now = this.store.now();
    if (existing) {
      existing.status = status;
      existing.role = role;
      existing.updated = now;
      Object.assign(existing, extra);
      return existing;
    }
    const identity = this.ctx.state.identities.get(item.identityId);
    if (!identity) this.refuse("IDENTITY_NOT_FOUND", `No identity ${item.identityId} is known`);
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
    this.group.memberships.push(created);
    return created;
  }
}

/**
 * Each action: its checks, in order, then the membership it leaves (or {@link ActionRefused}).
 * // wire: unverified — the error codes, and `join` as joining an open group (visible to everyone
 * signed in, without join requests) at once.
 */
const ACTIONS: Readonly<Record<BatchAction, (change: MembershipChange) => MembershipRecord>> = {
  add(c) {
    c.needManager();
    c.touchingAdmin();
    c.notActive();
    if (!c.store.preferencesOf(c.item.identityId).allow_add) {
      c.refuse("ADD_NOT_ALLOWED", "The identity does not allow being added to groups; invite it instead");
    }
    return c.put("active", c.item.role ?? "member");
  },
  invite(c) {
    c.needManager();
    c.touchingAdmin();
    c.notActive();
    return c.put("invited", c.item.role ?? "member", { invitedBy: c.caller });
  },
  remove(c) {
    c.needManager();
    c.touchingAdmin();
    c.needStatus("active", "invited", "pending");
    c.keepsAnAdmin();
    return c.put("removed", (c.existing as MembershipRecord).role);
  },
  approve(c) {
    c.needManager();
    return c.put("active", c.needStatus("pending").role);
  },
  reject(c) {
    c.needManager();
    return c.put("rejected", c.needStatus("pending").role);
  },
  change_role(c) {
    c.needManager();
    c.touchingAdmin();
    c.needStatus("active");
    if (c.item.role !== "admin") c.keepsAnAdmin();
    return c.put("active", c.item.role as GroupRole);
  },
  accept(c) {
    c.needSelf();
    return c.put("active", c.needStatus("invited").role);
  },
  decline(c) {
    c.needSelf();
    return c.put("declined", c.needStatus("invited").role);
  },
  leave(c) {
    c.needSelf();
    c.needStatus("active");
    c.keepsAnAdmin();
    return c.put("left", (c.existing as MembershipRecord).role);
  },
  request_join(c) {
    c.needSelf();
    if (!(c.open && c.group.policies.join_requests)) {
      c.refuse("JOIN_REQUESTS_NOT_ALLOWED", "The group does not take join requests");
    }
    if (c.existing && ["active", "pending"].includes(c.existing.status)) {
      c.refuse("INVALID_MEMBERSHIP_STATUS", `The identity's membership is already ${c.existing.status}`);
    }
    return c.put("pending", "member", { membershipFields: c.item.fields });
  },
  join(c) {
    c.needSelf();
    if (!(c.open && !c.group.policies.join_requests)) {
      c.refuse("JOIN_NOT_ALLOWED", "The group is not open to join; request to join instead");
    }
    c.notActive();
    return c.put("active", "member");
  },
};

/** Applies one action to one identity, or throws {@link ActionRefused}. */
function applyAction(
  ctx: RequestContext,
  store: GroupsStore,
  group: GroupRecord,
  caller: string,
  action: BatchAction,
  item: ActionItem,
): MembershipRecord {
  return ACTIONS[action](new MembershipChange(ctx, store, group, caller, action, item));
}

/**
 * @internal `POST groups/<id>`: batch membership actions; what failed is listed under `errors`.
 * Served on the group's own path, so the group routes' table names it.
 */
export const batchMembershipAction: GroupsHandler = (ctx, caller, store) => {
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

/** @internal The fake Groups' routes of one's own membership fields and preferences. */
export const GROUPS_MEMBERSHIP_ROUTES: readonly GroupsRoute[] = [
  {
    pattern: servicePath("groups/:id/membership_fields"),
    methods: { GET: getMembershipFields, PUT: setMembershipFields },
  },
  { pattern: servicePath("preferences"), methods: { GET: getPreferences, PUT: setPreferences } },
];
