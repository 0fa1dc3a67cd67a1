import { isManager } from "./groups-request.ts";
import type {
  GroupPoliciesRecord,
  GroupRecord,
  GroupsStore,
  MembershipRecord,
  MembershipStatus,
} from "./groups-store.ts";
import { isoTime } from "./iso-time.ts";

/** @internal A membership as Groups shows it. */
export function membershipDocument(
  group: GroupRecord,
  membership: MembershipRecord,
): Record<string, unknown> {
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

/** @internal What `include` may ask a group document for. */
export const INCLUDES = ["memberships", "my_memberships", "policies", "allowed_actions", "child_ids"];

/**
 * @internal A group document, with what `include` asks for (and the caller's memberships of
 * `myStatuses`, for `my_groups`). // wire: unverified — `enforce_session`, `session_limit`, `session_timeout`
 * and `subscription_admin_verified_id` are as we believe Groups v2 names them.
 */
export function groupDocument(
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

/** @internal A group's policies as Groups shows them. */
export const policiesDocument = (policies: GroupPoliciesRecord): Record<string, unknown> => ({
  ...policies,
  signup_fields: [...policies.signup_fields],
});
