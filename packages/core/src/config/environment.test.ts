import { afterEach, describe, expect, it, vi } from "vitest";
import { isGlobusSDKUsageError } from "../errors/usage-error.ts";
import {
  getHttpTimeoutMs,
  getServiceUrl,
  readEnvironmentVariable,
  resolveEnvironment,
  resolveTimeoutMs,
} from "./environment.ts";

afterEach(() => vi.unstubAllEnvs());

describe("environments and service URLs", () => {
  it("maps services to Globus's URLs in each environment", () => {
    expect(getServiceUrl("auth", "production")).toBe("https://auth.globus.org/");
    expect(getServiceUrl("transfer", "production")).toBe("https://transfer.api.globus.org/");
    expect(getServiceUrl("flows", "production")).toBe("https://flows.automate.globus.org/");
    expect(getServiceUrl("timer", "production")).toBe("https://timer.automate.globus.org/");
    expect(getServiceUrl("auth", "preview")).toBe("https://auth.preview.globus.org/");
    expect(getServiceUrl("transfer", "preview")).toBe("https://transfer.api.preview.globus.org/");
    expect(getServiceUrl("auth", "sandbox")).toBe("https://auth.sandbox.globuscs.info/");
    expect(getServiceUrl("groups", "staging")).toBe("https://groups.api.staging.globuscs.info/");
    expect(getServiceUrl("flows", "sandbox")).toBe("https://sandbox.flows.automate.globus.org/");
  });

  it("honours GLOBUS_SDK_ENVIRONMENT and GLOBUS_SDK_SERVICE_URL_<SERVICE>", () => {
    vi.stubEnv("GLOBUS_SDK_ENVIRONMENT", "preview");
    expect(resolveEnvironment()).toBe("preview");
    expect(resolveEnvironment("sandbox")).toBe("sandbox");
    vi.stubEnv("GLOBUS_SDK_SERVICE_URL_AUTH", "http://127.0.0.1:8700");
    expect(getServiceUrl("auth")).toBe("http://127.0.0.1:8700/");
    expect(readEnvironmentVariable("GLOBUS_SDK_NOT_SET")).toBeUndefined();
  });

  it("rejects an unknown environment with a usage error", () => {
    expect(() => resolveEnvironment("moon")).toThrow(expect.objectContaining({ code: "USAGE_ERROR" }));
    vi.stubEnv("GLOBUS_SDK_ENVIRONMENT", "mars");
    let error: unknown;
    try {
      resolveEnvironment();
    } catch (e) {
      error = e;
    }
    expect(isGlobusSDKUsageError(error)).toBe(true);
  });
});

describe("GLOBUS_SDK_HTTP_TIMEOUT", () => {
  it.each<[string | undefined, number | null]>([
    [undefined, 60_000],
    ["", 60_000],
    [" 30 ", 30_000],
    ["0.25", 250],
    ["-1", null],
  ])("reads %j as %j ms (seconds, as the Python SDK; -1 is no time limit)", (value, expected) => {
    if (value !== undefined) vi.stubEnv("GLOBUS_SDK_HTTP_TIMEOUT", value);
    expect(getHttpTimeoutMs()).toBe(expected);
  });

  it.each(["abc", "0", "-2", "Infinity", "1e12"])("refuses %j with a usage error", (value) => {
    vi.stubEnv("GLOBUS_SDK_HTTP_TIMEOUT", value);
    let error: unknown;
    try {
      getHttpTimeoutMs();
    } catch (e) {
      error = e;
    }
    expect(isGlobusSDKUsageError(error)).toBe(true);
  });

  it("lets an explicit timeoutMs win, null meaning no limit, and checks it", () => {
    vi.stubEnv("GLOBUS_SDK_HTTP_TIMEOUT", "5");
    expect(resolveTimeoutMs(undefined, "timeoutMs")).toBe(5_000);
    expect(resolveTimeoutMs(1_500, "timeoutMs")).toBe(1_500);
    expect(resolveTimeoutMs(null, "timeoutMs")).toBeNull();
    for (const bad of [0, -1, 1.5, Number.NaN, "10"]) {
      expect(() => resolveTimeoutMs(bad as number, "timeoutMs")).toThrow(/timeoutMs must be/);
    }
  });
});
