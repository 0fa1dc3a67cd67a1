import type { GroupRole, GroupSignupField, MembershipActionName } from "./groups-documents.ts";

/** One identity id, or any iterable of them. */
export type IdentityIds = string | Iterable<string>;

/** One item of a batch membership action. */
export interface MembershipActionItem {
  identity_id: string;
  role?: GroupRole;
  membership_fields?: Partial<Record<GroupSignupField, string>>;
  [field: string]: unknown;
}

const idsOf = (ids: IdentityIds): string[] => (typeof ids === "string" ? [ids] : [...ids]);

/**
 * The document of {@link GroupsClient.batchMembershipAction}, built as the Python SDK's
 * `BatchMembershipActions` builds it: each method appends `{identity_id, …}` items under its
 * action (`add`, `invite`, `accept`, …) and returns the builder. `toJSON()` is the request body.
 *
 * @example
 * ```ts
 * const actions = new BatchMembershipActions()
 *   .addMembers([adaId, graceId])
 *   .inviteMembers(alanId, "manager")
 *   .removeMembers(formerId);
 * const result = await groups.batchMembershipAction(groupId, actions);
 * console.log(result.add?.length, result.errors);
 * ```
 */
export class BatchMembershipActions {
  readonly #actions = new Map<MembershipActionName, MembershipActionItem[]>();

  #push(action: MembershipActionName, ids: IdentityIds, extra: Partial<MembershipActionItem> = {}): this {
    const list = this.#actions.get(action) ?? [];
    for (const id of idsOf(ids)) list.push({ identity_id: id, ...extra });
    this.#actions.set(action, list);
    return this;
  }

  /** Adds identities as active members at once (`add`); `role` defaults to `member`. */
  addMembers(identityIds: IdentityIds, role: GroupRole = "member"): this {
    return this.#push("add", identityIds, { role });
  }
  /** Invites identities (`invite`); they become members when they accept. */
  inviteMembers(identityIds: IdentityIds, role: GroupRole = "member"): this {
    return this.#push("invite", identityIds, { role });
  }
  /** Removes members, invitations or join requests (`remove`). */
  removeMembers(identityIds: IdentityIds): this {
    return this.#push("remove", identityIds);
  }
  /** Accepts invitations of the caller's own identities (`accept`). */
  acceptInvites(identityIds: IdentityIds): this {
    return this.#push("accept", identityIds);
  }
  /** Declines invitations of the caller's own identities (`decline`). */
  declineInvites(identityIds: IdentityIds): this {
    return this.#push("decline", identityIds);
  }
  /** Approves pending join requests (`approve`). */
  approvePending(identityIds: IdentityIds): this {
    return this.#push("approve", identityIds);
  }
  /** Rejects pending join requests (`reject`). */
  rejectJoinRequests(identityIds: IdentityIds): this {
    return this.#push("reject", identityIds);
  }
  /** Asks to join for the caller's own identities (`request_join`), with the group's signup fields. */
  requestJoin(identityIds: IdentityIds, membershipFields?: Partial<Record<GroupSignupField, string>>): this {
    return this.#push(
      "request_join",
      identityIds,
      membershipFields ? { membership_fields: membershipFields } : {},
    );
  }
  /** Joins an open group with the caller's own identities (`join`). */
  join(identityIds: IdentityIds): this {
    return this.#push("join", identityIds);
  }
  /** Leaves the group with the caller's own identities (`leave`). */
  leave(identityIds: IdentityIds): this {
    return this.#push("leave", identityIds);
  }
  /** Gives members another role (`change_role`); note the role comes first, as in the Python SDK. */
  changeRoles(role: GroupRole, identityIds: IdentityIds): this {
    return this.#push("change_role", identityIds, { role });
  }

  /** The request body: `{ add: [{identity_id, role}], … }`, only the actions used. */
  toJSON(): Partial<Record<MembershipActionName, MembershipActionItem[]>> {
    return Object.fromEntries(
      [...this.#actions].map(([action, items]) => [action, items.map((i) => ({ ...i }))]),
    );
  }
}
