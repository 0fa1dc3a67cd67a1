import { AccessTokenAuthorizer } from "@globus-app/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "vitest/browser";
import type { StartedEmulator } from "../../../browser/test-support/emulator-commands.ts";
import { BatchMembershipActions, GroupsClient, GroupsManager, isGroupsAPIError } from "../index.ts";

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
});
