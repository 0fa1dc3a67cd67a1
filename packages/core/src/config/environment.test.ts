import { afterEach, describe, expect, it, vi } from "vitest";
import { isGlobusSDKUsageError } from "../errors/usage-error.ts";
import { getServiceUrl, readEnvironmentVariable, resolveEnvironment } from "./environment.ts";

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
