import { AccessTokenAuthorizer } from "@globus-app/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "vitest/browser";
import type { StartedEmulator } from "../../../browser/test-support/emulator-commands.ts";
import { GroupsClient, GroupsManager } from "../index.ts";

const GROUPS_ALL = "urn:globus:auth:scope:groups.api.globus.org:all";

let emu: StartedEmulator;
let ada: { id: string; username: string };
let grace: { id: string; username: string };
let alan: { id: string; username: string };
const managers: Record<string, GroupsManager> = {};
beforeAll(async () => {
  emu = await commands.startEmulator();
  [ada, grace, alan] = emu.identities as [typeof ada, typeof grace, typeof alan];
  for (const identity of emu.identities) {
    const tokens = await commands.emulatorControl(emu.id, "issueTokens", {
      clientId: emu.nativeClientId,
      scope: GROUPS_ALL,
      identity: identity.id,
    });
    managers[identity.id] = new GroupsManager(
      new GroupsClient({
        baseUrl: emu.groupsUrl,
        authorizer: new AccessTokenAuthorizer(tokens.access_token),
        retryLimit: 0,
      }),
    );
  }
});
afterAll(() => commands.stopEmulator(emu.id));

const as = (identity: { id: string }) => managers[identity.id] as GroupsManager;

/** Each member's `role/status`, as the group's administrator sees them. */
async function roster(groupId: string): Promise<Record<string, string>> {
  const group = await as(ada).client.getGroup(groupId, { include: "memberships" });
  return Object.fromEntries((group.memberships ?? []).map((m) => [m.username, `${m.role}/${m.status}`]));
}

describe("GroupsManager in Chromium", () => {
  it("creates a group and a subgroup, sets policies, and handles join requests and roles", async () => {
    const group = await as(ada).createGroup("browser beamline", "who may book it");
    expect(group).toMatchObject({
      name: "browser beamline",
      description: "who may book it",
      parent_id: null,
    });
    const sub = await as(ada).createGroup("browser staff", "staff", group.id);
    expect(sub.parent_id).toBe(group.id);
    expect(
      await as(ada).setGroupPolicies(group.id, {
        isHighAssurance: false,
        groupVisibility: "authenticated",
        groupMembersVisibility: "members",
        joinRequests: true,
        signupFields: ["institution"],
      }),
    ).toMatchObject({
      join_requests: true,
      signup_fields: ["institution"],
      group_visibility: "authenticated",
    });

    const asked = await as(grace).requestJoin(group.id, grace.id, { institution: "Example University" });
    expect(asked.request_join?.[0]).toMatchObject({
      identity_id: grace.id,
      status: "pending",
      membership_fields: { institution: "Example University" },
    });
    expect((await as(ada).approvePending(group.id, grace.id)).approve?.[0]?.status).toBe("active");
    expect((await as(ada).changeRole(group.id, grace.id, "manager")).change_role?.[0]?.role).toBe("manager");
    await as(alan).requestJoin(group.id, alan.id, { institution: "Elsewhere" });
    expect((await as(grace).rejectJoinRequest(group.id, alan.id)).reject?.[0]?.status).toBe("rejected");
    expect(await roster(group.id)).toMatchObject({
      [grace.username]: "manager/active",
      [alan.username]: "member/rejected",
    });
    const subscription = "5a1d0e7e-9c1b-4a50-8f57-0d3f8e6b1c22";
    expect(
      (await as(ada).setSubscriptionAdminVerified(group.id, subscription)).subscription_admin_verified_id,
    ).toBe(subscription);
  });

  it("invites, declines, accepts, joins, leaves, adds and removes members, with refusals under errors", async () => {
    const group = await as(ada).createGroup("browser invitations", "invited members");
    expect((await as(ada).inviteMember(group.id, alan.id, "manager")).invite?.[0]).toMatchObject({
      identity_id: alan.id,
      role: "manager",
      status: "invited",
      invited_by: ada.id,
    });
    expect((await as(alan).declineInvite(group.id, alan.id)).decline?.[0]?.status).toBe("declined");
    expect((await as(ada).invite(group.id, alan.id)).invite?.[0]?.status).toBe("invited");
    expect((await as(alan).decline(group.id, alan.id)).decline?.[0]?.status).toBe("declined");
    await as(ada).invite(group.id, alan.id);
    // Only the invited identity accepts its invitation.
    expect((await as(ada).acceptInvite(group.id, alan.id)).errors?.accept?.[0]?.code).toBe(
      "PERMISSION_DENIED",
    );
    expect((await as(alan).accept(group.id, alan.id)).accept?.[0]?.status).toBe("active");
    await as(ada).inviteMember(group.id, grace.id);
    expect((await as(grace).acceptInvite(group.id, grace.id)).accept?.[0]?.status).toBe("active");
    expect(await roster(group.id)).toEqual({
      [ada.username]: "admin/active",
      [alan.username]: "member/active",
      [grace.username]: "member/active",
    });

    expect((await as(alan).leave(group.id, alan.id)).leave?.[0]?.status).toBe("left");
    expect((await as(ada).leave(group.id, ada.id)).errors?.leave?.[0]?.code).toBe("LAST_ADMIN");
    expect((await as(ada).removeMember(group.id, grace.id)).remove?.[0]?.status).toBe("removed");
    expect((await as(ada).addMember(group.id, grace.id, "manager")).add?.[0]).toMatchObject({
      identity_id: grace.id,
      role: "manager",
      status: "active",
    });

    // Joining without a request needs a group visible to everyone signed in, without join requests.
    expect((await as(alan).join(group.id, alan.id)).errors?.join?.[0]?.code).toBeDefined();
    await as(ada).setGroupPolicies(group.id, {
      isHighAssurance: false,
      groupVisibility: "authenticated",
      groupMembersVisibility: "managers",
    });
    expect((await as(alan).join(group.id, alan.id)).join?.[0]).toMatchObject({
      identity_id: alan.id,
      role: "member",
      status: "active",
    });
    expect((await as(alan).client.getMyGroups()).map((g) => g.id)).toContain(group.id);
  });
});
