import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SAMPLE_CONFIDENTIAL_CLIENT, SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT } from "./sample-data.ts";
import { type Emulator, startEmulator } from "./start-emulator.ts";

const [ADA, GRACE, ALAN] = SAMPLE_IDENTITIES;
const TRANSFER = "urn:globus:auth:scope:transfer.api.globus.org:all";
const DATA = "https://auth.globus.org/scopes/c0ffee00-0000-4000-8000-000000000000/data_access";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ keyId: "test-key-1" });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.control.revokeAll();
  emu.control.resetClock();
});

async function get(
  path: string,
  token?: string,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(
    new URL(path, emu.url),
    token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } },
  );
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

const authToken = (identity: string = ADA.id, clientId: string = SAMPLE_NATIVE_CLIENT.id): string =>
  emu.control.issueTokens({
    clientId,
    identity,
    scope: "openid profile email urn:globus:auth:scope:auth.globus.org:view_consents",
  }).access_token;

describe("discovery", () => {
  it("serves the OpenID configuration with this emulator's URLs and no trailing slash on the issuer", async () => {
    const { status, body, headers } = await get(".well-known/openid-configuration");
    expect(status).toBe(200);
    // No Origin, no CORS answer: only allowed browser origins are ever named (origin-policy.test.ts).
    expect(headers.get("access-control-allow-origin")).toBeNull();
    expect(body).toEqual({
      issuer: emu.url.slice(0, -1),
      authorization_endpoint: `${emu.url}v2/oauth2/authorize`,
      userinfo_endpoint: `${emu.url}v2/oauth2/userinfo`,
      token_endpoint: `${emu.url}v2/oauth2/token`,
      revocation_endpoint: `${emu.url}v2/oauth2/token/revoke`,
      jwks_uri: `${emu.url}jwk.json`,
      response_types_supported: ["code", "token", "token id_token", "id_token"],
      id_token_signing_alg_values_supported: ["RS512"],
      scopes_supported: ["openid", "email", "profile"],
      token_endpoint_auth_methods_supported: ["client_secret_basic"],
      claims_supported: [
        "at_hash",
        "aud",
        "email",
        "exp",
        "name",
        "nonce",
        "preferred_username",
        "iat",
        "iss",
        "sub",
      ],
      subject_types_supported: ["public"],
    });
    expect(emu.issuer).toBe(body.issuer);
  });

  it("serves the RS512 key, with the configured kid", async () => {
    const { body } = await get("jwk.json");
    const keys = body.keys as Record<string, string>[];
    expect(keys).toHaveLength(1);
    expect(keys[0]).toEqual({
      alg: "RS512",
      e: "AQAB",
      kid: "test-key-1",
      kty: "RSA",
      n: expect.stringMatching(/^[\w-]{300,}$/),
      use: "sig",
    });
    const token = emu.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope: "openid" })
      .id_token as string;
    const header = JSON.parse(Buffer.from(token.split(".")[0] as string, "base64url").toString());
    expect(header).toEqual({ typ: "JWT", alg: "RS512", kid: "test-key-1" });
  });

  it("publishes no kid by default, like Globus", async () => {
    const plain = await startEmulator();
    try {
      const response = await fetch(new URL("jwk.json", plain.url));
      const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
      expect(Object.keys(keys[0] ?? {})).toEqual(["alg", "e", "kty", "n", "use"]);
    } finally {
      await plain.close();
    }
  });
});

describe("GET /v2/oauth2/userinfo", () => {
  it("returns the identity's claims", async () => {
    const { status, body } = await get("v2/oauth2/userinfo", authToken(ALAN.id));
    expect(status).toBe(200);
    expect(body).toEqual({
      sub: ALAN.id,
      organization: ALAN.organization,
      name: ALAN.name,
      identity_provider: ALAN.identityProvider,
      identity_provider_display_name: ALAN.identityProviderDisplayName,
      email: ALAN.email,
      preferred_username: ALAN.username,
      last_authentication: expect.any(Number),
      identity_set: [
        {
          sub: ALAN.id,
          username: ALAN.username,
          organization: ALAN.organization,
          name: ALAN.name,
          identity_provider: ALAN.identityProvider,
          identity_provider_display_name: ALAN.identityProviderDisplayName,
          email: ALAN.email,
          last_authentication: expect.any(Number),
        },
      ],
    });
  });

  it("answers 401 without a live token and 403 for another resource server's token", async () => {
    const missing = await get("v2/oauth2/userinfo");
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({
      error: "unauthorized",
      error_description: "Unauthorized",
      errors: [
        {
          status: "401",
          code: "UNAUTHORIZED",
          title: "Unauthorized",
          detail: "Call must be authenticated",
          id: expect.any(String),
        },
      ],
    });
    expect((await get("v2/oauth2/userinfo", "garbage")).status).toBe(401);
    const transfer = emu.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: TRANSFER,
    }).access_token;
    const forbidden = await get("v2/oauth2/userinfo", transfer);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({
      error: "forbidden",
      errors: [{ status: "403", code: "FORBIDDEN" }],
    });
    const expiring = authToken();
    emu.control.advanceClock(172800);
    expect((await get("v2/oauth2/userinfo", expiring)).status).toBe(401);
  });
});

describe("GET /v2/api/identities", () => {
  it("looks up identities by id, omitting unknown ids", async () => {
    const { body } = await get(
      `v2/api/identities?ids=${ADA.id},${GRACE.id.toUpperCase()},00000000-0000-4000-8000-000000000000`,
      authToken(),
    );
    expect(body.identities).toEqual([
      {
        id: ADA.id,
        username: ADA.username,
        status: "used",
        identity_provider: ADA.identityProvider,
        identity_type: "login",
        name: ADA.name,
        email: ADA.email,
        organization: ADA.organization,
      },
      expect.objectContaining({ id: GRACE.id, username: GRACE.username }),
    ]);
  });

  it("looks up identities by username, answering unused ones for unknown usernames", async () => {
    const { body } = await get(
      `v2/api/identities?usernames=ALAN@example.net,newbie@example.com,not-a-username`,
      authToken(),
    );
    const identities = body.identities as Record<string, unknown>[];
    expect(identities).toHaveLength(2);
    expect(identities[0]).toMatchObject({ id: ALAN.id, status: "used" });
    expect(identities[1]).toMatchObject({
      username: "newbie@example.com",
      status: "unused",
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    // The same unknown username always maps to the same id.
    const again = await get("v2/api/identities?usernames=newbie@example.com", authToken());
    expect((again.body.identities as Record<string, unknown>[])[0]?.id).toBe(identities[1]?.id);
  });

  it("answers client identities, an empty list, and Globus errors", async () => {
    const token = authToken();
    const client = await get(`v2/api/identities?ids=${SAMPLE_CONFIDENTIAL_CLIENT.id}`, token);
    expect(client.body.identities).toEqual([
      expect.objectContaining({
        id: SAMPLE_CONFIDENTIAL_CLIENT.id,
        identity_type: "client",
        username: `${SAMPLE_CONFIDENTIAL_CLIENT.id}@clients.auth.globus.org`,
      }),
    ]);
    expect((await get("v2/api/identities", token)).body).toEqual({ identities: [] });
    const both = await get(`v2/api/identities?ids=${ADA.id}&usernames=${ADA.username}`, token);
    expect(both.status).toBe(400);
    expect(both.body).toMatchObject({
      error: "invalid_parameters",
      errors: [{ status: "400", code: "INVALID_PARAMETERS" }],
    });
    expect((await get("v2/api/identities?ids=not-a-uuid", token)).status).toBe(400);
    const many = Array.from({ length: 101 }, () => ADA.id).join(",");
    expect((await get(`v2/api/identities?ids=${many}`, token)).status).toBe(400);
    expect((await get(`v2/api/identities?ids=${ADA.id}`)).status).toBe(401);
  });

  it("accepts any resource server's active token", async () => {
    const transfer = emu.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: TRANSFER,
    }).access_token;
    expect((await get(`v2/api/identities?ids=${ADA.id}`, transfer)).status).toBe(200);
  });
});

describe("GET /v2/api/identities/<id>/consents", () => {
  it("lists one consent per granted scope node, with dependency paths", async () => {
    const issued = emu.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      identity: GRACE.id,
      scope: `openid ${TRANSFER}[*${DATA}]`,
      refreshTokens: true,
    });
    const { status, body } = await get(`v2/api/identities/${GRACE.id}/consents`, issued.access_token);
    expect(status).toBe(200);
    const consents = body.consents as Record<string, unknown>[];
    expect(consents.map((c) => c.scope_name)).toEqual(["openid", TRANSFER, DATA]);
    const [openid, transfer, data] = consents as [
      Record<string, unknown>,
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    expect(transfer).toEqual({
      id: expect.any(Number),
      client: SAMPLE_NATIVE_CLIENT.id,
      scope: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      scope_name: TRANSFER,
      effective_identity: GRACE.id,
      dependency_path: [transfer.id],
      created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/),
      updated: expect.any(String),
      last_used: expect.any(String),
      status: "approved",
      allows_refresh: true,
      auto_approved: true,
      atomically_revocable: false,
    });
    expect(data.dependency_path).toEqual([transfer.id, data.id]);
    expect(data.atomically_revocable).toBe(true);
    expect(openid.dependency_path).toEqual([openid.id]);
    expect(Number.isInteger(data.id)).toBe(true);
  });

  it("keeps consent ids and scope ids stable when consent is granted again", async () => {
    const first = emu.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope: `openid ${TRANSFER}` });
    const before = (await get(`v2/api/identities/${ADA.id}/consents`, first.access_token)).body
      .consents as Record<string, unknown>[];
    const second = emu.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: `openid ${TRANSFER}[${DATA}]`,
    });
    const after = (await get(`v2/api/identities/${ADA.id}/consents`, second.access_token)).body
      .consents as Record<string, unknown>[];
    expect(after.slice(0, before.length).map((c) => [c.id, c.scope])).toEqual(
      before.map((c) => [c.id, c.scope]),
    );
    expect(after.at(-1)?.scope_name).toBe(DATA);
  });

  it("shows only the token's client unless all=true", async () => {
    const mine = emu.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      identity: ALAN.id,
      scope: "openid",
    });
    emu.control.issueTokens({ clientId: SAMPLE_CONFIDENTIAL_CLIENT.id, identity: ALAN.id, scope: TRANSFER });
    const own = (await get(`v2/api/identities/${ALAN.id}/consents`, mine.access_token)).body
      .consents as Record<string, unknown>[];
    expect(new Set(own.map((c) => c.client))).toEqual(new Set([SAMPLE_NATIVE_CLIENT.id]));
    const all = (await get(`v2/api/identities/${ALAN.id}/consents?all=true`, mine.access_token)).body
      .consents as Record<string, unknown>[];
    expect(new Set(all.map((c) => c.client))).toEqual(
      new Set([SAMPLE_NATIVE_CLIENT.id, SAMPLE_CONFIDENTIAL_CLIENT.id]),
    );
  });

  it("forbids other identities' consents and needs an auth.globus.org token", async () => {
    const forbidden = await get(`v2/api/identities/${GRACE.id}/consents`, authToken(ADA.id));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({
      error: "forbidden",
      error_description: "Forbidden",
      errors: [{ status: "403", code: "FORBIDDEN" }],
    });
    expect((await get(`v2/api/identities/${ADA.id}/consents`)).status).toBe(401);
    const transfer = emu.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: TRANSFER,
    }).access_token;
    expect((await get(`v2/api/identities/${ADA.id}/consents`, transfer)).status).toBe(403);
    expect((await get("v2/api/identities/not-a-uuid/consents", authToken())).status).toBe(404);
    expect((await get("v2/api/identities/%E0%A4%A/consents", authToken())).status).toBe(404);
  });
});
