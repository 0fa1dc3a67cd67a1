import {
  AccessTokenAuthorizer,
  GlobusSDKUsageError,
  MemoryTokenStorage,
  NativeAppAuthClient,
  UserApp,
} from "@globus-app/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "vitest/browser";
import type { StartedEmulator } from "../../../browser/test-support/emulator-commands.ts";
import { passDefinition, TRANSFER_DEFINITION } from "../../test-support/flow-definitions.ts";
import { FollowAuthorizeLoginFlow } from "../../test-support/follow-authorize-login-flow.ts";
import { FlowsClient, isFlowsAPIError, SpecificFlowClient, TransferClient } from "../index.ts";

// The emulator's constants, spelt out: its module is Node-only and cannot load in the page.
const FLOWS_ALL = "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all";
const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
const TUTORIAL_1 = "f6cd964d-7ab7-44cf-8a05-777a55f598ee";
const TUTORIAL_2 = "2ddeacb8-1052-43eb-9863-d437ef0fa9c0";
const MAPPED_COLLECTION_ID = "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const userScope = (flowId: string) =>
  `https://auth.globus.org/scopes/${flowId}/flow_${flowId.replaceAll("-", "_")}_user`;

let emu: StartedEmulator;
let ada: { id: string; username: string };
let grace: { id: string; username: string };
beforeAll(async () => {
  emu = await commands.startEmulator({ autoApprove: true });
  [ada, grace] = emu.identities as [typeof ada, typeof grace];
});
afterAll(() => commands.stopEmulator(emu.id));

async function token(scope: string, identity = ada.id): Promise<string> {
  const tokens = await commands.emulatorControl(emu.id, "issueTokens", {
    clientId: emu.nativeClientId,
    scope,
    identity,
  });
  return tokens.access_token;
}
const flowsAs = async (identity = ada.id) =>
  new FlowsClient({
    baseUrl: emu.flowsUrl,
    authorizer: new AccessTokenAuthorizer(await token(FLOWS_ALL, identity)),
    retryLimit: 0,
  });
const runnerAs = async (flowId: string, identity = ada.id) =>
  new SpecificFlowClient(flowId, {
    baseUrl: emu.flowsUrl,
    authorizer: new AccessTokenAuthorizer(await token(userScope(flowId), identity)),
    retryLimit: 0,
  });
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("resolved instead of rejecting");
    },
    (error: unknown) => error,
  );
const flowsError = async (promise: Promise<unknown>) => {
  const error = await rejection(promise);
  expect(isFlowsAPIError(error)).toBe(true);
  return error as { status: number; errorCode: string; message: string };
};

describe("FlowsClient in Chromium", () => {
  it("creates, reads, validates, updates and deletes flows against the emulator's Flows port (CORS)", async () => {
    const flows = await flowsAs();
    const flow = await flows.createFlow(
      "Browser flow",
      passDefinition(2),
      { required: ["name"] },
      { subtitle: "from Chromium", keywords: ["browser"], flowStarters: ["all_authenticated_users"] },
    );
    expect(flow).toMatchObject({ title: "Browser flow", user_role: "flow_owner" });
    expect(flow.globus_auth_scope).toBe(userScope(flow.id));
    expect((await flows.getFlow(flow.id)).definition).toEqual(passDefinition(2));
    expect((await flows.updateFlow(flow.id, { description: "changed" })).description).toBe("changed");
    const validation = await flows.validateFlow(TRANSFER_DEFINITION);
    expect(validation.scopes.User).toEqual([TRANSFER_ALL]);
    const invalid = await flowsError(flows.validateFlow({ StartAt: "Nowhere", States: {} }));
    expect(invalid).toMatchObject({ status: 422, errorCode: "UNPROCESSABLE_ENTITY" });
    const graces = await flowsAs(grace.id);
    expect((await graces.getFlow(flow.id)).user_role).toBe("flow_starter");
    expect(await flowsError(graces.deleteFlow(flow.id))).toMatchObject({ status: 403 });
    expect((await flows.deleteFlow(flow.id)).id).toBe(flow.id);
    expect(await flowsError(flows.getFlow(flow.id))).toMatchObject({ status: 404, errorCode: "NOT_FOUND" });
  });

  it("walks listFlows, listRuns and getRunLogs page by page", async () => {
    const flows = await flowsAs(grace.id);
    const ids: string[] = [];
    for (let n = 0; n < 23; n++)
      ids.push((await flows.createFlow(`Paged ${String(n).padStart(2, "0")}`, passDefinition(1), {})).id);
    const first = await flows.listFlows({ filterRoles: "flow_owner", orderby: "title ASC" });
    expect([first.flows.length, first.has_next_page]).toEqual([20, true]);
    const sizes: number[] = [];
    for await (const page of flows.paginated.listFlows({ filterRoles: "flow_owner", orderby: "title ASC" }))
      sizes.push(page.flows.length);
    expect(sizes).toEqual([20, 3]);
    const all = await flows.paginated.listFlows({ filterFulltext: "paged", orderby: "title ASC" }).toArray();
    expect(all.map((f) => f.id)).toEqual(ids);

    const flowId = ids[0] as string;
    const runner = await runnerAs(flowId, grace.id);
    for (let n = 0; n < 22; n++) await runner.runFlow({}, { label: `run ${String(n).padStart(2, "0")}` });
    const runPages: number[] = [];
    for await (const page of flows.paginated.listRuns({ filterFlowId: flowId }))
      runPages.push(page.runs.length);
    expect(runPages).toEqual([20, 2]);
    const labels = (
      await flows.paginated.listRuns({ filterFlowId: flowId, orderby: "label DESC" }).toArray()
    ).map((run) => run.label);
    expect(labels[0]).toBe("run 21");
    expect(labels).toHaveLength(22);

    const [firstRun] = (await flows.listRuns({ filterFlowId: flowId, orderby: "label ASC" })).runs;
    await commands.emulatorControl(emu.id, "advanceClock", 5);
    const logPages: number[] = [];
    for await (const page of flows.paginated.getRunLogs(firstRun?.run_id as string, { limit: 2 }))
      logPages.push(page.entries.length);
    // FlowStarted, PassStarted, PassCompleted, FlowSucceeded: two pages of two.
    expect(logPages).toEqual([2, 2]);
    await commands.emulatorControl(emu.id, "resetClock");
  });
});

describe("runs in Chromium", () => {
  it("runs, validates, reads, updates, cancels, resumes and deletes runs on the emulator clock", async () => {
    const flows = await flowsAs();
    const flow = await flows.createFlow("Run me", passDefinition(3), { required: ["name"] });
    const runner = await runnerAs(flow.id);
    expect(await flowsError(runner.runFlow({}))).toMatchObject({
      status: 400,
      errorCode: "FLOW_INPUT_ERROR",
    });
    expect(await runner.validateRun({ name: "Ada" })).toMatchObject({ message: "success" });
    const run = await runner.runFlow({ name: "Ada" }, { label: "browser run", tags: ["b"] });
    expect(run).toMatchObject({ flow_id: flow.id, status: "ACTIVE", label: "browser run" });
    await commands.emulatorControl(emu.id, "advanceClock", 4);
    expect(await flows.getRun(run.run_id, { includeFlowDescription: true })).toMatchObject({
      status: "SUCCEEDED",
      details: { output: { name: "Ada" } },
      flow_description: { id: flow.id },
    });
    const newest = await flows.getRunLogs(run.run_id, { reverseOrder: true, limit: 1 });
    expect(newest.entries[0]?.code).toBe("FlowSucceeded");
    expect((await flows.getRunDefinition(run.run_id)).definition).toEqual(passDefinition(3));
    expect(await flows.updateRun(run.run_id, { label: "renamed", tags: ["c"] })).toMatchObject({
      label: "renamed",
      tags: ["c"],
    });
    const second = await runner.runFlow({ name: "Grace" });
    expect(await flowsError(flows.deleteRun(second.run_id))).toMatchObject({ status: 409 });
    expect(await flows.cancelRun(second.run_id)).toMatchObject({
      status: "FAILED",
      details: { code: "FlowCanceled" },
    });
    expect((await runner.resumeRun(second.run_id)).run_id).toBe(second.run_id);
    expect((await flows.deleteRun(second.run_id)).run_id).toBe(second.run_id);
    expect(await flowsError(flows.getRun(second.run_id))).toMatchObject({ status: 404 });
    await commands.emulatorControl(emu.id, "resetClock");
  });

  it("SpecificFlowClient.runFlow: Transfer consent answers a GARE that autoRedriveGares resolves by a login", async () => {
    const created = await (await flowsAs()).createFlow(
      "Copy from Chromium",
      TRANSFER_DEFINITION,
      {},
      {
        flowStarters: ["all_authenticated_users"],
      },
    );
    const loginClient = new NativeAppAuthClient({ clientId: emu.nativeClientId, baseUrl: emu.url });
    const login = new FollowAuthorizeLoginFlow(loginClient, { requestRefreshTokens: false });
    await using app = new UserApp(`flows-browser-${crypto.randomUUID()}`, {
      loginClient,
      config: { tokenStorage: new MemoryTokenStorage(), loginFlowManager: login, autoRedriveGares: true },
    });
    const runner = new SpecificFlowClient(created.id, { app, baseUrl: emu.flowsUrl });
    expect(app.scopeRequirements[created.id]?.map(String)).toEqual([userScope(created.id)]);
    await app.login();
    expect(login.runs).toBe(1);
    const run = await runner.runFlow({ source: TUTORIAL_1, destination: TUTORIAL_2 }, { label: "consented" });
    // The first attempt answered 403 ConsentRequired; the app logged in again and redrove it.
    expect(login.runs).toBe(2);
    expect(run).toMatchObject({ status: "ACTIVE", label: "consented" });
    await commands.emulatorControl(emu.id, "advanceClock", 2);
    const started = (await (await flowsAs()).getRunLogs(run.run_id)).entries.find(
      (entry) => entry.code === "ActionStarted",
    );
    const transfer = new TransferClient({
      baseUrl: emu.transferUrl,
      authorizer: new AccessTokenAuthorizer(await token(TRANSFER_ALL)),
      retryLimit: 0,
    });
    expect(await transfer.getTask(started?.details.task_id as string)).toMatchObject({
      source_endpoint_id: TUTORIAL_1,
      destination_endpoint_id: TUTORIAL_2,
    });
    await commands.emulatorControl(emu.id, "resetClock");
  });

  it("SpecificFlowClient.addAppTransferDataAccessScope: the first login consents to the Transfer step, no GARE", async () => {
    const created = await (await flowsAs()).createFlow("Consented up front", TRANSFER_DEFINITION, {}, {});
    const loginClient = new NativeAppAuthClient({ clientId: emu.nativeClientId, baseUrl: emu.url });
    const login = new FollowAuthorizeLoginFlow(loginClient, { requestRefreshTokens: false });
    await using app = new UserApp(`flows-browser-${crypto.randomUUID()}`, {
      loginClient,
      config: { tokenStorage: new MemoryTokenStorage(), loginFlowManager: login, autoRedriveGares: false },
    });
    const runner = new SpecificFlowClient(created.id, {
      app,
      baseUrl: emu.flowsUrl,
    }).addAppTransferDataAccessScope([MAPPED_COLLECTION_ID]);
    expect(app.scopeRequirements[created.id]?.map(String)).toContain(
      `${userScope(created.id)}[*${TRANSFER_ALL}[*https://auth.globus.org/scopes/${MAPPED_COLLECTION_ID}/data_access]]`,
    );
    await app.login();
    const run = await runner.runFlow({ source: TUTORIAL_1, destination: TUTORIAL_2 }, { label: "up front" });
    expect(run).toMatchObject({ flow_id: created.id, status: "ACTIVE", label: "up front" });
    expect(login.runs).toBe(1);
    const unbound = new SpecificFlowClient(created.id, { baseUrl: emu.flowsUrl });
    expect(() => unbound.addAppTransferDataAccessScope(MAPPED_COLLECTION_ID)).toThrow(GlobusSDKUsageError);
  });
});
