import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GROUPS_ALL_SCOPE, GROUPS_VIEW_SCOPE } from "./groups-routes.ts";
import { SAMPLE_GROUP_ID } from "./groups-store.ts";
import { SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT } from "./sample-data.ts";
import { type Emulator, startEmulator } from "./start-emulator.ts";

const [ADA, GRACE] = SAMPLE_IDENTITIES;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function stateFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "groups-state-"));
  dirs.push(dir);
  return join(dir, "state.json");
}

async function call(
  emu: Emulator,
  path: string,
  init: { method?: string; body?: unknown; as?: string } = {},
) {
  const token = emu.control.issueTokens({
    clientId: SAMPLE_NATIVE_CLIENT.id,
    scope: GROUPS_ALL_SCOPE,
    identity: init.as ?? ADA.id,
  }).access_token;
  const response = await fetch(new URL(path, emu.serviceUrls.groups), {
    method: init.method ?? "GET",
    headers: {
      Authorization: `Bearer ${token}`,
      ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("the fake Groups' state", () => {
  it("keeps groups, memberships, policies and preferences across --state-file restarts", async () => {
    const file = stateFile();
    const first = await startEmulator({ stateFile: file });
    const created = await call(first, "v2/groups", { method: "POST", body: { name: "kept" } });
    const id = created.body.id as string;
    await call(first, `v2/groups/${id}`, { method: "POST", body: { invite: [{ identity_id: GRACE.id }] } });
    await call(first, `v2/groups/${id}/policies`, {
      method: "PUT",
      body: {
        is_high_assurance: false,
        group_visibility: "authenticated",
        group_members_visibility: "members",
      },
    });
    await call(first, "v2/preferences", { method: "PUT", body: { allow_add: false }, as: GRACE.id });
    await first.close();
    const saved = JSON.parse(readFileSync(file, "utf8"));
    expect(saved.groups.groups.map((g: { name: string }) => g.name)).toEqual([
      "Emulator sample group",
      "kept",
    ]);

    const second = await startEmulator({ stateFile: file });
    try {
      const group = await call(second, `v2/groups/${id}?include=memberships,policies`);
      expect(group.body).toMatchObject({
        name: "kept",
        policies: { group_visibility: "authenticated" },
        memberships: [
          expect.objectContaining({ identity_id: ADA.id, role: "admin", status: "active" }),
          expect.objectContaining({ identity_id: GRACE.id, status: "invited" }),
        ],
      });
      expect((await call(second, "v2/preferences", { as: GRACE.id })).body).toEqual({ allow_add: false });
    } finally {
      await second.close();
    }
  });

  it("seeds the sample group into a state file of an older emulator, and refuses a broken groups section", async () => {
    const file = stateFile();
    const first = await startEmulator({ stateFile: file });
    await first.close();
    const saved = JSON.parse(readFileSync(file, "utf8"));
    delete saved.groups;
    writeFileSync(file, JSON.stringify(saved));
    const older = await startEmulator({ stateFile: file });
    try {
      expect((await call(older, `v2/groups/${SAMPLE_GROUP_ID}`)).status).toBe(200);
    } finally {
      await older.close();
    }
    writeFileSync(file, JSON.stringify({ ...saved, groups: { groups: [{ id: 1 }], preferences: {} } }));
    await expect(startEmulator({ stateFile: file })).rejects.toThrow(/not a globus-auth-emulator state file/);
  });
});

/** A request to the fake Groups with `token` (none when `null`), answered as status and JSON body. */
async function withToken(
  emu: Emulator,
  path: string,
  token: string | null,
  init: { method?: string; body?: unknown } = {},
) {
  const response = await fetch(new URL(path, emu.serviceUrls.groups), {
    method: init.method ?? "GET",
    headers: {
      ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
      ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("the fake Groups' tokens and scopes", () => {
  it("401 UNAUTHORIZED without a live Groups token; 403 INSUFFICIENT_SCOPE for a write with the view scope", async () => {
    const emu = await startEmulator();
    try {
      const tokenFor = (scope: string) =>
        emu.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope }).access_token;
      const unauthorized = (detail: string) => ({
        status: 401,
        body: { code: "UNAUTHORIZED", status: 401, detail: expect.stringContaining(detail) },
      });
      expect(await withToken(emu, "v2/groups/my_groups", null)).toEqual(unauthorized("No Authorization"));
      expect(await withToken(emu, "v2/groups/my_groups", "not-a-token")).toEqual(unauthorized("not active"));
      const transfer = tokenFor("urn:globus:auth:scope:transfer.api.globus.org:all");
      expect(await withToken(emu, "v2/groups/my_groups", transfer)).toEqual(
        unauthorized("groups.api.globus.org"),
      );

      const view = tokenFor(GROUPS_VIEW_SCOPE);
      expect((await withToken(emu, `v2/groups/${SAMPLE_GROUP_ID}`, view)).status).toBe(200);
      const write = await withToken(emu, "v2/groups", view, { method: "POST", body: { name: "x" } });
      expect(write).toEqual({
        status: 403,
        body: { code: "INSUFFICIENT_SCOPE", status: 403, detail: expect.stringContaining(GROUPS_ALL_SCOPE) },
      });
      const preferences = await withToken(emu, "v2/preferences", view, {
        method: "PUT",
        body: { allow_add: false },
      });
      expect(preferences.status).toBe(403);
      expect((await withToken(emu, "v2/preferences", tokenFor(GROUPS_ALL_SCOPE))).body).toEqual({
        allow_add: true,
      });

      // Expired and revoked tokens are dead.
      const all = tokenFor(GROUPS_ALL_SCOPE);
      emu.control.advanceClock(172_801);
      expect(await withToken(emu, "v2/groups/my_groups", all)).toEqual(unauthorized("not active"));
      emu.control.resetClock();
      emu.control.revokeAll();
      expect((await withToken(emu, "v2/groups/my_groups", all)).status).toBe(401);
    } finally {
      await emu.close();
    }
  });

  it("does the work of a request whose answer a drop-response fault loses", async () => {
    const emu = await startEmulator();
    try {
      emu.control.injectFault({ endpoint: "groups", kind: "drop-response" });
      await expect(
        call(emu, "v2/groups", { method: "POST", body: { name: "lost answer" } }),
      ).rejects.toThrow();
      const mine = (await call(emu, "v2/groups/my_groups")).body as unknown as { name: string }[];
      expect(mine.map((group) => group.name)).toContain("lost answer");
    } finally {
      await emu.close();
    }
  });
});
