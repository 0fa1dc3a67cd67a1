import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { serviceCalls } from "../test-support/service-call.ts";
import { formatBanner } from "./run-cli.ts";
import { SAMPLE_IDENTITIES } from "./sample-data.ts";
import { TRANSFER_ALL_SCOPE } from "./scope-registry.ts";
import { type Emulator, startEmulator } from "./start-emulator.ts";
import { TIMERS_RESOURCE_SERVER, TIMERS_SCOPE } from "./timers-routes.ts";
import { type TimerRecord, TimersStore } from "./timers-store.ts";

const [ADA, GRACE] = SAMPLE_IDENTITIES;
const CONSENTED = `${TIMERS_SCOPE}[${TRANSFER_ALL_SCOPE}]`;
const TUTORIAL_1 = "f6cd964d-7ab7-44cf-8a05-777a55f598ee";
const TUTORIAL_2 = "2ddeacb8-1052-43eb-9863-d437ef0fa9c0";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.control.resetClock();
  emu.control.clearFaults();
});

const { tokenFor, call } = serviceCalls(() => emu, "timer", CONSENTED);

const transferBody = (label = "timed") => ({
  DATA_TYPE: "transfer",
  source_endpoint: TUTORIAL_1,
  destination_endpoint: TUTORIAL_2,
  label,
  DATA: [{ DATA_TYPE: "transfer_item", source_path: "/~/README.txt", destination_path: "/~/timed.txt" }],
});
const timer = (schedule: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  timer: { timer_type: "transfer", name: "t", schedule, body: transferBody(), ...extra },
});
const create = (schedule: Record<string, unknown>, init: { token?: string; base?: string } = {}) =>
  call("v2/timer", { method: "POST", body: timer(schedule), ...init });

/** Timers' error body: `{"error": {"code", "detail", "status"}}`. */
const timersError = (code: string, status: number) => ({
  error: { code, detail: expect.any(String), status },
});

/** Ada's Transfer tasks, newest first. */
async function transferTasks(
  on: Emulator = emu,
): Promise<{ task_id: string; label: string; owner_id: string }[]> {
  const response = await fetch(new URL("v0.10/task_list?limit=1000", on.serviceUrls.transfer), {
    headers: { Authorization: `Bearer ${tokenFor(TRANSFER_ALL_SCOPE, ADA.id, on)}` },
  });
  return ((await response.json()) as { DATA: [] }).DATA;
}

describe("the fake Timers' own port", () => {
  it("answers at its root and under <auth url>timer/, with Timers' 404 and 405", async () => {
    const root = await call("jobs/");
    expect(root).toMatchObject({ status: 200, body: { jobs: expect.any(Array) } });
    const mounted = await call("timer/jobs/", { base: emu.url });
    expect(mounted.body).toEqual(root.body);
    expect(formatBanner(emu, false)).toContain(`GLOBUS_SDK_SERVICE_URL_TIMER=${emu.serviceUrls.timer}\n`);
    expect(await call("no/such/path")).toMatchObject({ status: 404, body: timersError("NOT_FOUND", 404) });
    const wrong = await call("v2/timer");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toContain("POST");
  });

  it("answers CORS for loopback origins while a native client is registered, not for others", async () => {
    const allowed = await call("jobs/", { headers: { Origin: "http://127.0.0.1:5173" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:5173");
    const refused = await call("jobs/", { headers: { Origin: "https://evil.example" } });
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await fetch(new URL("jobs/x", emu.serviceUrls.timer), {
      method: "OPTIONS",
      headers: { Origin: "http://127.0.0.1:5173", "Access-Control-Request-Method": "PATCH" },
    });
    expect(preflight.status).toBe(204);
  });
});

describe("tokens and scopes", () => {
  it("401 without a token, with a dead token, with another service's token; 403 without `timer`", async () => {
    expect(await call("jobs/", { token: null })).toMatchObject({
      status: 401,
      body: timersError("UNAUTHORIZED", 401),
    });
    expect((await call("jobs/", { token: "nope" })).body).toMatchObject(timersError("UNAUTHORIZED", 401));
    const transfer = await call("jobs/", { token: tokenFor(TRANSFER_ALL_SCOPE) });
    expect(transfer).toMatchObject({ status: 401, body: timersError("UNAUTHORIZED", 401) });
    expect(JSON.stringify(transfer.body)).toContain(TIMERS_RESOURCE_SERVER);
    const otherScope = tokenFor(`https://auth.globus.org/scopes/${TIMERS_RESOURCE_SERVER}/not_timer`);
    expect(await call("jobs/", { token: otherScope })).toMatchObject({
      status: 403,
      body: timersError("FORBIDDEN", 403),
    });
    const revoked = tokenFor(CONSENTED);
    emu.control.revokeAll();
    expect((await call("jobs/", { token: revoked })).status).toBe(401);
  });

  it("a transfer timer needs Transfer consented under `timer`: 403 ConsentRequired with a GARE", async () => {
    const refused = await create({ type: "once" }, { token: tokenFor(TIMERS_SCOPE) });
    expect(refused).toMatchObject({
      status: 403,
      body: {
        code: "ConsentRequired",
        error: { code: "ConsentRequired", status: 403 },
        authorization_parameters: {
          session_message: expect.any(String),
          required_scopes: [CONSENTED],
        },
      },
    });
  });

  it("timers are their owner's: another identity gets 404", async () => {
    const made = await create({ type: "once", datetime: "2099-01-01T00:00:00Z" });
    const id = (made.body.timer as { job_id: string }).job_id;
    const grace = tokenFor(CONSENTED, GRACE.id);
    expect(await call(`jobs/${id}`, { token: grace })).toMatchObject({
      status: 404,
      body: timersError("NOT_FOUND", 404),
    });
    expect((await call("jobs/", { token: grace })).body.jobs).toEqual([]);
    expect((await call(`jobs/${id}/pause`, { method: "POST", token: grace })).status).toBe(404);
    expect((await call("jobs/not-a-uuid")).status).toBe(404);
  });
});

describe("errors shaped as Timers'", () => {
  it("422 as FastAPI's validation errors: detail a list of {loc, msg, type}", async () => {
    const short = await create({ type: "recurring", interval_seconds: 10 });
    expect(short).toMatchObject({
      status: 422,
      body: {
        detail: [
          { loc: ["body", "schedule", "interval_seconds"], msg: expect.any(String), type: "value_error" },
        ],
      },
    });
    const cases: [Record<string, unknown>, string][] = [
      [{ timer: { ...timer({ type: "once" }).timer, timer_type: "flow" } }, "timer_type"],
      [{ timer: { ...timer({ type: "once" }).timer, body: { DATA_TYPE: "delete" } } }, "body"],
      [{ timer: { ...timer({ type: "once" }).timer, schedule: { type: "sometimes" } } }, "type"],
      [
        { timer: { ...timer({ type: "once" }).timer, body: { ...transferBody(), submission_id: "x" } } },
        "submission_id",
      ],
      [{ timer: { ...timer({ type: "once" }).timer, body: { ...transferBody(), DATA: [] } } }, "DATA"],
      [timer({ type: "once", datetime: "tomorrow" }), "datetime"],
      [
        timer({ type: "recurring", interval_seconds: 60, end: { condition: "iterations", count: 0 } }),
        "count",
      ],
      [{}, "timer"],
    ];
    for (const [body, field] of cases) {
      const answer = await call("v2/timer", { method: "POST", body });
      expect(answer.status, field).toBe(422);
      expect((answer.body.detail as { loc: string[] }[])[0]?.loc.at(-1), field).toBe(field);
    }
    const made = await create({ type: "once", datetime: "2099-01-01T00:00:00Z" });
    const id = (made.body.timer as { job_id: string }).job_id;
    expect((await call(`jobs/${id}`, { method: "PATCH", body: { schedule: {} } })).status).toBe(422);
    expect((await call(`jobs/${id}`, { method: "PATCH", body: { name: 3 } })).status).toBe(422);
  });

  it("400 for a body that is not a JSON object", async () => {
    expect(await call("v2/timer", { method: "POST", body: "{oops" })).toMatchObject({
      status: 400,
      body: timersError("BAD_REQUEST", 400),
    });
    expect((await call("v2/timer", { method: "POST", body: [1] })).status).toBe(400);
  });
});

/** The fields of POST /v2/timer's timer: the Python SDK's V2_TRANSFER_TIMER. */
const V2_TIMER_FIELDS = [
  "body",
  "inactive_reason",
  "job_id",
  "last_ran_at",
  "name",
  "next_run",
  "number_of_errors",
  "number_of_runs",
  "schedule",
  "status",
  "submitted_at",
  "timer_type",
];
/** The fields of a /jobs/ job: the Python SDK's V1_TIMER. */
const JOB_FIELDS = [
  "callback_body",
  "callback_url",
  "inactive_reason",
  "interval",
  "job_id",
  "last_ran_at",
  "n_errors",
  "n_runs",
  "name",
  "next_run",
  "results",
  "scope",
  "start",
  "status",
  "stop_after",
  "submitted_at",
];
type Job = {
  n_runs: number;
  next_run: string | null;
  results: {
    data: { ran_at: string; status: number; data: { status: string; details: { task_id: string } } }[];
  };
};

describe("the shapes Timers answers with", () => {
  it("creating answers the v2 timer, `new` and without runs; the /jobs/ calls answer the job", async () => {
    const start = new Date((emu.control.now() + 3600) * 1000).toISOString();
    const made = await create({
      type: "recurring",
      interval_seconds: 86_400,
      start,
      end: { condition: "iterations", count: 2 },
    });
    expect(made.status).toBe(201);
    const timer = made.body.timer as Record<string, unknown>;
    expect(Object.keys(timer).sort()).toEqual(V2_TIMER_FIELDS);
    expect(timer).toMatchObject({
      status: "new",
      timer_type: "transfer",
      number_of_runs: 0,
      number_of_errors: 0,
      last_ran_at: null,
      inactive_reason: null,
      next_run: expect.stringMatching(/^\d{4}-/),
      schedule: { type: "recurring", interval_seconds: 86_400, end: { condition: "iterations", count: 2 } },
      body: { DATA_TYPE: "transfer", source_endpoint: TUTORIAL_1, destination_endpoint: TUTORIAL_2 },
    });
    expect(Date.parse(timer.next_run as string)).toBe(Date.parse(start));

    // The scheduler has seen it by the next call: `loaded`, in the job shape.
    const job = (await call(`jobs/${timer.job_id}`)).body;
    expect(Object.keys(job).sort()).toEqual(JOB_FIELDS);
    expect(job).toMatchObject({
      job_id: timer.job_id,
      status: "loaded",
      interval: 86_400,
      stop_after: { date: null, n_runs: 2 },
      callback_url: "https://actions.automate.globus.org/transfer/transfer/run",
      callback_body: {
        body: {
          label: "timed",
          source_endpoint_id: TUTORIAL_1,
          destination_endpoint_id: TUTORIAL_2,
          transfer_items: [{ source_path: "/~/README.txt", destination_path: "/~/timed.txt" }],
        },
      },
      scope: null,
      n_runs: 0,
      n_errors: 0,
      inactive_reason: null,
      results: { data: [], page_next: null },
    });
    expect(Date.parse(job.start as string)).toBe(Date.parse(start));
    const listed = (await call("jobs/")).body.jobs as Record<string, unknown>[];
    expect(listed.find((j) => j.job_id === timer.job_id)).toEqual(job);
    const renamed = await call(`jobs/${timer.job_id}`, { method: "PATCH", body: { name: "renamed" } });
    expect(renamed.body).toEqual({ ...job, name: "renamed" });
  });

  it("a once timer's job: no interval, stop_after one run; an end time is stop_after's date", async () => {
    const once = await create({ type: "once", datetime: "2099-01-01T00:00:00Z" });
    const onceJob = (await call(`jobs/${(once.body.timer as { job_id: string }).job_id}`)).body;
    expect(onceJob).toMatchObject({ interval: null, stop_after: { date: null, n_runs: 1 } });
    // Starting in 2098, so that they do not fire in the other tests.
    const start = "2098-01-01T00:00:00Z";
    const until = await create({
      type: "recurring",
      interval_seconds: 60,
      start,
      end: { condition: "time", datetime: "2099-01-01T00:00:00Z" },
    });
    const untilJob = (await call(`jobs/${(until.body.timer as { job_id: string }).job_id}`)).body;
    expect(untilJob).toMatchObject({ interval: 60, stop_after: { n_runs: null } });
    expect(Date.parse((untilJob.stop_after as { date: string }).date)).toBe(
      Date.parse("2099-01-01T00:00:00Z"),
    );
    const forever = await create({ type: "recurring", interval_seconds: 60, start });
    expect((await call(`jobs/${(forever.body.timer as { job_id: string }).job_id}`)).body).toMatchObject({
      stop_after: null,
    });
  });
});

describe("timers fire on the emulator clock", () => {
  it("a once timer without a time runs on the next call; with a time, on the first call after it", async () => {
    const before = (await transferTasks()).length;
    const now = await create({ type: "once" });
    const made = now.body.timer as { job_id: string; next_run: string };
    expect(now.body.timer).toMatchObject({ status: "new", number_of_runs: 0 });
    expect(Date.parse(made.next_run) / 1000).toBeCloseTo(emu.control.now(), 0);
    const ran = (await call(`jobs/${made.job_id}`)).body as Job;
    expect(ran).toMatchObject({ status: "loaded", n_runs: 1, next_run: null });
    const result = ran.results.data[0];
    expect(result).toMatchObject({ status: 202, errors: null, data: { status: "ACTIVE" } });
    const taskId = result?.data.details.task_id;
    expect(result?.data.details).toMatchObject({ DATA_TYPE: "task", type: "TRANSFER", label: "timed" });
    const tasks = await transferTasks();
    expect(tasks.length).toBe(before + 1);
    expect(tasks.find((t) => t.task_id === taskId)).toMatchObject({ label: "timed", owner_id: ADA.id });

    const at = new Date((emu.control.now() + 600) * 1000).toISOString();
    const later = await create({ type: "once", datetime: at });
    const id = (later.body.timer as { job_id: string; next_run: string }).job_id;
    expect(later.body.timer).toMatchObject({ number_of_runs: 0, next_run: expect.any(String) });
    emu.control.advanceClock(599);
    expect((await call(`jobs/${id}`)).body).toMatchObject({ n_runs: 0 });
    emu.control.advanceClock(2);
    // Due, but the task is submitted only when Timers is next called.
    expect((await transferTasks()).length).toBe(before + 1);
    expect((await call(`jobs/${id}`)).body).toMatchObject({ n_runs: 1, next_run: null });
    expect((await transferTasks()).length).toBe(before + 2);
  });

  it("a recurring timer runs each interval until its count or its end time; missed runs while paused are skipped", async () => {
    // Runs due at 0, 60, …, 1140 s: twenty iterations, whether run or skipped.
    const counted = await create({
      type: "recurring",
      interval_seconds: 60,
      end: { condition: "iterations", count: 20 },
    });
    const countedId = (counted.body.timer as { job_id: string }).job_id;
    const until = new Date((emu.control.now() + 150) * 1000).toISOString();
    const timed = await create({
      type: "recurring",
      interval_seconds: 60,
      end: { condition: "time", datetime: until },
    });
    const timedId = (timed.body.timer as { job_id: string }).job_id;
    emu.control.advanceClock(121);
    expect((await call(`jobs/${countedId}`)).body).toMatchObject({ n_runs: 3 });
    expect((await call(`jobs/${countedId}/pause`, { method: "POST" })).body).toEqual({
      message: `Successfully paused job ${countedId}.`,
    });
    // Paused is `inactive` for the cause "user".
    expect((await call(`jobs/${countedId}`)).body).toMatchObject({
      status: "inactive",
      inactive_reason: { cause: "user", detail: null },
      next_run: null,
    });
    emu.control.advanceClock(600);
    expect(
      (await call(`jobs/${countedId}/resume`, { method: "POST", body: { update_credentials: true } })).body,
    ).toEqual({
      message: `Successfully resumed job ${countedId}.`,
    });
    expect((await call(`jobs/${countedId}`)).body).toMatchObject({
      status: "loaded",
      inactive_reason: null,
      n_runs: 3,
    });
    // 180 … 720 s fell while it was paused: skipped, not made up.
    emu.control.advanceClock(60);
    expect((await call(`jobs/${countedId}`)).body).toMatchObject({ n_runs: 4, next_run: expect.any(String) });
    emu.control.advanceClock(10_000);
    const done = (await call(`jobs/${countedId}`)).body as Job;
    expect([done.n_runs, done.next_run]).toEqual([10, null]);
    expect(new Set(done.results.data.map((r) => r.data.details.task_id)).size).toBe(10);
    expect((await call(`jobs/${timedId}`)).body).toMatchObject({ n_runs: 3, next_run: null });
    const deleted = await call(`jobs/${timedId}`, { method: "DELETE" });
    // The job as it was when deleted (the Python SDK's delete_job).
    expect(deleted.body).toMatchObject({ job_id: timedId, status: "loaded", n_runs: 3 });
    expect((await call(`jobs/${timedId}`)).status).toBe(404);
  });
});

describe("faults and the state file", () => {
  it("applies injected faults to Timers requests", async () => {
    emu.control.injectFault({ endpoint: "timer", kind: "server-error", status: 500 });
    expect((await call("jobs/")).status).toBe(500);
    emu.control.injectFault({ endpoint: "timer", kind: "rate-limit", retryAfter: 2 });
    const limited = await call("jobs/");
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "2"]);
    const before = (await call("jobs/")).body.jobs as unknown[];
    emu.control.injectFault({ endpoint: "timer", kind: "drop-response" });
    await expect(create({ type: "once", datetime: "2099-01-01T00:00:00Z" })).rejects.toThrow();
    expect(emu.control.requestLog(1)[0]).toMatchObject({ endpoint: "timer", fault: "drop-response" });
    expect(((await call("jobs/")).body.jobs as unknown[]).length).toBe(before.length + 1);
    emu.control.injectFault({ endpoint: "timer", kind: "drop-connection" });
    await expect(call("jobs/")).rejects.toThrow();
    expect(emu.control.requestLog(1)[0]).toMatchObject({ endpoint: "timer", fault: "drop-connection" });
  });

  it("keeps timers and their runs across --state-file restarts, and fires after one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "timers-state-"));
    const stateFile = join(dir, "state.json");
    try {
      const first = await startEmulator({ stateFile });
      const made = await create(
        { type: "recurring", interval_seconds: 3600, end: { condition: "iterations", count: 2 } },
        { base: first.serviceUrls.timer, token: tokenFor(CONSENTED, ADA.id, first) },
      );
      const id = (made.body.timer as { job_id: string }).job_id;
      await first.close();
      const saved = JSON.parse(readFileSync(stateFile, "utf8"));
      expect(saved.timers.timers).toHaveLength(1);
      const second = await startEmulator({ stateFile });
      try {
        second.control.advanceClock(3601);
        const again = { base: second.serviceUrls.timer, token: tokenFor(CONSENTED, ADA.id, second) };
        expect((await call(`jobs/${id}`, again)).body).toMatchObject({
          name: "t",
          n_runs: 2,
          next_run: null,
        });
        const labels = (await transferTasks(second)).map((task) => task.label);
        expect(labels.filter((label) => label === "timed")).toHaveLength(2);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads an older state file's `paused` timer as `inactive`", () => {
    const store = new TimersStore(
      () => 0,
      () => {},
    );
    const paused = { id: "t", status: "paused", runs: [] } as unknown as TimerRecord;
    store.restore({ timers: [paused] });
    expect(store.timers.get("t")?.status).toBe("inactive");
  });
});
