import { createHmac, createPublicKey, verify } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlError } from "./emulator-control.ts";
import { SAMPLE_NATIVE_CLIENT } from "./sample-data.ts";
import { type Emulator, startEmulator } from "./start-emulator.ts";

const TRANSFER = "urn:globus:auth:scope:transfer.api.globus.org:all";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.close());

/**
 * Refreshes a freshly minted openid token (forging the refresh's id_token when asked: minting issues
 * an id_token too); returns the id_token of the answer.
 */
async function refreshedIdToken(
  forgery?: Parameters<Emulator["control"]["forgeNextIdToken"]>[0],
): Promise<string> {
  const minted = emu.control.issueTokens({
    clientId: SAMPLE_NATIVE_CLIENT.id,
    scope: `openid ${TRANSFER}`,
    refreshTokens: true,
  });
  if (forgery !== undefined) emu.control.forgeNextIdToken(forgery);
  const response = await fetch(new URL("v2/oauth2/token", emu.url), {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: minted.refresh_token ?? "",
      client_id: SAMPLE_NATIVE_CLIENT.id,
    }),
  });
  expect(response.status).toBe(200);
  return String(((await response.json()) as { id_token?: string }).id_token);
}

function parts(jwt: string) {
  const [header = "", payload = "", signature = ""] = jwt.split(".");
  const decode = (part: string) =>
    JSON.parse(Buffer.from(part, "base64url").toString()) as Record<string, unknown>;
  return { header: decode(header), claims: decode(payload), input: `${header}.${payload}`, signature };
}

async function jwk() {
  const body = (await (await fetch(new URL("jwk.json", emu.url))).json()) as { keys: object[] };
  return createPublicKey({ key: body.keys[0] as never, format: "jwk" });
}

describe("forged id_tokens (control forgeNextIdToken)", () => {
  it("issues alg none with an empty signature, once", async () => {
    const forged = parts(await refreshedIdToken("none"));
    expect(forged.header.alg).toBe("none");
    expect(forged.signature).toBe("");
    expect(forged.claims.sub).toBeTypeOf("string");
    expect(parts(await refreshedIdToken()).header.alg).toBe("RS512");
  });

  it("issues RS256 signed with the published key", async () => {
    const forged = parts(await refreshedIdToken("RS256"));
    expect(forged.header.alg).toBe("RS256");
    const valid = verify(
      "sha256",
      Buffer.from(forged.input),
      await jwk(),
      Buffer.from(forged.signature, "base64url"),
    );
    expect(valid).toBe(true);
  });

  it("issues HS512 keyed with the public modulus", async () => {
    const forged = parts(await refreshedIdToken("HS512"));
    expect(forged.header.alg).toBe("HS512");
    const n = String((await jwk()).export({ format: "jwk" }).n);
    expect(forged.signature).toBe(createHmac("sha512", n).update(forged.input).digest("base64url"));
  });

  it("issues a correctly signed RS512 token without sub", async () => {
    const forged = parts(await refreshedIdToken("no-sub"));
    expect(forged.header.alg).toBe("RS512");
    expect(forged.claims).not.toHaveProperty("sub");
    expect(forged.claims.aud).toBe(SAMPLE_NATIVE_CLIENT.id);
    const valid = verify(
      "sha512",
      Buffer.from(forged.input),
      await jwk(),
      Buffer.from(forged.signature, "base64url"),
    );
    expect(valid).toBe(true);
  });

  it("cancels with undefined and refuses unknown forgeries", async () => {
    emu.control.forgeNextIdToken("none");
    emu.control.forgeNextIdToken(undefined);
    expect(parts(await refreshedIdToken()).header.alg).toBe("RS512");
    // Minting issues an id_token too, and takes a pending forgery.
    emu.control.forgeNextIdToken("none");
    const minted = emu.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope: "openid" });
    expect(parts(String(minted.id_token)).header.alg).toBe("none");
    expect(() => emu.control.forgeNextIdToken("HS256" as never)).toThrow(ControlError);
  });
});
