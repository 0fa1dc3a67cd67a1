import {
  isGlobusAPIError,
  isLoginStateMismatchError,
  MemoryTokenStorage,
  type TokenStorageData,
} from "@globus-app/core";
import {
  type Emulator,
  SAMPLE_CONFIDENTIAL_CLIENT,
  SAMPLE_IDENTITIES,
  simulateBrowserLogin,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGlobusAuthHandlers } from "./create-globus-auth-handlers.ts";
import type { GlobusAuthHandlersOptions } from "./globus-auth-handlers.ts";
import {
  isSessionCookieError,
  isSessionRequiredError,
  isUnsafeReturnUrlError,
} from "./server-session-errors.ts";

const SITE = "http://localhost:8080";
const REDIRECT_URI = `${SITE}/callback`;
const TRANSFER = "transfer.api.globus.org";
const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
const OLD_SECRET = "old-secret-0123456789abcdefghijklmnopqrstuv";
const NEW_SECRET = "new-secret-0123456789abcdefghijklmnopqrstuv";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.close());

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const handlers of opened.splice(0)) await handlers.close();
});

function setup(overrides: Partial<GlobusAuthHandlersOptions> = {}) {
  const backing = new Map<string, Map<string, TokenStorageData>>();
  const errors: unknown[] = [];
  const handlers = createGlobusAuthHandlers({
    clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
    clientSecret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
    redirectUri: REDIRECT_URI,
    scopeRequirements: { [TRANSFER]: TRANSFER_ALL },
    tokenStorage: (identityId) => new MemoryTokenStorage({ namespace: identityId, backing }),
    session: { secrets: [OLD_SECRET] },
    authBaseUrl: emu.url,
    onError: (error) => errors.push(error),
    ...overrides,
  });
  opened.push(handlers);
  return { handlers, backing, errors };
}

/** The `name=value` pairs of a response's Set-Cookie headers, as a browser would send them back. */
function cookiesOf(response: Response): Record<string, string> {
  return Object.fromEntries(
    response.headers.getSetCookie().map((line) => {
      const pair = line.split(";")[0] ?? "";
      const at = pair.indexOf("=");
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

function cookieHeader(cookies: Record<string, string>): string {
  return Object.entries(cookies)
    .filter(([, value]) => value !== "")
    .map(([name, value]) => `${name}=${value}`)
    .join("; ");
}

function get(path: string, cookies: Record<string, string> = {}, init: RequestInit = {}): Request {
  return new Request(new URL(path, SITE), {
    ...init,
    headers: { Cookie: cookieHeader(cookies), ...init.headers },
  });
}

/** Signs in through the emulator's consent page; returns the callback request's cookies and the response. */
async function signIn(
  handlers: ReturnType<typeof setup>["handlers"],
  returnTo = "/files?x=1",
  // Named, not preselected: the emulator preselects the most recent session's identity, which
  // depends on what ran before.
  identity: string = SAMPLE_IDENTITIES[0].id,
) {
  const start = await handlers.login(get(`/login?returnTo=${encodeURIComponent(returnTo)}`));
  expect(start.status).toBe(302);
  const loginCookies = cookiesOf(start);
  const callbackUrl = await simulateBrowserLogin(start.headers.get("Location") ?? "", { identity });
  const done = await handlers.callback(
    new Request(callbackUrl, { headers: { Cookie: cookieHeader(loginCookies) } }),
  );
  return { start, loginCookies, callbackUrl, done, session: cookiesOf(done) };
}

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

describe("createGlobusAuthHandlers", () => {
  it("signs a person in, keeps their tokens in their namespace and calls Transfer for them", async () => {
    const { handlers, backing } = setup();
    const { start, loginCookies, done, session } = await signIn(handlers);
    const authorize = new URL(start.headers.get("Location") ?? "");
    expect(authorize.searchParams.get("redirect_uri")).toBe(REDIRECT_URI);
    expect(authorize.searchParams.get("access_type")).toBe("offline");
    expect(authorize.searchParams.get("scope")?.split(" ").sort()).toEqual(
      ["email", "openid", "profile", TRANSFER_ALL].sort(),
    );
    // Confidential client: no PKCE; the state binds the callback.
    expect(authorize.searchParams.has("code_challenge")).toBe(false);
    const [loginLine] = start.headers.getSetCookie();
    expect(loginLine).toMatch(
      /^__Host-globus-login=[\w.-]+; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/,
    );
    expect(Object.keys(loginCookies)).toEqual(["__Host-globus-login"]);

    expect(done.status).toBe(303);
    expect(done.headers.get("Location")).toBe("/files?x=1");
    expect(session["__Host-globus-login"]).toBe("");
    const sessionLine = done.headers.getSetCookie().find((line) => line.startsWith("__Host-globus-session="));
    expect(sessionLine).toMatch(/; Path=\/; Max-Age=604800; HttpOnly; SameSite=Lax; Secure$/);
    // The cookie is sealed: neither the identity nor any token can be read from it.
    const sealed = session["__Host-globus-session"] ?? "";
    expect(sealed.split(".")).toHaveLength(5);
    expect(Buffer.from(sealed.split(".")[0] ?? "", "base64url").toString()).toMatch(
      /"alg":"dir","enc":"A256GCM"/,
    );
    expect(sealed).not.toContain(SAMPLE_IDENTITIES[0].id);

    const request = get("/whoami", session);
    expect(await handlers.getUser(request)).toEqual({
      identityId: SAMPLE_IDENTITIES[0].id,
      username: SAMPLE_IDENTITIES[0].username,
      name: SAMPLE_IDENTITIES[0].name,
      email: SAMPLE_IDENTITIES[0].email,
      organization: expect.any(String),
    });
    expect([...(backing.get(SAMPLE_IDENTITIES[0].id)?.keys() ?? [])].sort()).toEqual([
      "auth.globus.org",
      TRANSFER,
    ]);

    const authorizer = await handlers.getAuthorizer(request, TRANSFER);
    const listing = await fetch(`${emu.url}transfer/v0.10/endpoint_search?filter_fulltext=tutorial`, {
      headers: { Authorization: await authorizer.getAuthorizationHeader() },
    });
    expect(listing.status).toBe(200);
  });

  it("keeps people apart: each has their own namespace and session", async () => {
    const { handlers, backing } = setup();
    const ada = await signIn(handlers, "/", SAMPLE_IDENTITIES[0].username);
    const bob = await signIn(handlers, "/", SAMPLE_IDENTITIES[1].username);
    expect((await handlers.getUser(get("/", ada.session)))?.identityId).toBe(SAMPLE_IDENTITIES[0].id);
    expect((await handlers.getUser(get("/", bob.session)))?.identityId).toBe(SAMPLE_IDENTITIES[1].id);
    expect(backing.size).toBe(2);
    const adaHeader = await (
      await handlers.getAuthorizer(get("/", ada.session), TRANSFER)
    ).getAuthorizationHeader();
    const bobHeader = await (
      await handlers.getAuthorizer(get("/", bob.session), TRANSFER)
    ).getAuthorizationHeader();
    expect(adaHeader).not.toBe(bobHeader);
  });

  it("refuses a forged callback (another state) with LoginStateMismatchError and a 400", async () => {
    const { handlers, errors } = setup();
    const start = await handlers.login(get("/login"));
    const callbackUrl = await simulateBrowserLogin(start.headers.get("Location") ?? "");
    const forged = new URL(callbackUrl);
    forged.searchParams.set("state", "x".repeat(43));
    const response = await handlers.callback(
      new Request(forged, { headers: { Cookie: cookieHeader(cookiesOf(start)) } }),
    );
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({
      error: "LoginStateMismatchError",
      code: "LOGIN_STATE_MISMATCH",
    });
    expect(isLoginStateMismatchError(errors[0])).toBe(true);
    // A callback that another site sends the browser to carries no login cookie of ours.
    const noCookie = await handlers.callback(new Request(callbackUrl));
    expect(noCookie.status).toBe(400);
    expect(isLoginStateMismatchError(errors[1])).toBe(true);
  });

  it("refuses a replayed callback: without the spent login cookie, and with it (code already used)", async () => {
    const { handlers, errors } = setup();
    const { loginCookies, callbackUrl, done } = await signIn(handlers);
    expect(done.status).toBe(303);
    const replay = await handlers.callback(new Request(callbackUrl));
    expect(replay.status).toBe(400);
    expect(isLoginStateMismatchError(errors[0])).toBe(true);
    const stolen = await handlers.callback(
      new Request(callbackUrl, { headers: { Cookie: cookieHeader(loginCookies) } }),
    );
    expect(stolen.status).toBe(400);
    const body = await stolen.text();
    expect(JSON.parse(body)).toMatchObject({ error: "GlobusAPIError" });
    expect(isGlobusAPIError(errors[1])).toBe(true);
    expect(body).not.toContain(callbackUrl.searchParams.get("code") ?? "-");
  });

  it("refuses a tampered session or login cookie with SessionCookieError and a 400", async () => {
    const { handlers, errors } = setup();
    const { session, loginCookies, callbackUrl } = await signIn(handlers);
    const value = session["__Host-globus-session"] ?? "";
    const parts = value.split(".");
    const ciphertext = parts[3] ?? "";
    parts[3] = `${ciphertext.slice(0, -2)}${ciphertext.endsWith("AA") ? "BB" : "AA"}`;
    const tampered = get("/", { "__Host-globus-session": parts.join(".") });
    const error = await handlers.getUser(tampered).catch((e: unknown) => e);
    expect(isSessionCookieError(error)).toBe(true);
    const response = handlers.errorResponse(error, tampered);
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({
      error: "SessionCookieError",
      code: "SESSION_COOKIE_INVALID",
    });
    expect(response.headers.getSetCookie()[0]).toMatch(/^__Host-globus-session=; Path=\/; Max-Age=0/);
    expect(
      isSessionCookieError(await handlers.getAuthorizer(tampered, TRANSFER).catch((e: unknown) => e)),
    ).toBe(true);
    // A session cookie is no login cookie, nor the other way round.
    const swapped = await handlers.callback(
      new Request(callbackUrl, { headers: { Cookie: `__Host-globus-login=${value}` } }),
    );
    expect(swapped.status).toBe(400);
    expect(await json(swapped)).toMatchObject({ error: "SessionCookieError" });
    expect(
      isSessionCookieError(
        await handlers
          .getUser(get("/", { "__Host-globus-session": loginCookies["__Host-globus-login"] ?? "" }))
          .catch((e: unknown) => e),
      ),
    ).toBe(true);
    expect(errors.every(isSessionCookieError)).toBe(true);
  });

  it("rotates keys: the new secret seals, the old one still opens, and once dropped it is refused", async () => {
    const before = setup({ session: { secrets: [OLD_SECRET] } });
    const { session } = await signIn(before.handlers);
    const rotated = setup({ session: { secrets: [NEW_SECRET, OLD_SECRET] } });
    expect((await rotated.handlers.getUser(get("/", session)))?.identityId).toBe(SAMPLE_IDENTITIES[0].id);
    const fresh = await signIn(rotated.handlers);
    const retired = setup({ session: { secrets: [NEW_SECRET] } });
    expect((await retired.handlers.getUser(get("/", fresh.session)))?.identityId).toBe(
      SAMPLE_IDENTITIES[0].id,
    );
    const error = await retired.handlers.getUser(get("/", session)).catch((e: unknown) => e);
    expect(isSessionCookieError(error)).toBe(true);
    expect(retired.handlers.errorResponse(error, get("/")).status).toBe(400);
  });

  it.each([
    "https://evil.example/",
    "//evil.example/path",
    "/\\evil.example",
    "javascript:alert(1)",
    "files",
    "/ok\u0000",
  ])("refuses the off-site return URL %j with UnsafeReturnUrlError and a 400", async (returnTo) => {
    const { handlers, errors } = setup();
    const response = await handlers.login(get(`/login?returnTo=${encodeURIComponent(returnTo)}`));
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ error: "UnsafeReturnUrlError", code: "RETURN_URL_REFUSED" });
    expect(response.headers.get("Location")).toBeNull();
    expect(isUnsafeReturnUrlError(errors[0])).toBe(true);
  });

  it("logs out with POST: revokes and removes the tokens, clears the cookie, can end the Globus session", async () => {
    const { handlers, backing } = setup({ endGlobusSession: true });
    const { session } = await signIn(handlers);
    const header = await (await handlers.getAuthorizer(get("/", session), TRANSFER)).getAuthorizationHeader();
    expect((await handlers.logout(get("/logout", session))).status).toBe(405);
    const crossSite = await handlers.logout(
      get("/logout", session, { method: "POST", headers: { Origin: "https://evil.example" } }),
    );
    expect(crossSite.status).toBe(400);
    emu.control.resetCounts();
    const response = await handlers.logout(
      get("/logout?returnTo=/bye", session, { method: "POST", headers: { Origin: SITE } }),
    );
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("Location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(`${emu.url}v2/web/logout`);
    expect(location.searchParams.get("redirect_uri")).toBe(`${SITE}/bye`);
    expect(location.searchParams.get("client_id")).toBe(SAMPLE_CONFIDENTIAL_CLIENT.id);
    expect(response.headers.getSetCookie()[0]).toMatch(/^__Host-globus-session=; Path=\/; Max-Age=0/);
    expect(emu.control.requestCounts().revoke).toBe(4);
    expect(backing.get(SAMPLE_IDENTITIES[0].id)?.size ?? 0).toBe(0);
    const introspect = await fetch(`${emu.url}transfer/v0.10/endpoint_search?filter_fulltext=x`, {
      headers: { Authorization: header },
    });
    expect(introspect.status).toBe(401);
    // The same session cookie, replayed, finds no tokens: the person must sign in again.
    const error = await handlers.getAuthorizer(get("/", session), TRANSFER).catch((e: unknown) => e);
    expect(handlers.errorResponse(error, get("/")).status).toBe(401);
  });

  it("answers a request without a session: getUser null, getAuthorizer SessionRequiredError (401)", async () => {
    const { handlers } = setup();
    expect(await handlers.getUser(get("/"))).toBeNull();
    const error = await handlers.getAuthorizer(get("/"), TRANSFER).catch((e: unknown) => e);
    expect(isSessionRequiredError(error)).toBe(true);
    expect(handlers.errorResponse(error, get("/")).status).toBe(401);
  });

  it("treats an expired session as none", async () => {
    const { handlers } = setup({ session: { secrets: [OLD_SECRET], maxAgeSeconds: 1 } });
    const { session } = await signIn(handlers);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(await handlers.getUser(get("/", session))).toBeNull();
  });

  it("refuses bad options", () => {
    expect(() => setup({ redirectUri: "/callback" })).toThrow(/absolute URL/);
    expect(() => setup({ session: { secrets: [] } })).toThrow(/at least one secret/);
    expect(() => setup({ session: { secrets: ["short"] } })).toThrow(/at least 32 characters/);
  });
});
