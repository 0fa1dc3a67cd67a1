import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ServiceAnswer, serviceCalls } from "../test-support/service-call.ts";
import { COMPUTE_ALL_SCOPE } from "./compute-routes.ts";
import { SAMPLE_COMPUTE_ENDPOINT_ID } from "./compute-store.ts";
import { formatBanner } from "./run-cli.ts";
import { SAMPLE_IDENTITIES } from "./sample-data.ts";
import { TRANSFER_ALL_SCOPE } from "./scope-registry.ts";
import { type Emulator, startEmulator } from "./start-emulator.ts";

const [ADA, GRACE] = SAMPLE_IDENTITIES;
const MISSING = "00000000-0000-4000-8000-000000000000";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.control.resetClock();
  emu.control.clearFaults();
});

const { tokenFor, call } = serviceCalls(() => emu, "compute", COMPUTE_ALL_SCOPE);
const json = (answer: ServiceAnswer) => answer.body as Record<string, unknown>;

/** Compute's error body: `{"code", "reason", "http_status_code"}`. */
const computeError = (code: string, status: number) => ({
  code,
  reason: expect.any(String),
  http_status_code: status,
});

async function register(name: string, init: { token?: string; base?: string; public?: boolean } = {}) {
  const answer = await call("v2/functions", {
    method: "POST",
    body: { function_name: name, function_code: "serialized", ...(init.public ? { public: true } : {}) },
    ...init,
  });
  expect(answer.status).toBe(200);
  return json(answer).function_uuid as string;
}
const payload = (...args: unknown[]) => JSON.stringify({ args, kwargs: {} });

describe("the fake Compute's own port", () => {
  it("answers at its root and under <auth url>compute/, with Compute's 404 and 405", async () => {
    const root = await call("v2/endpoints");
    expect(root.body).toEqual([expect.objectContaining({ uuid: SAMPLE_COMPUTE_ENDPOINT_ID })]);
    expect((await call("compute/v2/endpoints", { base: emu.url })).body).toEqual(root.body);
    expect(formatBanner(emu, false)).toContain(`GLOBUS_SDK_SERVICE_URL_COMPUTE=${emu.serviceUrls.compute}\n`);
    expect(await call("v2/nothing")).toMatchObject({ status: 404, body: computeError("NOT_FOUND", 404) });
    const wrong = await call("v2/submit");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toContain("POST");
  });

  it("answers CORS for loopback origins while a native client is registered, not for others", async () => {
    const allowed = await call("v2/version", { headers: { Origin: "http://[::1]:8080" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://[::1]:8080");
    const refused = await call("v2/version", { headers: { Origin: "https://evil.example" } });
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers the version as a string, or every component's with service=all", async () => {
    expect((await call("v2/version")).body).toEqual(expect.any(String));
    expect((await call("v2/version?service=all")).body).toMatchObject({
      api: expect.any(String),
      min_sdk_version: expect.any(String),
    });
    const status = json(await call(`v2/endpoints/${SAMPLE_COMPUTE_ENDPOINT_ID}/status`));
    expect(status).toMatchObject({ status: "online", details: { total_workers: expect.any(Number) } });
    expect(await call(`v2/endpoints/${MISSING}`)).toMatchObject({
      status: 404,
      body: computeError("ENDPOINT_NOT_FOUND", 404),
    });
    expect((await call(`v2/endpoints/${MISSING}/status`)).status).toBe(404);
  });
});

describe("tokens and scopes", () => {
  it("401 without a token, with a dead token, with another service's token; 403 without `all`", async () => {
    expect(await call("v2/endpoints", { token: null })).toMatchObject({
      status: 401,
      body: computeError("UNAUTHORIZED", 401),
    });
    expect((await call("v2/endpoints", { token: "nope" })).status).toBe(401);
    const transfer = await call("v2/endpoints", { token: tokenFor(TRANSFER_ALL_SCOPE) });
    expect(transfer).toMatchObject({ status: 401, body: computeError("UNAUTHORIZED", 401) });
    expect(JSON.stringify(transfer.body)).toContain("funcx_service");
    const other = tokenFor("https://auth.globus.org/scopes/facd7ccc-c5f4-42aa-916b-a0e270e2c2a9/not_all");
    expect(await call("v2/endpoints", { token: other })).toMatchObject({
      status: 403,
      body: computeError("FORBIDDEN", 403),
    });
    const revoked = tokenFor(COMPUTE_ALL_SCOPE);
    emu.control.revokeAll();
    expect((await call("v2/endpoints", { token: revoked })).status).toBe(401);
  });

  it("functions and tasks are their owner's (public functions anyone's); only the owner deletes", async () => {
    const grace = tokenFor(COMPUTE_ALL_SCOPE, GRACE.id);
    const privateFn = await register("echo");
    const publicFn = await register("hello_world", { public: true });
    expect(await call(`v2/functions/${privateFn}`, { token: grace })).toMatchObject({
      status: 404,
      body: computeError("FUNCTION_NOT_FOUND", 404),
    });
    expect(json(await call(`v2/functions/${publicFn}`, { token: grace }))).toMatchObject({
      function_name: "hello_world",
      public: true,
    });
    expect(await call(`v2/functions/${publicFn}`, { method: "DELETE", token: grace })).toMatchObject({
      status: 403,
      body: computeError("FORBIDDEN", 403),
    });
    const submitted = json(
      await call("v2/submit", {
        method: "POST",
        body: { tasks: [[publicFn, SAMPLE_COMPUTE_ENDPOINT_ID, ""]] },
      }),
    );
    const taskId = (submitted.results as { task_uuid: string }[])[0]?.task_uuid;
    expect(await call(`v2/tasks/${taskId}`, { token: grace })).toMatchObject({
      status: 404,
      body: computeError("TASK_NOT_FOUND", 404),
    });
    const batch = json(
      await call("v2/batch_status", { method: "POST", token: grace, body: { task_ids: [taskId] } }),
    );
    expect(batch).toEqual({
      response: "batch",
      results: { [taskId as string]: expect.objectContaining({ status: "unknown" }) },
    });
    expect(await call(`v2/taskgroup/${submitted.task_group_id}`, { token: grace })).toMatchObject({
      status: 404,
      body: computeError("TASK_GROUP_NOT_FOUND", 404),
    });
    expect(json(await call(`v2/functions/${privateFn}`, { method: "DELETE" }))).toEqual({
      result: 302,
      function_uuid: privateFn,
    });
    expect((await call(`v2/functions/${privateFn}`)).status).toBe(404);
  });
});

describe("errors shaped as Compute's", () => {
  it("400 BAD_REQUEST for bodies that are not JSON objects and for malformed submissions", async () => {
    expect(await call("v2/functions", { method: "POST", body: "{oops" })).toMatchObject({
      status: 400,
      body: computeError("BAD_REQUEST", 400),
    });
    expect((await call("v2/functions", { method: "POST", body: { function_code: "x" } })).status).toBe(400);
    expect((await call("v2/functions", { method: "POST", body: { function_name: "x" } })).status).toBe(400);
    expect((await call("v2/submit", { method: "POST", body: { tasks: [] } })).status).toBe(400);
    expect((await call("v2/submit", { method: "POST", body: { tasks: [["only one"]] } })).status).toBe(400);
    expect((await call("v2/batch_status", { method: "POST", body: { task_ids: [1] } })).status).toBe(400);
    const fn = await register("add");
    const v3 = (body: unknown, endpoint = SAMPLE_COMPUTE_ENDPOINT_ID) =>
      call(`v3/endpoints/${endpoint}/submit`, { method: "POST", body });
    expect((await v3({ tasks: {} })).status).toBe(400);
    expect((await v3({ tasks: { [fn]: "not a list" } })).status).toBe(400);
    expect(await v3({ tasks: { [fn]: [payload(1)] } }, MISSING)).toMatchObject({
      status: 404,
      body: computeError("ENDPOINT_NOT_FOUND", 404),
    });
    expect(await v3({ tasks: { [MISSING]: [payload(1)] } })).toMatchObject({
      status: 404,
      body: computeError("FUNCTION_NOT_FOUND", 404),
    });
    expect(
      await call("v2/submit", { method: "POST", body: { tasks: [[fn, MISSING, payload(1)]] } }),
    ).toMatchObject({ status: 404, body: computeError("ENDPOINT_NOT_FOUND", 404) });
  });
});

describe("tasks on the emulator clock", () => {
  it("wait a second for their results; v2 and v3 answers as Compute's, results JSON, failures as exceptions", async () => {
    const add = await register("add");
    const fail = await register("fail");
    const unknown = await register("my_own_code");
    const v2 = json(
      await call("v2/submit", {
        method: "POST",
        body: { tasks: [[add, SAMPLE_COMPUTE_ENDPOINT_ID, payload(2, 3)]] },
      }),
    );
    expect(v2).toEqual({
      response: "success",
      task_group_id: expect.any(String),
      results: [{ status: "success", task_uuid: expect.any(String), http_status_code: 200, reason: null }],
    });
    const v3 = json(
      await call(`v3/endpoints/${SAMPLE_COMPUTE_ENDPOINT_ID}/submit`, {
        method: "POST",
        body: {
          task_group_id: v2.task_group_id,
          tasks: { [add]: [payload(1, 1)], [fail]: [payload()], [unknown]: [payload()] },
        },
      }),
    );
    expect(v3).toMatchObject({
      request_id: expect.any(String),
      task_group_id: v2.task_group_id,
      endpoint_id: SAMPLE_COMPUTE_ENDPOINT_ID,
    });
    const five = (v2.results as { task_uuid: string }[])[0]?.task_uuid as string;
    const tasks = v3.tasks as Record<string, string[]>;
    expect(json(await call(`v2/tasks/${five}`))).toEqual({
      task_id: five,
      task_group_id: v2.task_group_id,
      status: "waiting-for-launch",
      pending: true,
    });
    emu.control.advanceClock(1);
    const done = json(await call(`v2/tasks/${five}`));
    expect(done).toMatchObject({ status: "success", pending: false, result: "5" });
    // Compute's completion_t is Unix seconds as a string.
    expect(done.completion_t).toMatch(/^\d+\.\d+$/);
    expect(Math.abs(Number(done.completion_t) - emu.control.now())).toBeLessThan(2);
    const batch = json(
      await call("v2/batch_status", {
        method: "POST",
        body: { task_ids: [tasks[add]?.[0], tasks[fail]?.[0], tasks[unknown]?.[0], MISSING] },
      }),
    );
    const results = batch.results as Record<string, Record<string, unknown>>;
    expect(results[tasks[add]?.[0] as string]).toMatchObject({ status: "success", result: "2" });
    expect(results[tasks[fail]?.[0] as string]).toMatchObject({
      status: "failed",
      exception: expect.stringContaining("ZeroDivisionError"),
    });
    expect(results[tasks[unknown]?.[0] as string]?.exception).toContain("NotImplementedError");
    expect(results[MISSING]).toMatchObject({ status: "unknown" });
    const group = json(await call(`v2/taskgroup/${v2.task_group_id}`));
    expect(group.taskgroup_id).toBe(v2.task_group_id);
    expect((group.tasks as { id: string }[]).map((t) => t.id).sort()).toEqual(
      [five, ...Object.values(tasks).flat()].sort(),
    );
  });
});

describe("faults and the state file", () => {
  it("applies injected faults to Compute requests", async () => {
    emu.control.injectFault({ endpoint: "compute", kind: "server-error", status: 502 });
    expect((await call("v2/endpoints")).status).toBe(502);
    emu.control.injectFault({ endpoint: "compute", kind: "rate-limit", retryAfter: 5 });
    const limited = await call("v2/endpoints");
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "5"]);
    emu.control.injectFault({ endpoint: "compute", kind: "latency", latencyMs: 150 });
    const started = performance.now();
    expect((await call("v2/endpoints")).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    emu.control.injectFault({ endpoint: "compute", kind: "drop-response" });
    await expect(
      call("v2/functions", { method: "POST", body: { function_name: "dropped", function_code: "x" } }),
    ).rejects.toThrow();
    expect(emu.control.requestLog(1)[0]).toMatchObject({ endpoint: "compute", fault: "drop-response" });
    expect(emu.control.requestCounts().compute).toBeGreaterThan(0);
  });

  it("keeps functions and tasks across --state-file restarts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "compute-state-"));
    const stateFile = join(dir, "state.json");
    try {
      const first = await startEmulator({ stateFile });
      const base = first.serviceUrls.compute;
      const token = tokenFor(COMPUTE_ALL_SCOPE, ADA.id, first);
      const fn = await register("echo", { base, token });
      const submitted = json(
        await call("v2/submit", {
          method: "POST",
          base,
          token,
          body: { tasks: [[fn, SAMPLE_COMPUTE_ENDPOINT_ID, payload("kept")]] },
        }),
      );
      const taskId = (submitted.results as { task_uuid: string }[])[0]?.task_uuid;
      await first.close();
      const saved = JSON.parse(readFileSync(stateFile, "utf8"));
      expect([saved.compute.functions.length, saved.compute.tasks.length]).toEqual([1, 1]);
      const second = await startEmulator({ stateFile });
      try {
        second.control.advanceClock(2);
        const again = {
          base: second.serviceUrls.compute,
          token: tokenFor(COMPUTE_ALL_SCOPE, ADA.id, second),
        };
        expect(json(await call(`v2/functions/${fn}`, again))).toMatchObject({ function_name: "echo" });
        expect(json(await call(`v2/tasks/${taskId}`, again))).toMatchObject({
          status: "success",
          result: JSON.stringify("kept"),
        });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
