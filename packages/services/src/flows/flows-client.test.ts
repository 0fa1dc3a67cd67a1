import {
  type GARE,
  GlobusSDKUsageError,
  MemoryTokenStorage,
  NativeAppAuthClient,
  ScopeParser,
  toGare,
  UserApp,
} from "@globus-app/core";
import { EmulatorAutoApproveLoginFlow } from "@globus-app/core/testing/emulator";
import {
  type Emulator,
  MAPPED_COLLECTION_ID,
  SAMPLE_NATIVE_CLIENT,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { passDefinition, TRANSFER_DEFINITION } from "../../test-support/flow-definitions.ts";
import { flowAs, flowsAs } from "../../test-support/flows-fixture.ts";
import {
  ADA,
  GRACE,
  rejection,
  TUTORIAL_1,
  TUTORIAL_2,
  transferAs,
} from "../../test-support/transfer-fixture.ts";
import { isFlowsAPIError } from "./flows-api-error.ts";
import { SpecificFlowClient } from "./specific-flow-client.ts";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ autoApprove: true });
});
afterAll(() => emu.close());
afterEach(() => {
  emu.control.resetClock();
  emu.control.revokeAll();
});

const apiError = async (promise: Promise<unknown>) => {
  const error = await rejection(promise);
  expect(isFlowsAPIError(error)).toBe(true);
  return error as { status: number; errorCode: string; message: string; gares: GARE[] };
};

describe("FlowsClient", () => {
  it("creates, gets, updates, validates and deletes flows, with Flows' errors", async () => {
    const flows = flowsAs(emu);
    const flow = await flows.createFlow(
      "Hello world",
      passDefinition(2),
      { required: ["name"] },
      {
        subtitle: "says hello",
        keywords: ["greeting"],
        flowStarters: ["all_authenticated_users"],
      },
    );
    expect(flow).toMatchObject({
      title: "Hello world",
      subtitle: "says hello",
      flow_owner: `urn:globus:auth:identity:${ADA.id}`,
      flow_starters: ["all_authenticated_users"],
      user_role: "flow_owner",
    });
    expect(flow.globus_auth_scope).toBe(
      `https://auth.globus.org/scopes/${flow.id}/flow_${flow.id.replaceAll("-", "_")}_user`,
    );
    expect((await flows.getFlow(flow.id)).definition).toEqual(passDefinition(2));
    const updated = await flows.updateFlow(flow.id, { description: "now described", keywords: ["hi"] });
    expect(updated).toMatchObject({ description: "now described", keywords: ["hi"], title: "Hello world" });
    // Grace may start it, so she sees it, but may not change it.
    const grace = flowsAs(emu, GRACE.id);
    expect((await grace.getFlow(flow.id)).user_role).toBe("flow_starter");
    expect(await apiError(grace.updateFlow(flow.id, { title: "mine" }))).toMatchObject({
      status: 403,
      errorCode: "FORBIDDEN",
    });
    const validation = await flows.validateFlow(TRANSFER_DEFINITION);
    expect(validation.scopes.User).toEqual(["urn:globus:auth:scope:transfer.api.globus.org:all"]);
    const invalid = await apiError(
      flows.validateFlow({ StartAt: "Nowhere", States: { A: { Type: "Bogus" } } }),
    );
    expect(invalid).toMatchObject({ status: 422, errorCode: "UNPROCESSABLE_ENTITY" });
    expect(invalid.message).toContain("StartAt must name a state");
    await flows.deleteFlow(flow.id);
    expect(await apiError(flows.getFlow(flow.id))).toMatchObject({ status: 404, errorCode: "NOT_FOUND" });
  });

  it("lists flows with filters and orderby, one page or every page", async () => {
    const flows = flowsAs(emu, GRACE.id);
    const ids: string[] = [];
    for (let n = 0; n < 25; n++) {
      ids.push(
        (await flows.createFlow(`Grace flow ${String(n).padStart(2, "0")}`, passDefinition(1), {})).id,
      );
    }
    await flowsAs(emu).createFlow("Ada's private flow", passDefinition(1), {});
    const first = await flows.listFlows({ filterRoles: "flow_owner", orderby: "title DESC" });
    expect(first.flows).toHaveLength(20);
    expect(first.has_next_page).toBe(true);
    expect(first.flows[0]?.title).toBe("Grace flow 24");
    const all = await flows.paginated
      .listFlows({ filterRoles: ["flow_owner"], orderby: "title ASC" })
      .toArray();
    expect(all.map((flow) => flow.id)).toEqual(ids);
    let pages = 0;
    for await (const page of flows.paginated.listFlows({ filterFulltext: "grace" })) {
      pages++;
      expect(page.flows.every((flow) => flow.title.startsWith("Grace"))).toBe(true);
    }
    expect(pages).toBe(2);
    expect(await flows.paginated.listFlows({}, { maxItems: 3 }).toArray()).toHaveLength(3);
    expect((await flows.listFlows({ filterFulltext: "flow 07" })).flows.map((f) => f.id)).toEqual([ids[7]]);
    expect(await apiError(flows.listFlows({ orderby: "colour ASC" }))).toMatchObject({ status: 400 });
  });
});

describe("runs of a flow", () => {
  it("runs as Pass states that advance with the emulator clock, with logs, definition, update, cancel and delete", async () => {
    const flows = flowsAs(emu);
    const flow = await flows.createFlow("Three steps", passDefinition(3), { required: ["name"] });
    const runner = flowAs(emu, flow.id);
    expect(runner.flowId).toBe(flow.id);
    const badInput = await apiError(runner.runFlow({}));
    expect(badInput).toMatchObject({ status: 400, errorCode: "FLOW_INPUT_ERROR" });
    expect(await runner.validateRun({ name: "Ada" })).toMatchObject({ message: "success" });
    const run = await runner.runFlow(
      { name: "Ada" },
      {
        label: "first",
        tags: ["t1"],
        runMonitors: [`urn:globus:auth:identity:${GRACE.id}`],
        activityNotificationPolicy: { status: ["INACTIVE", "FAILED"] },
      },
    );
    expect(run).toMatchObject({ flow_id: flow.id, status: "ACTIVE", label: "first", tags: ["t1"] });
    expect(run.activity_notification_policy).toEqual({ status: ["INACTIVE", "FAILED"] });
    emu.control.advanceClock(1.5);
    expect((await flows.getRun(run.run_id)).status).toBe("ACTIVE");
    emu.control.advanceClock(2);
    const done = await flows.getRun(run.run_id, { includeFlowDescription: true });
    expect(done).toMatchObject({ status: "SUCCEEDED", details: { output: { name: "Ada" } } });
    expect(done.flow_description?.id).toBe(flow.id);
    const log = await flows.paginated.getRunLogs(run.run_id, { limit: 3 }).toArray();
    expect(log.map((entry) => entry.code)).toEqual([
      "FlowStarted",
      "PassStarted",
      "PassCompleted",
      "PassStarted",
      "PassCompleted",
      "PassStarted",
      "PassCompleted",
      "FlowSucceeded",
    ]);
    const newest = await flows.getRunLogs(run.run_id, { reverseOrder: true, limit: 1 });
    expect([newest.entries[0]?.code, newest.has_next_page]).toEqual(["FlowSucceeded", true]);
    expect((await flows.getRunDefinition(run.run_id)).definition).toEqual(passDefinition(3));
    // Grace monitors: she sees the run but may not change it.
    const grace = flowsAs(emu, GRACE.id);
    expect((await grace.getRun(run.run_id)).user_role).toBe("run_monitor");
    expect(await apiError(grace.cancelRun(run.run_id))).toMatchObject({ status: 403 });
    expect(await flows.updateRun(run.run_id, { label: "renamed", tags: ["t2"] })).toMatchObject({
      label: "renamed",
      tags: ["t2"],
    });
    const second = await runner.runFlow({ name: "Grace" }, { label: "second" });
    expect(await apiError(flows.deleteRun(second.run_id))).toMatchObject({ status: 409 });
    const cancelled = await flows.cancelRun(second.run_id);
    expect(cancelled).toMatchObject({
      status: "FAILED",
      display_status: "FAILED",
      details: { code: "FlowCanceled", description: "The Flow Instance was canceled by the user" },
    });
    expect(cancelled.details.time).toBe(cancelled.completion_time);
    emu.control.advanceClock(10);
    expect(await flows.getRun(second.run_id)).toMatchObject({
      status: "FAILED",
      details: { code: "FlowCanceled" },
    });
    expect((await runner.resumeRun(second.run_id)).details.code).toBe("FlowCanceled");
    const mine = await flows.paginated.listRuns({ filterFlowId: flow.id, orderby: "label ASC" }).toArray();
    expect(mine.map((r) => r.label)).toEqual(["renamed", "second"]);
    await flows.deleteRun(second.run_id);
    expect(await apiError(flows.getRun(second.run_id))).toMatchObject({ status: 404 });
  });

  it("pages runs marker by marker", async () => {
    const flows = flowsAs(emu);
    const flow = await flows.createFlow("Many runs", passDefinition(1), {});
    const runner = flowAs(emu, flow.id);
    for (let n = 0; n < 23; n++) await runner.runFlow({}, { label: `run ${n}` });
    const pages: number[] = [];
    for await (const page of flows.paginated.listRuns({ filterFlowId: flow.id }))
      pages.push(page.runs.length);
    expect(pages).toEqual([20, 3]);
  });

  it("wants the flow's own scope, not Flows' all", async () => {
    const flow = await flowsAs(emu).createFlow("Scoped", passDefinition(1), {});
    const wrong = new SpecificFlowClient(flow.id, {
      baseUrl: emu.serviceUrls.flows,
      authorizer: {
        getAuthorizationHeader: async () =>
          `Bearer ${emu.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope: "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all" }).access_token}`,
        handleMissingAuthorization: async () => false,
      },
      retryLimit: 0,
    });
    expect(await apiError(wrong.runFlow({}))).toMatchObject({
      status: 401,
      errorCode: "AUTHENTICATION_ERROR",
    });
  });
});

describe("SpecificFlowClient bound to an app", () => {
  function makeApp(autoRedriveGares: boolean) {
    const loginClient = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    const flow = new EmulatorAutoApproveLoginFlow(loginClient, { requestRefreshTokens: false });
    const app = new UserApp(`flows-app-${Math.random()}`, {
      loginClient,
      config: { tokenStorage: new MemoryTokenStorage(), loginFlowManager: flow, autoRedriveGares },
    });
    return { app, flow };
  }

  it("registers the flow's user scope; a run needing Transfer consent answers a GARE that redrive resolves", async () => {
    const created = await flowsAs(emu).createFlow(
      "Copy",
      TRANSFER_DEFINITION,
      {},
      {
        flowStarters: ["all_authenticated_users"],
      },
    );
    const userScope = `https://auth.globus.org/scopes/${created.id}/flow_${created.id.replaceAll("-", "_")}_user`;
    {
      const { app } = makeApp(false);
      await using _ = app;
      const runner = new SpecificFlowClient(created.id, { app, baseUrl: emu.serviceUrls.flows });
      expect(app.scopeRequirements[created.id]?.map(String)).toEqual([userScope]);
      await app.login();
      const consent = await apiError(runner.runFlow({ source: "a", destination: "b" }));
      expect(consent).toMatchObject({ status: 403, errorCode: "ConsentRequired" });
      expect(consent.gares[0]?.authorization_parameters.required_scopes).toEqual([
        `${userScope}[urn:globus:auth:scope:transfer.api.globus.org:all]`,
      ]);
    }
    const { app, flow } = makeApp(true);
    await using _ = app;
    const runner = new SpecificFlowClient(created.id, { app, baseUrl: emu.serviceUrls.flows });
    await app.login();
    const run = await runner.runFlow(
      { source: TUTORIAL_1, destination: TUTORIAL_2 },
      { label: "after consent" },
    );
    expect(run).toMatchObject({ status: "ACTIVE", label: "after consent" });
    expect(flow.runs).toBe(2);
    // The Transfer step is a task of the emulator's Transfer.
    emu.control.advanceClock(2);
    const flows = flowsAs(emu);
    const started = (await flows.getRunLogs(run.run_id)).entries.find(
      (entry) => entry.code === "ActionStarted",
    );
    const task = await transferAs(emu).getTask(started?.details.task_id as string);
    expect(task).toMatchObject({ source_endpoint_id: TUTORIAL_1, destination_endpoint_id: TUTORIAL_2 });
  });

  it("a run stopped INACTIVE for a collection's consent: its details are a GARE, a login meets it, resumeRun goes on", async () => {
    const created = await flowsAs(emu).createFlow(
      "Copy to mapped",
      TRANSFER_DEFINITION,
      {},
      {
        flowStarters: ["all_authenticated_users"],
      },
    );
    const { app, flow } = makeApp(true);
    await using _ = app;
    const runner = new SpecificFlowClient(created.id, { app, baseUrl: emu.serviceUrls.flows });
    await app.login();
    const run = await runner.runFlow({ source: TUTORIAL_1, destination: MAPPED_COLLECTION_ID });
    emu.control.advanceClock(0.5);
    const flows = flowsAs(emu);
    const stopped = await flows.getRun(run.run_id);
    expect(stopped.status).toBe("INACTIVE");
    const gare = toGare(stopped.details);
    if (!gare) throw new Error("an INACTIVE run's details are a GARE");
    expect(gare.code).toBe("ConsentRequired");
    const [required] = gare.authorization_parameters.required_scopes ?? [];
    expect(required).toContain(`${MAPPED_COLLECTION_ID}/data_access`);

    // Resuming before the consent changes nothing; after the login the GARE asks for, the run goes on.
    expect((await runner.resumeRun(run.run_id)).status).toBe("INACTIVE");
    const logins = flow.runs;
    await app.login({ authParams: gare.authorization_parameters });
    expect(flow.runs).toBe(logins + 1);
    expect((await runner.resumeRun(run.run_id)).status).toBe("ACTIVE");
    emu.control.advanceClock(2);
    expect((await flows.getRun(run.run_id)).status).toBe("SUCCEEDED");
    const log = (await flows.getRunLogs(run.run_id)).entries.map((entry) => entry.code);
    // Stopped, resumed, then the Transfer step ran and the run ended.
    expect(log.slice(0, 4)).toEqual(["FlowStarted", "FlowInactive", "FlowResumed", "ActionStarted"]);
    expect(log.at(-1)).toBe("FlowSucceeded");
  });

  it("addAppTransferDataAccessScope: one login consents to what the Transfer step needs, so no GARE comes", async () => {
    const created = await flowsAs(emu).createFlow(
      "Copy, consented up front",
      TRANSFER_DEFINITION,
      {},
      { flowStarters: ["all_authenticated_users"] },
    );
    const userScope = `https://auth.globus.org/scopes/${created.id}/flow_${created.id.replaceAll("-", "_")}_user`;
    const { app, flow } = makeApp(false);
    await using _ = app;
    const runner = new SpecificFlowClient(created.id, {
      app,
      baseUrl: emu.serviceUrls.flows,
    }).addAppTransferDataAccessScope(MAPPED_COLLECTION_ID);
    expect(ScopeParser.merge(app.scopeRequirements[created.id] ?? []).map(String)).toEqual([
      `${userScope}[*urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/${MAPPED_COLLECTION_ID}/data_access]]`,
    ]);
    await app.login();
    const run = await runner.runFlow(
      { source: TUTORIAL_1, destination: MAPPED_COLLECTION_ID },
      { label: "up front" },
    );
    // Without autoRedriveGares, a missing consent would have thrown ConsentRequired.
    expect(run).toMatchObject({ flow_id: created.id, status: "ACTIVE", label: "up front" });
    expect(flow.runs).toBe(1);
    // The mapped collection's data_access was consented too: the run never stops INACTIVE.
    emu.control.advanceClock(2);
    expect((await flowsAs(emu).getRun(run.run_id)).status).toBe("SUCCEEDED");
    const unbound = new SpecificFlowClient(created.id, { baseUrl: emu.serviceUrls.flows });
    expect(() => unbound.addAppTransferDataAccessScope(MAPPED_COLLECTION_ID)).toThrow(GlobusSDKUsageError);
  });
});
