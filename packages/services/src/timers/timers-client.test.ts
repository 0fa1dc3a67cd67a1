import {
  AccessTokenAuthorizer,
  type GARE,
  MemoryTokenStorage,
  NativeAppAuthClient,
  ScopeParser,
  UserApp,
} from "@globus-app/core";
import {
  type Emulator,
  MAPPED_COLLECTION_ID,
  SAMPLE_NATIVE_CLIENT,
  startEmulator,
  TIMERS_SCOPE,
  TRANSFER_ALL_SCOPE,
} from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { serviceToken } from "../../test-support/groups-fixture.ts";
import { ADA, rejection, TUTORIAL_1, TUTORIAL_2, transferAs } from "../../test-support/transfer-fixture.ts";
import { TransferData } from "../transfer/transfer-data.ts";
import { OnceTimerSchedule, RecurringTimerSchedule } from "./timer-schedules.ts";
import { isTimersAPIError } from "./timers-api-error.ts";
import { TimersClient } from "./timers-client.ts";
import { TransferTimer } from "./transfer-timer.ts";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ autoApprove: true });
});
afterAll(() => emu.close());
afterEach(() => {
  emu.control.resetClock();
  emu.control.revokeAll();
});

function timersAs(scope = `${TIMERS_SCOPE}[${TRANSFER_ALL_SCOPE}]`, identity = ADA.id): TimersClient {
  return new TimersClient({
    baseUrl: emu.serviceUrls.timer,
    authorizer: new AccessTokenAuthorizer(serviceToken(emu, scope, identity)),
    retryLimit: 0,
  });
}

const data = () =>
  new TransferData({ sourceEndpoint: TUTORIAL_1, destinationEndpoint: TUTORIAL_2, label: "timed" }).addItem(
    "/~/",
    "/~/timed/",
    { recursive: true },
  );

const apiError = async (promise: Promise<unknown>) => {
  const error = await rejection(promise);
  expect(isTimersAPIError(error)).toBe(true);
  return error as { status: number; errorCode: string; message: string; gares: GARE[] };
};

describe("TransferTimer", () => {
  it("is Timers' transfer timer document, without the TransferData's submission id", () => {
    const body = data();
    body.submissionId = "00000000-0000-4000-8000-000000000001";
    const start = new Date("2030-01-01T00:00:00Z");
    const json = new TransferTimer({
      name: "daily",
      schedule: new RecurringTimerSchedule(86_400, { start, end: { count: 3 } }),
      body,
    }).toJSON();
    expect(json).toMatchObject({
      timer_type: "transfer",
      name: "daily",
      schedule: {
        type: "recurring",
        interval_seconds: 86_400,
        start: "2030-01-01T00:00:00.000Z",
        end: { condition: "iterations", count: 3 },
      },
      body: { DATA_TYPE: "transfer", source_endpoint: TUTORIAL_1, label: "timed" },
    });
    expect(json.body).not.toHaveProperty("submission_id");
    expect(new OnceTimerSchedule().toJSON()).toEqual({ type: "once" });
    expect(
      new RecurringTimerSchedule(60, { end: { datetime: "2030-01-02T00:00:00+00:00" } }).toJSON(),
    ).toMatchObject({ end: { condition: "time", datetime: "2030-01-02T00:00:00+00:00" } });
    expect(() => new RecurringTimerSchedule(0)).toThrow(RangeError);
  });
});

describe("TimersClient", () => {
  it("a once timer submits a Transfer task through the fake Transfer at once", async () => {
    const timers = timersAs();
    const { timer } = await timers.createTimer(
      new TransferTimer({ name: "now", schedule: new OnceTimerSchedule(), body: data() }),
    );
    expect(timer).toMatchObject({ name: "now", status: "loaded", timer_type: "transfer", n_runs: 1 });
    const taskId = timer.results.data[0]?.data.task_id as string;
    const task = await transferAs(emu).getTask(taskId);
    expect(task).toMatchObject({ type: "TRANSFER", label: "timed", source_endpoint_id: TUTORIAL_1 });
    expect((await timers.getJob(timer.job_id)).next_run).toBeNull();
  });

  it("a recurring timer fires on the emulator clock, pauses, resumes without making up missed runs, and ends", async () => {
    const timers = timersAs();
    const { timer } = await timers.createTimer(
      new TransferTimer({
        name: "hourly",
        schedule: new RecurringTimerSchedule(3600, { end: { count: 3 } }),
        body: data(),
      }),
    );
    expect(timer.n_runs).toBe(1);
    expect(timer.next_run).not.toBeNull();
    emu.control.advanceClock(3601);
    expect((await timers.getJob(timer.job_id)).n_runs).toBe(2);
    expect((await timers.pauseJob(timer.job_id)).message).toContain("paused");
    expect((await timers.getJob(timer.job_id)).status).toBe("paused");
    emu.control.advanceClock(3600);
    await timers.resumeJob(timer.job_id, { updateCredentials: true });
    emu.control.advanceClock(10_000);
    const ended = await timers.getJob(timer.job_id);
    expect([ended.status, ended.n_runs, ended.next_run]).toEqual(["loaded", 2, null]);
    const taskIds = ended.results.data.map((run) => run.data.task_id);
    expect(new Set(taskIds).size).toBe(2);
  });

  it("lists, renames and deletes timers; a timer that ends at a time stops there", async () => {
    const timers = timersAs();
    const end = new Date(Date.now() + 2.5 * 3600 * 1000);
    const { timer } = await timers.createTimer(
      new TransferTimer({
        schedule: new RecurringTimerSchedule(3600, { end: { datetime: end } }),
        body: data(),
      }),
    );
    emu.control.advanceClock(5 * 3600);
    expect((await timers.getJob(timer.job_id)).n_runs).toBe(3);
    expect((await timers.updateJob(timer.job_id, { name: "renamed" })).name).toBe("renamed");
    const { jobs } = await timers.listJobs();
    expect(jobs.map((job) => job.job_id)).toContain(timer.job_id);
    expect(await apiError(timers.updateJob(timer.job_id, { schedule: {} }))).toMatchObject({
      status: 422,
      errorCode: "ValidationError",
    });
    expect((await timers.deleteJob(timer.job_id)).status).toBe("deleted");
    expect(await apiError(timers.getJob(timer.job_id))).toMatchObject({
      status: 404,
      errorCode: "NOT_FOUND",
    });
  });

  it("refuses an invalid timer with Timers' 422, and asks Transfer consent with a GARE", async () => {
    const invalid = await apiError(
      timersAs().createTimer(new TransferTimer({ schedule: new RecurringTimerSchedule(10), body: data() })),
    );
    expect(invalid).toMatchObject({ status: 422, errorCode: "ValidationError" });
    expect(invalid.message).toContain("schedule.interval_seconds");
    const consent = await apiError(
      timersAs(TIMERS_SCOPE).createTimer(
        new TransferTimer({ schedule: new OnceTimerSchedule(), body: data() }),
      ),
    );
    expect(consent).toMatchObject({ status: 403, errorCode: "ConsentRequired" });
    expect(consent.gares[0]?.authorization_parameters.required_scopes).toEqual([
      `${TIMERS_SCOPE}[${TRANSFER_ALL_SCOPE}]`,
    ]);
  });

  it("registers timer, and the dependent scopes of addAppTransferDataAccessScope and addAppFlowUserScope", async () => {
    const loginClient = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    await using app = new UserApp("timers-app", {
      loginClient,
      config: { tokenStorage: new MemoryTokenStorage() },
    });
    const flowId = "00000000-ec3c-427d-bfb5-51049530122b";
    new TimersClient({ app, baseUrl: emu.serviceUrls.timer })
      .addAppTransferDataAccessScope(MAPPED_COLLECTION_ID)
      .addAppFlowUserScope(flowId);
    // Kept as given; merged as a login sends them: one timer scope with both dependencies.
    const timerScopes = app.scopeRequirements["524230d7-ea86-4a52-8312-86065a9e0417"] ?? [];
    expect(timerScopes).toHaveLength(3);
    expect(ScopeParser.merge(timerScopes).map(String)).toEqual([
      `${TIMERS_SCOPE}[${TRANSFER_ALL_SCOPE}[*https://auth.globus.org/scopes/${MAPPED_COLLECTION_ID}/data_access] https://auth.globus.org/scopes/${flowId}/flow_${flowId.replaceAll("-", "_")}_user]`,
    ]);
  });
});
