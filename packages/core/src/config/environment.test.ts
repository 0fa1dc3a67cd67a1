import { afterEach, describe, expect, it, vi } from "vitest";
import { thrownBy } from "../../test-support/rejection-of.ts";
import { UserApp } from "../app/user-app.ts";
import { NativeAppAuthClient } from "../auth/native-app-auth-client.ts";
import { isGlobusSDKUsageError } from "../errors/usage-error.ts";
import {
  getHttpTimeoutMs,
  getServiceUrl,
  readEnvironmentVariable,
  registerEnvironment,
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

describe("registered environments (Python's EnvConfig subclasses)", () => {
  it("reaches a registered environment's services by the built-in rules under its domain", () => {
    registerEnvironment("lab", { domain: "Globus.Lab.example.org" });
    expect(getServiceUrl("auth", "lab")).toBe("https://auth.globus.lab.example.org/");
    expect(getServiceUrl("transfer", "lab")).toBe("https://transfer.api.globus.lab.example.org/");
    expect(getServiceUrl("flows", "lab")).toBe("https://lab.flows.automate.globus.org/");
    vi.stubEnv("GLOBUS_SDK_ENVIRONMENT", "lab");
    expect(resolveEnvironment()).toBe("lab");
  });

  it("uses its own service URLs first, and GLOBUS_SDK_SERVICE_URL_<SERVICE> before those", () => {
    registerEnvironment("stack-2", {
      domain: "stack2.example.org",
      serviceUrls: { auth: "http://127.0.0.1:8700", search: "https://search.example.net/v1" },
    });
    expect(getServiceUrl("auth", "stack-2")).toBe("http://127.0.0.1:8700/");
    expect(getServiceUrl("search", "stack-2")).toBe("https://search.example.net/v1/");
    expect(getServiceUrl("groups", "stack-2")).toBe("https://groups.api.stack2.example.org/");
    vi.stubEnv("GLOBUS_SDK_SERVICE_URL_AUTH", "https://override.example.org");
    expect(getServiceUrl("auth", "stack-2")).toBe("https://override.example.org/");
  });

  it("a login client and an app take the registered name and reach its Auth", () => {
    registerEnvironment("lab-login", { domain: "auth-test.example.org" });
    const client = new NativeAppAuthClient({ clientId: "c", environment: "lab-login" });
    expect(client.baseUrl).toBe("https://auth.auth-test.example.org/");
    const app = new UserApp("lab", { loginClient: client, config: { environment: "lab-login" } });
    expect(app.config.environment).toBe("lab-login");
  });

  it.each<[string, () => void]>([
    ["a built-in name", () => registerEnvironment("production", { domain: "evil.example.org" })],
    ["a name with capitals or spaces", () => registerEnvironment("My Lab", { domain: "a.example.org" })],
    [
      "a domain that is not a host name",
      () => registerEnvironment("bad-domain", { domain: "https://x.org/" }),
    ],
    [
      "a service URL over plain http off this machine",
      () =>
        registerEnvironment("bad-url", {
          domain: "a.example.org",
          serviceUrls: { auth: "http://a.example.org/" },
        }),
    ],
    [
      "a relative service URL",
      () => registerEnvironment("bad-url-2", { domain: "a.example.org", serviceUrls: { auth: "/auth" } }),
    ],
  ])("refuses %s with a usage error", (_label, register) => {
    expect(isGlobusSDKUsageError(thrownBy(register))).toBe(true);
    expect(getServiceUrl("auth", "production")).toBe("https://auth.globus.org/");
    expect(() => resolveEnvironment("bad-domain")).toThrow(/Unrecognized environment/);
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
