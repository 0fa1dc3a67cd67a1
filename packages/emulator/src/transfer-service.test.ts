import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { serviceCalls } from "../test-support/service-call.ts";
import { formatBanner } from "./run-cli.ts";
import { SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT } from "./sample-data.ts";
import { type Emulator, startEmulator } from "./start-emulator.ts";
import { MAPPED_COLLECTION_ID, MFA_COLLECTION_ID } from "./transfer-collections.ts";

const TRANSFER = "urn:globus:auth:scope:transfer.api.globus.org:all";
const SOURCE = "abcdef01-2345-4678-9abc-def012345678";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.control.resetClock();
  emu.control.clearFaults();
});

const token = (identity?: string, extra: { mfa?: boolean } = {}): string =>
  emu.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope: TRANSFER, identity, ...extra })
    .access_token;

const { call } = serviceCalls(() => emu, "transfer", TRANSFER);

async function submit(
  item = { source_path: "/~/README.txt", destination_path: "/~/copy.txt" },
  as = token(),
) {
  const { body: id } = await call("v0.10/submission_id", { token: as });
  return call("v0.10/transfer", {
    method: "POST",
    token: as,
    body: {
      DATA_TYPE: "transfer",
      submission_id: id.value,
      source_endpoint: SOURCE,
      destination_endpoint: SOURCE,
      DATA: [{ DATA_TYPE: "transfer_item", ...item }],
    },
  });
}

describe("the fake Transfer's own port", () => {
  it("answers at its root and under <auth url>transfer/, and nothing else of the emulator", async () => {
    expect(emu.serviceUrls).toEqual({
      auth: emu.url,
      transfer: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/),
      groups: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/),
      search: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/),
      flows: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/),
      timer: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/),
      compute: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/),
    });
    expect(emu.serviceUrls.transfer).not.toBe(emu.url);
    const root = await call("v0.10/endpoint_search?filter_fulltext=tutorial");
    const mounted = await call("transfer/v0.10/endpoint_search?filter_fulltext=tutorial", { base: emu.url });
    expect(root.body).toEqual(mounted.body);
    expect((await call("_emulator/state")).status).toBe(404);
    expect((await call(".well-known/openid-configuration")).body).toMatchObject({
      code: "ClientError.NotFound",
    });
    expect(formatBanner(emu, false)).toContain(
      `GLOBUS_SDK_SERVICE_URL_TRANSFER=${emu.serviceUrls.transfer}\n`,
    );
  });

  it("checks the Host header against its own port, and answers CORS like the OAuth endpoints", async () => {
    const port = new URL(emu.serviceUrls.transfer).port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port, path: "/v0.10/submission_id", headers: { Host: "evil.example:80" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(403);
    const allowed = await call("v0.10/submission_id", { headers: { Origin: "http://localhost:5173" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    const refused = await call("v0.10/submission_id", { headers: { Origin: "https://evil.example" } });
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await fetch(new URL("v0.10/transfer", emu.serviceUrls.transfer), {
      method: "OPTIONS",
      headers: { Origin: "http://localhost:5173", "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
  });

  it("refuses bodies that are not JSON objects, and unknown methods", async () => {
    const notJson = await call("v0.10/bookmark", { method: "POST", body: "{oops" });
    expect(notJson).toMatchObject({ status: 400, body: { code: "ClientError.BadRequest" } });
    const form = await call("v0.10/bookmark", {
      method: "POST",
      body: "name=x",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(400);
    expect((await call("v0.10/bookmark", { method: "POST", body: [1] })).status).toBe(400);
    expect((await call("v0.10/task_list", { method: "DELETE" })).status).toBe(405);
    expect((await call("v0.10/task_list", { token: "nope" })).body).toMatchObject({
      code: "AuthenticationFailed",
    });
  });
});

describe("tasks on the emulator clock", () => {
  it("finish by themselves in real time within a few seconds", async () => {
    const { body } = await submit();
    expect(body).toMatchObject({ code: "Accepted", DATA_TYPE: "transfer_result", resource: "/transfer" });
    const deadline = Date.now() + 8000;
    let status = "ACTIVE";
    while (status === "ACTIVE" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = String((await call(`v0.10/task/${body.task_id}`)).body.status);
    }
    expect(status).toBe("SUCCEEDED");
  }, 15_000);

  it("checks MFA and data_access consent at submit, as for listings", async () => {
    const { body: id } = await call("v0.10/submission_id");
    const attempt = (to: string, as = token()) =>
      call("v0.10/transfer", {
        method: "POST",
        token: as,
        body: {
          DATA_TYPE: "transfer",
          submission_id: id.value,
          source_endpoint: SOURCE,
          destination_endpoint: to,
          DATA: [{ DATA_TYPE: "transfer_item", source_path: "/~/README.txt", destination_path: "/~/x" }],
        },
      });
    expect((await attempt(MFA_COLLECTION_ID)).body).toMatchObject({
      code: "AuthorizationRequired",
      authorization_parameters: { session_required_mfa: true },
    });
    expect((await attempt(MAPPED_COLLECTION_ID)).body).toMatchObject({
      code: "ConsentRequired",
      required_scopes: [`${TRANSFER}[*https://auth.globus.org/scopes/${MAPPED_COLLECTION_ID}/data_access]`],
    });
    expect((await attempt(MFA_COLLECTION_ID, token(undefined, { mfa: true }))).status).toBe(202);
  });

  it("keeps trees, tasks and bookmarks across --state-file restarts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "transfer-state-"));
    const stateFile = join(dir, "state.json");
    try {
      const first = await startEmulator({ stateFile });
      const ada = SAMPLE_IDENTITIES[0].id;
      const firstToken = first.control.issueTokens({
        clientId: SAMPLE_NATIVE_CLIENT.id,
        scope: TRANSFER,
        identity: ada,
      }).access_token;
      const base = first.serviceUrls.transfer;
      await call(`v0.10/operation/endpoint/${SOURCE}/mkdir`, {
        method: "POST",
        base,
        token: firstToken,
        body: { DATA_TYPE: "mkdir", path: "/~/kept/" },
      });
      const bookmark = await call("v0.10/bookmark", {
        method: "POST",
        base,
        token: firstToken,
        body: { name: "kept", endpoint_id: SOURCE, path: "/~/kept/" },
      });
      const { body: id } = await call("v0.10/submission_id", { base, token: firstToken });
      const task = await call("v0.10/transfer", {
        method: "POST",
        base,
        token: firstToken,
        body: {
          DATA_TYPE: "transfer",
          submission_id: id.value,
          source_endpoint: SOURCE,
          destination_endpoint: SOURCE,
          DATA: [{ DATA_TYPE: "transfer_item", source_path: "/~/data/", destination_path: "/~/kept/data/" }],
        },
      });
      await first.close();
      expect(JSON.parse(readFileSync(stateFile, "utf8")).transfer.tasks).toHaveLength(1);
      const second = await startEmulator({ stateFile });
      try {
        second.control.advanceClock(120);
        const again = { base: second.serviceUrls.transfer, token: firstToken };
        expect((await call(`v0.10/task/${task.body.task_id}`, again)).body).toMatchObject({
          status: "SUCCEEDED",
        });
        expect((await call(`v0.10/bookmark/${bookmark.body.id}`, again)).body).toMatchObject({
          name: "kept",
        });
        const listing = await call(`v0.10/operation/endpoint/${SOURCE}/ls?path=/~/kept/data/`, again);
        expect((listing.body.DATA as { name: string }[]).map((f) => f.name)).toEqual(["a.txt", "b.bin"]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("applies injected faults to Transfer requests", async () => {
    emu.control.injectFault({ endpoint: "transfer", kind: "server-error", status: 502 });
    expect((await call("v0.10/submission_id")).status).toBe(502);
    emu.control.injectFault({ endpoint: "transfer", kind: "rate-limit", retryAfter: 3 });
    const limited = await call("v0.10/submission_id");
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "3"]);
    emu.control.injectFault({ endpoint: "transfer", kind: "drop-response" });
    await expect(submit()).rejects.toThrow();
    const log = emu.control.requestLog(1)[0];
    expect(log).toMatchObject({ endpoint: "transfer", fault: "drop-response" });
    const tasks = await call("v0.10/task_list?limit=1");
    expect((tasks.body.DATA as { request_time: string }[]).length).toBe(1);
  });
});
