/**
 * Globus Groups: {@link GroupsClient}, the {@link GroupsManager} conveniences, the
 * {@link BatchMembershipActions} builder, {@link GroupsAPIError}, and the documents Groups answers with.
 *
 * @packageDocumentation
 */
export {
  BatchMembershipActions,
  type IdentityIds,
  type MembershipActionItem,
} from "./batch-membership-actions.ts";
export { GroupsAPIError, isGroupsAPIError } from "./groups-api-error.ts";
export {
  type CreateGroupDocument,
  type GetGroupParams,
  type GetMyGroupsParams,
  type GroupsCallOptions,
  GroupsClient,
} from "./groups-client.ts";
export type {
  BatchMembershipActionsResult,
  GroupDocument,
  GroupInclude,
  GroupMemberVisibility,
  GroupPoliciesDocument,
  GroupRole,
  GroupSignupField,
  GroupVisibility,
  IdentityPreferencesDocument,
  MembershipActionError,
  MembershipActionName,
  MembershipDocument,
  MembershipStatus,
  SubscriptionAdminVerifiedDocument,
} from "./groups-documents.ts";
export { GroupsManager, type SetGroupPoliciesOptions } from "./groups-manager.ts";
