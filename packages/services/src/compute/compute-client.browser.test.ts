import { AccessTokenAuthorizer } from "@globus-app/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "vitest/browser";
import type { StartedEmulator } from "../../../browser/test-support/emulator-commands.ts";
import {
  ComputeClientV2,
  ComputeClientV3,
  type ComputeVersionDocument,
  isComputeAPIError,
} from "../index.ts";

// The emulator's constants, spelt out: its module is Node-only and cannot load in the page.
const COMPUTE_ALL = "https://auth.globus.org/scopes/facd7ccc-c5f4-42aa-916b-a0e270e2c2a9/all";
const ENDPOINT_ID = "5c0b3d42-7a1e-4f6b-9e2d-8c4a1f0b7e63";

let emu: StartedEmulator;
let v2: ComputeClientV2;
let v3: ComputeClientV3;
beforeAll(async () => {
  emu = await commands.startEmulator();
  const tokens = await commands.emulatorControl(emu.id, "issueTokens", {
    clientId: emu.nativeClientId,
    scope: COMPUTE_ALL,
  });
  const options = {
    baseUrl: emu.computeUrl,
    authorizer: new AccessTokenAuthorizer(tokens.access_token),
    retryLimit: 0,
  };
  v2 = new ComputeClientV2(options);
  v3 = new ComputeClientV3(options);
});
afterAll(() => commands.stopEmulator(emu.id));

const payload = (...args: unknown[]) => JSON.stringify({ args, kwargs: {} });
const computeError = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => {
      throw new Error("resolved instead of rejecting");
    },
    (e: unknown) => e,
  );
  expect(isComputeAPIError(error)).toBe(true);
  return error as { status: number; errorCode: string };
};

describe("ComputeClientV2 and ComputeClientV3 in Chromium", () => {
  it("read the version, the endpoints and an endpoint's status (CORS)", async () => {
    expect(((await v2.getVersion({ service: "all" })) as ComputeVersionDocument).api).toEqual(
      expect.any(String),
    );
    expect(typeof (await v2.getVersion())).toBe("string");
    expect((await v2.getEndpoints()).map((endpoint) => endpoint.uuid)).toEqual([ENDPOINT_ID]);
    expect((await v2.getEndpoint(ENDPOINT_ID)).uuid).toBe(ENDPOINT_ID);
    expect((await v2.getEndpointStatus(ENDPOINT_ID)).status).toBe("online");
    expect(await computeError(v2.getEndpoint("00000000-0000-4000-8000-000000000000"))).toMatchObject({
      status: 404,
      errorCode: "ENDPOINT_NOT_FOUND",
    });
  });

  it("register, run and delete functions through both APIs, results on the emulator clock", async () => {
    const { function_uuid: add } = await v3.registerFunction({ function_name: "add", function_code: "…" });
    const { function_uuid: echo } = await v2.registerFunction({ function_name: "echo", function_code: "…" });
    expect(await v2.getFunction(add)).toMatchObject({ function_uuid: add, function_name: "add" });
    const viaV3 = await v3.submit(ENDPOINT_ID, { tasks: { [add]: [payload(1, 2), payload(40, 2)] } });
    const [three, fortyTwo] = viaV3.tasks[add] as [string, string];
    const viaV2 = await v2.submit({
      tasks: [[echo, ENDPOINT_ID, payload("from Chromium")]],
      task_group_id: viaV3.task_group_id,
    });
    const echoed = viaV2.results[0]?.task_uuid as string;
    expect((await v2.getTask(three)).pending).toBe(true);
    await commands.emulatorControl(emu.id, "advanceClock", 2);
    expect(await v2.getTask(three)).toMatchObject({ status: "success", result: "3" });
    const batch = await v2.getTaskBatch([fortyTwo, echoed]);
    expect(batch.results[fortyTwo]).toMatchObject({ status: "success", result: "42" });
    expect(JSON.parse(batch.results[echoed]?.result as string)).toBe("from Chromium");
    const group = await v2.getTaskGroup(viaV3.task_group_id);
    expect(group.tasks.map((task) => task.id).sort()).toEqual([three, fortyTwo, echoed].sort());
    await v2.deleteFunction(add);
    expect(await computeError(v2.getFunction(add))).toMatchObject({
      status: 404,
      errorCode: "FUNCTION_NOT_FOUND",
    });
    await commands.emulatorControl(emu.id, "resetClock");
  });
});
