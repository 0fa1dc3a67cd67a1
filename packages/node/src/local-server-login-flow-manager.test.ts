import { connect, createServer as createNetServer, type Socket } from "node:net";
import { PassThrough } from "node:stream";
import {
  type AuthLoginClient,
  ConfidentialAppAuthClient,
  isGlobusAPIError,
  isGlobusSDKUsageError,
  isLocalServerError,
  isLoginCancelledError,
  isLoginDeniedError,
  isLoginTimeoutError,
  NativeAppAuthClient,
  resolveGlobusAppConfig,
} from "@globus-app/core";
import {
  type Emulator,
  SAMPLE_CONFIDENTIAL_CLIENT,
  SAMPLE_IDENTITIES,
  SAMPLE_NATIVE_CLIENT,
  simulateBrowserLogin,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { capturedOutput } from "../test-support/captured-output.ts";
import {
  browserUnavailableReason,
  type LocalServerLandingPage,
  LocalServerLoginFlowManager,
  type LocalServerLoginFlowManagerOptions,
} from "./local-server-login-flow-manager.ts";
import { UserApp } from "./user-app.ts";

const openMock = vi.hoisted(() => vi.fn(async (_url: string) => ({ on() {} })));
vi.mock("open", () => ({ default: openMock }));

const [ADA] = SAMPLE_IDENTITIES as unknown as [{ id: string }];
const AUTH_PARAMS = { required_scopes: ["openid", "profile", "email"] };

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, autoApprove: true });
});
afterAll(() => emu.close());
afterEach(() => {
  emu.control.setAutoApprove(true);
  openMock.mockClear();
});

function nativeClient() {
  return new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
}

/** A browser that follows the emulator's auto-approve redirect to the loopback callback. */
function autoBrowser() {
  const pages: Promise<Response>[] = [];
  const urls: string[] = [];
  const openBrowser = async (url: string): Promise<boolean> => {
    urls.push(url);
    pages.push(fetch(url, { redirect: "manual" }).then((r) => fetch(r.headers.get("location") ?? "missing")));
    return true;
  };
  return { openBrowser, pages, urls };
}

function redirectOf(authorizeUrl: string): URL {
  return new URL(new URL(authorizeUrl).searchParams.get("redirect_uri") ?? "");
}

async function expectPortClosed(port: string | number): Promise<void> {
  await expect(fetch(`http://127.0.0.1:${port}/callback`)).rejects.toMatchObject({
    cause: { code: "ECONNREFUSED" },
  });
}

/** Calls `fn` with each URL the flow hands to its opener, without browsing. */
function capturingOpener() {
  let resolveUrl!: (url: string) => void;
  const url = new Promise<string>((r) => {
    resolveUrl = r;
  });
  return {
    url,
    openBrowser: async (u: string) => {
      resolveUrl(u);
      return true;
    },
  };
}

/** A flow that hands its URL to `opener` and writes its progress nowhere. */
function quietFlow(
  opener: { openBrowser: (url: string) => Promise<boolean> },
  options: LocalServerLoginFlowManagerOptions = {},
  client: AuthLoginClient = nativeClient(),
): LocalServerLoginFlowManager {
  return new LocalServerLoginFlowManager(client, {
    openBrowser: opener.openBrowser,
    output: new PassThrough(),
    ...options,
  });
}

describe("LocalServerLoginFlowManager against the emulator", () => {
  it("receives the code on 127.0.0.1, exchanges it, shows the landing page and closes the port", async () => {
    const browser = autoBrowser();
    const out = capturedOutput();
    const flow = new LocalServerLoginFlowManager(nativeClient(), {
      openBrowser: browser.openBrowser,
      output: out.stream,
      prefillNamedGrant: "test on box",
    });
    const tokens = await flow.runLoginFlow(AUTH_PARAMS);
    expect(tokens.identityId).toBe(ADA.id);
    expect(tokens.byResourceServer["auth.globus.org"]?.access_token).toEqual(expect.any(String));

    const redirect = redirectOf(browser.urls[0] ?? "");
    expect(redirect.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(redirect.pathname).toBe("/callback");
    const landing = await browser.pages[0];
    expect(landing?.status).toBe(200);
    expect(landing?.headers.get("connection")).toBe("close");
    expect(landing?.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await landing?.text();
    expect(html).toContain("<title>Globus Login</title>");
    expect(html).toContain("Login successful");
    expect(html).toContain("return to the terminal");

    const authorize = emu.control.requestLog().findLast((r) => r.endpoint === "authorize");
    expect(authorize?.params.prefill_named_grant).toBe("test on box");
    expect(out.text).toContain("A browser was opened");
    expect(out.text).not.toContain("http");
    expect(out.text).not.toContain(tokens.byResourceServer["auth.globus.org"]?.access_token ?? "?");
    await expectPortClosed(redirect.port);
  });

  it("logs a whole UserApp in", async () => {
    const loginClient = nativeClient();
    const browser = autoBrowser();
    const flow = new LocalServerLoginFlowManager(loginClient, {
      openBrowser: browser.openBrowser,
      output: new PassThrough(),
    });
    await using app = new UserApp("t", {
      loginClient,
      config: { tokenStorage: "memory", loginFlowManager: flow },
    });
    expect(await app.loginRequired()).toBe(true);
    await app.login();
    expect(await app.loginRequired()).toBe(false);
    expect(await app.tokenStorage.getIdentityId()).toBe(ADA.id);
    await expectPortClosed(redirectOf(browser.urls[0] ?? "").port);
  });

  it("answers 400 to a callback with a wrong or missing state, 404 elsewhere, 405 to POST, and keeps waiting", async () => {
    const opener = capturingOpener();
    const flow = quietFlow(opener);
    const result = flow.runLoginFlow(AUTH_PARAMS);
    const url = await opener.url;
    const callback = redirectOf(url).href;

    const forged = await fetch(`${callback}?code=stolen&state=not-the-state`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain("does not belong to the login in progress");
    // A forged denial must not end the real login either.
    expect((await fetch(`${callback}?error=access_denied&state=wrong`)).status).toBe(400);
    expect((await fetch(`${callback}?code=abc`)).status).toBe(400);
    const state = new URL(url).searchParams.get("state") ?? "";
    expect((await fetch(`${callback}?code=a&code=b&state=${state}`)).status).toBe(400);

    const elsewhere = await fetch(new URL("/favicon.ico", callback));
    expect(elsewhere.status).toBe(404);
    await elsewhere.text();
    const post = await fetch(callback, { method: "POST", body: "code=x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
    await post.text();

    const real = await simulateBrowserLogin(url);
    const landing = await fetch(real);
    expect(landing.status).toBe(200);
    const tokens = await result;
    expect(tokens.identityId).toBe(ADA.id);
    await expectPortClosed(new URL(callback).port);
  });

  it("answers only requests addressed to its own loopback Host (no DNS rebinding)", async () => {
    const opener = capturingOpener();
    const flow = quietFlow(opener);
    const result = flow.runLoginFlow(AUTH_PARAMS);
    const url = await opener.url;
    const callback = new URL(await simulateBrowserLogin(url));
    const { request } = await import("node:http");
    const statusFor = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: "127.0.0.1",
            port: callback.port,
            path: `${callback.pathname}${callback.search}`,
            headers: { host },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.end();
      });
    // The right code and state, sent by a page whose own name resolves to 127.0.0.1: refused, and
    // the login keeps waiting for its real callback.
    for (const host of [
      `evil.example:${callback.port}`,
      "127.0.0.1:1",
      `127.0.0.1.nip.io:${callback.port}`,
    ]) {
      expect(await statusFor(host)).toBe(400);
    }
    expect(await statusFor(`localhost:${callback.port}`)).toBe(200);
    expect((await result).identityId).toBe(ADA.id);
  });

  it("rejects with LoginDeniedError when the person clicks Deny, and escapes the description", async () => {
    emu.control.setAutoApprove(false);
    let landing: Promise<string> | undefined;
    const flow = new LocalServerLoginFlowManager(nativeClient(), {
      openBrowser: async (url) => {
        landing = simulateBrowserLogin(url, { decision: "deny" }).then(async (cb) =>
          (await fetch(cb)).text(),
        );
        return true;
      },
      output: new PassThrough(),
    });
    const error = await flow.runLoginFlow(AUTH_PARAMS).catch((e: unknown) => e);
    expect(isLoginDeniedError(error)).toBe(true);
    expect(error).toMatchObject({ error: "access_denied", errorDescription: "The user denied the request" });
    expect(await landing).toContain("Login failed");
  });

  it("HTML-escapes every reflected value on the landing page", async () => {
    const opener = capturingOpener();
    const flow = quietFlow(opener);
    const result = flow.runLoginFlow(AUTH_PARAMS).catch((e: unknown) => e);
    const url = new URL(await opener.url);
    const callback = new URL(redirectOf(url.href));
    callback.searchParams.set("state", url.searchParams.get("state") ?? "");
    callback.searchParams.set("error", "x<y");
    callback.searchParams.set("error_description", `<script>alert("hi")</script>&'`);
    const html = await (await fetch(callback)).text();
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;&amp;&#39;");
    expect(await result).toMatchObject({ name: "LoginDeniedError", error: "x<y" });
    await expectPortClosed(callback.port);
  });

  it("times out with LoginTimeoutError and leaves no socket open", async () => {
    const opener = capturingOpener();
    const flow = quietFlow(opener, { timeoutMs: 300 });
    const result = flow.runLoginFlow(AUTH_PARAMS).catch((e: unknown) => e);
    const port = redirectOf(await opener.url).port;
    // An idle connection, as a browser's preconnect leaves: it must not keep the server alive.
    const idle: Socket = connect(Number(port), "127.0.0.1");
    const idleClosed = new Promise<void>((r) => idle.on("close", () => r()));
    idle.on("error", () => {});
    const error = await result;
    expect(isLoginTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ timeoutMs: 300 });
    await idleClosed;
    await expectPortClosed(port);
  });

  it("rejects with LoginCancelledError on abort (per call or per manager) and closes the port", async () => {
    const opener = capturingOpener();
    const controller = new AbortController();
    const flow = quietFlow(opener);
    const result = flow.runLoginFlow(AUTH_PARAMS, { signal: controller.signal }).catch((e: unknown) => e);
    const port = redirectOf(await opener.url).port;
    controller.abort();
    expect(isLoginCancelledError(await result)).toBe(true);
    await expectPortClosed(port);

    const managerController = new AbortController();
    const second = capturingOpener();
    const flow2 = quietFlow(second, { signal: managerController.signal });
    const result2 = flow2.runLoginFlow(AUTH_PARAMS).catch((e: unknown) => e);
    const port2 = redirectOf(await second.url).port;
    managerController.abort(new Error("user pressed Ctrl-C"));
    expect(await result2).toMatchObject({
      name: "LoginCancelledError",
      cause: { message: "user pressed Ctrl-C" },
    });
    await expectPortClosed(port2);

    // Already aborted: nothing starts.
    const neverOpened = vi.fn(async () => true);
    const flow3 = new LocalServerLoginFlowManager(nativeClient(), { openBrowser: neverOpened });
    await expect(flow3.runLoginFlow(AUTH_PARAMS, { signal: AbortSignal.abort() })).rejects.toSatisfy(
      isLoginCancelledError,
    );
    expect(neverOpened).not.toHaveBeenCalled();
  });

  it("listens on a fixed port, and fails with LocalServerError when the port is taken", async () => {
    const blocker = createNetServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const taken = (blocker.address() as { port: number }).port;
    const flow = new LocalServerLoginFlowManager(nativeClient(), {
      port: taken,
      openBrowser: async () => true,
    });
    const error = await flow.runLoginFlow(AUTH_PARAMS).catch((e: unknown) => e);
    expect(isLocalServerError(error)).toBe(true);
    expect(String((error as Error).message)).toContain("EADDRINUSE");
    await new Promise<void>((r) => blocker.close(() => r()));

    const browser = autoBrowser();
    const fixed = new LocalServerLoginFlowManager(nativeClient(), {
      port: taken,
      callbackPath: "/globus/done",
      openBrowser: browser.openBrowser,
      output: new PassThrough(),
    });
    await fixed.runLoginFlow(AUTH_PARAMS);
    expect(redirectOf(browser.urls[0] ?? "").href).toBe(`http://127.0.0.1:${taken}/globus/done`);
    await expectPortClosed(taken);
  });

  it("prints the URL with an SSH hint when the opener declines or fails, and still completes", async () => {
    for (const openBrowser of [async () => false, async () => Promise.reject(new Error("no xdg-open"))]) {
      const out = capturedOutput();
      const flow = new LocalServerLoginFlowManager(nativeClient(), { openBrowser, output: out.stream });
      const result = flow.runLoginFlow(AUTH_PARAMS);
      const [, url] = await out.waitFor(/-{37}\n(\S+)\n-{37}\n/);
      const port = redirectOf(url ?? "").port;
      expect(out.text).toContain("\nPlease authenticate with Globus here:\n");
      expect(out.text).toContain(`ssh -N -L ${port}:127.0.0.1:${port} `);
      await fetch(await simulateBrowserLogin(url ?? ""));
      const tokens = await result;
      expect(tokens.identityId).toBe(ADA.id);
      expect(out.text).not.toContain(tokens.byResourceServer["auth.globus.org"]?.access_token ?? "?");
      expect(out.text).not.toContain("no xdg-open");
    }
  });

  it("does not try the system browser in an SSH session: prints the URL and keeps waiting", async () => {
    const out = capturedOutput();
    const flow = new LocalServerLoginFlowManager(nativeClient(), {
      output: out.stream,
      env: { SSH_CONNECTION: "10.0.0.1 50000 10.0.0.2 22", DISPLAY: ":0" },
    });
    const result = flow.runLoginFlow(AUTH_PARAMS);
    const [, url] = await out.waitFor(/-{37}\n(\S+)\n-{37}\n/);
    expect(out.text).toContain("this is an SSH session");
    const landing = await fetch(await simulateBrowserLogin(url ?? ""));
    expect(landing.status).toBe(200);
    expect((await result).identityId).toBe(ADA.id);
    expect(openMock).not.toHaveBeenCalled();
  });

  it("uses the open package when a display is available", async () => {
    openMock.mockImplementationOnce(async (url: string) => {
      void fetch(url, { redirect: "manual" }).then((r) => fetch(r.headers.get("location") ?? "missing"));
      return { on() {} };
    });
    const out = capturedOutput();
    const flow = new LocalServerLoginFlowManager(nativeClient(), {
      output: out.stream,
      env: { DISPLAY: ":0", WAYLAND_DISPLAY: "wayland-0" },
    });
    expect((await flow.runLoginFlow(AUTH_PARAMS)).identityId).toBe(ADA.id);
    expect(openMock).toHaveBeenCalledTimes(1);
    expect(out.text).not.toContain("Please authenticate");
  });

  it("lets a subclass brand the landing page", async () => {
    class Branded extends LocalServerLoginFlowManager {
      override renderLandingPage(page: LocalServerLandingPage): string {
        return `<p>${page.outcome}</p>`;
      }
    }
    const browser = autoBrowser();
    await new Branded(nativeClient(), {
      openBrowser: browser.openBrowser,
      output: new PassThrough(),
    }).runLoginFlow(AUTH_PARAMS);
    expect(await (await browser.pages[0])?.text()).toBe("<p>success</p>");

    class Broken extends LocalServerLoginFlowManager {
      override renderLandingPage(): string {
        throw new Error("template bug");
      }
    }
    const second = autoBrowser();
    const tokens = await new Broken(nativeClient(), {
      openBrowser: second.openBrowser,
      output: new PassThrough(),
    }).runLoginFlow(AUTH_PARAMS);
    expect(tokens.identityId).toBe(ADA.id);
    expect(await (await second.pages[0])?.text()).toContain("Login successful");
  });
});

describe("LocalServerLoginFlowManager with a confidential client", () => {
  /**
   * A confidential client registered for one fixed loopback redirect (Globus, and the emulator,
   * accept only the exact registered URI from a confidential client: no "any loopback port").
   */
  async function registerLoopbackClient(): Promise<{ id: string; secret: string; port: number }> {
    const probe = createNetServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", () => r()));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const id = crypto.randomUUID();
    const secret = `loopback-secret-${crypto.randomUUID()}`;
    emu.control.registerClient({
      id,
      secret,
      name: "Loopback confidential app",
      redirectUris: [`http://127.0.0.1:${port}/callback`],
    });
    return { id, secret, port };
  }

  it("logs a UserApp in: the code exchange authenticates with the secret, and the tokens are stored", async () => {
    const { id, secret, port } = await registerLoopbackClient();
    const loginClient = new ConfidentialAppAuthClient({
      clientId: id,
      clientSecret: secret,
      baseUrl: emu.url,
    });
    const browser = autoBrowser();
    await using app = new UserApp("confidential-loopback", {
      loginClient,
      config: { tokenStorage: "memory", loginFlowManager: quietFlow(browser, { port }, loginClient) },
    });
    emu.control.resetCounts();
    expect(await app.loginRequired()).toBe(true);
    await app.login();

    const authorize = new URL(browser.urls[0] ?? "");
    expect(authorize.searchParams.get("client_id")).toBe(id);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`http://127.0.0.1:${port}/callback`);
    // No PKCE for a confidential client (Globus documents it for native apps only): the secret binds the exchange.
    expect(authorize.searchParams.has("code_challenge")).toBe(false);
    expect(await (await browser.pages[0])?.text()).toContain("Login successful");
    const exchange = emu.control.requestLog().filter((r) => r.detail === "token:authorization_code");
    expect(exchange).toHaveLength(1);
    expect(exchange[0]?.status).toBe(200);
    // HTTP Basic with the client id and secret (the emulator refuses a confidential client without it).
    expect(exchange[0]?.headers.authorization).toBe("[redacted]");
    expect(exchange[0]?.params.code_verifier).toBeUndefined();

    expect(await app.loginRequired()).toBe(false);
    expect(await app.tokenStorage.getIdentityId()).toBe(ADA.id);
    const stored = await app.tokenStorage.getTokenData("auth.globus.org");
    expect(stored).toMatchObject({ resource_server: "auth.globus.org", identity_id: ADA.id });
    expect(stored?.access_token).toEqual(expect.any(String));
    await expectPortClosed(port);
  });

  it("fails the exchange when the secret is wrong, and stores nothing", async () => {
    const { id, port } = await registerLoopbackClient();
    const loginClient = new ConfidentialAppAuthClient({
      clientId: id,
      clientSecret: "not-the-secret",
      baseUrl: emu.url,
    });
    const browser = autoBrowser();
    await using app = new UserApp("confidential-loopback-bad-secret", {
      loginClient,
      config: { tokenStorage: "memory", loginFlowManager: quietFlow(browser, { port }, loginClient) },
    });
    const error = await app.login().catch((e: unknown) => e);
    expect(isGlobusAPIError(error)).toBe(true);
    expect(error).toMatchObject({ status: 401, errorCode: "invalid_client" });
    expect(await app.tokenStorage.getTokenDataByResourceServer()).toEqual({});
    await expectPortClosed(port);
  });
});

describe("LocalServerLoginFlowManager.forGlobusApp and options", () => {
  const context = (overrides: { confidential?: boolean; loginRedirectUri?: string } = {}) => ({
    appName: "my-app",
    config: resolveGlobusAppConfig(
      overrides.loginRedirectUri ? { loginRedirectUri: overrides.loginRedirectUri } : {},
    ),
    loginClient: overrides.confidential
      ? new ConfidentialAppAuthClient({
          clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
          clientSecret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
          baseUrl: "http://127.0.0.1:9/",
        })
      : new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: "http://127.0.0.1:9/" }),
    idTokenDecoder: undefined,
  });

  it("refuses confidential clients and custom redirect URIs", () => {
    expect(() => LocalServerLoginFlowManager.forGlobusApp(context({ confidential: true }))).toThrow(
      "LocalServerLoginFlowManager is only supported for Native Apps.",
    );
    expect(() =>
      LocalServerLoginFlowManager.forGlobusApp(context({ loginRedirectUri: "http://127.0.0.1:5000/cb" })),
    ).toThrow("Cannot define a custom redirect_uri for LocalServerLoginFlowManager.");
  });

  it("names the grant after the app and host", () => {
    const flow = LocalServerLoginFlowManager.forGlobusApp(context());
    expect(flow.prefillNamedGrant).toMatch(/^my-app( on .+)?$/);
    expect(flow.prefillNamedGrant).not.toMatch(/\.local$/);
    expect(flow.timeoutMs).toBe(300_000);
    expect(flow.port).toBe(0);
    expect(flow.callbackPath).toBe("/callback");
  });

  it("validates its options", () => {
    const client = context().loginClient;
    for (const options of [
      { port: -1 },
      { port: 70000 },
      { port: 1.5 },
      { callbackPath: "cb" },
      { timeoutMs: 0 },
    ]) {
      let error: unknown;
      try {
        new LocalServerLoginFlowManager(client, options);
      } catch (e) {
        error = e;
      }
      expect(isGlobusSDKUsageError(error)).toBe(true);
    }
  });
});

describe("browserUnavailableReason", () => {
  it("detects SSH sessions and missing displays", () => {
    expect(browserUnavailableReason({ SSH_TTY: "/dev/pts/1" }, "darwin")).toMatch(/SSH/);
    expect(browserUnavailableReason({ SSH_CONNECTION: "a b c d", DISPLAY: ":0" }, "linux")).toMatch(/SSH/);
    expect(browserUnavailableReason({ SSH_TTY: "" }, "darwin")).toBeUndefined();
    expect(browserUnavailableReason({}, "linux")).toMatch(/DISPLAY/);
    expect(browserUnavailableReason({ DISPLAY: ":0" }, "linux")).toBeUndefined();
    expect(browserUnavailableReason({ WAYLAND_DISPLAY: "wayland-0" }, "freebsd")).toBeUndefined();
    expect(browserUnavailableReason({ WSL_DISTRO_NAME: "Ubuntu" }, "linux")).toBeUndefined();
    expect(browserUnavailableReason({}, "win32")).toBeUndefined();
    expect(browserUnavailableReason({}, "darwin")).toBeUndefined();
  });
});
