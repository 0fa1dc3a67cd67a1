import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ServiceAnswer, serviceCalls } from "../test-support/service-call.ts";
import { FLOWS_ALL_SCOPE, flowUserScope } from "./flows-routes.ts";
import { formatBanner } from "./run-cli.ts";
import { SAMPLE_IDENTITIES } from "./sample-data.ts";
import { dataAccessScope, TRANSFER_ALL_SCOPE } from "./scope-registry.ts";
import { type Emulator, startEmulator } from "./start-emulator.ts";
import { MAPPED_COLLECTION_ID as MAPPED } from "./transfer-collections.ts";

const [ADA, GRACE] = SAMPLE_IDENTITIES;
const FLOWS_SCOPE = (name: string) =>
  `https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/${name}`;
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

const { tokenFor, call } = serviceCalls(() => emu, "flows", FLOWS_ALL_SCOPE);

const passDefinition = (count: number) => {
  const states: Record<string, unknown> = {};
  for (let n = 1; n <= count; n++)
    states[`S${n}`] = n === count ? { Type: "Pass", End: true } : { Type: "Pass", Next: `S${n + 1}` };
  return { StartAt: "S1", States: states };
};
const TRANSFER_DEFINITION = {
  StartAt: "Copy",
  States: {
    Copy: {
      Type: "Action",
      ActionUrl: "https://transfer.actions.globus.org/transfer",
      Parameters: {
        "source_endpoint.$": "$.source",
        "destination_endpoint.$": "$.destination",
        label: "from a flow",
        DATA: [{ source_path: "/~/README.txt", destination_path: "/~/flow-copy.txt" }],
      },
      End: true,
    },
  },
};

async function createFlow(
  definition: Record<string, unknown> = passDefinition(2),
  extra = {},
  base?: string,
) {
  const created = await call("flows", {
    method: "POST",
    body: { title: "A flow", definition, input_schema: {}, ...extra },
    ...(base ? { base, token: tokenFor(FLOWS_ALL_SCOPE, ADA.id, emuOf(base)) } : {}),
  });
  expect(created.status).toBe(201);
  return created.body as { id: string; globus_auth_scope: string };
}
const others = new Map<string, Emulator>();
const emuOf = (base: string): Emulator => others.get(base) ?? emu;

const run = (flowId: string, body: Record<string, unknown> = {}, scope = flowUserScope(flowId)) =>
  call(`flows/${flowId}/run`, { method: "POST", body: { body }, token: tokenFor(scope) });

/** Flows' error body: `{"error": {"code", "detail"}, "debug_id"}`. */
const flowsError = (code: string) => ({
  error: expect.objectContaining({ code }),
  debug_id: expect.any(String),
});

describe("the fake Flows' own port", () => {
  it("answers at its root and under <auth url>flows/, with Flows' 404 and 405", async () => {
    const root = await call("flows?filter_fulltext=nothing-matches");
    const mounted = await call("flows/flows?filter_fulltext=nothing-matches", { base: emu.url });
    expect(root).toMatchObject({ status: 200, body: { flows: [], has_next_page: false, marker: null } });
    expect(mounted.body).toEqual(root.body);
    expect(formatBanner(emu, false)).toContain(`GLOBUS_SDK_SERVICE_URL_FLOWS=${emu.serviceUrls.flows}\n`);
    expect((await call("_emulator/state")).status).toBe(404);
    const missing = await call("no/such/path");
    expect(missing).toMatchObject({ status: 404, body: flowsError("NOT_FOUND") });
    const wrong = await call("runs", { method: "DELETE" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toContain("GET");
  });

  it("answers CORS for loopback origins while a native client is registered, not for others", async () => {
    const allowed = await call("flows", { headers: { Origin: "http://localhost:5173" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    const refused = await call("flows", { headers: { Origin: "https://evil.example" } });
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await fetch(new URL("flows/validate", emu.serviceUrls.flows), {
      method: "OPTIONS",
      headers: {
        Origin: "http://localhost:5173",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
  });
});

describe("tokens and scopes", () => {
  it("401 without a token, with a dead token, and with another service's token", async () => {
    const none = await call("flows", { token: null });
    expect(none).toMatchObject({ status: 401, body: flowsError("AUTHENTICATION_ERROR") });
    expect((await call("flows", { token: "not-a-token" })).body).toMatchObject(
      flowsError("AUTHENTICATION_ERROR"),
    );
    const transfer = await call("flows", { token: tokenFor(TRANSFER_ALL_SCOPE) });
    expect(transfer).toMatchObject({ status: 401, body: flowsError("AUTHENTICATION_ERROR") });
    expect(JSON.stringify(transfer.body)).toContain("flows.globus.org");
    const revoked = tokenFor(FLOWS_ALL_SCOPE);
    emu.control.revokeAll();
    expect((await call("flows", { token: revoked })).status).toBe(401);
  });

  it("each route takes the scopes Flows gives it, else 403 MISSING_SCOPE as Flows answers", async () => {
    const view = tokenFor(FLOWS_SCOPE("view_flows"));
    expect((await call("flows", { token: view })).status).toBe(200);
    const create = await call("flows", {
      method: "POST",
      token: view,
      body: { title: "x", definition: passDefinition(1) },
    });
    expect(create).toMatchObject({ status: 403, body: flowsError("MISSING_SCOPE") });
    expect((create.body.error as { detail: string }).detail).toContain(FLOWS_SCOPE("manage_flows"));
    const manage = tokenFor(FLOWS_SCOPE("manage_flows"));
    const flow = await call("flows", {
      method: "POST",
      token: manage,
      body: { title: "managed", definition: passDefinition(1) },
    });
    expect(flow.status).toBe(201);
    const flowId = flow.body.id as string;
    // Runs need the flow's own scope: Flows' scopes are for another resource server.
    expect((await run(flowId, {}, FLOWS_ALL_SCOPE)).status).toBe(401);
    const started = await run(flowId);
    expect(started.status).toBe(201);
    const runId = started.body.run_id as string;
    const status = tokenFor(FLOWS_SCOPE("run_status"));
    expect((await call(`runs/${runId}`, { token: status })).status).toBe(200);
    expect((await call("runs", { token: tokenFor(FLOWS_SCOPE("view_flows")) })).body).toMatchObject(
      flowsError("MISSING_SCOPE"),
    );
    expect((await call(`runs/${runId}/cancel`, { method: "POST", token: status })).body).toMatchObject(
      flowsError("MISSING_SCOPE"),
    );
    expect(
      (await call(`runs/${runId}/cancel`, { method: "POST", token: tokenFor(FLOWS_SCOPE("run_manage")) }))
        .status,
    ).toBe(200);
  });

  it("hides flows and runs of others (404), and lets only their owners and administrators change them", async () => {
    const flow = await createFlow(passDefinition(1), {
      flow_viewers: [`urn:globus:auth:identity:${GRACE.id}`],
    });
    const grace = tokenFor(FLOWS_ALL_SCOPE, GRACE.id);
    expect((await call(`flows/${flow.id}`, { token: grace })).body).toMatchObject({
      user_role: "flow_viewer",
    });
    const change = await call(`flows/${flow.id}`, { method: "PUT", token: grace, body: { title: "mine" } });
    expect(change).toMatchObject({ status: 403, body: flowsError("FORBIDDEN") });
    const start = await call(`flows/${flow.id}/run`, {
      method: "POST",
      token: tokenFor(flowUserScope(flow.id), GRACE.id),
      body: { body: {} },
    });
    expect(start).toMatchObject({ status: 403, body: flowsError("FORBIDDEN") });
    const hidden = await createFlow();
    expect((await call(`flows/${hidden.id}`, { token: grace })).body).toMatchObject(flowsError("NOT_FOUND"));
    const mine = await run(flow.id);
    expect((await call(`runs/${mine.body.run_id}`, { token: grace })).status).toBe(404);
    expect((await call("flows/not-a-uuid")).body).toMatchObject(flowsError("NOT_FOUND"));
  });
});

describe("errors shaped as Flows'", () => {
  it("400 for a body that is not a JSON object, a bad orderby, a bad marker or page size", async () => {
    const notJson = await call("flows", { method: "POST", body: "{oops" });
    expect(notJson).toMatchObject({ status: 400, body: flowsError("BAD_REQUEST") });
    expect((await call("flows", { method: "POST", body: [1] })).status).toBe(400);
    expect((await call("flows?orderby=colour%20ASC")).body).toMatchObject(flowsError("BAD_REQUEST"));
    expect((await call("flows?per_page=0")).status).toBe(400);
    expect((await call("flows?marker=%%%")).status).toBe(400);
    expect((await call("flows?filter_roles=emperor")).status).toBe(400);
  });

  it("422 UNPROCESSABLE_ENTITY with a list of problems in detail, as Flows validates", async () => {
    const invalid = await call("flows/validate", {
      method: "POST",
      body: { definition: { StartAt: "Nowhere", States: { A: { Type: "Bogus" } } } },
    });
    expect(invalid).toMatchObject({ status: 422, body: flowsError("UNPROCESSABLE_ENTITY") });
    const error = invalid.body.error as {
      detail: { loc: unknown[]; msg: string; type: string }[];
      message: string;
    };
    expect(error.detail.map((problem) => problem.msg)).toEqual(
      expect.arrayContaining([expect.stringContaining("StartAt must name a state")]),
    );
    expect(error.detail[0]).toMatchObject({ loc: expect.any(Array), type: "value_error" });
    expect(error.message).toMatch(/validation error/);
    const noTitle = await call("flows", { method: "POST", body: { definition: passDefinition(1) } });
    expect(noTitle.status).toBe(422);
  });

  it("400 FLOW_INPUT_ERROR for input the flow's schema refuses, 409 STATE_CONFLICT to release an active run", async () => {
    const flow = await createFlow(passDefinition(2), { input_schema: { required: ["name"] } });
    expect((await run(flow.id, {})).body).toMatchObject(flowsError("FLOW_INPUT_ERROR"));
    const active = await run(flow.id, { name: "Ada" });
    const release = await call(`runs/${active.body.run_id}/release`, { method: "POST" });
    expect(release).toMatchObject({ status: 409, body: flowsError("STATE_CONFLICT") });
  });

  it("a flow with a Transfer action answers 403 ConsentRequired with a GARE until transfer:all is under its scope", async () => {
    const flow = await createFlow(TRANSFER_DEFINITION);
    const refused = await run(flow.id, { source: TUTORIAL_1, destination: TUTORIAL_2 });
    expect(refused).toMatchObject({
      status: 403,
      body: {
        code: "ConsentRequired",
        authorization_parameters: {
          session_message: expect.any(String),
          required_scopes: [`${flowUserScope(flow.id)}[${TRANSFER_ALL_SCOPE}]`],
        },
      },
    });
    const validated = await call(`flows/${flow.id}/validate_run`, {
      method: "POST",
      token: tokenFor(flowUserScope(flow.id)),
      body: { body: { source: TUTORIAL_1, destination: TUTORIAL_2 } },
    });
    expect(validated.body).toMatchObject({ code: "ConsentRequired" });
    const consented = `${flowUserScope(flow.id)}[${TRANSFER_ALL_SCOPE}]`;
    expect((await run(flow.id, { source: TUTORIAL_1, destination: TUTORIAL_2 }, consented)).status).toBe(201);
  });

  it("reads the consent from Globus Auth at the call: a consent given after the token was issued counts", async () => {
    const flow = await createFlow(TRANSFER_DEFINITION);
    const early = tokenFor(flowUserScope(flow.id));
    const start = () =>
      call(`flows/${flow.id}/run`, { method: "POST", token: early, body: { body: { source: TUTORIAL_1 } } });
    expect((await start()).status).toBe(403);
    tokenFor(`${flowUserScope(flow.id)}[${TRANSFER_ALL_SCOPE}]`); // another login gives the consent
    expect((await start()).status).toBe(201);
  });
});

describe("runs on the emulator clock", () => {
  it("go through their states a second each (a Wait its Seconds), and a Fail state fails them", async () => {
    const waiting = await createFlow({
      StartAt: "Hello",
      States: { Hello: { Type: "Pass", Next: "Nap" }, Nap: { Type: "Wait", Seconds: 30, End: true } },
    });
    const started = await run(waiting.id, { n: 1 });
    expect(started.body).toMatchObject({ status: "ACTIVE", completion_time: null });
    const id = started.body.run_id as string;
    emu.control.advanceClock(20);
    expect((await call(`runs/${id}`)).body).toMatchObject({ status: "ACTIVE" });
    emu.control.advanceClock(11);
    expect((await call(`runs/${id}`)).body).toMatchObject({
      status: "SUCCEEDED",
      details: { output: { n: 1 } },
      completion_time: expect.any(String),
    });
    const log = await call(`runs/${id}/log?limit=100`);
    expect((log.body.entries as { code: string }[]).map((e) => e.code)).toEqual([
      "FlowStarted",
      "PassStarted",
      "PassCompleted",
      "WaitStarted",
      "WaitCompleted",
      "FlowSucceeded",
    ]);
    const failing = await createFlow({
      StartAt: "A",
      States: { A: { Type: "Pass", Next: "Boom" }, Boom: { Type: "Fail" } },
    });
    const doomed = await run(failing.id);
    emu.control.advanceClock(5);
    expect((await call(`runs/${doomed.body.run_id}`)).body).toMatchObject({ status: "FAILED" });
  });

  it("a cancelled run stops where it was, FAILED with the code FlowCanceled; log pages follow their markers", async () => {
    const flow = await createFlow(passDefinition(5));
    const started = await run(flow.id);
    const id = started.body.run_id as string;
    emu.control.advanceClock(1.5);
    const answer = await call(`runs/${id}/cancel`, { method: "POST" });
    expect(answer.status).toBe(200);
    const cancelledAt = answer.body.completion_time as string;
    expect(Date.parse(cancelledAt) / 1000).toBeCloseTo(emu.control.now(), 0);
    // As the Python SDK's cancel_run has it.
    const cancelled = {
      status: "FAILED",
      display_status: "FAILED",
      completion_time: cancelledAt,
      details: {
        time: cancelledAt,
        code: "FlowCanceled",
        description: "The Flow Instance was canceled by the user",
        details: {},
      },
    };
    expect(answer.body).toMatchObject(cancelled);
    emu.control.advanceClock(60);
    expect((await call(`runs/${id}`)).body).toMatchObject(cancelled);
    const failed = (await call(`runs?filter_flow_id=${flow.id}&filter_status=FAILED`)).body.runs as {
      run_id: string;
    }[];
    expect(failed.map((r) => r.run_id)).toEqual([id]);
    // Cancelling again changes nothing.
    emu.control.advanceClock(5);
    expect((await call(`runs/${id}/cancel`, { method: "POST" })).body).toMatchObject(cancelled);
    const codes: string[] = [];
    let marker: string | null = null;
    let pages = 0;
    do {
      const page: ServiceAnswer = await call(`runs/${id}/log?limit=2${marker ? `&marker=${marker}` : ""}`);
      pages++;
      codes.push(...(page.body.entries as { code: string }[]).map((e) => e.code));
      marker = page.body.has_next_page ? (page.body.marker as string) : null;
    } while (marker);
    expect(codes).toEqual(["FlowStarted", "PassStarted", "PassCompleted", "PassStarted", "FlowCanceled"]);
    expect(pages).toBe(3);
  });

  it("submits a Transfer action's task to the fake Transfer once the run reaches it", async () => {
    const flow = await createFlow(TRANSFER_DEFINITION);
    const consented = `${flowUserScope(flow.id)}[${TRANSFER_ALL_SCOPE}]`;
    const started = await run(flow.id, { source: TUTORIAL_1, destination: TUTORIAL_2 }, consented);
    const id = started.body.run_id as string;
    emu.control.advanceClock(0.5);
    const log = await call(`runs/${id}/log`);
    const action = (log.body.entries as { code: string; details: { task_id?: string } }[]).find(
      (e) => e.code === "ActionStarted",
    );
    expect(action?.details.task_id).toEqual(expect.any(String));
    const task = await fetch(new URL(`v0.10/task/${action?.details.task_id}`, emu.serviceUrls.transfer), {
      headers: { Authorization: `Bearer ${tokenFor(TRANSFER_ALL_SCOPE)}` },
    });
    expect(await task.json()).toMatchObject({
      label: "from a flow",
      source_endpoint_id: TUTORIAL_1,
      destination_endpoint_id: TUTORIAL_2,
      owner_id: ADA.id,
    });
    // Seen again, the run does not submit the task twice.
    const again = await call(`runs/${id}/log`);
    expect(again.body.entries).toEqual(log.body.entries);
  });
});

describe("a run that needs a collection's data_access consent", () => {
  const toMapped = { source: TUTORIAL_1, destination: MAPPED };
  const runScope = (flowId: string) =>
    `${flowUserScope(flowId)}[${TRANSFER_ALL_SCOPE}[*${dataAccessScope(MAPPED)}]]`;
  const entries = async (id: string) =>
    ((await call(`runs/${id}/log`)).body.entries as { code: string; details: Record<string, unknown> }[]).map(
      (e) => e.code,
    );

  it("stops INACTIVE at the Transfer step with a ConsentRequired GARE, and a resume after the consent goes on", async () => {
    const flow = await createFlow(TRANSFER_DEFINITION);
    const started = await run(flow.id, toMapped, `${flowUserScope(flow.id)}[${TRANSFER_ALL_SCOPE}]`);
    expect(started.status).toBe(201);
    const id = started.body.run_id as string;
    emu.control.advanceClock(0.5);
    const stopped = await call(`runs/${id}`);
    expect(stopped.body).toMatchObject({
      status: "INACTIVE",
      completion_time: null,
      details: {
        code: "ConsentRequired",
        required_scope: runScope(flow.id),
        authorization_parameters: {
          session_message: expect.any(String),
          required_scopes: [runScope(flow.id)],
        },
      },
    });
    expect(await entries(id)).toEqual(["FlowStarted", "FlowInactive"]);
    // No task went to Transfer, and the run stays put however long it waits.
    emu.control.advanceClock(60);
    expect((await call(`runs/${id}`)).body).toMatchObject({ status: "INACTIVE" });

    // A resume without the consent leaves it waiting.
    const early = await call(`runs/${id}/resume`, {
      method: "POST",
      token: tokenFor(`${flowUserScope(flow.id)}[${TRANSFER_ALL_SCOPE}]`),
    });
    expect(early).toMatchObject({ status: 200, body: { status: "INACTIVE" } });

    // The login the GARE asks for records the consent; the resume then goes on from the Transfer step.
    const resumed = await call(`runs/${id}/resume`, { method: "POST", token: tokenFor(runScope(flow.id)) });
    expect(resumed).toMatchObject({ status: 200, body: { status: "ACTIVE" } });
    emu.control.advanceClock(2);
    expect((await call(`runs/${id}`)).body).toMatchObject({ status: "SUCCEEDED" });
    expect(await entries(id)).toEqual([
      "FlowStarted",
      "FlowInactive",
      "FlowResumed",
      "ActionStarted",
      "ActionCompleted",
      "FlowSucceeded",
    ]);
    const log = (await call(`runs/${id}/log`)).body.entries as {
      code: string;
      details: { task_id?: string };
    }[];
    const taskId = log.find((e) => e.code === "ActionStarted")?.details.task_id;
    const task = await fetch(new URL(`v0.10/task/${taskId}`, emu.serviceUrls.transfer), {
      headers: { Authorization: `Bearer ${tokenFor(TRANSFER_ALL_SCOPE)}` },
    });
    expect(await task.json()).toMatchObject({ destination_endpoint_id: MAPPED, owner_id: ADA.id });
  });

  it("runs straight through with the consent given up front; an INACTIVE run cannot be released, but can be cancelled", async () => {
    const flow = await createFlow(TRANSFER_DEFINITION);
    const upFront = await run(flow.id, toMapped, runScope(flow.id));
    emu.control.advanceClock(2);
    expect((await call(`runs/${upFront.body.run_id}`)).body).toMatchObject({ status: "SUCCEEDED" });

    const other = await createFlow(TRANSFER_DEFINITION);
    const waiting = await run(other.id, toMapped, `${flowUserScope(other.id)}[${TRANSFER_ALL_SCOPE}]`);
    const id = waiting.body.run_id as string;
    emu.control.advanceClock(0.5);
    expect((await call(`runs/${id}`)).body).toMatchObject({ status: "INACTIVE" });
    const manage = tokenFor(FLOWS_SCOPE("run_manage"));
    const release = await call(`runs/${id}/release`, { method: "POST", token: manage });
    expect(release).toMatchObject({ status: 409, body: flowsError("STATE_CONFLICT") });
    expect((release.body.error as { detail: string }).detail).toContain("has status 'INACTIVE'");
    const cancelled = await call(`runs/${id}/cancel`, { method: "POST", token: manage });
    expect(cancelled.body).toMatchObject({ status: "FAILED", details: { code: "FlowCanceled" } });
    expect(await entries(id)).toEqual(["FlowStarted", "FlowInactive", "FlowCanceled"]);
  });
});

describe("faults and the state file", () => {
  it("applies injected faults to Flows requests", async () => {
    emu.control.injectFault({ endpoint: "flows", kind: "server-error", status: 503 });
    expect((await call("flows")).status).toBe(503);
    emu.control.injectFault({ endpoint: "flows", kind: "rate-limit", retryAfter: 4 });
    const limited = await call("flows");
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "4"]);
    emu.control.injectFault({ endpoint: "flows", kind: "malformed-json" });
    const malformed = await fetch(new URL("flows", emu.serviceUrls.flows), {
      headers: { Authorization: `Bearer ${tokenFor(FLOWS_ALL_SCOPE)}` },
    });
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow();
    emu.control.injectFault({ endpoint: "flows", kind: "drop-response" });
    await expect(
      call("flows", { method: "POST", body: { title: "dropped but made", definition: passDefinition(1) } }),
    ).rejects.toThrow();
    expect(emu.control.requestLog(1)[0]).toMatchObject({ endpoint: "flows", fault: "drop-response" });
    const made = await call("flows?filter_fulltext=dropped");
    expect((made.body.flows as unknown[]).length).toBe(1);
    expect((await call("flows")).status).toBe(200);
  });

  it("keeps flows and runs across --state-file restarts, and runs go on on the clock", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flows-state-"));
    const stateFile = join(dir, "state.json");
    try {
      const first = await startEmulator({ stateFile });
      const base = first.serviceUrls.flows;
      others.set(base, first);
      const flow = await createFlow(passDefinition(3), { keywords: ["kept"] }, base);
      const started = await call(`flows/${flow.id}/run`, {
        method: "POST",
        base,
        token: tokenFor(flowUserScope(flow.id), ADA.id, first),
        body: { body: { kept: true }, label: "kept run" },
      });
      await first.close();
      const saved = JSON.parse(readFileSync(stateFile, "utf8"));
      expect([saved.flows.flows.length, saved.flows.runs.length]).toEqual([1, 1]);
      const second = await startEmulator({ stateFile });
      try {
        second.control.advanceClock(10);
        const again = { base: second.serviceUrls.flows, token: tokenFor(FLOWS_ALL_SCOPE, ADA.id, second) };
        expect((await call(`flows/${flow.id}`, again)).body).toMatchObject({ keywords: ["kept"] });
        expect((await call(`runs/${started.body.run_id}`, again)).body).toMatchObject({
          label: "kept run",
          status: "SUCCEEDED",
          details: { output: { kept: true } },
        });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
