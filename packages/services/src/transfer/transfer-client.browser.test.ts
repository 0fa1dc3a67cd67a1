import { AccessTokenAuthorizer, isGlobusAPIError } from "@globus-app/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "vitest/browser";
import type { StartedEmulator } from "../../../browser/test-support/emulator-commands.ts";
import { TransferClient, TransferData } from "../index.ts";

const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
const SOURCE = "f6cd964d-7ab7-44cf-8a05-777a55f598ee";

let emu: StartedEmulator;
let transfer: TransferClient;
beforeAll(async () => {
  emu = await commands.startEmulator();
  const tokens = await commands.emulatorControl(emu.id, "issueTokens", {
    clientId: emu.nativeClientId,
    scope: TRANSFER_ALL,
  });
  transfer = new TransferClient({
    baseUrl: emu.transferUrl,
    authorizer: new AccessTokenAuthorizer(tokens.access_token),
    retryLimit: 0,
  });
});
afterAll(() => commands.stopEmulator(emu.id));

describe("TransferClient in Chromium", () => {
  it("searches, submits, waits and pages against the emulator's Transfer port (CORS)", async () => {
    const found = await transfer.endpointSearch("tutorial");
    expect(found.DATA.map((endpoint) => endpoint.id)).toContain(SOURCE);
    const data = new TransferData({
      sourceEndpoint: SOURCE,
      destinationEndpoint: SOURCE,
      label: "browser",
    }).addItem("/~/many/", "/~/many-from-browser/", { recursive: true });
    const { task_id, code } = await transfer.submitTransfer(data);
    expect(code).toBe("Accepted");
    await commands.emulatorControl(emu.id, "advanceClock", 120);
    expect(await transfer.taskWait(task_id, { timeoutS: 5, pollingIntervalS: 0.1 })).toBe(true);
    expect((await transfer.getTask(task_id)).status).toBe("SUCCEEDED");
    let pages = 0;
    let items = 0;
    for await (const page of transfer.paginated.taskSuccessfulTransfers(task_id)) {
      pages++;
      items += page.DATA.length;
    }
    expect([pages, items]).toEqual([3, 250]);
    const error = await transfer.getTask("00000000-0000-4000-8000-000000000000").catch((e: unknown) => e);
    expect(isGlobusAPIError(error) && error.errorCode).toBe("ClientError.NotFound");
  });
});
