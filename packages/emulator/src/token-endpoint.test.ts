import { createHash, randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TokenResponse } from "./emulator-state.ts";
import { SAMPLE_CONFIDENTIAL_CLIENT, SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT } from "./sample-data.ts";
import { type Emulator, startEmulator } from "./start-emulator.ts";

const [ADA] = SAMPLE_IDENTITIES;
const TRANSFER = "urn:globus:auth:scope:transfer.api.globus.org:all";
const LOOPBACK = "http://127.0.0.1:53682/callback";
const CONFIDENTIAL_REDIRECT = "http://localhost:8080/callback";
const OTHER_NATIVE = "0f4c6a5e-1111-4111-8111-111111111111";
const RS_CLIENT = { id: "7a1e3c5d-2222-4222-8222-222222222222", secret: "resource-server-secret" };

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({
    autoApprove: true,
    clients: [SAMPLE_NATIVE_CLIENT, SAMPLE_CONFIDENTIAL_CLIENT, { id: OTHER_NATIVE }, RS_CLIENT],
  });
});
afterEach(() => emu.close());

const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
const CONFIDENTIAL_AUTH = basic(SAMPLE_CONFIDENTIAL_CLIENT.id, SAMPLE_CONFIDENTIAL_CLIENT.secret);

async function post(
  path: string,
  form: Record<string, string>,
  authorization?: string,
): Promise<{ status: number; body: Record<string, unknown> & Partial<TokenResponse>; headers: Headers }> {
  const response = await fetch(new URL(path, emu.url), {
    method: "POST",
    headers: authorization === undefined ? {} : { Authorization: authorization },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: (await response.json()) as never, headers: response.headers };
}
const token = (form: Record<string, string>, authorization?: string) =>
  post("v2/oauth2/token", form, authorization);

/** Runs an auto-approved authorize request; returns the code and the PKCE verifier. */
async function authorize(options: {
  clientId?: string;
  scope?: string;
  redirectUri?: string;
  offline?: boolean;
  pkce?: boolean;
  extra?: Record<string, string>;
}): Promise<{ code: string; verifier: string }> {
  const verifier = randomBytes(32).toString("base64url");
  const url = new URL("v2/oauth2/authorize", emu.url);
  url.search = new URLSearchParams({
    client_id: options.clientId ?? SAMPLE_NATIVE_CLIENT.id,
    redirect_uri: options.redirectUri ?? LOOPBACK,
    scope: options.scope ?? `openid profile email ${TRANSFER}`,
    state: "s1",
    response_type: "code",
    access_type: options.offline === false ? "online" : "offline",
    ...(options.pkce === false
      ? {}
      : {
          code_challenge: createHash("sha256").update(verifier).digest("base64url"),
          code_challenge_method: "S256",
        }),
    ...options.extra,
  }).toString();
  const response = await fetch(url, { redirect: "manual" });
  const location = new URL(response.headers.get("location") as string);
  const code = location.searchParams.get("code");
  if (!code) throw new Error(`no code: ${location.search}`);
  return { code, verifier };
}

const exchange = (code: string, verifier: string, overrides: Record<string, string> = {}) =>
  token({
    client_id: SAMPLE_NATIVE_CLIENT.id,
    grant_type: "authorization_code",
    code,
    code_verifier: verifier,
    redirect_uri: LOOPBACK,
    ...overrides,
  });

async function isActive(accessToken: string): Promise<boolean> {
  const { body } = await post("v2/oauth2/token/introspect", { token: accessToken }, CONFIDENTIAL_AUTH);
  return body.active === true;
}

describe("authorization_code grant", () => {
  it("answers like Globus: one token per resource server, auth first, state, refresh and id tokens", async () => {
    const { code, verifier } = await authorize({ scope: `${TRANSFER} openid email profile` });
    const { status, body, headers } = await exchange(code, verifier);
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(headers.get("content-type")).toMatch(/^application\/json/);
    expect(Object.keys(body)).toEqual([
      "access_token",
      "scope",
      "expires_in",
      "token_type",
      "resource_server",
      "refresh_token",
      "id_token",
      "state",
      "other_tokens",
    ]);
    expect(body).toMatchObject({
      scope: "openid email profile",
      expires_in: 172800,
      token_type: "Bearer",
      resource_server: "auth.globus.org",
      state: "s1",
    });
    expect(body.other_tokens).toEqual([
      {
        access_token: expect.any(String),
        scope: TRANSFER,
        expires_in: 172800,
        token_type: "Bearer",
        resource_server: "transfer.api.globus.org",
        refresh_token: expect.any(String),
        state: "s1",
      },
    ]);
    const [header, payload] = (body.id_token as string)
      .split(".")
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, "base64url").toString()));
    expect(header).toEqual({ typ: "JWT", alg: "RS512" });
    expect(payload).toMatchObject({
      sub: ADA.id,
      aud: SAMPLE_NATIVE_CLIENT.id,
      iss: emu.issuer,
      preferred_username: ADA.username,
    });
    expect(payload.exp - payload.iat).toBe(172800);
    const digest = createHash("sha512")
      .update(body.access_token as string)
      .digest();
    expect(payload.at_hash).toBe(digest.subarray(0, 32).toString("base64url"));
  });

  it("omits refresh tokens when online and the id_token without openid", async () => {
    const { code, verifier } = await authorize({ scope: TRANSFER, offline: false });
    const { body } = await exchange(code, verifier);
    expect(body.resource_server).toBe("transfer.api.globus.org");
    expect(body).not.toHaveProperty("refresh_token");
    expect(body).not.toHaveProperty("id_token");
    expect(body.other_tokens).toEqual([]);
  });

  it("uses the configured access token lifetime", async () => {
    emu.control.setTokenLifetimes({ accessToken: 60 });
    const { code, verifier } = await authorize({});
    const { body } = await exchange(code, verifier);
    expect(body.expires_in).toBe(60);
    const claims = JSON.parse(
      Buffer.from((body.id_token as string).split(".")[1] as string, "base64url").toString(),
    );
    expect(claims.exp - claims.iat).toBe(60);
  });

  it("requires the right PKCE verifier", async () => {
    const missing = await authorize({});
    expect(await exchange(missing.code, "", { code_verifier: "" })).toMatchObject({
      status: 401,
      body: { error: "invalid_grant" },
    });
    const wrong = await authorize({});
    const other = randomBytes(32).toString("base64url");
    expect(await exchange(wrong.code, other)).toMatchObject({
      status: 401,
      body: { error: "invalid_grant" },
    });
    const malformed = await authorize({});
    expect((await exchange(malformed.code, "too-short")).body.error).toBe("invalid_grant");
  });

  it("burns a code after one use and revokes what it bought when replayed", async () => {
    const { code, verifier } = await authorize({});
    const first = await exchange(code, verifier);
    expect(first.status).toBe(200);
    const transfer = first.body.other_tokens?.[0]?.access_token as string;
    expect(await isActive(transfer)).toBe(true);
    const replay = await exchange(code, verifier);
    expect(replay).toMatchObject({
      status: 401,
      body: { error: "invalid_grant", error_description: expect.any(String) },
    });
    expect(await isActive(transfer)).toBe(false);
    expect(await isActive(first.body.access_token as string)).toBe(false);
    const refreshed = await token({
      grant_type: "refresh_token",
      refresh_token: first.body.refresh_token as string,
      client_id: SAMPLE_NATIVE_CLIENT.id,
    });
    expect(refreshed.body.error).toBe("invalid_grant");
  });

  it("binds the code to its client and redirect_uri", async () => {
    const a = await authorize({});
    expect((await exchange(a.code, a.verifier, { client_id: OTHER_NATIVE })).body.error).toBe(
      "invalid_grant",
    );
    const b = await authorize({});
    expect(
      (await exchange(b.code, b.verifier, { redirect_uri: "http://127.0.0.1:1/other" })).body.error,
    ).toBe("invalid_grant");
    expect((await exchange("no-such-code", b.verifier)).body.error).toBe("invalid_grant");
  });

  it("expires codes after ten minutes of emulator time", async () => {
    const fresh = await authorize({});
    emu.control.advanceClock(599);
    expect((await exchange(fresh.code, fresh.verifier)).status).toBe(200);
    const stale = await authorize({});
    emu.control.advanceClock(601);
    expect((await exchange(stale.code, stale.verifier)).body).toMatchObject({ error: "invalid_grant" });
  });

  it("lets confidential clients exchange with HTTP Basic and no PKCE", async () => {
    const { code } = await authorize({
      clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
      redirectUri: CONFIDENTIAL_REDIRECT,
      pkce: false,
    });
    const form = { grant_type: "authorization_code", code, redirect_uri: CONFIDENTIAL_REDIRECT };
    const ok = await token(form, CONFIDENTIAL_AUTH);
    expect(ok.status).toBe(200);
    expect(ok.body.state).toBe("s1");
  });

  it("rejects confidential clients that do not authenticate properly", async () => {
    const { code } = await authorize({
      clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
      redirectUri: CONFIDENTIAL_REDIRECT,
      pkce: false,
    });
    const form = { grant_type: "authorization_code", code, redirect_uri: CONFIDENTIAL_REDIRECT };
    const noAuth = await token({ ...form, client_id: SAMPLE_CONFIDENTIAL_CLIENT.id });
    expect(noAuth).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    const wrongSecret = await token(form, basic(SAMPLE_CONFIDENTIAL_CLIENT.id, "nope"));
    expect(wrongSecret).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    expect(wrongSecret.headers.get("www-authenticate")).toBeNull();
    const postSecret = await token({
      ...form,
      client_id: SAMPLE_CONFIDENTIAL_CLIENT.id,
      client_secret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
    });
    expect(postSecret.body.error).toBe("invalid_client");
    expect((await token(form, "Basic !!!")).body.error).toBe("invalid_client");
    expect((await token(form, `Basic ${Buffer.from("no-colon").toString("base64")}`)).body.error).toBe(
      "invalid_client",
    );
    expect((await token({ ...form, client_id: "someone-else" }, CONFIDENTIAL_AUTH)).body.error).toBe(
      "invalid_client",
    );
    // None of the failures above consumed the code.
    expect((await token(form, CONFIDENTIAL_AUTH)).status).toBe(200);
  });

  // Globus documents PKCE for native apps and a client secret for confidential ones; the Python
  // SDK's confidential flow sends no code_challenge. A challenge or verifier a confidential client
  // adds anyway is not part of its flow, as at Globus.
  it("leaves PKCE out of a confidential client's flow: a code_challenge is ignored, no verifier asked for", async () => {
    const confidential = { clientId: SAMPLE_CONFIDENTIAL_CLIENT.id, redirectUri: CONFIDENTIAL_REDIRECT };
    const form = (code: string) => ({
      grant_type: "authorization_code",
      code,
      redirect_uri: CONFIDENTIAL_REDIRECT,
    });
    const challenged = await authorize(confidential);
    expect((await token(form(challenged.code), CONFIDENTIAL_AUTH)).status).toBe(200);
    const wrongVerifier = await authorize(confidential);
    const other = randomBytes(32).toString("base64url");
    expect(
      (await token({ ...form(wrongVerifier.code), code_verifier: other }, CONFIDENTIAL_AUTH)).status,
    ).toBe(200);
    // Not even checked for shape: the authorize request does not refuse what it ignores.
    const odd = await authorize({
      ...confidential,
      pkce: false,
      extra: { code_challenge: "short", code_challenge_method: "plain" },
    });
    expect((await token(form(odd.code), CONFIDENTIAL_AUTH)).status).toBe(200);
  });

  it("ignores a code_verifier a confidential client sends without having sent a challenge", async () => {
    const { code } = await authorize({
      clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
      redirectUri: CONFIDENTIAL_REDIRECT,
      pkce: false,
    });
    const form = {
      grant_type: "authorization_code",
      code,
      redirect_uri: CONFIDENTIAL_REDIRECT,
      code_verifier: randomBytes(32).toString("base64url"),
    };
    expect((await token(form, CONFIDENTIAL_AUTH)).status).toBe(200);
  });

  it("still holds native clients to PKCE: a verifier with no challenge, or none at all, is refused", async () => {
    // A code minted for the native client without a challenge, as if PKCE had been skipped.
    const { code } = await authorize({
      pkce: false,
      clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
      redirectUri: CONFIDENTIAL_REDIRECT,
    });
    emu.control.registerClient({ id: SAMPLE_CONFIDENTIAL_CLIENT.id, redirectUris: [CONFIDENTIAL_REDIRECT] });
    const verifier = randomBytes(32).toString("base64url");
    const answer = await token({
      client_id: SAMPLE_CONFIDENTIAL_CLIENT.id,
      grant_type: "authorization_code",
      code,
      code_verifier: verifier,
      redirect_uri: CONFIDENTIAL_REDIRECT,
    });
    expect(answer).toMatchObject({ status: 401, body: { error: "invalid_grant" } });
    const { code: unverified } = await authorize({});
    const noVerifier = await token({
      client_id: SAMPLE_NATIVE_CLIENT.id,
      grant_type: "authorization_code",
      code: unverified,
      redirect_uri: LOOPBACK,
    });
    expect(noVerifier).toMatchObject({ status: 401, body: { error: "invalid_grant" } });
  });

  it("refuses a code to a confidential client authenticating as another client, and burns it", async () => {
    emu.control.registerClient({ ...RS_CLIENT, redirectUris: [CONFIDENTIAL_REDIRECT] });
    const rsAuth = basic(RS_CLIENT.id, RS_CLIENT.secret);
    const form = (code: string, redirectUri = CONFIDENTIAL_REDIRECT) => ({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
    });
    const confidential = await authorize({
      clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
      redirectUri: CONFIDENTIAL_REDIRECT,
      pkce: false,
    });
    expect(await token(form(confidential.code), rsAuth)).toMatchObject({
      status: 401,
      body: { error: "invalid_grant" },
    });
    // Single use: the failed attempt spent it, the rightful client cannot use it any more.
    expect((await token(form(confidential.code), CONFIDENTIAL_AUTH)).body.error).toBe("invalid_grant");
    const native = await authorize({});
    expect(
      await token({ ...form(native.code, LOOPBACK), code_verifier: native.verifier }, rsAuth),
    ).toMatchObject({ status: 401, body: { error: "invalid_grant" } });
  });

  it("accepts form-encoded Basic credentials (RFC 6749 §2.3.1)", async () => {
    emu.control.registerClient({ id: "weird-client", secret: "p@ss w:rd+%" });
    const encoded = basic(encodeURIComponent("weird-client"), encodeURIComponent("p@ss w:rd+%"));
    const { status } = await token({ grant_type: "client_credentials", scope: TRANSFER }, encoded);
    expect(status).toBe(200);
  });

  it("requires code and redirect_uri", async () => {
    expect(
      (
        await token({
          grant_type: "authorization_code",
          client_id: SAMPLE_NATIVE_CLIENT.id,
          redirect_uri: LOOPBACK,
        })
      ).body,
    ).toMatchObject({
      error: "invalid_request",
    });
    expect(
      (await token({ grant_type: "authorization_code", client_id: SAMPLE_NATIVE_CLIENT.id, code: "x" }))
        .status,
    ).toBe(400);
    expect(
      (
        await token({
          grant_type: "authorization_code",
          client_id: "nobody",
          code: "x",
          redirect_uri: LOOPBACK,
        })
      ).body.error,
    ).toBe("invalid_client");
  });
});

describe("refresh_token grant", () => {
  it("returns exactly one token, keeps the refresh token, and binds it to the client", async () => {
    const { code, verifier } = await authorize({});
    const { body } = await exchange(code, verifier);
    const transferRefresh = body.other_tokens?.[0]?.refresh_token as string;
    const refreshed = await token({
      grant_type: "refresh_token",
      refresh_token: transferRefresh,
      client_id: SAMPLE_NATIVE_CLIENT.id,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({
      scope: TRANSFER,
      resource_server: "transfer.api.globus.org",
      token_type: "Bearer",
      expires_in: 172800,
      refresh_token: transferRefresh,
      other_tokens: [],
    });
    expect(refreshed.body.access_token).not.toBe(body.other_tokens?.[0]?.access_token);
    expect(await isActive(refreshed.body.access_token as string)).toBe(true);
    const stolen = await token({
      grant_type: "refresh_token",
      refresh_token: transferRefresh,
      client_id: OTHER_NATIVE,
    });
    expect(stolen).toMatchObject({ status: 401, body: { error: "invalid_grant" } });
  });

  it("returns a fresh id_token when refreshing the auth.globus.org token", async () => {
    const { code, verifier } = await authorize({});
    const { body } = await exchange(code, verifier);
    const refreshed = await token({
      grant_type: "refresh_token",
      refresh_token: body.refresh_token as string,
      client_id: SAMPLE_NATIVE_CLIENT.id,
    });
    expect(refreshed.body.id_token).toEqual(expect.any(String));
  });

  it("refreshes confidential clients with Basic", async () => {
    const issued = emu.control.issueTokens({
      clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
      scope: TRANSFER,
      refreshTokens: true,
    });
    const refreshed = await token(
      { grant_type: "refresh_token", refresh_token: issued.refresh_token as string },
      CONFIDENTIAL_AUTH,
    );
    expect(refreshed.status).toBe(200);
    const unauthenticated = await token({
      grant_type: "refresh_token",
      refresh_token: issued.refresh_token as string,
      client_id: SAMPLE_CONFIDENTIAL_CLIENT.id,
    });
    expect(unauthenticated.body.error).toBe("invalid_client");
  });

  it("expires unused refresh tokens and rejects unknown ones", async () => {
    emu.control.setTokenLifetimes({ refreshToken: 1000 });
    const issued = emu.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: TRANSFER,
      refreshTokens: true,
    });
    const form = {
      grant_type: "refresh_token",
      refresh_token: issued.refresh_token as string,
      client_id: SAMPLE_NATIVE_CLIENT.id,
    };
    emu.control.advanceClock(900);
    expect((await token(form)).status).toBe(200);
    emu.control.advanceClock(900); // idle time counts from the last use
    expect((await token(form)).status).toBe(200);
    emu.control.advanceClock(1001);
    expect((await token(form)).body.error).toBe("invalid_grant");
    expect((await token({ ...form, refresh_token: "unknown" })).body.error).toBe("invalid_grant");
    expect(
      (await token({ grant_type: "refresh_token", client_id: SAMPLE_NATIVE_CLIENT.id })).body.error,
    ).toBe("invalid_request");
  });

  it("rotates refresh tokens when asked to", async () => {
    const rotating = await startEmulator({ rotateRefreshTokens: true });
    try {
      const issued = rotating.control.issueTokens({
        clientId: SAMPLE_NATIVE_CLIENT.id,
        scope: TRANSFER,
        refreshTokens: true,
      });
      const refresh = async (refreshToken: string) => {
        const response = await fetch(new URL("v2/oauth2/token", rotating.url), {
          method: "POST",
          body: new URLSearchParams({
            grant_type: "refresh_token",
            refresh_token: refreshToken,
            client_id: SAMPLE_NATIVE_CLIENT.id,
          }),
        });
        return (await response.json()) as Record<string, unknown>;
      };
      const first = await refresh(issued.refresh_token as string);
      expect(first.refresh_token).toEqual(expect.any(String));
      expect(first.refresh_token).not.toBe(issued.refresh_token);
      expect((await refresh(issued.refresh_token as string)).error).toBe("invalid_grant");
      expect((await refresh(first.refresh_token as string)).access_token).toEqual(expect.any(String));
    } finally {
      await rotating.close();
    }
  });
});

describe("client_credentials grant", () => {
  it("issues tokens for the client's own identity", async () => {
    const { status, body } = await token(
      { grant_type: "client_credentials", scope: TRANSFER },
      CONFIDENTIAL_AUTH,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      scope: TRANSFER,
      resource_server: "transfer.api.globus.org",
      other_tokens: [],
    });
    expect(body).not.toHaveProperty("refresh_token");
    const info = await post(
      "v2/oauth2/token/introspect",
      { token: body.access_token as string },
      CONFIDENTIAL_AUTH,
    );
    expect(info.body).toMatchObject({
      active: true,
      sub: SAMPLE_CONFIDENTIAL_CLIENT.id,
      client_id: SAMPLE_CONFIDENTIAL_CLIENT.id,
      username: `${SAMPLE_CONFIDENTIAL_CLIENT.id}@clients.auth.globus.org`,
    });
  });

  it("returns one token per resource server", async () => {
    const { body } = await token(
      {
        grant_type: "client_credentials",
        scope: `${TRANSFER} urn:globus:auth:scope:groups.api.globus.org:all openid`,
      },
      CONFIDENTIAL_AUTH,
    );
    expect(body.resource_server).toBe("auth.globus.org");
    expect(body.id_token).toEqual(expect.any(String));
    expect(body.other_tokens?.map((t) => t.resource_server)).toEqual([
      "transfer.api.globus.org",
      "groups.api.globus.org",
    ]);
  });

  it("needs Basic auth and a valid scope", async () => {
    expect(
      await token({ grant_type: "client_credentials", scope: TRANSFER, client_id: SAMPLE_NATIVE_CLIENT.id }),
    ).toMatchObject({
      status: 401,
      body: { error: "invalid_client" },
    });
    expect(await token({ grant_type: "client_credentials" }, CONFIDENTIAL_AUTH)).toMatchObject({
      status: 400,
      body: { error: "invalid_request" },
    });
    expect(await token({ grant_type: "client_credentials", scope: "a[b" }, CONFIDENTIAL_AUTH)).toMatchObject({
      status: 400,
      body: { error: "invalid_scope" },
    });
    expect(
      (await token({ grant_type: "client_credentials", scope: "bogus" }, CONFIDENTIAL_AUTH)).body.error,
    ).toBe("invalid_scope");
  });
});

describe("dependent token grant", () => {
  const RS_AUTH = basic(RS_CLIENT.id, RS_CLIENT.secret);
  const RS_SCOPE = `https://auth.globus.org/scopes/${RS_CLIENT.id}/all`;
  const DATA = "https://auth.globus.org/scopes/c0ffee00-0000-4000-8000-000000000000/data_access";
  const grant = "urn:globus:auth:grant_type:dependent_token";

  it("returns a JSON array of tokens for the dependent scopes consented under the token", async () => {
    const { code, verifier } = await authorize({
      scope: `openid ${RS_SCOPE}[${TRANSFER}[*${DATA}] urn:globus:auth:scope:groups.api.globus.org:all]`,
    });
    const { body } = await exchange(code, verifier);
    const rsToken = body.other_tokens?.[0];
    expect(rsToken?.resource_server).toBe(RS_CLIENT.id);
    expect(rsToken?.scope).toBe(RS_SCOPE);
    const dependent = await post(
      "v2/oauth2/token",
      { grant_type: grant, token: rsToken?.access_token as string },
      RS_AUTH,
    );
    expect(dependent.status).toBe(200);
    expect(Array.isArray(dependent.body)).toBe(true);
    const tokens = dependent.body as unknown as Record<string, unknown>[];
    expect(tokens).toEqual([
      {
        access_token: expect.any(String),
        scope: TRANSFER,
        expires_in: 172800,
        token_type: "Bearer",
        resource_server: "transfer.api.globus.org",
      },
      {
        access_token: expect.any(String),
        scope: "urn:globus:auth:scope:groups.api.globus.org:all",
        expires_in: 172800,
        token_type: "Bearer",
        resource_server: "groups.api.globus.org",
      },
    ]);
    const info = await post(
      "v2/oauth2/token/introspect",
      { token: tokens[0]?.access_token as string },
      CONFIDENTIAL_AUTH,
    );
    expect(info.body).toMatchObject({ active: true, sub: ADA.id, client_id: RS_CLIENT.id });
  });

  it("adds refresh tokens with access_type=offline and answers [] without dependencies", async () => {
    const withDeps = emu.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: `${RS_SCOPE}[${TRANSFER}]`,
    });
    const offline = await post(
      "v2/oauth2/token",
      { grant_type: grant, token: withDeps.access_token, access_type: "offline" },
      RS_AUTH,
    );
    expect((offline.body as unknown as Record<string, unknown>[])[0]?.refresh_token).toEqual(
      expect.any(String),
    );
    const bare = emu.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope: RS_SCOPE });
    const empty = await post("v2/oauth2/token", { grant_type: grant, token: bare.access_token }, RS_AUTH);
    expect(empty.body).toEqual([]);
  });

  it("rejects tokens for another resource server, inactive tokens and unauthenticated callers", async () => {
    const transferToken = emu.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope: TRANSFER });
    expect(
      await post("v2/oauth2/token", { grant_type: grant, token: transferToken.access_token }, RS_AUTH),
    ).toMatchObject({
      status: 401,
      body: { error: "invalid_grant" },
    });
    expect((await post("v2/oauth2/token", { grant_type: grant, token: "nope" }, RS_AUTH)).body.error).toBe(
      "invalid_grant",
    );
    expect((await post("v2/oauth2/token", { grant_type: grant }, RS_AUTH)).body.error).toBe(
      "invalid_request",
    );
    const rs = emu.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: `${RS_SCOPE}[${TRANSFER}]`,
    });
    expect(
      (await post("v2/oauth2/token", { grant_type: grant, token: rs.access_token, client_id: RS_CLIENT.id }))
        .body.error,
    ).toBe("invalid_client");
    emu.control.advanceClock(172801);
    expect(
      (await post("v2/oauth2/token", { grant_type: grant, token: rs.access_token }, RS_AUTH)).body.error,
    ).toBe("invalid_grant");
  });
});

describe("token endpoint errors", () => {
  it("answers missing, unsupported and repeated parameters with OAuth errors", async () => {
    expect(await token({ client_id: SAMPLE_NATIVE_CLIENT.id })).toMatchObject({
      status: 400,
      body: { error: "invalid_request" },
    });
    expect(await token({ grant_type: "password", client_id: SAMPLE_NATIVE_CLIENT.id })).toMatchObject({
      status: 400,
      body: { error: "unsupported_grant_type" },
    });
    const response = await fetch(new URL("v2/oauth2/token", emu.url), {
      method: "POST",
      body: "grant_type=refresh_token&grant_type=client_credentials",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_request" });
  });

  it("rejects JSON bodies", async () => {
    const response = await fetch(new URL("v2/oauth2/token", emu.url), {
      method: "POST",
      body: JSON.stringify({ grant_type: "client_credentials" }),
      headers: { "Content-Type": "application/json" },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_request" });
  });
});

describe("POST /v2/oauth2/token/revoke", () => {
  it("revokes a native app's access token given its client_id", async () => {
    const issued = emu.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope: TRANSFER });
    const revoked = await post("v2/oauth2/token/revoke", {
      token: issued.access_token,
      client_id: SAMPLE_NATIVE_CLIENT.id,
    });
    expect(revoked).toMatchObject({ status: 200, body: { active: false } });
    expect(await isActive(issued.access_token)).toBe(false);
  });

  it("revoking a refresh token also ends its access tokens", async () => {
    const issued = emu.control.issueTokens({
      clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
      scope: TRANSFER,
      refreshTokens: true,
    });
    expect(
      (await post("v2/oauth2/token/revoke", { token: issued.refresh_token as string }, CONFIDENTIAL_AUTH))
        .body,
    ).toEqual({
      active: false,
    });
    expect(await isActive(issued.access_token)).toBe(false);
    const refreshed = await token(
      { grant_type: "refresh_token", refresh_token: issued.refresh_token as string },
      CONFIDENTIAL_AUTH,
    );
    expect(refreshed.body.error).toBe("invalid_grant");
  });

  it("leaves other clients' tokens alone and still answers {active:false}", async () => {
    const issued = emu.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope: TRANSFER });
    expect(
      (await post("v2/oauth2/token/revoke", { token: issued.access_token, client_id: OTHER_NATIVE })).body,
    ).toEqual({ active: false });
    expect(await isActive(issued.access_token)).toBe(true);
    expect((await post("v2/oauth2/token/revoke", { token: "unknown", client_id: OTHER_NATIVE })).status).toBe(
      200,
    );
  });

  it("needs a client and a token", async () => {
    expect(await post("v2/oauth2/token/revoke", { token: "x" })).toMatchObject({
      status: 401,
      body: { error: "invalid_client" },
    });
    expect(await post("v2/oauth2/token/revoke", { client_id: SAMPLE_NATIVE_CLIENT.id })).toMatchObject({
      status: 400,
      body: { error: "invalid_request" },
    });
  });
});

describe("POST /v2/oauth2/token/introspect", () => {
  it("describes an active token in Globus's shape", async () => {
    const issued = emu.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: `openid ${TRANSFER}`,
    });
    const transfer = issued.other_tokens[0]?.access_token as string;
    const { body } = await post(
      "v2/oauth2/token/introspect",
      { token: transfer, include: "identity_set,session_info" },
      CONFIDENTIAL_AUTH,
    );
    expect(body).toEqual({
      active: true,
      token_type: "Bearer",
      scope: TRANSFER,
      client_id: SAMPLE_NATIVE_CLIENT.id,
      username: ADA.username,
      name: ADA.name,
      email: ADA.email,
      exp: expect.any(Number),
      iat: expect.any(Number),
      nbf: expect.any(Number),
      sub: ADA.id,
      aud: ["transfer.api.globus.org", SAMPLE_NATIVE_CLIENT.id],
      iss: emu.issuer,
      identity_set: [ADA.id],
      session_info: {
        session_id: null,
        authentications: { [ADA.id]: { auth_time: expect.any(Number), idp: ADA.identityProvider, amr: [] } },
      },
    });
    expect((body.exp as number) - (body.iat as number)).toBe(172800);
  });

  it("reports unknown, expired and revoked tokens as inactive", async () => {
    expect((await post("v2/oauth2/token/introspect", { token: "nope" }, CONFIDENTIAL_AUTH)).body).toEqual({
      active: false,
    });
    const issued = emu.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope: TRANSFER });
    emu.control.advanceClock(172800);
    expect(await isActive(issued.access_token)).toBe(false);
  });

  it("requires a confidential client with Basic and a token", async () => {
    const issued = emu.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope: TRANSFER });
    expect(
      (
        await post("v2/oauth2/token/introspect", {
          token: issued.access_token,
          client_id: SAMPLE_NATIVE_CLIENT.id,
        })
      ).body.error,
    ).toBe("invalid_client");
    expect((await post("v2/oauth2/token/introspect", {}, CONFIDENTIAL_AUTH)).body.error).toBe(
      "invalid_request",
    );
  });
});
