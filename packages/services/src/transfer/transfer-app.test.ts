import {
  type GARE,
  type GlobusAppConfigInput,
  isGlobusSDKUsageError,
  MemoryTokenStorage,
  NativeAppAuthClient,
  UserApp,
} from "@globus-app/core";
import { EmulatorAutoApproveLoginFlow } from "@globus-app/core/testing/emulator";
import {
  type Emulator,
  MAPPED_COLLECTION_ID,
  MFA_COLLECTION_ID,
  SAMPLE_NATIVE_CLIENT,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { rejection } from "../../test-support/transfer-fixture.ts";
import { isTransferAPIError } from "./transfer-api-error.ts";
import { TransferClient } from "./transfer-client.ts";
import { TransferData } from "./transfer-data.ts";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ autoApprove: true });
});
afterAll(() => emu.close());
afterEach(() => {
  emu.control.revokeAll();
  emu.control.resetCounts();
});

function makeApp(config: GlobusAppConfigInput = {}) {
  const loginClient = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
  const flow = new EmulatorAutoApproveLoginFlow(loginClient, { requestRefreshTokens: false });
  const app = new UserApp(`transfer-app-${Math.random()}`, {
    loginClient,
    config: { tokenStorage: new MemoryTokenStorage(), loginFlowManager: flow, ...config },
  });
  return { app, flow };
}

describe("TransferClient bound to an app", () => {
  it("registers transfer:all, and ConsentRequired for a mapped collection carries a GARE", async () => {
    const { app } = makeApp();
    await using _ = app;
    const transfer = new TransferClient({ app, baseUrl: emu.serviceUrls.transfer });
    expect(app.scopeRequirements["transfer.api.globus.org"]?.map(String)).toEqual([
      "urn:globus:auth:scope:transfer.api.globus.org:all",
    ]);
    await app.login();
    const error = await rejection(transfer.operationLs(MAPPED_COLLECTION_ID));
    expect(isTransferAPIError(error)).toBe(true);
    const apiError = error as { status: number; errorCode: string; gares: GARE[] };
    expect(apiError).toMatchObject({ status: 403, errorCode: "ConsentRequired" });
    expect(apiError.gares[0]?.authorization_parameters.required_scopes).toEqual([
      `urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/${MAPPED_COLLECTION_ID}/data_access]`,
    ]);
  });

  it("with autoRedriveGares, logs in again for data_access consent and an MFA session, then succeeds", async () => {
    const { app, flow } = makeApp({ autoRedriveGares: true });
    await using _ = app;
    const transfer = new TransferClient({ app, baseUrl: emu.serviceUrls.transfer });
    await app.login();
    const listing = await transfer.operationLs(MAPPED_COLLECTION_ID);
    expect(listing.DATA_TYPE).toBe("file_list");
    expect(flow.runs).toBe(2);
    const mfa = await transfer.operationLs(MFA_COLLECTION_ID);
    expect(mfa.DATA_TYPE).toBe("file_list");
    expect(flow.runs).toBe(3);
    const authorize = emu.control.requestLog().filter((entry) => entry.endpoint === "authorize");
    expect(authorize[2]?.params.session_required_mfa).toBe("true");
  });

  it("addAppDataAccessScope asks consent up front: the first transfer needs no round trip", async () => {
    const { app, flow } = makeApp();
    await using _ = app;
    const transfer = new TransferClient({ app, baseUrl: emu.serviceUrls.transfer }).addAppDataAccessScope([
      MAPPED_COLLECTION_ID,
    ]);
    expect(String(app.scopeRequirements["transfer.api.globus.org"]?.at(-1))).toBe(
      `urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/${MAPPED_COLLECTION_ID}/data_access]`,
    );
    await app.login();
    emu.control.resetCounts();
    const result = await transfer.submitTransfer(
      new TransferData({
        sourceEndpoint: MAPPED_COLLECTION_ID,
        destinationEndpoint: MAPPED_COLLECTION_ID,
      }).addItem("/~/README.txt", "/~/README-copy.txt"),
    );
    expect(result.code).toBe("Accepted");
    expect(flow.runs).toBe(1);
    const calls = emu.control.requestLog().filter((entry) => entry.endpoint === "transfer");
    expect(calls.map((entry) => `${entry.path.split("/").pop()} ${entry.status}`)).toEqual([
      "submission_id 200",
      "transfer 202",
    ]);
    expect(
      isGlobusSDKUsageError(
        await rejection(
          Promise.resolve().then(() => new TransferClient().addAppDataAccessScope(MAPPED_COLLECTION_ID)),
        ),
      ),
    ).toBe(true);
    expect(
      isGlobusSDKUsageError(
        await rejection(Promise.resolve().then(() => transfer.addAppDataAccessScope("not-a-uuid"))),
      ),
    ).toBe(true);
  });
});
