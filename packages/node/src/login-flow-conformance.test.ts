import { PassThrough } from "node:stream";
import { NativeAppAuthClient, type TokenResponse } from "@globus-app/core";
import { describeLoginFlowConformance, type LoginFlowRun } from "@globus-app/core/testing";
import {
  type Emulator,
  SAMPLE_NATIVE_CLIENT,
  simulateBrowserLogin,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, beforeAll } from "vitest";
import { capturedOutput } from "../test-support/captured-output.ts";
import { CommandLineLoginFlowManager } from "./command-line-login-flow-manager.ts";
import { LocalServerLoginFlowManager } from "./local-server-login-flow-manager.ts";

const AUTH_PARAMS = { required_scopes: ["openid", "profile", "email"] };
const DASHES = "-".repeat(37);

// The consent page (not auto-approve), so the person can also click Deny.
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.close());

const loginClient = () => new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
const approve = async (url: string, decision: "allow" | "deny" = "allow") =>
  (await simulateBrowserLogin(url, { decision })).href;
const settle = (login: Promise<TokenResponse>) => login.catch((error: unknown) => error);

describeLoginFlowConformance("CommandLineLoginFlowManager", {
  get issuer() {
    return loginClient().issuer;
  },
  approve,
  waitsPastForeignCallbacks: false,
  async start(options = {}): Promise<LoginFlowRun> {
    const input = new PassThrough();
    const output = capturedOutput();
    // A loopback redirect, so the pasted line is the whole callback address Globus sent back.
    const flow = new CommandLineLoginFlowManager(loginClient(), {
      redirectUri: "http://127.0.0.1:9/callback",
      input,
      output: output.stream,
    });
    const result = settle(flow.runLoginFlow(AUTH_PARAMS, options));
    const [, authorizeUrl = ""] = await output.waitFor(new RegExp(`${DASHES}\\n(\\S+)\\n${DASHES}`));
    return {
      authorizeUrl,
      result,
      deliver: async (callbackUrl) => {
        input.write(`${callbackUrl}\n`);
      },
    };
  },
});

describeLoginFlowConformance("LocalServerLoginFlowManager", {
  get issuer() {
    return loginClient().issuer;
  },
  approve,
  waitsPastForeignCallbacks: true,
  start: (options = {}) => startLocalServerLogin(300_000, options.signal),
  startWithTimeout: () => startLocalServerLogin(200),
});

async function startLocalServerLogin(timeoutMs: number, signal?: AbortSignal): Promise<LoginFlowRun> {
  let opened!: (url: string) => void;
  const authorizeUrl = new Promise<string>((resolve) => {
    opened = resolve;
  });
  const flow = new LocalServerLoginFlowManager(loginClient(), {
    timeoutMs,
    output: capturedOutput().stream,
    openBrowser: async (url) => {
      opened(url);
      return true;
    },
  });
  const result = settle(flow.runLoginFlow(AUTH_PARAMS, signal ? { signal } : {}));
  return {
    authorizeUrl: await Promise.race([authorizeUrl, result.then(() => "")]),
    result,
    deliver: async (callbackUrl) => {
      // The browser's request to the loopback server; its page is the person's, not the test's.
      await fetch(callbackUrl)
        .then((page) => page.body?.cancel())
        .catch(() => {});
    },
  };
}
