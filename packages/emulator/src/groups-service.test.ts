import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GROUPS_ALL_SCOPE } from "./groups-routes.ts";
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
