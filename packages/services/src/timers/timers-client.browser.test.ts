import {
  AccessTokenAuthorizer,
  MemoryTokenStorage,
  NativeAppAuthClient,
  ScopeParser,
  UserApp,
} from "@globus-app/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { commands } from "vitest/browser";
import type { StartedEmulator } from "../../../browser/test-support/emulator-commands.ts";
import { FollowAuthorizeLoginFlow } from "../../test-support/follow-authorize-login-flow.ts";
import {
  FlowsClient,
  isTimersAPIError,
  OnceTimerSchedule,
  RecurringTimerSchedule,
  TimersClient,
  TransferClient,
  TransferData,
  TransferTimer,
} from "../index.ts";

// The emulator's constants, spelt out: its module is Node-only and cannot load in the page.
const TIMERS_SCOPE = "https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer";
const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
const TUTORIAL_1 = "f6cd964d-7ab7-44cf-8a05-777a55f598ee";
const TUTORIAL_2 = "2ddeacb8-1052-43eb-9863-d437ef0fa9c0";
const FLOWS_ALL = "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all";
const TIMERS_RESOURCE_SERVER = "524230d7-ea86-4a52-8312-86065a9e0417";

let emu: StartedEmulator;
beforeAll(async () => {
  emu = await commands.startEmulator();
});
afterAll(() => commands.stopEmulator(emu.id));
afterEach(() => commands.emulatorControl(emu.id, "resetClock"));

async function token(scope: string): Promise<string> {
  const tokens = await commands.emulatorControl(emu.id, "issueTokens", {
    clientId: emu.nativeClientId,
    scope,
  });
  return tokens.access_token;
}
const timersAs = async (scope = `${TIMERS_SCOPE}[${TRANSFER_ALL}]`) =>
  new TimersClient({
    baseUrl: emu.timerUrl,
    authorizer: new AccessTokenAuthorizer(await token(scope)),
    retryLimit: 0,
  });
const data = () =>
  new TransferData({ sourceEndpoint: TUTORIAL_1, destinationEndpoint: TUTORIAL_2, label: "timed" }).addItem(
    "/~/",
    "/~/timed/",
    { recursive: true },
  );
const timersError = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => {
      throw new Error("resolved instead of rejecting");
    },
    (e: unknown) => e,
  );
  expect(isTimersAPIError(error)).toBe(true);
  return error as { status: number; errorCode: string; gares: { authorization_parameters: unknown }[] };
};

describe("TimersClient in Chromium", () => {
  it("creates a once timer (`new`, v2 shape) that submits a Transfer task on the next call (CORS)", async () => {
    const timers = await timersAs();
    const { timer } = await timers.createTimer(
      new TransferTimer({ name: "browser once", schedule: new OnceTimerSchedule(), body: data() }),
    );
    expect(timer).toMatchObject({
      name: "browser once",
      status: "new",
      timer_type: "transfer",
      number_of_runs: 0,
    });
    const job = await timers.getJob(timer.job_id);
    expect(job).toMatchObject({ status: "loaded", n_runs: 1, stop_after: { n_runs: 1 } });
    const transfer = new TransferClient({
      baseUrl: emu.transferUrl,
      authorizer: new AccessTokenAuthorizer(await token(TRANSFER_ALL)),
      retryLimit: 0,
    });
    const task = await transfer.getTask(job.results.data[0]?.data.details.task_id as string);
    expect(task).toMatchObject({ type: "TRANSFER", label: "timed", source_endpoint_id: TUTORIAL_1 });
  });

  it("lists, gets, renames, pauses, resumes and deletes a recurring timer on the emulator clock", async () => {
    const timers = await timersAs();
    const { timer } = await timers.createTimer(
      new TransferTimer({
        name: "hourly",
        schedule: new RecurringTimerSchedule(3600, { end: { count: 3 } }),
        body: data(),
      }),
    );
    await commands.emulatorControl(emu.id, "advanceClock", 3601);
    expect((await timers.getJob(timer.job_id)).n_runs).toBe(2);
    expect((await timers.listJobs()).jobs.map((job) => job.job_id)).toContain(timer.job_id);
    expect((await timers.updateJob(timer.job_id, { name: "renamed" })).name).toBe("renamed");
    expect((await timers.pauseJob(timer.job_id)).message).toContain("paused");
    await commands.emulatorControl(emu.id, "advanceClock", 3600);
    expect(await timers.getJob(timer.job_id)).toMatchObject({
      status: "inactive",
      inactive_reason: { cause: "user" },
      n_runs: 2,
    });
    expect((await timers.resumeJob(timer.job_id, { updateCredentials: true })).message).toContain("resumed");
    await commands.emulatorControl(emu.id, "advanceClock", 10_000);
    const ended = await timers.getJob(timer.job_id);
    expect([ended.status, ended.n_runs, ended.next_run]).toEqual(["loaded", 2, null]);
    expect((await timers.deleteJob(timer.job_id)).job_id).toBe(timer.job_id);
    expect(await timersError(timers.getJob(timer.job_id))).toMatchObject({
      status: 404,
      errorCode: "NOT_FOUND",
    });
  });

  it("reads Timers' 422 and the consent GARE", async () => {
    const invalid = await timersError(
      (await timersAs()).createTimer(
        new TransferTimer({ schedule: new RecurringTimerSchedule(10), body: data() }),
      ),
    );
    expect(invalid).toMatchObject({ status: 422, errorCode: "ValidationError" });
    const consent = await timersError(
      (await timersAs(TIMERS_SCOPE)).createTimer(
        new TransferTimer({ schedule: new OnceTimerSchedule(), body: data() }),
      ),
    );
    expect(consent).toMatchObject({ status: 403, errorCode: "ConsentRequired" });
    expect(consent.gares[0]?.authorization_parameters).toMatchObject({
      required_scopes: [`${TIMERS_SCOPE}[${TRANSFER_ALL}]`],
    });
  });

  it("addAppTransferDataAccessScope and addAppFlowUserScope: one login consents to what the timers need", async () => {
    const flow = await new FlowsClient({
      baseUrl: emu.flowsUrl,
      authorizer: new AccessTokenAuthorizer(await token(FLOWS_ALL)),
      retryLimit: 0,
    }).createFlow("timed flow", { StartAt: "A", States: { A: { Type: "Pass", End: true } } }, {});
    const loginClient = new NativeAppAuthClient({ clientId: emu.nativeClientId, baseUrl: emu.url });
    const login = new FollowAuthorizeLoginFlow(loginClient, { requestRefreshTokens: false });
    await using app = new UserApp(`timers-browser-${crypto.randomUUID()}`, {
      loginClient,
      config: { tokenStorage: new MemoryTokenStorage(), loginFlowManager: login },
    });
    const timers = new TimersClient({ app, baseUrl: emu.timerUrl })
      .addAppTransferDataAccessScope([])
      .addAppFlowUserScope(flow.id);
    const flowUser = `https://auth.globus.org/scopes/${flow.id}/flow_${flow.id.replaceAll("-", "_")}_user`;
    expect(ScopeParser.merge(app.scopeRequirements[TIMERS_RESOURCE_SERVER] ?? []).map(String)).toEqual([
      `${TIMERS_SCOPE}[${TRANSFER_ALL} ${flowUser}]`,
    ]);
    await app.login();
    // Without Transfer under `timer`, creating a transfer timer would answer 403 ConsentRequired.
    const { timer } = await timers.createTimer(
      new TransferTimer({ name: "consented", schedule: new OnceTimerSchedule(), body: data() }),
    );
    expect(timer).toMatchObject({ name: "consented", status: "new", timer_type: "transfer" });
    expect(login.runs).toBe(1);
  });
});
