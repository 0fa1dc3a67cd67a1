import { request } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RequestLogEntry } from "./request-log.ts";
import { SAMPLE_CONFIDENTIAL_CLIENT, SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT } from "./sample-data.ts";
import { type Emulator, startEmulator } from "./start-emulator.ts";

const [, GRACE] = SAMPLE_IDENTITIES;
const TRANSFER = "urn:globus:auth:scope:transfer.api.globus.org:all";
const COLLECTION = "96348e9e-93dd-432f-93b9-b015d71f2fbb";
const CONFIDENTIAL_AUTH = `Basic ${Buffer.from(`${SAMPLE_CONFIDENTIAL_CLIENT.id}:${SAMPLE_CONFIDENTIAL_CLIENT.secret}`).toString("base64")}`;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ requestLogSize: 20 });
});
afterAll(() => emu.close());
beforeEach(async () => {
  await control("DELETE", "faults");
  await control("DELETE", "requests");
  await control("DELETE", "requirements");
  await control("POST", "clock/reset");
  await control("POST", "auto-approve", { autoApprove: false });
});

async function control(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL(`_emulator/${path}`, emu.url), {
    method,
    ...(body === undefined
      ? {}
      : {
          body: typeof body === "string" ? body : JSON.stringify(body),
          headers: { "Content-Type": "application/json" },
        }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const clientCredentials = (scope = TRANSFER): Promise<Response> =>
  fetch(new URL("v2/oauth2/token", emu.url), {
    method: "POST",
    headers: { Authorization: CONFIDENTIAL_AUTH },
    body: new URLSearchParams({ grant_type: "client_credentials", scope }),
  });

describe("HTTP control routes", () => {
  it("lists its routes at /_emulator", async () => {
    const { status, body } = await control("GET", "");
    expect(status).toBe(200);
    expect((body.routes as { path: string }[]).map((route) => route.path)).toContain("/_emulator/faults");
  });

  it("reports the state", async () => {
    const { body } = await control("GET", "state");
    expect(body).toMatchObject({
      url: emu.url,
      issuer: emu.issuer,
      clockOffset: 0,
      tokenLifetimes: { accessToken: 172800, refreshToken: 15552000 },
      autoApprove: false,
      requirements: [],
      faults: [],
    });
    expect((body.clients as { id: string }[]).map((c) => c.id)).toEqual([
      SAMPLE_NATIVE_CLIENT.id,
      SAMPLE_CONFIDENTIAL_CLIENT.id,
    ]);
    expect((body.identities as unknown[]).length).toBe(3);
  });

  it("never answers a client secret: not in the state, not when registering", async () => {
    const registered = await control("POST", "clients", { id: "secret-keeper", secret: "do-not-echo-me" });
    expect(registered.status).toBe(201);
    expect(registered.body).toEqual({
      id: "secret-keeper",
      type: "confidential",
      name: "App secret-keeper",
      redirectUris: [],
    });
    const { body } = await control("GET", "state");
    const text = JSON.stringify(body);
    expect(text).not.toContain("do-not-echo-me");
    expect(text).not.toContain(SAMPLE_CONFIDENTIAL_CLIENT.secret);
    expect(text).not.toMatch(/"secret"/);
    expect(
      (body.clients as { id: string; type: string }[]).find((c) => c.id === SAMPLE_CONFIDENTIAL_CLIENT.id),
    ).toEqual({
      id: SAMPLE_CONFIDENTIAL_CLIENT.id,
      type: "confidential",
      name: SAMPLE_CONFIDENTIAL_CLIENT.name,
      redirectUris: SAMPLE_CONFIDENTIAL_CLIENT.redirectUris,
    });
    // The in-process API is the starter's own and still has it (the CLI banner uses it).
    expect(emu.clients.find((c) => c.id === "secret-keeper")?.secret).toBe("do-not-echo-me");
  });

  it("registers clients and identities", async () => {
    const client = await control("POST", "clients", {
      id: "http-client",
      secret: "s",
      redirectUris: ["https://app.example/cb"],
    });
    expect(client).toMatchObject({
      status: 201,
      body: { id: "http-client", type: "confidential", redirectUris: ["https://app.example/cb"] },
    });
    expect(emu.clients.some((c) => c.id === "http-client")).toBe(true);
    const identity = await control("POST", "identities", { username: "Eve@Example.com", name: "Eve" });
    expect(identity).toMatchObject({
      status: 201,
      body: {
        username: "eve@example.com",
        name: "Eve",
        email: "eve@example.com",
        status: "used",
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    });
    expect((await control("POST", "clients", { id: "has:colon" })).status).toBe(400);
    expect((await control("POST", "clients", { id: "x", redirectUris: ["relative"] })).status).toBe(400);
    expect((await control("POST", "identities", { username: "no-at-sign" })).status).toBe(400);
    expect((await control("POST", "identities", { username: "a@b.c", id: "not-a-uuid" })).status).toBe(400);
  });

  it("sets token lifetimes", async () => {
    expect((await control("POST", "token-lifetimes", { accessToken: 30 })).body).toEqual({
      accessToken: 30,
      refreshToken: 15552000,
    });
    const body = (await (await clientCredentials()).json()) as { expires_in: number };
    expect(body.expires_in).toBe(30);
    expect((await control("POST", "token-lifetimes", { accessToken: 0 })).status).toBe(400);
    expect((await control("POST", "token-lifetimes", { refreshToken: "soon" })).status).toBe(400);
    await control("POST", "token-lifetimes", { accessToken: 172800 });
  });

  it("moves and resets the clock", async () => {
    const before = emu.control.now();
    const advanced = await control("POST", "clock/advance", { seconds: 3600 });
    expect(advanced.body.clockOffset).toBe(3600);
    expect(advanced.body.now as number).toBeGreaterThanOrEqual(before + 3600);
    expect((await control("POST", "clock/advance", { seconds: "x" })).status).toBe(400);
    expect((await control("POST", "clock/reset")).body.clockOffset).toBe(0);
  });

  it("revokes everything", async () => {
    const token = emu.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: TRANSFER,
      refreshTokens: true,
    });
    const { body } = await control("POST", "revoke-all");
    expect(body).toMatchObject({ accessTokens: expect.any(Number), refreshTokens: expect.any(Number) });
    expect(body.accessTokens as number).toBeGreaterThanOrEqual(1);
    const ls = await fetch(new URL(`transfer/v0.10/operation/endpoint/${COLLECTION}/ls`, emu.url), {
      headers: { Authorization: `Bearer ${token.access_token}` },
    });
    expect(ls.status).toBe(401);
  });

  it("sets and clears collection requirements", async () => {
    await control("POST", "requirements/mfa", { collectionId: COLLECTION });
    const { body } = await control("POST", "requirements/data-access", { collectionId: COLLECTION });
    expect(body.requirements).toEqual([
      { collectionId: COLLECTION, mfa: true, dataAccess: true, policies: [] },
    ]);
    const token = emu.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: TRANSFER,
    }).access_token;
    const ls = () =>
      fetch(new URL(`transfer/v0.10/operation/endpoint/${COLLECTION}/ls`, emu.url), {
        headers: { Authorization: `Bearer ${token}` },
      });
    expect((await ls()).status).toBe(403);
    expect((await control("DELETE", `requirements?collectionId=${COLLECTION}`)).body.requirements).toEqual(
      [],
    );
    expect((await ls()).status).toBe(200);
    expect((await control("POST", "requirements/mfa", {})).status).toBe(400);
  });

  it("sets policy requirements and mints tokens that satisfy them", async () => {
    const set = await control("POST", "requirements/policies", {
      collectionId: COLLECTION,
      policies: ["p1"],
    });
    expect(set).toEqual({
      status: 200,
      body: { requirements: [{ collectionId: COLLECTION, mfa: false, dataAccess: false, policies: ["p1"] }] },
    });
    for (const policies of [undefined, [], "p1", [""], ["p".repeat(129)], [null]]) {
      const bad = await control("POST", "requirements/policies", { collectionId: COLLECTION, policies });
      expect(bad).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    }
    expect((await control("POST", "requirements/policies", { policies: ["p1"] })).status).toBe(400);
    const ls = async (policies?: string[]): Promise<number> => {
      const minted = await control("POST", "tokens", {
        clientId: SAMPLE_NATIVE_CLIENT.id,
        scope: TRANSFER,
        policies,
      });
      const response = await fetch(new URL(`transfer/v0.10/operation/endpoint/${COLLECTION}/ls`, emu.url), {
        headers: { Authorization: `Bearer ${minted.body.access_token}` },
      });
      return response.status;
    };
    expect(await ls()).toBe(403);
    expect(await ls(["p1"])).toBe(200);
    expect(
      (
        await control("POST", "tokens", {
          clientId: SAMPLE_NATIVE_CLIENT.id,
          scope: TRANSFER,
          policies: "p1",
        })
      ).status,
    ).toBe(400);
    expect((await control("GET", "requirements")).body.requirements).toEqual(set.body.requirements);
    const routes = (await control("GET", "")).body.routes as { path: string }[];
    expect(routes.map((route) => route.path)).toContain("/_emulator/requirements/policies");
  });

  it("switches auto-approve", async () => {
    expect((await control("POST", "auto-approve", { autoApprove: GRACE.username })).body).toEqual({
      autoApprove: GRACE.id,
    });
    expect((await control("POST", "auto-approve", { autoApprove: "nobody@nowhere" })).status).toBe(400);
    expect((await control("POST", "auto-approve", { autoApprove: 3 })).status).toBe(400);
    expect((await control("POST", "auto-approve", { autoApprove: true })).body).toEqual({
      autoApprove: true,
    });
  });

  it("mints tokens and lists consents", async () => {
    const minted = await control("POST", "tokens", {
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: `openid ${TRANSFER}`,
      identity: GRACE.id,
      refreshTokens: true,
    });
    expect(minted.body).toMatchObject({
      resource_server: "auth.globus.org",
      refresh_token: expect.any(String),
      other_tokens: [{ resource_server: "transfer.api.globus.org" }],
    });
    const consents = await control(
      "GET",
      `consents?identity=${GRACE.username}&clientId=${SAMPLE_NATIVE_CLIENT.id}`,
    );
    expect((consents.body.consents as { scope_name: string }[]).map((c) => c.scope_name)).toEqual([
      "openid",
      TRANSFER,
    ]);
    expect((await control("POST", "tokens", { clientId: "nope", scope: "openid" })).status).toBe(400);
    expect((await control("POST", "tokens", { clientId: SAMPLE_NATIVE_CLIENT.id, scope: "a[" })).status).toBe(
      400,
    );
    expect((await control("GET", "consents?identity=nobody")).status).toBe(400);
  });

  it("rejects bad JSON, wrong methods and unknown routes", async () => {
    expect((await control("POST", "clients", "{not json")).status).toBe(400);
    expect((await control("POST", "clients", "[1,2]")).status).toBe(400);
    expect((await control("GET", "clients")).status).toBe(405);
    expect((await control("GET", "nope")).status).toBe(404);
  });

  it("answers only to local Host names", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL("_emulator/state", emu.url);
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname, headers: { Host: "evil.example:80" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});

describe("faults over HTTP", () => {
  const inject = (fault: Record<string, unknown>) => control("POST", "faults", fault);

  it("adds latency", async () => {
    await inject({ endpoint: "token", kind: "latency", latencyMs: 150 });
    const started = performance.now();
    expect((await clientCredentials()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect((await control("GET", "faults")).body.faults).toEqual([]);
  });

  it("answers a 5xx for the next N requests", async () => {
    const { status, body } = await inject({ endpoint: "token", kind: "server-error", status: 503, count: 2 });
    expect(status).toBe(201);
    expect(body.faults).toEqual([
      { endpoint: "token", kind: "server-error", remaining: 2, latencyMs: 100, status: 503, retryAfter: 1 },
    ]);
    for (let i = 0; i < 2; i++) {
      const response = await clientCredentials();
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: "server_error" });
    }
    expect((await clientCredentials()).status).toBe(200);
  });

  it("answers 429 with a Retry-After that browsers may read", async () => {
    await inject({ endpoint: "userinfo", kind: "rate-limit", retryAfter: 7 });
    const response = await fetch(new URL("v2/oauth2/userinfo", emu.url), {
      headers: { Origin: "http://localhost:5173" },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(response.headers.get("access-control-expose-headers")).toContain("Retry-After");
  });

  it("sends malformed JSON", async () => {
    await inject({ endpoint: "openid-configuration", kind: "malformed-json" });
    const response = await fetch(new URL(".well-known/openid-configuration", emu.url));
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow(SyntaxError);
    expect((await fetch(new URL(".well-known/openid-configuration", emu.url))).status).toBe(200);
  });

  it("drops the connection", async () => {
    await inject({ endpoint: "jwks", kind: "drop-connection" });
    await expect(fetch(new URL("jwk.json", emu.url))).rejects.toThrow();
    expect((await fetch(new URL("jwk.json", emu.url))).status).toBe(200);
  });

  it("targets one grant type with token:<grant_type>, or every endpoint with *", async () => {
    await inject({ endpoint: "token:refresh_token", kind: "server-error" });
    expect((await clientCredentials()).status).toBe(200);
    const minted = emu.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: TRANSFER,
      refreshTokens: true,
    });
    const refresh = () =>
      fetch(new URL("v2/oauth2/token", emu.url), {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: minted.refresh_token as string,
          client_id: SAMPLE_NATIVE_CLIENT.id,
        }),
      });
    expect((await refresh()).status).toBe(500);
    expect((await refresh()).status).toBe(200);
    await inject({ endpoint: "*", kind: "server-error", status: 502 });
    expect((await fetch(new URL("jwk.json", emu.url))).status).toBe(502);
    expect((await fetch(new URL("jwk.json", emu.url))).status).toBe(200);
  });

  it("serves an HTML error page when the authorize endpoint faults", async () => {
    await inject({ endpoint: "authorize", kind: "server-error" });
    const response = await fetch(new URL("v2/oauth2/authorize", emu.url), { redirect: "manual" });
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
  });

  it("validates and clears faults", async () => {
    expect((await inject({ endpoint: "nope", kind: "latency" })).status).toBe(400);
    expect((await inject({ endpoint: "token", kind: "explode" })).status).toBe(400);
    expect((await inject({ endpoint: "token", kind: "server-error", status: 404 })).status).toBe(400);
    expect((await inject({ endpoint: "token", kind: "latency", latencyMs: -1 })).status).toBe(400);
    expect((await inject({ endpoint: "token", kind: "rate-limit", count: 0 })).status).toBe(400);
    await inject({ endpoint: "token", kind: "server-error" });
    expect((await control("GET", "faults")).body.faults).toHaveLength(1);
    expect((await control("DELETE", "faults")).body).toEqual({ faults: [] });
    expect((await clientCredentials()).status).toBe(200);
  });
});

describe("request counts and log over HTTP", () => {
  it("counts requests per endpoint and grant type", async () => {
    await clientCredentials();
    await clientCredentials();
    await fetch(new URL("jwk.json", emu.url));
    await fetch(new URL("v2/oauth2/token", emu.url), { method: "OPTIONS" });
    const { body } = await control("GET", "requests");
    expect(body.counts).toEqual({ jwks: 1, token: 2, "token:client_credentials": 2 });
    await control("DELETE", "requests");
    expect((await control("GET", "requests")).body).toEqual({ counts: {}, requests: [] });
  });

  it("keeps the last requests with every secret redacted", async () => {
    const minted = emu.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: `openid ${TRANSFER}`,
      refreshTokens: true,
    });
    const secrets = [
      minted.access_token,
      minted.refresh_token as string,
      SAMPLE_CONFIDENTIAL_CLIENT.secret,
      "the-verifier-abcdefghijklmnopqrstuvwxyz0123456789",
      "the-code",
    ];
    await fetch(new URL("v2/oauth2/token", emu.url), {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: minted.refresh_token as string,
        client_id: SAMPLE_NATIVE_CLIENT.id,
      }),
    });
    await fetch(new URL("v2/oauth2/token", emu.url), {
      method: "POST",
      headers: { Authorization: CONFIDENTIAL_AUTH },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: "the-code",
        code_verifier: secrets[3] as string,
        redirect_uri: "http://localhost:8080/callback",
        client_secret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
      }),
    });
    await fetch(new URL("v2/oauth2/userinfo", emu.url), {
      headers: { Authorization: `Bearer ${minted.access_token}` },
    });
    await fetch(new URL("v2/oauth2/token/revoke", emu.url), {
      method: "POST",
      body: new URLSearchParams({ token: minted.access_token, client_id: SAMPLE_NATIVE_CLIENT.id }),
    });
    const { body } = await control("GET", "requests?limit=3");
    const requests = body.requests as RequestLogEntry[];
    expect(requests.map((r) => r.detail)).toEqual(["token:authorization_code", "userinfo", "revoke"]);
    expect(requests[0]).toMatchObject({
      endpoint: "token",
      method: "POST",
      path: "/v2/oauth2/token",
      time: expect.any(String),
      status: 401,
      params: {
        grant_type: "authorization_code",
        code: "[redacted]",
        code_verifier: "[redacted]",
        client_secret: "[redacted]",
        redirect_uri: "http://localhost:8080/callback",
      },
      headers: { authorization: "[redacted]" },
    });
    expect(requests[1]).toMatchObject({ headers: { authorization: "[redacted]" }, status: 200 });
    expect(requests[2]?.params).toMatchObject({ token: "[redacted]" });
    const everything = JSON.stringify(emu.control.requestLog());
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(emu.control.requestLog(1)).toHaveLength(1);
    expect((await control("GET", "requests?limit=-1")).status).toBe(400);
  });

  it("records the fault that answered a request", async () => {
    await control("POST", "faults", { endpoint: "jwks", kind: "rate-limit" });
    await fetch(new URL("jwk.json", emu.url));
    expect(emu.control.requestLog(1)[0]).toMatchObject({
      endpoint: "jwks",
      fault: "rate-limit",
      status: 429,
    });
  });

  it("keeps at most requestLogSize entries", async () => {
    for (let i = 0; i < 25; i++) await fetch(new URL("jwk.json", emu.url));
    expect(emu.control.requestLog()).toHaveLength(20);
    expect(emu.control.requestCounts().jwks).toBe(25);
  });
});
