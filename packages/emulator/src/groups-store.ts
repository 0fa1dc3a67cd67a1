import { ClockedStore } from "./clocked-store.ts";
import { SAMPLE_IDENTITIES } from "./sample-data.ts";

/** Id of the sample group every fresh emulator has: Ada admin, Grace member, Alan invited. */
export const SAMPLE_GROUP_ID = "a3e8c1a4-5f0e-4b1f-9a7a-3d2b6f1c0e51";

/** @internal Roles of a group member, weakest first. */
export const GROUP_ROLES = ["member", "manager", "admin"] as const;
/** @internal A member's role. */
export type GroupRole = (typeof GROUP_ROLES)[number];

/** @internal Membership statuses as Groups names them. */
export const MEMBERSHIP_STATUSES = [
  "active",
  "invited",
  "pending",
  "rejected",
  "removed",
  "left",
  "declined",
] as const;
/** @internal A membership's status. */
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

/** @internal Fields a join request or `membership_fields` may carry (Groups' signup fields). */
export const SIGNUP_FIELDS = [
  "institution",
  "current_project_name",
  "address",
  "city",
  "state",
  "country",
  "address1",
  "address2",
  "zip",
  "phone",
  "department",
  "field_of_science",
] as const;

/** @internal A group's policies document. */
export interface GroupPoliciesRecord {
  is_high_assurance: boolean;
  authentication_assurance_timeout: number | null;
  group_visibility: "authenticated" | "private";
  group_members_visibility: "members" | "managers";
  join_requests: boolean;
  signup_fields: string[];
}

/** @internal One identity's membership of a group. */
export interface MembershipRecord {
  readonly identityId: string;
  readonly username: string | null;
  role: GroupRole;
  status: MembershipStatus;
  invitedBy: string | null;
  membershipFields: Record<string, string>;
  readonly created: number;
  updated: number;
}

/** @internal A group as the fake Groups keeps it. */
export interface GroupRecord {
  readonly id: string;
  name: string;
  description: string | null;
  readonly parentId: string | null;
  readonly created: number;
  policies: GroupPoliciesRecord;
  subscriptionAdminVerifiedId: string | null;
  memberships: MembershipRecord[];
}

/** @internal What the state file keeps of the fake Groups. */
export interface GroupsSnapshot {
  readonly groups: GroupRecord[];
  readonly preferences: Record<string, { allow_add: boolean }>;
}

/** @internal Default policies of a new group: private, members see members, no join requests. */
export const defaultPolicies = (): GroupPoliciesRecord => ({
  is_high_assurance: false,
  authentication_assurance_timeout: null,
  group_visibility: "private",
  group_members_visibility: "managers",
  join_requests: false,
  signup_fields: [],
});

/** The sample group every fresh emulator has, created `now`: Ada admin, Grace member, Alan invited. */
function sampleGroup(now: number): GroupRecord {
  const [ada, grace, alan] = SAMPLE_IDENTITIES;
  const membership = (
    who: { id: string; username: string },
    role: GroupRole,
    status: MembershipStatus,
  ): MembershipRecord => ({
    identityId: who.id,
    username: who.username,
    role,
    status,
    invitedBy: status === "invited" ? ada.id : null,
    membershipFields: {},
    created: now,
    updated: now,
  });
  return {
    id: SAMPLE_GROUP_ID,
    name: "Emulator sample group",
    description: "A group every fresh emulator has: Ada is its admin, Grace a member, Alan invited.",
    parentId: null,
    created: now,
    policies: {
      ...defaultPolicies(),
      group_visibility: "authenticated",
      group_members_visibility: "members",
      join_requests: true,
    },
    subscriptionAdminVerifiedId: null,
    memberships: [
      membership(ada, "admin", "active"),
      membership(grace, "member", "active"),
      membership(alan, "member", "invited"),
    ],
  };
}

/** @internal Everything the fake Groups knows: groups with their memberships, and preferences. */
export class GroupsStore extends ClockedStore {
  groups = new Map<string, GroupRecord>([[SAMPLE_GROUP_ID, sampleGroup(this.now())]]);
  preferences = new Map<string, { allow_add: boolean }>();

  /** The membership of `identityId` in a group, if it has one (of any status). */
  membership(group: GroupRecord, identityId: string): MembershipRecord | undefined {
    return group.memberships.find((m) => m.identityId === identityId);
  }

  /** The role of an active member, or `undefined`. */
  activeRole(group: GroupRecord, identityId: string): GroupRole | undefined {
    const found = this.membership(group, identityId);
    return found?.status === "active" ? found.role : undefined;
  }

  /**
   * Whether `identityId` is an active member of the group, or of one of its subgroups: Globus
   * Groups counts subgroup members as members of the parent for access (Search's `visible_to`).
   */
  isActiveMember(groupId: string, identityId: string): boolean {
    const group = this.groups.get(groupId);
    if (!group) return false;
    if (this.activeRole(group, identityId)) return true;
    return [...this.groups.values()].some(
      (child) => child.parentId === groupId && this.isActiveMember(child.id, identityId),
    );
  }

  /** An identity's preferences; `allow_add` defaults to `true`. */
  preferencesOf(identityId: string): { allow_add: boolean } {
    return this.preferences.get(identityId) ?? { allow_add: true };
  }

  snapshot(): GroupsSnapshot {
    return { groups: [...this.groups.values()], preferences: Object.fromEntries(this.preferences) };
  }

  restore(snapshot: GroupsSnapshot): void {
    this.groups = new Map(snapshot.groups.map((group) => [group.id, group]));
    this.preferences = new Map(Object.entries(snapshot.preferences));
  }
}
