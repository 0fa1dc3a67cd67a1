import {
  type Emulator,
  SAMPLE_CONFIDENTIAL_CLIENT,
  SAMPLE_NATIVE_CLIENT,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rejectionOf, thrownBy } from "../../test-support/rejection-of.ts";
import { TransferClient } from "../../test-support/transfer-test-client.ts";
import { type GlobusAPIError, isGlobusAPIError } from "../errors/api-error.ts";
import { isGlobusSDKUsageError } from "../errors/usage-error.ts";
import { BasicAuthorizer } from "./basic-authorizer.ts";
import { NullAuthorizer } from "./null-authorizer.ts";
import { StaticGlobusGenericAuthorizer } from "./static-globus-generic-authorizer.ts";

const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, autoApprove: true });
});
afterAll(() => emu.close());

const transferToken = () =>
  emu.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope: TRANSFER_ALL }).access_token;

/** Introspects `token` at the emulator's Globus Auth with `authorization` as the client's credentials. */
async function introspect(authorization: string, token: string): Promise<Response> {
  return fetch(new URL("v2/oauth2/token/introspect", emu.url), {
    method: "POST",
    headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }),
  });
}

async function apiError(promise: Promise<unknown>): Promise<GlobusAPIError> {
  const error = await rejectionOf(promise);
  expect(isGlobusAPIError(error), String(error)).toBe(true);
  return error as GlobusAPIError;
}

describe("BasicAuthorizer", () => {
  it("encodes username:password as RFC 7617 does, in UTF-8", async () => {
    expect(await new BasicAuthorizer("Aladdin", "open sesame").getAuthorizationHeader()).toBe(
      "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
    );
    expect(await new BasicAuthorizer("test", "123£").getAuthorizationHeader()).toBe("Basic dGVzdDoxMjPCow==");
  });

  it("authenticates a confidential client at Globus Auth; a wrong secret is refused", async () => {
    const good = new BasicAuthorizer(SAMPLE_CONFIDENTIAL_CLIENT.id, SAMPLE_CONFIDENTIAL_CLIENT.secret);
    const answer = await introspect(await good.getAuthorizationHeader(), transferToken());
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ active: true, scope: TRANSFER_ALL });

    const wrong = new BasicAuthorizer(SAMPLE_CONFIDENTIAL_CLIENT.id, "not-the-secret");
    expect((await introspect(await wrong.getAuthorizationHeader(), transferToken())).status).toBe(401);
    expect(await wrong.handleMissingAuthorization()).toBe(false);
  });

  it("never shows the password, and refuses a username with ':'", () => {
    const authz = new BasicAuthorizer("client", "s3cret-pass");
    expect(JSON.stringify(authz)).toBe('{"type":"BasicAuthorizer","username":"client"}');
    expect(String(authz)).not.toContain("s3cret");
    expect(isGlobusSDKUsageError(thrownBy(() => new BasicAuthorizer("a:b", "c")))).toBe(true);
    expect(isGlobusSDKUsageError(thrownBy(() => new BasicAuthorizer("a", 42 as never)))).toBe(true);
  });
});

describe("NullAuthorizer", () => {
  it("sends no Authorization header: the service sees an anonymous caller, not a bad token", async () => {
    const anonymous = new TransferClient({
      baseUrl: `${emu.url}transfer/`,
      authorizer: new NullAuthorizer(),
    });
    const refused = await apiError(anonymous.endpointSearch("tutorial"));
    const badToken = new TransferClient({
      baseUrl: `${emu.url}transfer/`,
      authorizer: new StaticGlobusGenericAuthorizer("not-a-token"),
      retryLimit: 0,
    });
    const inactive = await apiError(badToken.endpointSearch("tutorial"));
    expect(refused.status).toBe(401);
    expect(inactive.status).toBe(401);
    // The emulator, like Transfer, words a missing header differently from an inactive token.
    expect(refused.message).not.toBe(inactive.message);
    expect(await new NullAuthorizer().handleMissingAuthorization()).toBe(false);
    expect(JSON.stringify(new NullAuthorizer())).toBe('{"type":"NullAuthorizer"}');
  });
});

describe("StaticGlobusGenericAuthorizer", () => {
  it("sends its fixed credential with its token type; cannot renew it", async () => {
    const authz = new StaticGlobusGenericAuthorizer(transferToken());
    const transfer = new TransferClient({ baseUrl: `${emu.url}transfer/`, authorizer: authz });
    expect((await transfer.endpointSearch("tutorial")).DATA.length).toBeGreaterThan(0);
    expect(await authz.handleMissingAuthorization()).toBe(false);
    expect(
      await new StaticGlobusGenericAuthorizer("abc", { tokenType: "Token" }).getAuthorizationHeader(),
    ).toBe("Token abc");
  });

  it("never shows the token; refuses an empty token and a token type that is not one word", () => {
    expect(JSON.stringify(new StaticGlobusGenericAuthorizer("tok-123"))).toBe(
      '{"type":"StaticGlobusGenericAuthorizer","tokenType":"Bearer"}',
    );
    expect(isGlobusSDKUsageError(thrownBy(() => new StaticGlobusGenericAuthorizer("")))).toBe(true);
    expect(
      isGlobusSDKUsageError(
        thrownBy(() => new StaticGlobusGenericAuthorizer("t", { tokenType: "Bearer x" })),
      ),
    ).toBe(true);
  });
});
