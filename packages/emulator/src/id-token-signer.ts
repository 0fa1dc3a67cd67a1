import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  sign,
} from "node:crypto";

/** A public RSA key as `jwk.json` publishes it. */
export interface PublicJwk {
  alg: "RS512";
  e: string;
  kid?: string;
  kty: "RSA";
  n: string;
  use: "sig";
}

/** The private half as stored in a state file (RFC 7517 RSA private key members). */
export interface PrivateJwk {
  kty: "RSA";
  n: string;
  e: string;
  d: string;
  p: string;
  q: string;
  dp: string;
  dq: string;
  qi: string;
}

// On globalThis rather than in module scope, so copies of this module (source and build, or test
// runners that reload modules per file) still share one key per process.
const SHARED_KEY = Symbol.for("@globus-app/emulator.sharedSigningKey");
const registry = globalThis as typeof globalThis & { [SHARED_KEY]?: Promise<KeyObject> };

/**
 * Creates a fresh 2048-bit RSA signing key (about 150 ms of CPU, off the main thread).
 */
export function createSigningKey(): Promise<KeyObject> {
  return new Promise((resolve, reject) => {
    generateKeyPair("rsa", { modulusLength: 2048 }, (error, _publicKey, privateKey) =>
      error ? reject(error) : resolve(privateKey),
    );
  });
}

/**
 * The signing key shared by every emulator in this process that neither loads one from a state
 * file nor asks for a fresh one: test suites start many emulators and RSA generation is slow.
 */
export function sharedSigningKey(): Promise<KeyObject> {
  registry[SHARED_KEY] ??= createSigningKey();
  return registry[SHARED_KEY];
}

/** Exports a private key for a state file. */
export function exportPrivateJwk(key: KeyObject): PrivateJwk {
  return key.export({ format: "jwk" }) as unknown as PrivateJwk;
}

/** Imports a private key read from a state file. */
export function importPrivateJwk(jwk: PrivateJwk): KeyObject {
  return createPrivateKey({ key: { ...jwk }, format: "jwk" });
}

/** The public JWK for `jwk.json`: members in Globus's order, `kid` only when one is configured. */
export function publicJwk(key: KeyObject, keyId?: string): PublicJwk {
  const { n, e } = createPublicKey(key).export({ format: "jwk" });
  return {
    alg: "RS512",
    e: String(e),
    ...(keyId === undefined ? {} : { kid: keyId }),
    kty: "RSA",
    n: String(n),
    use: "sig",
  };
}

const b64url = (data: string | Buffer): string => Buffer.from(data).toString("base64url");

/**
 * Signs `claims` as a compact RS512 JWT, header `{"typ":"JWT","alg":"RS512"}` like Globus (plus
 * `kid` when given).
 */
export function signRs512Jwt(key: KeyObject, claims: Record<string, unknown>, keyId?: string): string {
  const header = { typ: "JWT", alg: "RS512", ...(keyId === undefined ? {} : { kid: keyId }) };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${sign("sha512", Buffer.from(input), key).toString("base64url")}`;
}

/** OpenID Connect `at_hash` for an RS512 id_token: the left half of SHA-512(access token), base64url. */
export function accessTokenHash(accessToken: string): string {
  const digest = createHash("sha512").update(accessToken).digest();
  return digest.subarray(0, digest.length / 2).toString("base64url");
}

/**
 * A deliberately unacceptable id_token the emulator can issue instead of a good one, to test that
 * clients refuse it:
 * - `none`: header `alg: "none"` and an empty signature;
 * - `RS256`: signed with the emulator's key, but with RS256 instead of Globus's RS512;
 * - `HS512`: an HMAC keyed with the public key's modulus (the RSA/HMAC confusion attack);
 * - `no-sub`: correctly signed with RS512, without the `sub` claim.
 */
export type IdTokenForgery = "none" | "RS256" | "HS512" | "no-sub";

/** All id_token forgeries, for validation and documentation. */
export const ID_TOKEN_FORGERIES: readonly IdTokenForgery[] = ["none", "RS256", "HS512", "no-sub"];

/** Builds the id_token `forgery` describes from the claims a good one would carry. */
export function forgeIdToken(
  key: KeyObject,
  claims: Record<string, unknown>,
  forgery: IdTokenForgery,
  keyId?: string,
): string {
  if (forgery === "no-sub") {
    const { sub: _sub, ...rest } = claims;
    return signRs512Jwt(key, rest, keyId);
  }
  const alg = forgery;
  const header = { typ: "JWT", alg, ...(keyId === undefined ? {} : { kid: keyId }) };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  if (alg === "none") return `${input}.`;
  if (alg === "RS256") return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
  const secret = String(createPublicKey(key).export({ format: "jwk" }).n);
  return `${input}.${createHmac("sha512", secret).update(input).digest("base64url")}`;
}
