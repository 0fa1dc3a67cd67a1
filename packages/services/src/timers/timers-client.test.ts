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
  it("a once timer is created `new`, then submits a Transfer task through the fake Transfer", async () => {
    const timers = timersAs();
    const { timer } = await timers.createTimer(
      new TransferTimer({ name: "now", schedule: new OnceTimerSchedule(), body: data() }),
    );
    expect(timer).toMatchObject({
      name: "now",
      status: "new",
      timer_type: "transfer",
      number_of_runs: 0,
      number_of_errors: 0,
      last_ran_at: null,
      inactive_reason: null,
      schedule: { type: "once" },
      body: { DATA_TYPE: "transfer", source_endpoint: TUTORIAL_1, label: "timed" },
    });
    const job = await timers.getJob(timer.job_id);
    expect(job).toMatchObject({
      job_id: timer.job_id,
      status: "loaded",
      n_runs: 1,
      next_run: null,
      interval: null,
      stop_after: { date: null, n_runs: 1 },
      callback_url: "https://actions.automate.globus.org/transfer/transfer/run",
      callback_body: { body: { source_endpoint_id: TUTORIAL_1, destination_endpoint_id: TUTORIAL_2 } },
      results: { page_next: null },
    });
    const run = job.results.data[0];
    expect(run).toMatchObject({ status: 202, data: { status: "ACTIVE", details: { DATA_TYPE: "task" } } });
    const task = await transferAs(emu).getTask(run?.data.details.task_id as string);
    expect(task).toMatchObject({ type: "TRANSFER", label: "timed", source_endpoint_id: TUTORIAL_1 });
  });

  it("a recurring timer fires on the emulator clock, pauses (inactive), resumes without making up missed runs, and ends", async () => {
    const timers = timersAs();
    const { timer } = await timers.createTimer(
      new TransferTimer({
        name: "hourly",
        schedule: new RecurringTimerSchedule(3600, { end: { count: 3 } }),
        body: data(),
      }),
    );
    expect([timer.status, timer.number_of_runs]).toEqual(["new", 0]);
    expect(timer.next_run).not.toBeNull();
    emu.control.advanceClock(3601);
    const running = await timers.getJob(timer.job_id);
    expect([running.status, running.n_runs, running.interval]).toEqual(["loaded", 2, 3600]);
    expect(running.stop_after).toEqual({ date: null, n_runs: 3 });
    expect(await timers.pauseJob(timer.job_id)).toEqual({
      message: `Successfully paused job ${timer.job_id}.`,
    });
    expect(await timers.getJob(timer.job_id)).toMatchObject({
      status: "inactive",
      inactive_reason: { cause: "user", detail: null },
    });
    emu.control.advanceClock(3600);
    expect((await timers.resumeJob(timer.job_id, { updateCredentials: true })).message).toBe(
      `Successfully resumed job ${timer.job_id}.`,
    );
    emu.control.advanceClock(10_000);
    const ended = await timers.getJob(timer.job_id);
    expect([ended.status, ended.inactive_reason, ended.n_runs, ended.next_run]).toEqual([
      "loaded",
      null,
      2,
      null,
    ]);
    const taskIds = ended.results.data.map((run) => run.data.details.task_id);
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
    const job = await timers.getJob(timer.job_id);
    expect([job.n_runs, job.stop_after?.n_runs]).toEqual([3, null]);
    expect(Date.parse(job.stop_after?.date ?? "")).toBeCloseTo(end.getTime(), -1);
    expect((await timers.updateJob(timer.job_id, { name: "renamed" })).name).toBe("renamed");
    const { jobs } = await timers.listJobs();
    expect(jobs.map((job) => job.job_id)).toContain(timer.job_id);
    expect(await apiError(timers.updateJob(timer.job_id, { schedule: {} }))).toMatchObject({
      status: 422,
      errorCode: "ValidationError",
    });
    // Deleting answers the job as it was.
    expect(await timers.deleteJob(timer.job_id)).toMatchObject({
      job_id: timer.job_id,
      name: "renamed",
      n_runs: 3,
    });
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
