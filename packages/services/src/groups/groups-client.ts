import { GlobusClient, type GlobusClientOptions, GroupsScopes } from "@globus-app/core";
import type { BatchMembershipActions } from "./batch-membership-actions.ts";
import { GroupsAPIError } from "./groups-api-error.ts";
import type {
  BatchMembershipActionsResult,
  GroupDocument,
  GroupInclude,
  GroupPoliciesDocument,
  IdentityPreferencesDocument,
  MembershipDocument,
  MembershipStatus,
  SubscriptionAdminVerifiedDocument,
} from "./groups-documents.ts";

/** Query parameter values; `undefined` ones are left out. */
type QueryValue = string | number | boolean | undefined;

/** What every Groups method accepts besides its own parameters. */
export interface GroupsCallOptions {
  /** More query parameters, sent as given (the Python SDK's `query_params`). */
  queryParams?: Readonly<Record<string, QueryValue>>;
  /** Cancels the request (a `GlobusNetworkError` coded `NETWORK_ABORTED`). */
  signal?: AbortSignal;
}

/** Parameters of {@link GroupsClient.getMyGroups}. */
export interface GetMyGroupsParams extends GroupsCallOptions {
  /** Only groups where the caller's membership has one of these statuses. @default Groups': `active` */
  statuses?: MembershipStatus | Iterable<MembershipStatus>;
}

/** Parameters of {@link GroupsClient.getGroup}. */
export interface GetGroupParams extends GroupsCallOptions {
  /** What to add to the group document. @default nothing */
  include?: GroupInclude | Iterable<GroupInclude>;
}

/** The fields {@link GroupsClient.createGroup} takes. */
export interface CreateGroupDocument {
  name: string;
  description?: string;
  /** Makes the new group a subgroup of this one (the caller must administer it). */
  parent_id?: string;
  [field: string]: unknown;
}

const commaList = (value: string | Iterable<string> | undefined): string | undefined =>
  value === undefined ? undefined : typeof value === "string" ? value : [...value].join(",");

const id = (value: string): string => encodeURIComponent(value);

/**
 * A client for Globus Groups (API v2): the caller's groups, group documents and policies,
 * preferences, membership fields and batch membership actions. The Python SDK's `GroupsClient`,
 * method for method in camelCase, async; see {@link GroupsManager} for one-call conveniences. Bound
 * to an app it registers `groups:all` and asks the app for tokens. Errors are
 * {@link GroupsAPIError}s; 429 and 5xx are retried.
 *
 * @example
 * ```ts
 * const groups = new GroupsClient({ app });
 * for (const group of await groups.getMyGroups({ statuses: ["active", "invited"] })) {
 *   console.log(group.name, group.my_memberships?.map((m) => m.role));
 * }
 * ```
 */
export class GroupsClient extends GlobusClient {
  /**
   * @param options - `app` (registers `urn:globus:auth:scope:groups.api.globus.org:all` with it) or
   *   `authorizer`; `baseUrl` (default: `GLOBUS_SDK_SERVICE_URL_GROUPS`, else the environment's
   *   Groups), retries, timeouts.
   * @throws {GlobusSDKUsageError} for both `app` and `authorizer`, or an environment that is not the app's.
   */
  constructor(options: GlobusClientOptions = {}) {
    super(options, {
      service: "groups",
      resourceServer: GroupsScopes.resourceServer,
      defaultScopes: GroupsScopes.all,
      createError: (init) => new GroupsAPIError(init),
    });
  }

  #call<T>(
    method: "get" | "post" | "put" | "delete",
    path: string,
    options: GroupsCallOptions,
    query: Record<string, QueryValue> = {},
    json?: unknown,
  ): Promise<T> {
    return this.request<T>(method, `v2/${path}`, {
      query: { ...query, ...options.queryParams },
      ...(json === undefined ? {} : { json }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /**
   * The groups the caller belongs to, each with the caller's memberships in `my_memberships`.
   * @throws {GroupsAPIError} `INVALID_REQUEST` (400) for an unknown status.
   * @example
   * ```ts
   * const invitations = await groups.getMyGroups({ statuses: "invited" });
   * ```
   */
  getMyGroups(params: GetMyGroupsParams = {}): Promise<GroupDocument[]> {
    return this.#call("get", "groups/my_groups", params, { statuses: commaList(params.statuses) });
  }

  /**
   * A group, with what `include` asks for.
   * @throws {GroupsAPIError} `GROUP_NOT_FOUND` (404); `FORBIDDEN` (403) for a private group of others.
   * @example
   * ```ts
   * const { name, memberships } = await groups.getGroup(groupId, { include: ["memberships", "policies"] });
   * ```
   */
  getGroup(groupId: string, params: GetGroupParams = {}): Promise<GroupDocument> {
    return this.#call("get", `groups/${id(groupId)}`, params, { include: commaList(params.include) });
  }

  /**
   * Creates a group (or a subgroup, with `parent_id`) whose administrator is the caller.
   * @throws {GroupsAPIError} `INVALID_REQUEST` (400) without a name.
   * @example
   * ```ts
   * const { id: groupId } = await groups.createGroup({ name: "Beamline 7 users", description: "…" });
   * ```
   */
  createGroup(data: CreateGroupDocument, options: GroupsCallOptions = {}): Promise<GroupDocument> {
    return this.#call("post", "groups", options, {}, data);
  }

  /**
   * Changes a group's name or description; administrators only.
   * @throws {GroupsAPIError} `FORBIDDEN` (403) for others, `GROUP_NOT_FOUND` (404).
   * @example
   * ```ts
   * await groups.updateGroup(groupId, { description: "Users of beamline 7" });
   * ```
   */
  updateGroup(
    groupId: string,
    data: Readonly<Record<string, unknown>>,
    options: GroupsCallOptions = {},
  ): Promise<GroupDocument> {
    return this.#call("put", `groups/${id(groupId)}`, options, {}, data);
  }

  /**
   * Deletes a group; administrators only. Resolves to the deleted group's document.
   * @throws {GroupsAPIError} `FORBIDDEN` (403) for others, `GROUP_NOT_FOUND` (404).
   * @example
   * ```ts
   * await groups.deleteGroup(groupId);
   * ```
   */
  deleteGroup(groupId: string, options: GroupsCallOptions = {}): Promise<GroupDocument> {
    return this.#call("delete", `groups/${id(groupId)}`, options);
  }

  /**
   * A group's policies: visibility, member visibility, join requests, signup fields, high assurance.
   * @example
   * ```ts
   * const { group_visibility, join_requests } = await groups.getGroupPolicies(groupId);
   * ```
   */
  getGroupPolicies(groupId: string, options: GroupsCallOptions = {}): Promise<GroupPoliciesDocument> {
    return this.#call("get", `groups/${id(groupId)}/policies`, options);
  }

  /**
   * Replaces a group's policies; administrators only. `is_high_assurance`, `group_visibility` and
   * `group_members_visibility` are required (see {@link GroupsManager.setGroupPolicies}).
   * @throws {GroupsAPIError} `INVALID_REQUEST` (400), `FORBIDDEN` (403).
   * @example
   * ```ts
   * await groups.setGroupPolicies(groupId, { is_high_assurance: false, group_visibility: "authenticated",
   *   group_members_visibility: "members", join_requests: true, signup_fields: ["institution"] });
   * ```
   */
  setGroupPolicies(
    groupId: string,
    data: GroupPoliciesDocument,
    options: GroupsCallOptions = {},
  ): Promise<GroupPoliciesDocument> {
    return this.#call("put", `groups/${id(groupId)}/policies`, options, {}, data);
  }

  /**
   * The caller's Groups preferences (`allow_add`: whether managers may add them without an invitation).
   * @example
   * ```ts
   * const { allow_add } = await groups.getIdentityPreferences();
   * ```
   */
  getIdentityPreferences(options: GroupsCallOptions = {}): Promise<IdentityPreferencesDocument> {
    return this.#call("get", "preferences", options);
  }

  /**
   * Changes the caller's Groups preferences.
   * @throws {GroupsAPIError} `INVALID_REQUEST` (400) for a bad document.
   * @example
   * ```ts
   * await groups.setIdentityPreferences({ allow_add: false }); // managers must invite me
   * ```
   */
  setIdentityPreferences(
    data: Partial<IdentityPreferencesDocument>,
    options: GroupsCallOptions = {},
  ): Promise<IdentityPreferencesDocument> {
    return this.#call("put", "preferences", options, {}, data);
  }

  /**
   * The caller's membership of a group, with its `membership_fields`.
   * @throws {GroupsAPIError} `MEMBERSHIP_NOT_FOUND` (404) when the caller has none.
   * @example
   * ```ts
   * const { membership_fields } = await groups.getMembershipFields(groupId);
   * ```
   */
  getMembershipFields(groupId: string, options: GroupsCallOptions = {}): Promise<MembershipDocument> {
    return this.#call("get", `groups/${id(groupId)}/membership_fields`, options);
  }

  /**
   * Sets the caller's membership fields for a group (`{ membership_fields: { institution: … } }`).
   * @throws {GroupsAPIError} `INVALID_REQUEST` (400) for a field Groups does not know.
   * @example
   * ```ts
   * await groups.setMembershipFields(groupId, { membership_fields: { institution: "Example University" } });
   * ```
   */
  setMembershipFields(
    groupId: string,
    data: Readonly<Record<string, unknown>>,
    options: GroupsCallOptions = {},
  ): Promise<MembershipDocument> {
    return this.#call("put", `groups/${id(groupId)}/membership_fields`, options, {}, data);
  }

  /**
   * Runs several membership actions at once. Each identity an action refuses is listed under
   * `errors` in the answer, not thrown; a malformed document is refused whole.
   * @throws {GroupsAPIError} `INVALID_REQUEST` (400) for an unknown action or item, `GROUP_NOT_FOUND` (404).
   * @example
   * ```ts
   * const result = await groups.batchMembershipAction(groupId, new BatchMembershipActions().addMembers(ids));
   * for (const refused of result.errors?.add ?? []) console.warn(refused.identity_id, refused.code);
   * ```
   */
  batchMembershipAction(
    groupId: string,
    actions: BatchMembershipActions | Readonly<Record<string, unknown>>,
    options: GroupsCallOptions = {},
  ): Promise<BatchMembershipActionsResult> {
    const body =
      typeof actions.toJSON === "function" ? (actions as BatchMembershipActions).toJSON() : actions;
    return this.#call("post", `groups/${id(groupId)}`, options, {}, body);
  }

  /**
   * Marks a group as verified by an administrator of a subscription (or clears it with `null`).
   * @throws {GroupsAPIError} `FORBIDDEN` (403) for others.
   * @example
   * ```ts
   * await groups.setSubscriptionAdminVerified(groupId, subscriptionId);
   * ```
   */
  setSubscriptionAdminVerified(
    groupId: string,
    subscriptionId: string | null,
    options: GroupsCallOptions = {},
  ): Promise<SubscriptionAdminVerifiedDocument> {
    return this.#call(
      "put",
      `groups/${id(groupId)}/subscription_admin_verified`,
      options,
      {},
      {
        subscription_admin_verified_id: subscriptionId,
      },
    );
  }
}
