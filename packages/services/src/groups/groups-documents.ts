/**
 * The documents Globus Groups (API v2) answers with. Each type names the fields a portal reads;
 * the answer is the whole JSON document, so fields not named here are there too.
 */

/** A member's role, weakest first. */
export type GroupRole = "member" | "manager" | "admin";

/** A membership's status. */
export type MembershipStatus =
  | "active"
  | "invited"
  | "pending"
  | "rejected"
  | "removed"
  | "left"
  | "declined";

/** Who may see a group: everyone signed in to Globus, or its members only. */
export type GroupVisibility = "authenticated" | "private";

/** Who may see a group's members: its members, or its managers only. */
export type GroupMemberVisibility = "members" | "managers";

/** Fields a join request may be asked to carry (the Python SDK's `GroupRequiredSignupFields`). */
export type GroupSignupField =
  | "institution"
  | "current_project_name"
  | "address"
  | "city"
  | "state"
  | "country"
  | "address1"
  | "address2"
  | "zip"
  | "phone"
  | "department"
  | "field_of_science";

/** What `include` may add to {@link GroupsClient.getGroup}'s answer. */
export type GroupInclude = "memberships" | "my_memberships" | "policies" | "allowed_actions" | "child_ids";

/** One identity's membership of a group. */
export interface MembershipDocument {
  group_id: string;
  identity_id: string;
  username: string | null;
  role: GroupRole;
  status: MembershipStatus;
  invited_by?: string | null;
  membership_fields: Partial<Record<GroupSignupField, string>>;
  [field: string]: unknown;
}

/** A group's policies (the Python SDK's `GroupPolicies` payload). */
export interface GroupPoliciesDocument {
  is_high_assurance: boolean;
  /** Seconds a high-assurance session lasts, or `null`. */
  authentication_assurance_timeout?: number | null;
  group_visibility: GroupVisibility;
  group_members_visibility: GroupMemberVisibility;
  join_requests?: boolean;
  signup_fields?: GroupSignupField[];
  [field: string]: unknown;
}

/** A group; `my_memberships`, `memberships`, `policies`, `allowed_actions`, `child_ids` when included. */
export interface GroupDocument {
  id: string;
  name: string;
  description: string | null;
  parent_id: string | null;
  group_type?: string;
  enforce_session?: boolean;
  subscription_id?: string | null;
  subscription_admin_verified_id?: string | null;
  my_memberships?: MembershipDocument[];
  memberships?: MembershipDocument[];
  policies?: GroupPoliciesDocument;
  /** What the caller may do to the group, by action name. */
  allowed_actions?: Record<string, boolean>;
  child_ids?: string[];
  [field: string]: unknown;
}

/** The caller's Groups preferences. */
export interface IdentityPreferencesDocument {
  /** Whether group managers may add this identity without an invitation. */
  allow_add: boolean;
  [field: string]: unknown;
}

/** One refusal in a batch membership action's `errors`. */
export interface MembershipActionError {
  identity_id: string;
  code: string;
  detail: string;
  [field: string]: unknown;
}

/** The keys of a batch membership action document. */
export type MembershipActionName =
  | "add"
  | "remove"
  | "invite"
  | "accept"
  | "decline"
  | "approve"
  | "reject"
  | "request_join"
  | "join"
  | "leave"
  | "change_role";

/**
 * The answer to a batch membership action: per action, the memberships it changed, and in
 * `errors`, per action, the identities it refused and why.
 */
export type BatchMembershipActionsResult = {
  [action in MembershipActionName]?: MembershipDocument[];
} & {
  errors?: { [action in MembershipActionName]?: MembershipActionError[] };
  [field: string]: unknown;
};

/** The answer to {@link GroupsClient.setSubscriptionAdminVerified}. */
export interface SubscriptionAdminVerifiedDocument {
  group_id: string;
  subscription_admin_verified_id: string | null;
  [field: string]: unknown;
}
