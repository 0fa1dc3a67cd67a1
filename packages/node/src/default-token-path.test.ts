import { isGlobusSDKUsageError } from "@globus-app/core";
import { describe, expect, it } from "vitest";
import { defaultTokenFilePath, slugifyAppName } from "./default-token-path.ts";

const CLIENT_ID = "6b5e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b";

function usageError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    expect(isGlobusSDKUsageError(error)).toBe(true);
    return error as Error;
  }
  throw new Error("expected a GlobusSDKUsageError");
}

describe("slugifyAppName", () => {
  it.each([
    ["Globus CLI v3.30.0", "globus-cli-v3-30-0"],
    ["my-cool-app", "my-cool-app"],
    ["jonathan", "jonathan"],
    ["Continuous Deployment App", "continuous-deployment-app"],
    ["Unnamed Globus App", "unnamed-globus-app"],
    ['glob<>:"/\\|?*us', "glob+++++++++us"],
    ["a. b", "a--b"],
    ["AB", "ab"],
  ])("%j → %j", (name, slug) => {
    expect(slugifyAppName(name)).toBe(slug);
  });

  it("drops control and other non-printable characters", () => {
    expect(slugifyAppName("a\0b\n\tc\r\u007fd\u200be\u00a0f")).toBe("abcdef");
  });

  it("turns each reserved character into +", () => {
    for (const c of '<>:"/\\|?*') expect(slugifyAppName(`a${c}b`)).toBe("a+b");
  });

  it.each(["CON", "PRN\n", "nul", "LPT9", "COM1", "aux"])("rejects the reserved name %j", (name) => {
    expect(usageError(() => slugifyAppName(name)).message).toMatch(
      /^App name results in a reserved filename \("[a-z0-9]+"\)\. Please choose a different name\.$/,
    );
  });

  it("allows names that only contain a reserved name", () => {
    expect(slugifyAppName("console")).toBe("console");
    expect(slugifyAppName("com10")).toBe("com10");
  });

  it.each(["", "\n\t", "\u0000"])("rejects %j, which slugifies to nothing", (name) => {
    expect(usageError(() => slugifyAppName(name)).message).toBe(
      "App name results in the empty string. Please choose a different name.",
    );
  });
});

describe("defaultTokenFilePath", () => {
  const base = {
    clientId: CLIENT_ID,
    appName: "Globus CLI v3.30.0",
    platform: "linux",
    homeDir: "/home/ada",
  };

  it("is ~/.globus/app/<client_id>/<slug>/tokens.<ext> in production", () => {
    expect(defaultTokenFilePath({ ...base, format: "json" })).toBe(
      `/home/ada/.globus/app/${CLIENT_ID}/globus-cli-v3-30-0/tokens.json`,
    );
    expect(defaultTokenFilePath({ ...base, environment: "production", format: "db" })).toBe(
      `/home/ada/.globus/app/${CLIENT_ID}/globus-cli-v3-30-0/tokens.db`,
    );
  });

  it("prefixes the environment outside production", () => {
    expect(defaultTokenFilePath({ ...base, environment: "preview", format: "json" })).toBe(
      `/home/ada/.globus/app/${CLIENT_ID}/globus-cli-v3-30-0/preview-tokens.json`,
    );
    expect(defaultTokenFilePath({ ...base, environment: "sandbox", format: "db" })).toMatch(
      /\/sandbox-tokens\.db$/,
    );
  });

  it("follows the same rules on macOS", () => {
    expect(defaultTokenFilePath({ ...base, platform: "darwin", homeDir: "/Users/ada", format: "json" })).toBe(
      `/Users/ada/.globus/app/${CLIENT_ID}/globus-cli-v3-30-0/tokens.json`,
    );
  });

  describe("on Windows", () => {
    const win = { ...base, platform: "win32", homeDir: "C:\\Users\\ada", format: "json" as const };

    it("uses LOCALAPPDATA first", () => {
      expect(
        defaultTokenFilePath({
          ...win,
          env: { LOCALAPPDATA: "C:\\Users\\ada\\AppData\\Local", APPDATA: "D:\\roaming" },
        }),
      ).toBe(`C:\\Users\\ada\\AppData\\Local\\globus\\app\\${CLIENT_ID}\\globus-cli-v3-30-0\\tokens.json`);
    });

    it("falls back to APPDATA, then to ~\\AppData\\Local", () => {
      expect(defaultTokenFilePath({ ...win, env: { APPDATA: "D:\\roaming" } })).toBe(
        `D:\\roaming\\globus\\app\\${CLIENT_ID}\\globus-cli-v3-30-0\\tokens.json`,
      );
      expect(defaultTokenFilePath({ ...win, environment: "preview", env: {} })).toBe(
        `C:\\Users\\ada\\AppData\\Local\\globus\\app\\${CLIENT_ID}\\globus-cli-v3-30-0\\preview-tokens.json`,
      );
    });

    it("treats an empty LOCALAPPDATA as the Python SDK does (home, not APPDATA)", () => {
      expect(defaultTokenFilePath({ ...win, env: { LOCALAPPDATA: "", APPDATA: "D:\\roaming" } })).toBe(
        `C:\\Users\\ada\\AppData\\Local\\globus\\app\\${CLIENT_ID}\\globus-cli-v3-30-0\\tokens.json`,
      );
    });
  });

  it("rejects app names that slugify badly and client ids that would leave their directory", () => {
    usageError(() => defaultTokenFilePath({ ...base, appName: "NUL", format: "json" }));
    usageError(() => defaultTokenFilePath({ ...base, appName: "", format: "json" }));
    for (const clientId of ["", "..", "a/b", "a\\b"]) {
      usageError(() => defaultTokenFilePath({ ...base, clientId, format: "json" }));
    }
  });

  it("defaults to this machine's platform and home directory", () => {
    const path = defaultTokenFilePath({ clientId: CLIENT_ID, appName: "x", format: "json" });
    expect(path.endsWith("tokens.json")).toBe(true);
    expect(path).toContain(CLIENT_ID);
  });
});
