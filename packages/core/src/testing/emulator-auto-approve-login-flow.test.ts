import { type Emulator, SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT, startEmulator } from "@globus-app/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserApp } from "../app/user-app.ts";
import { NativeAppAuthClient } from "../auth/native-app-auth-client.ts";
import { isLoginFlowError } from "../errors/login-flow-error.ts";
import { isGlobusNetworkError } from "../errors/network-error.ts";
import { MemoryTokenStorage } from "../storage/memory-token-storage.ts";
import { EmulatorAutoApproveLoginFlow } from "./emulator-auto-approve-login-flow.ts";

const [ADA] = SAMPLE_IDENTITIES as unknown as [{ id: string }];
const AUTH_PARAMS = { required_scopes: ["openid"] };

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, autoApprove: true });
});
afterAll(() => emu.close());

const loginClient = (baseUrl = emu.url) =>
  new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl });

describe("EmulatorAutoApproveLoginFlow", () => {
  it("fails with typed errors: LoginFlowError without auto-approve, GlobusNetworkError when unreachable", async () => {
    emu.control.setAutoApprove(false);
    try {
      const error = await new EmulatorAutoApproveLoginFlow(loginClient())
        .runLoginFlow(AUTH_PARAMS)
        .catch((e) => e);
      expect(isLoginFlowError(error)).toBe(true);
      expect((error as Error).message).toContain("auto-approve");
    } finally {
      emu.control.setAutoApprove(true);
    }
    const unreachable = new EmulatorAutoApproveLoginFlow(loginClient("http://127.0.0.1:9/"));
    expect(isGlobusNetworkError(await unreachable.runLoginFlow(AUTH_PARAMS).catch((e) => e))).toBe(true);
  });

  it("uses the app's idTokenDecoder although it was built without one (config reaches every flow)", async () => {
    const client = loginClient();
    const decoded: string[] = [];
    const app = new UserApp("decoder-app", {
      loginClient: client,
      config: {
        tokenStorage: new MemoryTokenStorage(),
        loginFlowManager: new EmulatorAutoApproveLoginFlow(client),
        idTokenDecoder: {
          decode: async (idToken: string) => {
            decoded.push(idToken);
            return { sub: ADA.id };
          },
        },
      },
    });
    await app.login();
    expect(decoded).toHaveLength(1);
    expect(await app.tokenStorage.getIdentityId()).toBe(ADA.id);
    await app.close();
  });
});
