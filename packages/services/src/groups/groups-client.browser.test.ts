import { AccessTokenAuthorizer } from "@globus-app/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "vitest/browser";
import type { StartedEmulator } from "../../../browser/test-support/emulator-commands.ts";
import {
  BatchMembershipActions,
  type GroupPoliciesDocument,
  GroupsClient,
  GroupsManager,
  isGroupsAPIError,
} from "../index.ts";

const GROUPS_ALL = "urn:globus:auth:scope:groups.api.globus.org:all";

let emu: StartedEmulator;
const clients: Record<string, GroupsClient> = {};
beforeAll(async () => {
  emu = await commands.startEmulator();
  for (const identity of emu.identities) {
    const tokens = await commands.emulatorControl(emu.id, "issueTokens", {
      clientId: emu.nativeClientId,
      scope: GROUPS_ALL,
      identity: identity.id,
    });
    clients[identity.username] = new GroupsClient({
      baseUrl: emu.groupsUrl,
      authorizer: new AccessTokenAuthorizer(tokens.access_token),
      retryLimit: 0,
    });
  }
});
afterAll(() => commands.stopEmulator(emu.id));

describe("GroupsClient in Chromium", () => {
  it("creates a group, changes memberships and reads them back against the emulator's Groups port (CORS)", async () => {
    const [ada, grace] = emu.identities as [
      { id: string; username: string },
      { id: string; username: string },
    ];
    const admin = clients[ada.username] as GroupsClient;
    const group = await admin.createGroup({ name: "from the browser" });
    const result = await admin.batchMembershipAction(
      group.id,
      new BatchMembershipActions().inviteMembers(grace.id, "manager"),
    );
    expect(result.invite?.[0]?.status).toBe("invited");
    await new GroupsManager(clients[grace.username] as GroupsClient).acceptInvite(group.id, grace.id);
    const read = await admin.getGroup(group.id, { include: ["memberships", "policies"] });
    expect(read.memberships?.map((m) => [m.username, m.role, m.status])).toEqual([
      [ada.username, "admin", "active"],
      [grace.username, "manager", "active"],
    ]);
    const mine = await (clients[grace.username] as GroupsClient).getMyGroups();
    expect(mine.map((g) => g.id)).toContain(group.id);
    const error = await admin.getGroup("00000000-0000-4000-8000-000000000000").catch((e: unknown) => e);
    expect(isGroupsAPIError(error) && error.errorCode).toBe("GROUP_NOT_FOUND");
  });

  it("updates, sets policies, preferences, membership fields and verification, then deletes a group", async () => {
    const [ada, grace] = emu.identities as [
      { id: string; username: string },
      { id: string; username: string },
    ];
    const admin = clients[ada.username] as GroupsClient;
    const other = clients[grace.username] as GroupsClient;
    const group = await admin.createGroup({ name: "browser policies", description: "before" });
    const updated = await admin.updateGroup(group.id, { name: "browser policies, renamed" });
    expect(updated).toMatchObject({ id: group.id, name: "browser policies, renamed", description: "before" });

    expect(await admin.getGroupPolicies(group.id)).toMatchObject({
      group_visibility: "private",
      join_requests: false,
    });
    const policies: GroupPoliciesDocument = {
      is_high_assurance: false,
      group_visibility: "authenticated",
      group_members_visibility: "members",
      join_requests: true,
      signup_fields: ["institution"],
    };
    expect(await admin.setGroupPolicies(group.id, policies)).toMatchObject(policies);
    // Visible to everyone signed in now, but only its administrator changes it.
    expect((await other.getGroupPolicies(group.id)).signup_fields).toEqual(["institution"]);
    const refused = await other.setGroupPolicies(group.id, policies).catch((e: unknown) => e);
    expect(isGroupsAPIError(refused) && [refused.status, refused.errorCode]).toEqual([403, "FORBIDDEN"]);

    expect(await other.setIdentityPreferences({ allow_add: false })).toEqual({ allow_add: false });
    expect(await other.getIdentityPreferences()).toEqual({ allow_add: false });
    const added = await admin.batchMembershipAction(
      group.id,
      new BatchMembershipActions().addMembers(grace.id),
    );
    expect(added.errors?.add?.[0]).toMatchObject({ identity_id: grace.id, code: "ADD_NOT_ALLOWED" });
    await other.setIdentityPreferences({ allow_add: true });

    const fields = await admin.setMembershipFields(group.id, {
      membership_fields: { institution: "Example University" },
    });
    expect(fields).toMatchObject({
      identity_id: ada.id,
      membership_fields: { institution: "Example University" },
    });
    expect((await admin.getMembershipFields(group.id)).membership_fields).toEqual({
      institution: "Example University",
    });

    const subscription = "5a1d0e7e-9c1b-4a50-8f57-0d3f8e6b1c22";
    expect(await admin.setSubscriptionAdminVerified(group.id, subscription)).toEqual({
      group_id: group.id,
      subscription_admin_verified_id: subscription,
    });
    expect((await admin.getGroup(group.id)).subscription_admin_verified_id).toBe(subscription);

    expect((await admin.deleteGroup(group.id)).id).toBe(group.id);
    const gone = await admin.getGroup(group.id).catch((e: unknown) => e);
    expect(isGroupsAPIError(gone) && gone.status).toBe(404);
  });
});
