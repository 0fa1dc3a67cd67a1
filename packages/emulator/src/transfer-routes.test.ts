import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ControlError } from "./emulator-control.ts";
import { SAMPLE_CONFIDENTIAL_CLIENT, SAMPLE_NATIVE_CLIENT } from "./sample-data.ts";
import { type Emulator, startEmulator } from "./start-emulator.ts";
import { SAMPLE_COLLECTIONS } from "./transfer-collections.ts";

const TRANSFER = "urn:globus:auth:scope:transfer.api.globus.org:all";
const COLLECTION = "96348e9e-93dd-432f-93b9-b015d71f2fbb";
const DATA = `https://auth.globus.org/scopes/${COLLECTION}/data_access`;
const LS = `transfer/v0.10/operation/endpoint/${COLLECTION}/ls`;
const POLICY = "1b1a7e43-6b4c-4c4e-9b7f-4f5c1c2d3e4f";
const OTHER_POLICY = "site-policy";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.control.clearRequirements();
  emu.control.resetClock();
});

async function get(path: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(
    new URL(path, emu.url),
    token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } },
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const transferToken = (
  scope = TRANSFER,
  options: { mfa?: boolean; policies?: string[]; clientId?: string } = {},
): string => {
  const issued = emu.control.issueTokens({
    clientId: options.clientId ?? SAMPLE_NATIVE_CLIENT.id,
    scope,
    mfa: options.mfa,
    policies: options.policies,
  });
  return [issued, ...issued.other_tokens].find((t) => t.resource_server === "transfer.api.globus.org")
    ?.access_token as string;
};

describe("endpoint_search and endpoint", () => {
  it("finds sample collections by full text", async () => {
    const { status, body } = await get(
      "transfer/v0.10/endpoint_search?filter_fulltext=tutorial",
      transferToken(),
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ DATA_TYPE: "endpoint_list", offset: 0, limit: 25, has_next_page: false });
    const data = body.DATA as Record<string, unknown>[];
    expect(data.map((d) => d.id)).toEqual(SAMPLE_COLLECTIONS.slice(0, 2).map((c) => c.id));
    expect(data[0]).toMatchObject({ DATA_TYPE: "endpoint", display_name: "Emulator Tutorial Collection 1" });
    const page = await get(
      "transfer/v0.10/endpoint_search?filter_fulltext=&limit=1&offset=1",
      transferToken(),
    );
    expect(page.body).toMatchObject({ limit: 1, offset: 1, has_next_page: true });
    expect((await get("transfer/v0.10/endpoint_search?limit=1000", transferToken())).status).toBe(400);
  });

  it("returns one collection by id and 404 for others", async () => {
    const token = transferToken();
    expect((await get(`transfer/v0.10/endpoint/${COLLECTION}`, token)).body).toMatchObject({
      id: COLLECTION,
      high_assurance: true,
    });
    const missing = await get("transfer/v0.10/endpoint/00000000-0000-4000-8000-000000000000", token);
    expect(missing).toMatchObject({ status: 404, body: { code: "EndpointNotFound" } });
  });
});

describe("operation/endpoint/<id>/ls", () => {
  it("lists files for a live Transfer token", async () => {
    const { status, body } = await get(`${LS}?path=/~/`, transferToken());
    expect(status).toBe(200);
    expect(body).toMatchObject({ DATA_TYPE: "file_list", endpoint: COLLECTION, path: "/~/" });
    expect((body.DATA as unknown[]).length).toBeGreaterThan(0);
  });

  it("answers 401 AuthenticationFailed for missing, unknown, expired, revoked and foreign tokens", async () => {
    const expectAuthFailed = async (token: string | undefined): Promise<void> => {
      const { status, body } = await get(LS, token);
      expect(status).toBe(401);
      expect(body).toMatchObject({
        code: "AuthenticationFailed",
        message: expect.any(String),
        request_id: expect.any(String),
      });
    };
    await expectAuthFailed(undefined);
    await expectAuthFailed("nope");
    const authOnly = emu.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: "openid",
    }).access_token;
    await expectAuthFailed(authOnly);
    const revoked = transferToken();
    await fetch(new URL("v2/oauth2/token/revoke", emu.url), {
      method: "POST",
      body: new URLSearchParams({ token: revoked, client_id: SAMPLE_NATIVE_CLIENT.id }),
    });
    await expectAuthFailed(revoked);
    const expiring = transferToken();
    emu.control.advanceClock(172800);
    await expectAuthFailed(expiring);
    const malformed = await fetch(new URL(LS, emu.url), { headers: { Authorization: "Basic abc" } });
    expect(malformed.status).toBe(401);
  });

  it("answers 403 AuthorizationRequired with a GARE until the token comes from an MFA login", async () => {
    emu.control.requireMfa(COLLECTION);
    const { status, body } = await get(LS, transferToken());
    expect(status).toBe(403);
    expect(body).toMatchObject({
      code: "AuthorizationRequired",
      authorization_parameters: {
        session_message: expect.any(String),
        session_required_mfa: true,
        required_scopes: [TRANSFER],
      },
    });
    expect((await get(LS, transferToken(TRANSFER, { mfa: true }))).status).toBe(200);
    // Other collections are unaffected.
    expect(
      (await get(`transfer/v0.10/operation/endpoint/${SAMPLE_COLLECTIONS[0]?.id}/ls`, transferToken()))
        .status,
    ).toBe(200);
  });

  it("answers 403 ConsentRequired until data_access is consented under transfer:all", async () => {
    emu.control.requireDataAccess(COLLECTION);
    const token = transferToken(TRANSFER, { clientId: SAMPLE_CONFIDENTIAL_CLIENT.id });
    const { status, body } = await get(LS, token);
    const required = `${TRANSFER}[*${DATA}]`;
    expect(status).toBe(403);
    expect(body).toMatchObject({
      code: "ConsentRequired",
      required_scopes: [required],
      message: expect.any(String),
      authorization_parameters: { required_scopes: [required] },
    });
    transferToken(`${TRANSFER}[*${DATA}]`, { clientId: SAMPLE_CONFIDENTIAL_CLIENT.id });
    expect((await get(LS, token)).status).toBe(200);
    emu.control.clearRequirements(COLLECTION);
    expect((await get(LS, transferToken())).status).toBe(200);
  });

  it("puts the data_access dependency into the MFA GARE when both are required", async () => {
    emu.control.requireMfa(COLLECTION);
    emu.control.requireDataAccess(COLLECTION);
    const { body } = await get(LS, transferToken());
    expect(body).toMatchObject({
      code: "AuthorizationRequired",
      authorization_parameters: { required_scopes: [`${TRANSFER}[*${DATA}]`] },
    });
    expect(emu.control.requirements()).toEqual([
      { collectionId: COLLECTION, mfa: true, dataAccess: true, policies: [] },
    ]);
  });

  it("answers 403 AuthorizationRequired naming the policies the token's login has not satisfied", async () => {
    emu.control.requirePolicies(COLLECTION, [POLICY, OTHER_POLICY]);
    const { status, body } = await get(LS, transferToken());
    expect(status).toBe(403);
    expect(body).toMatchObject({
      code: "AuthorizationRequired",
      message: expect.stringContaining(COLLECTION),
      authorization_parameters: {
        session_message: expect.stringContaining(COLLECTION),
        session_required_policies: [POLICY, OTHER_POLICY],
        required_scopes: [TRANSFER],
      },
    });
    expect(body.authorization_parameters).not.toHaveProperty("session_required_mfa");
    const partly = await get(LS, transferToken(TRANSFER, { policies: [POLICY] }));
    expect(partly.body).toMatchObject({
      authorization_parameters: { session_required_policies: [OTHER_POLICY] },
    });
    const both = transferToken(TRANSFER, { policies: [OTHER_POLICY, POLICY, "unrelated"] });
    expect((await get(LS, both)).status).toBe(200);
    emu.control.clearRequirements(COLLECTION);
    expect((await get(LS, transferToken())).status).toBe(200);
  });

  it("checks MFA, then policies, then data_access", async () => {
    emu.control.requireDataAccess(COLLECTION);
    emu.control.requirePolicies(COLLECTION, [POLICY]);
    emu.control.requireMfa(COLLECTION);
    const gare = async (options: { mfa?: boolean; policies?: string[] }): Promise<unknown> =>
      (await get(LS, transferToken(TRANSFER, options))).body;
    expect(await gare({ policies: [POLICY] })).toMatchObject({
      authorization_parameters: { session_required_mfa: true },
    });
    expect(await gare({ mfa: true })).toMatchObject({
      code: "AuthorizationRequired",
      authorization_parameters: {
        session_required_policies: [POLICY],
        required_scopes: [`${TRANSFER}[*${DATA}]`],
      },
    });
    expect(await gare({ mfa: true, policies: [POLICY] })).toMatchObject({ code: "ConsentRequired" });
  });

  it("adds policies to a collection's requirements and validates them", () => {
    emu.control.requirePolicies(COLLECTION, [POLICY]);
    emu.control.requirePolicies(COLLECTION.toUpperCase(), [OTHER_POLICY, POLICY]);
    emu.control.requireMfa(COLLECTION);
    expect(emu.control.requirements()).toEqual([
      { collectionId: COLLECTION, mfa: true, dataAccess: false, policies: [POLICY, OTHER_POLICY] },
    ]);
    for (const bad of [[], [""], ["x".repeat(129)], [7], "policy", undefined]) {
      expect(() => emu.control.requirePolicies(COLLECTION, bad as never)).toThrow(ControlError);
    }
    expect(() => emu.control.requirePolicies("", [POLICY])).toThrow(ControlError);
    expect(() =>
      emu.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope: TRANSFER, policies: [""] }),
    ).toThrow(ControlError);
    expect(emu.control.requirePolicies(COLLECTION, ["x".repeat(128)])).toBeUndefined();
    emu.control.clearRequirements();
    expect(emu.control.requirements()).toEqual([]);
  });

  it("answers 404 for non-UUID collections and unknown Transfer paths", async () => {
    expect((await get("transfer/v0.10/operation/endpoint/not-a-uuid/ls", transferToken())).status).toBe(404);
    const unknown = await get("transfer/v0.10/no_such_thing", transferToken());
    expect(unknown).toMatchObject({ status: 404, body: { code: "ClientError.NotFound" } });
  });
});
