import { AccessTokenAuthorizer, MemoryTokenStorage, NativeAppAuthClient, UserApp } from "@globus-app/core";
import {
  COMPUTE_ALL_SCOPE,
  type Emulator,
  SAMPLE_COMPUTE_ENDPOINT_ID,
  SAMPLE_NATIVE_CLIENT,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { serviceToken } from "../../test-support/groups-fixture.ts";
import { GRACE, rejection } from "../../test-support/transfer-fixture.ts";
import { isComputeAPIError } from "./compute-api-error.ts";
import { ComputeClientV2 } from "./compute-client-v2.ts";
import { ComputeClientV3 } from "./compute-client-v3.ts";
import type { ComputeVersionDocument } from "./compute-documents.ts";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
afterEach(() => {
  emu.control.resetClock();
  emu.control.revokeAll();
});

const options = (identity?: string) => ({
  baseUrl: emu.serviceUrls.compute,
  authorizer: new AccessTokenAuthorizer(serviceToken(emu, COMPUTE_ALL_SCOPE, identity)),
  retryLimit: 0,
});
const payload = (...args: unknown[]) => JSON.stringify({ args, kwargs: {} });

const apiError = async (promise: Promise<unknown>) => {
  const error = await rejection(promise);
  expect(isComputeAPIError(error)).toBe(true);
  return error as { status: number; errorCode: string; message: string };
};

describe("ComputeClientV2 and ComputeClientV3", () => {
  it("answer versions, endpoints and an endpoint's status", async () => {
    const compute = new ComputeClientV2(options());
    expect(((await compute.getVersion({ service: "all" })) as ComputeVersionDocument).api).toEqual(
      expect.any(String),
    );
    expect(typeof (await compute.getVersion())).toBe("string");
    expect((await compute.getEndpoints()).map((e) => e.uuid)).toEqual([SAMPLE_COMPUTE_ENDPOINT_ID]);
    expect((await compute.getEndpoint(SAMPLE_COMPUTE_ENDPOINT_ID)).name).toBe("emulator-endpoint");
    expect((await compute.getEndpointStatus(SAMPLE_COMPUTE_ENDPOINT_ID)).status).toBe("online");
    const missing = await apiError(compute.getEndpoint("00000000-0000-4000-8000-000000000000"));
    expect(missing).toMatchObject({ status: 404, errorCode: "ENDPOINT_NOT_FOUND" });
    expect(missing.message).toContain("not found");
  });

  it("register, get and delete functions; run the sample functions in batches, v3 and v2", async () => {
    const v2 = new ComputeClientV2(options());
    const v3 = new ComputeClientV3(options());
    const { function_uuid: add } = await v3.registerFunction({
      function_name: "add",
      function_code: "def add(*xs): return sum(xs)",
      description: "adds",
    });
    const { function_uuid: fail } = await v2.registerFunction({
      function_name: "fail",
      function_code: "1/0",
    });
    expect(await v2.getFunction(add)).toMatchObject({ function_uuid: add, function_name: "add" });
    const submitted = await v3.submit(SAMPLE_COMPUTE_ENDPOINT_ID, {
      tasks: { [add]: [payload(1, 2), payload(40, 2)], [fail]: [payload()] },
    });
    expect(submitted.endpoint_id).toBe(SAMPLE_COMPUTE_ENDPOINT_ID);
    const [three, fortyTwo] = submitted.tasks[add] as [string, string];
    const failing = submitted.tasks[fail]?.[0] as string;
    expect((await v2.getTask(three)).status).toBe("waiting-for-launch");
    emu.control.advanceClock(2);
    expect(await v2.getTask(three)).toMatchObject({ status: "success", result: "3" });
    const batch = await v2.getTaskBatch([fortyTwo, failing]);
    expect(batch.results[fortyTwo]).toMatchObject({ status: "success", result: "42" });
    expect(batch.results[failing]).toMatchObject({ status: "failed" });
    expect(batch.results[failing]?.exception).toContain("ZeroDivisionError");
    const group = await v2.getTaskGroup(submitted.task_group_id);
    expect(group.tasks.map((task) => task.id).sort()).toEqual([three, fortyTwo, failing].sort());

    const { function_uuid: echo } = await v2.registerFunction({ function_name: "echo", function_code: "…" });
    const viaV2 = await v2.submit({
      tasks: [[echo, SAMPLE_COMPUTE_ENDPOINT_ID, payload({ hello: "world" })]],
    });
    const taskId = viaV2.results[0]?.task_uuid as string;
    emu.control.advanceClock(2);
    expect(JSON.parse((await v2.getTask(taskId)).result as string)).toEqual({ hello: "world" });

    // Functions are their owner's: Grace sees none of Ada's, and may run none.
    const grace = new ComputeClientV2(options(GRACE.id));
    expect(await apiError(grace.getFunction(add))).toMatchObject({
      status: 404,
      errorCode: "FUNCTION_NOT_FOUND",
    });
    expect((await apiError(grace.getTask(three))).status).toBe(404);
    await v2.deleteFunction(add);
    expect((await apiError(v2.getFunction(add))).status).toBe(404);
    expect((await apiError(v2.registerFunction({ function_name: "", function_code: "" }))).status).toBe(400);
  });

  it("registers Compute's all with a bound app", async () => {
    const loginClient = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    await using app = new UserApp("compute-app", {
      loginClient,
      config: { tokenStorage: new MemoryTokenStorage() },
    });
    new ComputeClientV3({ app, baseUrl: emu.serviceUrls.compute });
    expect(app.scopeRequirements.funcx_service?.map(String)).toEqual([COMPUTE_ALL_SCOPE]);
  });
});
