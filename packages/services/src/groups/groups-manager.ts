import { BatchMembershipActions } from "./batch-membership-actions.ts";
import type { GroupsCallOptions, GroupsClient } from "./groups-client.ts";
import type {
  BatchMembershipActionsResult,
  GroupDocument,
  GroupMemberVisibility,
  GroupPoliciesDocument,
  GroupRole,
  GroupSignupField,
  GroupVisibility,
  SubscriptionAdminVerifiedDocument,
} from "./groups-documents.ts";

/** Options of {@link GroupsManager.setGroupPolicies}. */
export interface SetGroupPoliciesOptions extends GroupsCallOptions {
  isHighAssurance: boolean;
  groupVisibility: GroupVisibility;
  groupMembersVisibility: GroupMemberVisibility;
  /** Whether people may ask to join. @default false */
  joinRequests?: boolean;
  /** Fields a join request must fill in. @default none */
  signupFields?: Iterable<GroupSignupField>;
  /** Seconds a high-assurance session lasts. @default none */
  authenticationAssuranceTimeout?: number;
}

/**
 * One-call conveniences over a {@link GroupsClient}, as the Python SDK's `GroupsManager`: each
 * membership method builds the batch document for one identity and runs it, resolving to the batch
 * answer (check its `errors`: a refusal is not thrown). `invite`, `accept` and `decline` are
 * shorter names of `inviteMember`, `acceptInvite` and `declineInvite`.
 *
 * @example
 * ```ts
 * const manager = new GroupsManager(new GroupsClient({ app }));
 * const group = await manager.createGroup("Beamline 7 users", "Who may book beamline 7");
 * await manager.addMember(group.id, graceId);
 * await manager.inviteMember(group.id, alanId, "manager");
 * ```
 */
export class GroupsManager {
  /** @param client - the client the manager calls. */
  constructor(readonly client: GroupsClient) {}

  #batch(
    groupId: string,
    actions: BatchMembershipActions,
    options: GroupsCallOptions | undefined,
  ): Promise<BatchMembershipActionsResult> {
    return this.client.batchMembershipAction(groupId, actions, options);
  }

  /**
   * Creates a group (a subgroup with `parentId`) administered by the caller.
   * @throws {GroupsAPIError} as `GroupsClient.createGroup`.
   * @example
   * ```ts
   * const { id } = await manager.createGroup("Beamline 7 users", "Who may book beamline 7");
   * ```
   */
  createGroup(
    name: string,
    description: string,
    parentId?: string,
    options: GroupsCallOptions = {},
  ): Promise<GroupDocument> {
    return this.client.createGroup(
      { name, description, ...(parentId === undefined ? {} : { parent_id: parentId }) },
      options,
    );
  }

  /**
   * Sets a group's policies from named options.
   * @throws {GroupsAPIError} as `GroupsClient.setGroupPolicies`.
   * @example
   * ```ts
   * await manager.setGroupPolicies(groupId, { isHighAssurance: false, groupVisibility: "authenticated",
   *   groupMembersVisibility: "members", joinRequests: true });
   * ```
   */
  setGroupPolicies(groupId: string, options: SetGroupPoliciesOptions): Promise<GroupPoliciesDocument> {
    const { queryParams, signal } = options;
    const document: GroupPoliciesDocument = {
      is_high_assurance: options.isHighAssurance,
      group_visibility: options.groupVisibility,
      group_members_visibility: options.groupMembersVisibility,
      join_requests: options.joinRequests ?? false,
      signup_fields: [...(options.signupFields ?? [])],
      ...(options.authenticationAssuranceTimeout === undefined
        ? {}
        : { authentication_assurance_timeout: options.authenticationAssuranceTimeout }),
    };
    return this.client.setGroupPolicies(groupId, document, {
      ...(queryParams ? { queryParams } : {}),
      ...(signal ? { signal } : {}),
    });
  }

  /**
   * Marks a group as verified by a subscription's administrator.
   * @example
   * ```ts
   * await manager.setSubscriptionAdminVerified(groupId, subscriptionId);
   * ```
   */
  setSubscriptionAdminVerified(
    groupId: string,
    subscriptionId: string | null,
    options: GroupsCallOptions = {},
  ): Promise<SubscriptionAdminVerifiedDocument> {
    return this.client.setSubscriptionAdminVerified(groupId, subscriptionId, options);
  }

  /**
   * Adds an identity as an active member (`add`); needs a manager, and an identity whose
   * preferences allow being added.
   * @example
   * ```ts
   * const { add, errors } = await manager.addMember(groupId, graceId, "manager");
   * ```
   */
  addMember(
    groupId: string,
    identityId: string,
    role: GroupRole = "member",
    options?: GroupsCallOptions,
  ): Promise<BatchMembershipActionsResult> {
    return this.#batch(groupId, new BatchMembershipActions().addMembers(identityId, role), options);
  }

  /**
   * Removes a member, an invitation or a join request (`remove`).
   * @example
   * ```ts
   * await manager.removeMember(groupId, formerId);
   * ```
   */
  removeMember(
    groupId: string,
    identityId: string,
    options?: GroupsCallOptions,
  ): Promise<BatchMembershipActionsResult> {
    return this.#batch(groupId, new BatchMembershipActions().removeMembers(identityId), options);
  }

  /**
   * Invites an identity (`invite`); it becomes a member when it accepts.
   * @example
   * ```ts
   * await manager.inviteMember(groupId, alanId);
   * ```
   */
  inviteMember(
    groupId: string,
    identityId: string,
    role: GroupRole = "member",
    options?: GroupsCallOptions,
  ): Promise<BatchMembershipActionsResult> {
    return this.#batch(groupId, new BatchMembershipActions().inviteMembers(identityId, role), options);
  }

  /**
   * Same as {@link GroupsManager.inviteMember}.
   * @example
   * ```ts
   * await manager.invite(groupId, alanId, "manager");
   * ```
   */
  invite(
    groupId: string,
    identityId: string,
    role: GroupRole = "member",
    options?: GroupsCallOptions,
  ): Promise<BatchMembershipActionsResult> {
    return this.inviteMember(groupId, identityId, role, options);
  }

  /**
   * Accepts an invitation of one of the caller's identities (`accept`).
   * @example
   * ```ts
   * await manager.acceptInvite(groupId, myIdentityId);
   * ```
   */
  acceptInvite(
    groupId: string,
    identityId: string,
    options?: GroupsCallOptions,
  ): Promise<BatchMembershipActionsResult> {
    return this.#batch(groupId, new BatchMembershipActions().acceptInvites(identityId), options);
  }

  /**
   * Same as {@link GroupsManager.acceptInvite}.
   * @example
   * ```ts
   * await manager.accept(groupId, myIdentityId);
   * ```
   */
  accept(
    groupId: string,
    identityId: string,
    options?: GroupsCallOptions,
  ): Promise<BatchMembershipActionsResult> {
    return this.acceptInvite(groupId, identityId, options);
  }

  /**
   * Declines an invitation of one of the caller's identities (`decline`).
   * @example
   * ```ts
   * await manager.declineInvite(groupId, myIdentityId);
   * ```
   */
  declineInvite(
    groupId: string,
    identityId: string,
    options?: GroupsCallOptions,
  ): Promise<BatchMembershipActionsResult> {
    return this.#batch(groupId, new BatchMembershipActions().declineInvites(identityId), options);
  }

  /**
   * Same as {@link GroupsManager.declineInvite}.
   * @example
   * ```ts
   * await manager.decline(groupId, myIdentityId);
   * ```
   */
  decline(
    groupId: string,
    identityId: string,
    options?: GroupsCallOptions,
  ): Promise<BatchMembershipActionsResult> {
    return this.declineInvite(groupId, identityId, options);
  }

  /**
   * Approves a pending join request (`approve`); needs a manager.
   * @example
   * ```ts
   * await manager.approvePending(groupId, applicantId);
   * ```
   */
  approvePending(
    groupId: string,
    identityId: string,
    options?: GroupsCallOptions,
  ): Promise<BatchMembershipActionsResult> {
    return this.#batch(groupId, new BatchMembershipActions().approvePending(identityId), options);
  }

  /**
   * Rejects a pending join request (`reject`); needs a manager.
   * @example
   * ```ts
   * await manager.rejectJoinRequest(groupId, applicantId);
   * ```
   */
  rejectJoinRequest(
    groupId: string,
    identityId: string,
    options?: GroupsCallOptions,
  ): Promise<BatchMembershipActionsResult> {
    return this.#batch(groupId, new BatchMembershipActions().rejectJoinRequests(identityId), options);
  }

  /**
   * Asks to join a group that takes join requests (`request_join`), with its signup fields.
   * @example
   * ```ts
   * await manager.requestJoin(groupId, myIdentityId, { institution: "Example University" });
   * ```
   */
  requestJoin(
    groupId: string,
    identityId: string,
    membershipFields?: Partial<Record<GroupSignupField, string>>,
    options?: GroupsCallOptions,
  ): Promise<BatchMembershipActionsResult> {
    return this.#batch(
      groupId,
      new BatchMembershipActions().requestJoin(identityId, membershipFields),
      options,
    );
  }

  /**
   * Joins an open group at once (`join`).
   * @example
   * ```ts
   * await manager.join(groupId, myIdentityId);
   * ```
   */
  join(
    groupId: string,
    identityId: string,
    options?: GroupsCallOptions,
  ): Promise<BatchMembershipActionsResult> {
    return this.#batch(groupId, new BatchMembershipActions().join(identityId), options);
  }

  /**
   * Leaves a group (`leave`); a group's last administrator cannot.
   * @example
   * ```ts
   * await manager.leave(groupId, myIdentityId);
   * ```
   */
  leave(
    groupId: string,
    identityId: string,
    options?: GroupsCallOptions,
  ): Promise<BatchMembershipActionsResult> {
    return this.#batch(groupId, new BatchMembershipActions().leave(identityId), options);
  }

  /**
   * Gives a member another role (`change_role`).
   * @example
   * ```ts
   * await manager.changeRole(groupId, graceId, "manager");
   * ```
   */
  changeRole(
    groupId: string,
    identityId: string,
    role: GroupRole,
    options?: GroupsCallOptions,
  ): Promise<BatchMembershipActionsResult> {
    return this.#batch(groupId, new BatchMembershipActions().changeRoles(role, identityId), options);
  }
}
