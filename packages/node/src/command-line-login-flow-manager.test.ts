import process from "node:process";
import { PassThrough } from "node:stream";
import {
  ConfidentialAppAuthClient,
  isCommandLineEOFError,
  isGlobusSDKUsageError,
  isLoginCancelledError,
  isLoginFlowError,
  isLoginStateMismatchError,
  NativeAppAuthClient,
  resolveGlobusAppConfig,
} from "@globus-app/core";
import {
  type Emulator,
  SAMPLE_CONFIDENTIAL_CLIENT,
  SAMPLE_IDENTITIES,
  SAMPLE_NATIVE_CLIENT,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { capturedOutput } from "../test-support/captured-output.ts";
import { CommandLineLoginFlowManager, defaultLoginOutput } from "./command-line-login-flow-manager.ts";
import { defaultNamedGrant } from "./default-named-grant.ts";
import { formatAuthorizeUrlBanner } from "./format-authorize-url-banner.ts";
import { UserApp } from "./user-app.ts";

const [ADA] = SAMPLE_IDENTITIES as unknown as [{ id: string }];
const AUTH_PARAMS = { required_scopes: ["openid", "profile", "email"] };
const PROMPT = "Enter the resulting Authorization Code here: ";
const DASHES = "-".repeat(37);

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, autoApprove: true });
});
afterAll(() => emu.close());

function nativeClient() {
  return new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
}

/** A scripted terminal: an input to type into and an output whose text the test reads. */
function terminal() {
  const input = new PassThrough();
  const captured = capturedOutput();
  return {
    input,
    output: captured.stream,
    get text() {
      return captured.text;
    },
    waitFor: (pattern: RegExp) => captured.waitFor(pattern),
    async printedUrl(): Promise<string> {
      const [, url] = await this.waitFor(new RegExp(`${DASHES}\\n(\\S+)\\n${DASHES}\\n\\n${PROMPT}`));
      return url ?? "";
    },
  };
}

/** Plays the person: opens the URL (auto-approve) and reads the code off Globus's auth-code page. */
async function codeFromAuthCodePage(url: string): Promise<string> {
  const redirect = await fetch(url, { redirect: "manual" });
  const location = redirect.headers.get("location") ?? "";
  expect(location.startsWith(`${emu.url}v2/web/auth-code?`)).toBe(true);
  const page = await (await fetch(location)).text();
  const code = /id="auth-code" readonly value="([^"]*)"/.exec(page)?.[1];
  if (!code) throw new Error("no code on the auth-code page");
  return code;
}

describe("CommandLineLoginFlowManager against the emulator", () => {
  it("prints the Python SDK's banner, reads the pasted code and returns the tokens", async () => {
    const term = terminal();
    const flow = new CommandLineLoginFlowManager(nativeClient(), { input: term.input, output: term.output });
    expect(flow.redirectUri).toBe(`${emu.url}v2/web/auth-code`);
    const result = flow.runLoginFlow(AUTH_PARAMS);
    const url = await term.printedUrl();
    expect(term.text).toBe(`${formatAuthorizeUrlBanner(url)}${PROMPT}`);
    expect(term.text.startsWith(`\nPlease authenticate with Globus here:\n${DASHES}\n`)).toBe(true);
    const code = await codeFromAuthCodePage(url);
    term.input.write(`  ${code}  \n`);
    const tokens = await result;
    expect(tokens.identityId).toBe(ADA.id);
    const token = tokens.byResourceServer["auth.globus.org"]?.access_token ?? "?";
    expect(term.text).not.toContain(code);
    expect(term.text).not.toContain(token);
    // The reader let go of the input.
    expect(term.input.listenerCount("data")).toBe(0);
  });

  it("asks again after an empty line", async () => {
    const term = terminal();
    const flow = new CommandLineLoginFlowManager(nativeClient(), { input: term.input, output: term.output });
    const result = flow.runLoginFlow(AUTH_PARAMS);
    const code = await codeFromAuthCodePage(await term.printedUrl());
    term.input.write("\n   \n");
    await term.waitFor(new RegExp(`(${PROMPT}){3}`));
    term.input.write(`${code}\r\n`);
    expect((await result).identityId).toBe(ADA.id);
  });

  it("fails with CommandLineEOFError when input ends", async () => {
    const term = terminal();
    const flow = new CommandLineLoginFlowManager(nativeClient(), { input: term.input, output: term.output });
    const result = flow.runLoginFlow(AUTH_PARAMS).catch((e: unknown) => e);
    await term.printedUrl();
    term.input.end();
    const error = await result;
    expect(isCommandLineEOFError(error)).toBe(true);
    expect((error as Error).message).toBe(
      "An EOF was read when an authorization code was expected. (Are you running this in an interactive terminal?)",
    );
  });

  it("fails with CommandLineEOFError on an already-closed input with only blank lines", async () => {
    const term = terminal();
    term.input.end("\n\n");
    const flow = new CommandLineLoginFlowManager(nativeClient(), { input: term.input, output: term.output });
    await expect(flow.runLoginFlow(AUTH_PARAMS)).rejects.toSatisfy(isCommandLineEOFError);
  });

  it("rejects with LoginCancelledError on abort and stops reading", async () => {
    const term = terminal();
    const controller = new AbortController();
    const flow = new CommandLineLoginFlowManager(nativeClient(), { input: term.input, output: term.output });
    const result = flow.runLoginFlow(AUTH_PARAMS, { signal: controller.signal }).catch((e: unknown) => e);
    await term.printedUrl();
    controller.abort();
    expect(isLoginCancelledError(await result)).toBe(true);
    expect(term.input.listenerCount("data")).toBe(0);
  });

  it("accepts a pasted redirect URL, checking its state", async () => {
    const redirectUri = "http://127.0.0.1:9/cb";
    for (const tamper of [false, true]) {
      const term = terminal();
      const flow = new CommandLineLoginFlowManager(nativeClient(), {
        redirectUri,
        input: term.input,
        output: term.output,
      });
      const result = flow.runLoginFlow(AUTH_PARAMS).catch((e: unknown) => e);
      const url = await term.printedUrl();
      const location = new URL((await fetch(url, { redirect: "manual" })).headers.get("location") ?? "");
      expect(location.href.startsWith(redirectUri)).toBe(true);
      if (tamper) location.searchParams.set("state", "someone-elses");
      term.input.write(`${location.href}\n`);
      const outcome = await result;
      if (tamper) expect(isLoginStateMismatchError(outcome)).toBe(true);
      else expect(outcome).toMatchObject({ identityId: ADA.id });
    }
  });

  /** A confidential client's command-line login, up to the redirect Globus sends back. */
  async function confidentialLogin() {
    const loginClient = new ConfidentialAppAuthClient({
      clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
      clientSecret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
      baseUrl: emu.url,
    });
    const term = terminal();
    const flow = new CommandLineLoginFlowManager(loginClient, {
      redirectUri: SAMPLE_CONFIDENTIAL_CLIENT.redirectUris[0],
      input: term.input,
      output: term.output,
    });
    const result = flow.runLoginFlow(AUTH_PARAMS).catch((error: unknown) => error);
    const url = await term.printedUrl();
    const location = new URL((await fetch(url, { redirect: "manual" })).headers.get("location") ?? "");
    return { term, result, url: new URL(url), location };
  }

  it("works with a confidential client when the whole redirect address is pasted", async () => {
    const { term, result, url, location } = await confidentialLogin();
    expect(url.searchParams.has("code_challenge")).toBe(false);
    term.input.write(`${location.href}\n`);
    expect(await result).toMatchObject({ identityId: ADA.id });
  });

  it("refuses a bare code for a confidential client: nothing else ties it to this login", async () => {
    const { term, result, location } = await confidentialLogin();
    term.input.write(`${location.searchParams.get("code")}\n`);
    const error = await result;
    expect(isLoginFlowError(error)).toBe(true);
    expect((error as Error).message).toContain("paste the whole address");
    expect((error as Error).message).not.toContain(location.searchParams.get("code"));
  });

  it("refuses a confidential client's pasted address without state, or with another login's", async () => {
    for (const tamper of ["drop", "other"] as const) {
      const { term, result, location } = await confidentialLogin();
      if (tamper === "drop") location.searchParams.delete("state");
      else location.searchParams.set("state", "a".repeat(43));
      term.input.write(`${location.href}\n`);
      expect(isLoginStateMismatchError(await result)).toBe(true);
    }
  });

  it("calls overridden printAuthorizeUrl and promptForCode", async () => {
    const printed: string[] = [];
    class Custom extends CommandLineLoginFlowManager {
      override printAuthorizeUrl(url: string): void {
        printed.push(url);
      }
      override promptForCode(): Promise<string> {
        return codeFromAuthCodePage(printed[0] ?? "");
      }
    }
    const tokens = await new Custom(nativeClient()).runLoginFlow(AUTH_PARAMS);
    expect(tokens.identityId).toBe(ADA.id);
    expect(printed).toHaveLength(1);
  });

  it("logs a whole UserApp in", async () => {
    const loginClient = nativeClient();
    const term = terminal();
    const flow = new CommandLineLoginFlowManager(loginClient, { input: term.input, output: term.output });
    await using app = new UserApp("t", {
      loginClient,
      config: { tokenStorage: "memory", loginFlowManager: flow },
    });
    const login = app.login();
    term.input.write(`${await codeFromAuthCodePage(await term.printedUrl())}\n`);
    await login;
    expect(await app.tokenStorage.getIdentityId()).toBe(ADA.id);
  });
});

describe("CommandLineLoginFlowManager construction", () => {
  const confidential = () =>
    new ConfidentialAppAuthClient({
      clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
      clientSecret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
      baseUrl: "http://127.0.0.1:9/",
    });

  it("requires a redirect URI for confidential clients", () => {
    expect(() => new CommandLineLoginFlowManager(confidential())).toThrow(
      "Use of a Confidential client requires an explicit redirect_uri.",
    );
    let error: unknown;
    try {
      CommandLineLoginFlowManager.forGlobusApp({
        appName: "a",
        config: resolveGlobusAppConfig({}),
        loginClient: confidential(),
        idTokenDecoder: undefined,
      });
    } catch (e) {
      error = e;
    }
    expect(isGlobusSDKUsageError(error)).toBe(true);
  });

  it("takes the redirect URI and refresh choice from the app config and names the grant", () => {
    const flow = CommandLineLoginFlowManager.forGlobusApp({
      appName: "my-app",
      config: resolveGlobusAppConfig({
        loginRedirectUri: "https://example.org/callback",
        requestRefreshTokens: true,
      }),
      loginClient: confidential(),
      idTokenDecoder: undefined,
    });
    expect(flow.redirectUri).toBe("https://example.org/callback");
    expect(flow.requestRefreshTokens).toBe(true);
    expect(flow.prefillNamedGrant).toBe(defaultNamedGrant("my-app"));
  });

  it("names grants '<app> on <host>' without a trailing .local", () => {
    const name = defaultNamedGrant("my-app");
    expect(name).toMatch(/^my-app( on .+)?$/);
    expect(name.endsWith(".local")).toBe(false);
  });

  it("writes to stdout only when it is a terminal", () => {
    const descriptor = Object.getOwnPropertyDescriptor(process.stdout, "isTTY");
    try {
      Object.defineProperty(process.stdout, "isTTY", { value: true, configurable: true });
      expect(defaultLoginOutput()).toBe(process.stdout);
      Object.defineProperty(process.stdout, "isTTY", { value: false, configurable: true });
      expect(defaultLoginOutput()).toBe(process.stderr);
    } finally {
      if (descriptor) Object.defineProperty(process.stdout, "isTTY", descriptor);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
    }
  });
});
