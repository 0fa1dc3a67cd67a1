import {
  AccessTokenAuthorizer,
  isGlobusAPIError,
  MemoryTokenStorage,
  NativeAppAuthClient,
  UserApp,
} from "@globus-app/core";
import { EmulatorAutoApproveLoginFlow } from "@globus-app/core/testing/emulator";
import {
  type Emulator,
  GROUPS_VIEW_SCOPE,
  SAMPLE_GROUP_ID,
  SAMPLE_NATIVE_CLIENT,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { groupsAs, serviceToken } from "../../test-support/groups-fixture.ts";
import { ADA, ALAN, GRACE, rejection, TRANSFER_ALL } from "../../test-support/transfer-fixture.ts";
import { BatchMembershipActions } from "./batch-membership-actions.ts";
import { type GroupsAPIError, isGroupsAPIError } from "./groups-api-error.ts";
import { GroupsClient } from "./groups-client.ts";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ autoApprove: true });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.control.clearFaults();
  emu.control.resetCounts();
});

/** The GroupsAPIError a call fails with. */
async function apiError(promise: Promise<unknown>): Promise<GroupsAPIError> {
  const error = await rejection(promise);
  expect(isGroupsAPIError(error), String(error)).toBe(true);
  return error as GroupsAPIError;
}

/** A fresh group administered by `admin`, so that tests do not share memberships. */
async function freshGroup(admin = ADA.id, name = `group ${Math.random()}`) {
  return groupsAs(emu, admin).createGroup({ name, description: "for a test" });
}

describe("GroupsClient: the caller's groups", () => {
  it("lists active memberships by default, and others by status", async () => {
    const mine = await groupsAs(emu, ADA.id).getMyGroups();
    const sample = mine.find((group) => group.id === SAMPLE_GROUP_ID);
    expect(sample).toMatchObject({ name: "Emulator sample group", parent_id: null });
    expect(sample?.my_memberships).toEqual([
      expect.objectContaining({
        identity_id: ADA.id,
        role: "admin",
        status: "active",
        username: ADA.username,
      }),
    ]);
    const alan = groupsAs(emu, ALAN.id);
    expect((await alan.getMyGroups()).map((group) => group.id)).not.toContain(SAMPLE_GROUP_ID);
    const invited = await alan.getMyGroups({ statuses: "invited" });
    expect(invited.map((group) => group.id)).toContain(SAMPLE_GROUP_ID);
    expect(invited[0]?.my_memberships?.[0]?.status).toBe("invited");
    expect((await alan.getMyGroups({ statuses: new Set(["active", "invited"] as const) })).length).toBe(
      invited.length,
    );
    const log = emu.control.requestLog().filter((entry) => entry.endpoint === "groups");
    expect(log.map((entry) => `${entry.method} ${entry.path}`)).toContain("GET /groups/v2/groups/my_groups");
    expect(log.at(-1)?.params).toMatchObject({ statuses: "active,invited" });
    const refused = await apiError(alan.getMyGroups({ statuses: "bogus" as "active" }));
    expect(refused).toMatchObject({ status: 400, errorCode: "INVALID_REQUEST", name: "GroupsAPIError" });
    expect(refused.message).toContain("Invalid statuses 'bogus'");
    expect(isGlobusAPIError(refused)).toBe(true);
  });
});

describe("GroupsClient: groups", () => {
  it("gets a group with what include asks for, and refuses unknown and private ones", async () => {
    const ada = groupsAs(emu, ADA.id);
    const plain = await ada.getGroup(SAMPLE_GROUP_ID);
    expect(plain).toMatchObject({ id: SAMPLE_GROUP_ID, group_type: "regular" });
    expect(plain.memberships).toBeUndefined();
    const full = await ada.getGroup(SAMPLE_GROUP_ID, {
      include: ["memberships", "my_memberships", "policies", "allowed_actions", "child_ids"],
    });
    expect(full.memberships?.map((m) => [m.username, m.role, m.status])).toEqual([
      [ADA.username, "admin", "active"],
      [GRACE.username, "member", "active"],
      [ALAN.username, "member", "invited"],
    ]);
    expect(full.policies).toMatchObject({ group_visibility: "authenticated", join_requests: true });
    expect(full.allowed_actions).toMatchObject({ add: true, update_group: true, leave: true });
    expect(full.child_ids).toEqual([]);
    // A member sees active members only; an invited identity sees itself.
    const asGrace = await groupsAs(emu, GRACE.id).getGroup(SAMPLE_GROUP_ID, { include: "memberships" });
    expect(asGrace.memberships?.map((m) => m.status)).toEqual(["active", "active"]);
    const asAlan = await groupsAs(emu, ALAN.id).getGroup(SAMPLE_GROUP_ID, {
      include: ["memberships", "allowed_actions"],
    });
    expect(asAlan.memberships?.map((m) => m.identity_id)).toEqual([ALAN.id]);
    expect(asAlan.allowed_actions).toMatchObject({ accept: true, add: false });

    const missing = await apiError(ada.getGroup("00000000-0000-4000-8000-000000000000"));
    expect(missing).toMatchObject({ status: 404, errorCode: "GROUP_NOT_FOUND" });
    expect(missing.message).toContain("No group '00000000-0000-4000-8000-000000000000' was found");
    const { id } = await freshGroup(GRACE.id);
    expect(await apiError(ada.getGroup(id))).toMatchObject({ status: 403, errorCode: "FORBIDDEN" });
    expect(await apiError(ada.getGroup(SAMPLE_GROUP_ID, { include: "bogus" as "policies" }))).toMatchObject({
      status: 400,
    });
  });

  it("creates, updates and deletes groups and subgroups; administrators only", async () => {
    const grace = groupsAs(emu, GRACE.id);
    const parent = await grace.createGroup({ name: "Beamline 7", description: "users" });
    expect(parent).toMatchObject({ name: "Beamline 7", description: "users", parent_id: null });
    expect(parent.my_memberships?.[0]).toMatchObject({
      identity_id: GRACE.id,
      role: "admin",
      status: "active",
    });
    const child = await grace.createGroup({ name: "Beamline 7 staff", parent_id: parent.id });
    expect(child).toMatchObject({ parent_id: parent.id, description: null });
    expect((await grace.getGroup(parent.id, { include: "child_ids" })).child_ids).toEqual([child.id]);
    // Only an administrator of the parent makes subgroups of it.
    expect(
      await apiError(groupsAs(emu, ALAN.id).createGroup({ name: "x", parent_id: parent.id })),
    ).toMatchObject({ status: 403 });
    expect(await apiError(grace.createGroup({ name: "" }))).toMatchObject({ status: 400 });

    const updated = await grace.updateGroup(parent.id, { name: "Beamline 7 users" });
    expect(updated).toMatchObject({ name: "Beamline 7 users", description: "users" });
    expect((await grace.getGroup(parent.id)).name).toBe("Beamline 7 users");
    expect(await apiError(grace.updateGroup(parent.id, { parent_id: child.id }))).toMatchObject({
      status: 400,
    });
    await groupsAs(emu, GRACE.id).batchMembershipAction(
      parent.id,
      new BatchMembershipActions().addMembers(ALAN.id, "manager"),
    );
    // A manager is not an administrator.
    expect(await apiError(groupsAs(emu, ALAN.id).updateGroup(parent.id, { name: "mine" }))).toMatchObject({
      status: 403,
      errorCode: "FORBIDDEN",
    });

    const conflict = await apiError(grace.deleteGroup(parent.id));
    expect(conflict).toMatchObject({ status: 409, errorCode: "CONFLICT" });
    expect((await grace.deleteGroup(child.id)).id).toBe(child.id);
    expect((await grace.deleteGroup(parent.id)).name).toBe("Beamline 7 users");
    expect(await apiError(grace.getGroup(parent.id))).toMatchObject({ status: 404 });
  });

  it("gets and sets policies; administrators only, Groups' values only", async () => {
    const ada = groupsAs(emu, ADA.id);
    const { id } = await freshGroup();
    expect(await ada.getGroupPolicies(id)).toEqual({
      is_high_assurance: false,
      authentication_assurance_timeout: null,
      group_visibility: "private",
      group_members_visibility: "managers",
      join_requests: false,
      signup_fields: [],
    });
    const set = await ada.setGroupPolicies(id, {
      is_high_assurance: true,
      authentication_assurance_timeout: 3600,
      group_visibility: "authenticated",
      group_members_visibility: "members",
      join_requests: true,
      signup_fields: ["institution", "department"],
    });
    expect(set).toMatchObject({ is_high_assurance: true, signup_fields: ["institution", "department"] });
    expect(await ada.getGroupPolicies(id)).toEqual(set);
    expect((await ada.getGroup(id)).enforce_session).toBe(true);
    // Now visible to everyone signed in, but theirs to read only.
    const grace = groupsAs(emu, GRACE.id);
    expect((await grace.getGroupPolicies(id)).join_requests).toBe(true);
    expect(await apiError(grace.setGroupPolicies(id, set))).toMatchObject({ status: 403 });
    const bad = await apiError(
      ada.setGroupPolicies(id, { ...set, group_visibility: "everyone" as "private" }),
    );
    expect(bad).toMatchObject({ status: 400, errorCode: "INVALID_REQUEST" });
    expect(
      await apiError(ada.setGroupPolicies(id, { ...set, signup_fields: ["shoe_size" as "zip"] })),
    ).toMatchObject({ status: 400 });
  });
});

describe("GroupsClient: preferences and membership fields", () => {
  it("keeps allow_add, which decides whether a manager may add or must invite", async () => {
    const alan = groupsAs(emu, ALAN.id);
    expect(await alan.getIdentityPreferences()).toEqual({ allow_add: true });
    expect(await alan.setIdentityPreferences({ allow_add: false })).toEqual({ allow_add: false });
    expect(await alan.getIdentityPreferences()).toEqual({ allow_add: false });
    const { id } = await freshGroup();
    const ada = groupsAs(emu, ADA.id);
    const refused = await ada.batchMembershipAction(id, new BatchMembershipActions().addMembers(ALAN.id));
    expect(refused.add).toEqual([]);
    expect(refused.errors?.add).toEqual([
      expect.objectContaining({ identity_id: ALAN.id, code: "ADD_NOT_ALLOWED" }),
    ]);
    const invited = await ada.batchMembershipAction(id, new BatchMembershipActions().inviteMembers(ALAN.id));
    expect(invited.invite?.[0]).toMatchObject({ status: "invited", invited_by: ADA.id });
    await alan.setIdentityPreferences({ allow_add: true });
    expect(
      await apiError(alan.setIdentityPreferences({ allow_add: "yes" as unknown as boolean })),
    ).toMatchObject({
      status: 400,
    });
  });

  it("gets and sets the caller's own membership fields", async () => {
    const { id } = await freshGroup();
    const ada = groupsAs(emu, ADA.id);
    expect(await ada.getMembershipFields(id)).toMatchObject({ identity_id: ADA.id, membership_fields: {} });
    const set = await ada.setMembershipFields(id, {
      membership_fields: { institution: "Example University", department: "Physics" },
    });
    expect(set.membership_fields).toEqual({ institution: "Example University", department: "Physics" });
    expect((await ada.getMembershipFields(id)).membership_fields.department).toBe("Physics");
    expect(
      await apiError(ada.setMembershipFields(id, { membership_fields: { shoe_size: "9" } })),
    ).toMatchObject({ status: 400 });
    const stranger = await apiError(groupsAs(emu, GRACE.id).getMembershipFields(id));
    expect(stranger).toMatchObject({ status: 404, errorCode: "MEMBERSHIP_NOT_FOUND" });
  });
});

describe("GroupsClient: batch membership actions", () => {
  it("runs several actions at once, lists refusals under errors, and refuses a malformed batch whole", async () => {
    const { id } = await freshGroup();
    const ada = groupsAs(emu, ADA.id);
    const result = await ada.batchMembershipAction(
      id,
      new BatchMembershipActions()
        .addMembers([GRACE.id], "manager")
        .inviteMembers(ALAN.id)
        .acceptInvites(GRACE.id)
        .removeMembers(ADA.id),
    );
    expect(result.add?.map((m) => [m.identity_id, m.role, m.status])).toEqual([
      [GRACE.id, "manager", "active"],
    ]);
    expect(result.invite?.map((m) => m.status)).toEqual(["invited"]);
    expect(result.errors).toEqual({
      accept: [expect.objectContaining({ identity_id: GRACE.id, code: "PERMISSION_DENIED" })],
      remove: [expect.objectContaining({ identity_id: ADA.id, code: "LAST_ADMIN" })],
    });
    // A plain document works as well as the builder.
    const raw = await ada.batchMembershipAction(id, {
      change_role: [{ identity_id: GRACE.id, role: "member" }],
    });
    expect(raw.change_role?.[0]?.role).toBe("member");

    const malformed = await apiError(
      ada.batchMembershipAction(id, {
        add: [{ identity_id: ALAN.id }],
        promote: [{ identity_id: GRACE.id }],
      }),
    );
    expect(malformed).toMatchObject({ status: 400, errorCode: "INVALID_REQUEST" });
    expect(
      await apiError(ada.batchMembershipAction(id, { add: [{ identity_id: "not-a-uuid" }] })),
    ).toMatchObject({
      status: 400,
    });
    const group = await ada.getGroup(id, { include: "memberships" });
    expect(group.memberships?.find((m) => m.identity_id === ALAN.id)?.status).toBe("invited");
    const unknown = await ada.batchMembershipAction(
      id,
      new BatchMembershipActions().addMembers("00000000-0000-4000-8000-000000000000"),
    );
    expect(unknown.errors?.add?.[0]?.code).toBe("IDENTITY_NOT_FOUND");
    expect(
      await apiError(ada.batchMembershipAction("00000000-0000-4000-8000-000000000000", {})),
    ).toMatchObject({
      status: 404,
    });
  });

  it("marks a group as verified by a subscription administrator", async () => {
    const { id } = await freshGroup();
    const ada = groupsAs(emu, ADA.id);
    const subscription = "5a1d0e7e-9c1b-4a50-8f57-0d3f8e6b1c22";
    expect(await ada.setSubscriptionAdminVerified(id, subscription)).toEqual({
      group_id: id,
      subscription_admin_verified_id: subscription,
    });
    expect((await ada.getGroup(id)).subscription_admin_verified_id).toBe(subscription);
    expect((await ada.setSubscriptionAdminVerified(id, null)).subscription_admin_verified_id).toBeNull();
    expect(await apiError(ada.setSubscriptionAdminVerified(id, "nope"))).toMatchObject({ status: 400 });
  });
});

describe("GroupsClient: tokens, scopes, retries, an app", () => {
  it("reads with the view scope but changes nothing, and refuses other services' tokens", async () => {
    const viewer = groupsAs(emu, ADA.id, { scope: GROUPS_VIEW_SCOPE });
    expect((await viewer.getMyGroups()).length).toBeGreaterThan(0);
    expect(await viewer.getGroupPolicies(SAMPLE_GROUP_ID)).toMatchObject({ join_requests: true });
    const refused = await apiError(viewer.createGroup({ name: "x" }));
    expect(refused).toMatchObject({ status: 403, errorCode: "INSUFFICIENT_SCOPE" });
    const transferToken = new GroupsClient({
      baseUrl: emu.serviceUrls.groups,
      authorizer: new AccessTokenAuthorizer(serviceToken(emu, TRANSFER_ALL)),
      retryLimit: 0,
    });
    expect(await apiError(transferToken.getMyGroups())).toMatchObject({
      status: 401,
      errorCode: "UNAUTHORIZED",
    });
    const anonymous = new GroupsClient({ baseUrl: emu.serviceUrls.groups, retryLimit: 0 });
    expect(await apiError(anonymous.getMyGroups())).toMatchObject({ status: 401 });
  });

  it("retries a 503 and a dropped connection, and is served under <auth url>groups/ too", async () => {
    const groups = groupsAs(emu, ADA.id, { retryLimit: 2 });
    emu.control.injectFault({ endpoint: "groups", kind: "server-error", status: 503 });
    emu.control.injectFault({ endpoint: "groups", kind: "drop-connection" });
    expect((await groups.getGroup(SAMPLE_GROUP_ID)).id).toBe(SAMPLE_GROUP_ID);
    expect(emu.control.requestCounts().groups).toBe(3);
    const mounted = new GroupsClient({
      baseUrl: `${emu.url}groups/`,
      authorizer: new AccessTokenAuthorizer(
        serviceToken(emu, "urn:globus:auth:scope:groups.api.globus.org:all"),
      ),
    });
    expect((await mounted.getGroup(SAMPLE_GROUP_ID)).name).toBe("Emulator sample group");
  });

  it("bound to an app, registers groups:all and uses the app's token", async () => {
    const loginClient = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    await using app = new UserApp(`groups-app-${Math.random()}`, {
      loginClient,
      config: {
        tokenStorage: new MemoryTokenStorage(),
        loginFlowManager: new EmulatorAutoApproveLoginFlow(loginClient, { requestRefreshTokens: false }),
      },
    });
    const groups = new GroupsClient({ app, baseUrl: emu.serviceUrls.groups });
    expect(app.scopeRequirements["groups.api.globus.org"]?.map(String)).toEqual([
      "urn:globus:auth:scope:groups.api.globus.org:all",
    ]);
    await app.login();
    const mine = await groups.getMyGroups();
    expect(mine.map((group) => group.id)).toContain(SAMPLE_GROUP_ID);
  });
});
