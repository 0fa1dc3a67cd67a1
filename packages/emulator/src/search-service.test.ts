import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SAMPLE_NATIVE_CLIENT } from "./sample-data.ts";
import { SEARCH_ALL_SCOPE, SEARCH_INGEST_SCOPE, SEARCH_SEARCH_SCOPE } from "./scope-registry.ts";
import { SAMPLE_INDEX_ID } from "./search-store.ts";
import { type Emulator, startEmulator } from "./start-emulator.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function call(
  emu: Emulator,
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
) {
  const token =
    init.token ??
    emu.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope: SEARCH_ALL_SCOPE }).access_token;
  const response = await fetch(new URL(path, emu.serviceUrls.search), {
    method: init.method ?? "GET",
    headers: {
      Authorization: `Bearer ${token}`,
      ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("the fake Search's state", () => {
  it("keeps indices, entries, roles and tasks across --state-file restarts; pending tasks run after", async () => {
    const dir = mkdtempSync(join(tmpdir(), "search-state-"));
    dirs.push(dir);
    const stateFile = join(dir, "state.json");
    const first = await startEmulator({ stateFile });
    const token = first.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: SEARCH_ALL_SCOPE,
    }).access_token;
    const index = await call(first, "v1/index", { method: "POST", body: { display_name: "kept" }, token });
    const id = index.body.id as string;
    const task = await call(first, `v1/index/${id}/ingest`, {
      method: "POST",
      token,
      body: {
        ingest_type: "GMetaEntry",
        ingest_data: { subject: "s", visible_to: ["public"], content: { a: 1 } },
      },
    });
    await first.close();
    expect(JSON.parse(readFileSync(stateFile, "utf8")).search.tasks).toHaveLength(1);

    const second = await startEmulator({ stateFile });
    try {
      second.control.advanceClock(5);
      const again = { token };
      expect((await call(second, `v1/task/${task.body.task_id}`, again)).body).toMatchObject({
        state: "SUCCESS",
      });
      expect((await call(second, `v1/index/${id}/subject?subject=s`, again)).body).toMatchObject({
        "@datatype": "GMetaResult",
        subject: "s",
        entries: [{ content: { a: 1 }, entry_id: null }],
      });
      expect((await call(second, `v1/index/${id}`, again)).body).toMatchObject({
        display_name: "kept",
        permissions: ["owner"],
        num_entries: 1,
      });
      expect((await call(second, `v1/index/${SAMPLE_INDEX_ID}`, again)).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it("answers Search's GError documents", async () => {
    const emu = await startEmulator();
    try {
      const missing = await call(emu, "v1/index/00000000-0000-4000-8000-000000000000");
      expect(missing).toMatchObject({
        status: 404,
        body: {
          "@datatype": "GError",
          status: 404,
          code: "NotFound.NoSuchIndex",
          request_id: expect.any(String),
        },
      });
      const bad = await call(emu, `v1/index/${SAMPLE_INDEX_ID}/search`, { method: "POST", body: { q: 1 } });
      expect(bad.body).toMatchObject({ "@datatype": "GError", status: 400, code: "BadRequest.InvalidQuery" });
      const expired = await call(emu, "v1/index_list", { token: "expired-or-unknown" });
      expect(expired.body).toMatchObject({ status: 401, code: "AuthenticationFailed" });
    } finally {
      await emu.close();
    }
  });
});

describe("the fake Search's tokens, scopes and conflicts", () => {
  it("queries anonymously; 401 AuthenticationFailed for a dead token or a write without one; 403 for a scope short of the call", async () => {
    const emu = await startEmulator();
    try {
      const tokenFor = (scope: string) =>
        emu.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope }).access_token;
      const gError = (status: number, code: string) => ({
        status,
        body: {
          "@datatype": "GError",
          "@version": "2017-09-01",
          status,
          code,
          message: expect.any(String),
          request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
        },
      });
      const anonymous = await fetch(
        new URL(`v1/index/${SAMPLE_INDEX_ID}/search?q=*`, emu.serviceUrls.search),
      );
      expect(anonymous.status).toBe(200);
      expect(((await anonymous.json()) as { total: number }).total).toBe(10);
      const anonymousWrite = await fetch(new URL("v1/index", emu.serviceUrls.search), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ display_name: "x", description: "y" }),
      });
      expect({ status: anonymousWrite.status, body: await anonymousWrite.json() }).toEqual(
        gError(401, "AuthenticationFailed"),
      );
      const transfer = tokenFor("urn:globus:auth:scope:transfer.api.globus.org:all");
      const refused = await call(emu, `v1/index/${SAMPLE_INDEX_ID}/search?q=*`, { token: transfer });
      expect(refused).toEqual(gError(401, "AuthenticationFailed"));
      expect(refused.body.message).toContain("search.api.globus.org");

      const searcher = tokenFor(SEARCH_SEARCH_SCOPE);
      expect((await call(emu, `v1/index/${SAMPLE_INDEX_ID}/search?q=*`, { token: searcher })).status).toBe(
        200,
      );
      const entry = {
        ingest_type: "GMetaEntry",
        ingest_data: { subject: "x", visible_to: ["public"], content: {} },
      };
      expect(
        await call(emu, `v1/index/${SAMPLE_INDEX_ID}/ingest`, {
          method: "POST",
          body: entry,
          token: searcher,
        }),
      ).toEqual(gError(403, "Forbidden.InsufficientScope"));
      const ingester = tokenFor(SEARCH_INGEST_SCOPE);
      expect(
        (
          await call(emu, `v1/index/${SAMPLE_INDEX_ID}/ingest`, {
            method: "POST",
            body: entry,
            token: ingester,
          })
        ).status,
      ).toBe(200);
      expect(
        await call(emu, "v1/index", {
          method: "POST",
          body: { display_name: "x", description: "y" },
          token: ingester,
        }),
      ).toEqual(gError(403, "Forbidden.InsufficientScope"));

      const all = tokenFor(SEARCH_ALL_SCOPE);
      emu.control.revokeAll();
      expect(await call(emu, "v1/index_list", { token: all })).toEqual(gError(401, "AuthenticationFailed"));
    } finally {
      await emu.close();
    }
  });

  it("answers 409 Conflict.IncompatibleIndexStatus, as Search does, for an index in the wrong status", async () => {
    const emu = await startEmulator();
    try {
      const { body } = await call(emu, "v1/index", {
        method: "POST",
        body: { display_name: "d", description: "e" },
      });
      const id = body.id as string;
      expect((await call(emu, `v1/index/${id}`, { method: "DELETE" })).status).toBe(200);
      const again = await call(emu, `v1/index/${id}`, { method: "DELETE" });
      expect(again).toMatchObject({
        status: 409,
        body: {
          code: "Conflict.IncompatibleIndexStatus",
          message: "Index status (delete_pending) did not match required status for this operation: open",
        },
      });
      expect((await call(emu, `v1/index/${id}/reopen`, { method: "POST" })).status).toBe(200);
      expect(await call(emu, `v1/index/${id}/reopen`, { method: "POST" })).toMatchObject({
        status: 409,
        body: {
          code: "Conflict.IncompatibleIndexStatus",
          message: "Index status (open) did not match required status for this operation: delete_pending",
        },
      });
    } finally {
      await emu.close();
    }
  });
});
