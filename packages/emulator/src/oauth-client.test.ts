import { createLocalJWKSet, jwtVerify } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_CONFIDENTIAL_CLIENT, SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT } from "./sample-data.ts";
import { type Emulator, startEmulator } from "./start-emulator.ts";

// What a real OAuth/OIDC client library makes of the emulator: discovery, PKCE code flow, id_token
// checks, refresh, userinfo, revocation, introspection and client credentials.

const [ADA, GRACE] = SAMPLE_IDENTITIES;
const TRANSFER = "urn:globus:auth:scope:transfer.api.globus.org:all";
const REDIRECT = "http://127.0.0.1:49152/callback";
const insecure = { [oauth.allowInsecureRequests]: true } as const;

let emu: Emulator;
let as: oauth.AuthorizationServer;
beforeAll(async () => {
  emu = await startEmulator();
  const issuer = new URL(emu.url);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
});
afterAll(() => emu.close());

/** Plays the browser: loads the consent page, picks the identity, presses Allow, returns the callback URL. */
async function approveInBrowser(authorizationUrl: URL, identityId: string): Promise<URL> {
  const page = await fetch(authorizationUrl, { redirect: "manual" });
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1] as string;
  const transaction = /name="transaction" value="([^"]+)"/.exec(html)?.[1] as string;
  expect(html).toContain(`value="${identityId}"`);
  const answer = await fetch(new URL(action, authorizationUrl), {
    method: "POST",
    body: new URLSearchParams({ transaction, identity_id: identityId, decision: "allow" }),
    redirect: "manual",
  });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get("location") as string);
}

describe("oauth4webapi against the emulator", () => {
  it("discovers the emulator", () => {
    expect(as.issuer).toBe(emu.issuer);
    expect(as.token_endpoint).toBe(`${emu.url}v2/oauth2/token`);
    expect(as.id_token_signing_alg_values_supported).toEqual(["RS512"]);
  });

  it("runs the authorization code + PKCE flow of a native app and verifies the id_token", async () => {
    const client: oauth.Client = { client_id: SAMPLE_NATIVE_CLIENT.id };
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const authorizationUrl = new URL(as.authorization_endpoint as string);
    authorizationUrl.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      scope: `openid profile email ${TRANSFER}`,
      state,
      nonce,
      response_type: "code",
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      access_type: "offline",
    }).toString();

    const callback = await approveInBrowser(authorizationUrl, GRACE.id);
    expect(callback.searchParams.has("iss")).toBe(false); // Globus does not send iss
    const params = oauth.validateAuthResponse(as, client, callback, state);

    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      REDIRECT,
      verifier,
      insecure,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
      expectedNonce: nonce,
      requireIdToken: true,
    });
    expect(tokens.token_type).toBe("bearer");
    expect(tokens.scope).toBe("openid profile email");
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.other_tokens).toEqual([
      expect.objectContaining({ resource_server: "transfer.api.globus.org", scope: TRANSFER }),
    ]);

    const claims = oauth.getValidatedIdTokenClaims(tokens);
    expect(claims).toMatchObject({ sub: GRACE.id, aud: client.client_id, iss: emu.issuer, nonce });

    // The signature, against the published key set, with jose.
    const jwks = (await (await fetch(as.jwks_uri as string)).json()) as Parameters<
      typeof createLocalJWKSet
    >[0];
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token as string, createLocalJWKSet(jwks), {
      issuer: emu.issuer,
      audience: client.client_id,
      algorithms: ["RS512"],
    });
    expect(protectedHeader).toEqual({ typ: "JWT", alg: "RS512" });
    expect(payload).toMatchObject({
      preferred_username: GRACE.username,
      email: GRACE.email,
      identity_set: [expect.objectContaining({ sub: GRACE.id })],
    });
    expect((payload.exp as number) - (payload.iat as number)).toBe(172800);

    // A token signed by another key fails verification.
    const stranger = await startEmulator({ freshSigningKey: true, autoApprove: true });
    try {
      const foreign = stranger.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope: "openid" })
        .id_token as string;
      await expect(jwtVerify(foreign, createLocalJWKSet(jwks), { algorithms: ["RS512"] })).rejects.toThrow();
    } finally {
      await stranger.close();
    }

    // Userinfo, refresh and revocation with the same library.
    const userinfo = await oauth.processUserInfoResponse(
      as,
      client,
      GRACE.id,
      await oauth.userInfoRequest(as, client, tokens.access_token, insecure),
    );
    expect(userinfo).toMatchObject({ sub: GRACE.id, preferred_username: GRACE.username });

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(
        as,
        client,
        oauth.None(),
        tokens.refresh_token as string,
        insecure,
      ),
    );
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.other_tokens).toEqual([]);

    const revocation = await oauth.revocationRequest(
      as,
      client,
      oauth.None(),
      refreshed.access_token,
      insecure,
    );
    await oauth.processRevocationResponse(revocation);
    const after = await oauth.userInfoRequest(as, client, refreshed.access_token, insecure);
    expect(after.status).toBe(401);
  });

  it("runs a confidential client's code flow with client_secret_basic", async () => {
    const client: oauth.Client = { client_id: SAMPLE_CONFIDENTIAL_CLIENT.id };
    const auth = oauth.ClientSecretBasic(SAMPLE_CONFIDENTIAL_CLIENT.secret);
    const redirect = SAMPLE_CONFIDENTIAL_CLIENT.redirectUris[0];
    const state = oauth.generateRandomState();
    const authorizationUrl = new URL(as.authorization_endpoint as string);
    authorizationUrl.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: redirect,
      scope: "openid email",
      state,
      response_type: "code",
    }).toString();
    const callback = await approveInBrowser(authorizationUrl, ADA.id);
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, auth, params, redirect, oauth.nopkce, insecure),
      { requireIdToken: true },
    );
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe(ADA.id);
    const introspection = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(
        { ...as, introspection_endpoint: `${emu.url}v2/oauth2/token/introspect` },
        client,
        auth,
        tokens.access_token,
        insecure,
      ),
    );
    expect(introspection).toMatchObject({ active: true, sub: ADA.id, client_id: client.client_id });
  });

  it("reports an access_denied callback as an OAuth error", async () => {
    const client: oauth.Client = { client_id: SAMPLE_NATIVE_CLIENT.id };
    const state = oauth.generateRandomState();
    const authorizationUrl = new URL(as.authorization_endpoint as string);
    authorizationUrl.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      scope: "openid",
      state,
      response_type: "code",
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()),
      code_challenge_method: "S256",
    }).toString();
    const html = await (await fetch(authorizationUrl)).text();
    const transaction = /name="transaction" value="([^"]+)"/.exec(html)?.[1] as string;
    const answer = await fetch(new URL("v2/oauth2/authorize", emu.url), {
      method: "POST",
      body: new URLSearchParams({ transaction, decision: "deny" }),
      redirect: "manual",
    });
    const callback = new URL(answer.headers.get("location") as string);
    expect(() => oauth.validateAuthResponse(as, client, callback, state)).toThrow(
      oauth.AuthorizationResponseError,
    );
  });

  it("gets client-credentials tokens", async () => {
    const client: oauth.Client = { client_id: SAMPLE_CONFIDENTIAL_CLIENT.id };
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(SAMPLE_CONFIDENTIAL_CLIENT.secret),
      new URLSearchParams({ scope: TRANSFER }),
      insecure,
    );
    const tokens = await oauth.processClientCredentialsResponse(as, client, response);
    expect(tokens).toMatchObject({
      token_type: "bearer",
      scope: TRANSFER,
      resource_server: "transfer.api.globus.org",
      expires_in: 172800,
    });
    const ls = await fetch(
      new URL("transfer/v0.10/operation/endpoint/f6cd964d-7ab7-44cf-8a05-777a55f598ee/ls", emu.url),
      {
        headers: { Authorization: `Bearer ${tokens.access_token}` },
      },
    );
    expect(ls.status).toBe(200);

    const wrong = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic("wrong"),
      new URLSearchParams({ scope: TRANSFER }),
      insecure,
    );
    await expect(oauth.processClientCredentialsResponse(as, client, wrong)).rejects.toMatchObject({
      error: "invalid_client",
      status: 401,
    });
  });
});
