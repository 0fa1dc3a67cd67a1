import { type Emulator, SAMPLE_NATIVE_CLIENT, startEmulator } from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { TransferClient } from "../../test-support/transfer-test-client.ts";
import { NativeAppAuthClient } from "../auth/native-app-auth-client.ts";
import { isGlobusSDKUsageError } from "../errors/usage-error.ts";
import { MemoryTokenStorage } from "../storage/memory-token-storage.ts";
import { EmulatorAutoApproveLoginFlow } from "../testing/emulator-auto-approve-login-flow.ts";
import { type GlobusLogger, loggerFromEnvironment } from "./globus-logger.ts";
import { UserApp } from "./user-app.ts";

const TRANSFER = "transfer.api.globus.org";
const COLLECTION = "6c54cade-bde5-45c1-bdea-f4bd71dba2cc";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, autoApprove: true });
});
afterAll(() => emu.close());
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  emu.control.clearFaults();
  emu.control.clearRequirements();
});

function capturingLogger() {
  const lines: string[] = [];
  const logger = {} as GlobusLogger;
  for (const level of ["debug", "info", "warn", "error"] as const) {
    logger[level] = (message, ...details) => lines.push(`${level} ${message} ${JSON.stringify(details)}`);
  }
  return { logger, lines };
}

describe("logging", () => {
  it("says why a request is retried and when a GARE is redriven, never with the token", async () => {
    const log = capturingLogger();
    const loginClient = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    await using app = new UserApp("log-app", {
      loginClient,
      scopeRequirements: { [TRANSFER]: "urn:globus:auth:scope:transfer.api.globus.org:all" },
      config: {
        tokenStorage: new MemoryTokenStorage(),
        loginFlowManager: new EmulatorAutoApproveLoginFlow(loginClient),
        autoRedriveGares: true,
        logger: log.logger,
      },
    });
    await app.login();
    const transfer = new TransferClient({ app, baseUrl: `${emu.url}transfer/`, maxRetryDelayMs: 50 });
    emu.control.injectFault({ endpoint: "transfer", kind: "server-error", count: 1, status: 503 });
    await transfer.endpointSearch("x");
    emu.control.requireMfa(COLLECTION);
    await transfer.operationLs(COLLECTION);

    const text = log.lines.join("\n");
    expect(text).toMatch(/warn retry 1 of GET http:\S+\/transfer\/v0\.10\/endpoint_search: HTTP 503/);
    expect(text).toMatch(/info redriving GET \S+operation\/endpoint\/6c54cade\S+: 403 \w+/);
    const header = await (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader();
    expect(text).not.toContain(header.slice("Bearer ".length));
    expect(text).not.toMatch(/ForceRetryError/);
  });

  it("GLOBUS_SDK_LOG picks a console level; other values and unset log nothing", () => {
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.stubEnv("GLOBUS_SDK_LOG", "WARN");
    const logger = loggerFromEnvironment();
    logger?.debug("hidden");
    logger?.warn("shown");
    expect(debug).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith("globus-app: shown");
    vi.stubEnv("GLOBUS_SDK_LOG", "loud");
    expect(loggerFromEnvironment()).toBeUndefined();
    vi.stubEnv("GLOBUS_SDK_LOG", "");
    expect(loggerFromEnvironment()).toBeUndefined();
  });

  it("refuses a logger without the four methods where the app is made", () => {
    expect(
      () =>
        new UserApp("x", { clientId: SAMPLE_NATIVE_CLIENT.id, config: { logger: { info() {} } as never } }),
    ).toThrow(expect.objectContaining({ message: expect.stringMatching(/logger must be/) }));
    try {
      new UserApp("x", { clientId: SAMPLE_NATIVE_CLIENT.id, config: { logger: console } }).close();
    } catch (error) {
      expect(isGlobusSDKUsageError(error)).toBe(false);
    }
  });
});
