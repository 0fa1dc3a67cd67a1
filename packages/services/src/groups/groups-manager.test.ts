import { type Emulator, startEmulator } from "@globus-app/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupsAs } from "../../test-support/groups-fixture.ts";
import { ADA, ALAN, GRACE } from "../../test-support/transfer-fixture.ts";
import { BatchMembershipActions } from "./batch-membership-actions.ts";
import { GroupsManager } from "./groups-manager.ts";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

const managerOf = (identity: string) => new GroupsManager(groupsAs(emu, identity));

/** The statuses and roles of a group's memberships, as its administrator sees them. */
async function roster(groupId: string): Promise<Record<string, string>> {
  const group = await groupsAs(emu, ADA.id).getGroup(groupId, { include: "memberships" });
  return Object.fromEntries((group.memberships ?? []).map((m) => [m.username, `${m.role}/${m.status}`]));
}

describe("BatchMembershipActions", () => {
  it("builds the batch document as the Python SDK does", () => {
    const actions = new BatchMembershipActions()
      .addMembers(["a", "b"])
      .addMembers("c", "admin")
      .inviteMembers(new Set(["d"]), "manager")
      .acceptInvites("e")
      .declineInvites("f")
      .approvePending("g")
      .rejectJoinRequests("h")
      .requestJoin("i", { institution: "Example University" })
      .join("j")
      .leave("k")
      .changeRoles("manager", ["l"])
      .removeMembers("m");
    expect(actions.toJSON()).toEqual({
      add: [
        { identity_id: "a", role: "member" },
        { identity_id: "b", role: "member" },
        { identity_id: "c", role: "admin" },
      ],
      invite: [{ identity_id: "d", role: "manager" }],
      accept: [{ identity_id: "e" }],
      decline: [{ identity_id: "f" }],
      approve: [{ identity_id: "g" }],
      reject: [{ identity_id: "h" }],
      request_join: [{ identity_id: "i", membership_fields: { institution: "Example University" } }],
      join: [{ identity_id: "j" }],
      leave: [{ identity_id: "k" }],
      change_role: [{ identity_id: "l", role: "manager" }],
      remove: [{ identity_id: "m" }],
    });
    expect(JSON.stringify(new BatchMembershipActions())).toBe("{}");
  });
});

describe("GroupsManager against the emulator's Groups", () => {
  it("runs a group's life: policies, join requests, roles, invitations, leaving and removal", async () => {
    const ada = managerOf(ADA.id);
    const grace = managerOf(GRACE.id);
    const alan = managerOf(ALAN.id);
    const group = await ada.createGroup("Beamline 7 users", "Who may book beamline 7");
    expect(group).toMatchObject({ name: "Beamline 7 users", description: "Who may book beamline 7" });
    const sub = await ada.createGroup("Beamline 7 staff", "staff", group.id);
    expect(sub.parent_id).toBe(group.id);

    // Private and without join requests: nobody can ask.
    const early = await grace.requestJoin(group.id, GRACE.id);
    expect(early.errors?.request_join?.[0]?.code).toBe("JOIN_REQUESTS_NOT_ALLOWED");
    const policies = await ada.setGroupPolicies(group.id, {
      isHighAssurance: false,
      groupVisibility: "authenticated",
      groupMembersVisibility: "members",
      joinRequests: true,
      signupFields: ["institution"],
    });
    expect(policies).toMatchObject({ join_requests: true, signup_fields: ["institution"] });

    const request = await grace.requestJoin(group.id, GRACE.id, { institution: "Example University" });
    expect(request.request_join?.[0]).toMatchObject({
      status: "pending",
      membership_fields: { institution: "Example University" },
    });
    // Only the identity itself asks; only a manager approves.
    expect((await alan.requestJoin(group.id, GRACE.id)).errors?.request_join?.[0]?.code).toBe(
      "PERMISSION_DENIED",
    );
    expect((await grace.approvePending(group.id, GRACE.id)).errors?.approve?.[0]?.code).toBe(
      "PERMISSION_DENIED",
    );
    expect((await ada.approvePending(group.id, GRACE.id)).approve?.[0]?.status).toBe("active");
    expect((await ada.changeRole(group.id, GRACE.id, "manager")).change_role?.[0]?.role).toBe("manager");
    // A manager cannot appoint administrators.
    expect((await grace.changeRole(group.id, GRACE.id, "admin")).errors?.change_role?.[0]?.code).toBe(
      "PERMISSION_DENIED",
    );

    // Invitations, declined then accepted (the short names too).
    expect((await grace.inviteMember(group.id, ALAN.id)).invite?.[0]).toMatchObject({
      status: "invited",
      invited_by: GRACE.id,
    });
    expect((await alan.declineInvite(group.id, ALAN.id)).decline?.[0]?.status).toBe("declined");
    expect((await grace.invite(group.id, ALAN.id)).invite?.[0]?.status).toBe("invited");
    expect((await alan.decline(group.id, ALAN.id)).decline?.[0]?.status).toBe("declined");
    await grace.invite(group.id, ALAN.id, "member");
    expect((await alan.accept(group.id, ALAN.id)).accept?.[0]?.status).toBe("active");
    expect(await roster(group.id)).toEqual({
      [ADA.username]: "admin/active",
      [GRACE.username]: "manager/active",
      [ALAN.username]: "member/active",
    });
    expect((await managerOf(ALAN.id).client.getMyGroups()).map((g) => g.id)).toContain(group.id);

    expect((await alan.leave(group.id, ALAN.id)).leave?.[0]?.status).toBe("left");
    expect((await ada.leave(group.id, ADA.id)).errors?.leave?.[0]?.code).toBe("LAST_ADMIN");
    expect((await ada.removeMember(group.id, GRACE.id)).remove?.[0]?.status).toBe("removed");
    expect((await ada.addMember(group.id, GRACE.id)).add?.[0]).toMatchObject({
      role: "member",
      status: "active",
    });
    expect((await ada.acceptInvite(group.id, GRACE.id)).errors?.accept?.[0]?.code).toBe("PERMISSION_DENIED");

    // Rejected join requests, and joining an open group without requests.
    await alan.requestJoin(group.id, ALAN.id);
    expect((await ada.rejectJoinRequest(group.id, ALAN.id)).reject?.[0]?.status).toBe("rejected");
    expect((await alan.join(group.id, ALAN.id)).errors?.join?.[0]?.code).toBe("JOIN_NOT_ALLOWED");
    await ada.setGroupPolicies(group.id, {
      isHighAssurance: false,
      groupVisibility: "authenticated",
      groupMembersVisibility: "managers",
    });
    expect((await alan.join(group.id, ALAN.id)).join?.[0]).toMatchObject({
      role: "member",
      status: "active",
    });

    const subscription = "5a1d0e7e-9c1b-4a50-8f57-0d3f8e6b1c22";
    expect(
      (await ada.setSubscriptionAdminVerified(group.id, subscription)).subscription_admin_verified_id,
    ).toBe(subscription);
    // Each membership call above was one batch POST to v2/groups/<id>.
    const log = emu.control.requestLog().filter((entry) => entry.endpoint === "groups");
    expect(
      log.filter((entry) => entry.method === "POST" && entry.path === `/groups/v2/groups/${group.id}`).length,
    ).toBe(22);
  });
});
