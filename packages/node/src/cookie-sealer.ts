import { GlobusSDKUsageError } from "@globus-app/core";
import { SessionCookieError } from "./server-session-errors.ts";

/** Fewer characters than this cannot carry 256 bits, even as random base64. */
const MIN_SECRET_LENGTH = 32;
const encoder = new TextEncoder();

interface SealingKey {
  readonly kid: string;
  readonly key: Uint8Array;
}

type Jose = typeof import("jose");
let jose: Promise<Jose> | undefined;

// Loaded on first use: a script that imports @globus-app/node for its file storages never parses it.
function loadJose(): Promise<Jose> {
  jose ??= import("jose");
  return jose;
}

/** HKDF-SHA256 (WebCrypto) of a secret, for one use named by `info`. */
async function hkdf(secret: string, info: string, bytes: number): Promise<Uint8Array> {
  const material = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: encoder.encode("globus-app cookie sealer"),
      info: encoder.encode(info),
    },
    material,
    bytes * 8,
  );
  return new Uint8Array(bits);
}

/**
 * Seals small records into cookie values and opens them again: JWE (`dir`, `A256GCM`) made by
 * jose, so a value can be neither read nor changed without a key. Keys come from secrets by
 * HKDF-SHA256; the first secret seals, every one opens (key rotation: put the new secret first,
 * drop the old one once its cookies have expired). Each value names its key by an id derived
 * separately from the secret, and carries a purpose (`aud`) and an expiry (`exp`).
 */
export class CookieSealer {
  readonly #keys: Promise<SealingKey[]>;

  /** @throws GlobusSDKUsageError when `secrets` is empty or a secret is shorter than 32 characters. */
  constructor(secrets: readonly string[]) {
    if (!Array.isArray(secrets) || secrets.length === 0) {
      throw new GlobusSDKUsageError("session.secrets needs at least one secret (the first one seals).");
    }
    for (const secret of secrets) {
      if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) {
        throw new GlobusSDKUsageError(
          `Each of session.secrets must be a random string of at least ${MIN_SECRET_LENGTH} characters.`,
        );
      }
    }
    this.#keys = Promise.all(
      secrets.map(async (secret) => ({
        kid: (await loadJose()).base64url.encode(await hkdf(secret, "key id", 9)),
        key: await hkdf(secret, "A256GCM key", 32),
      })),
    );
    // Derivation cannot fail for valid strings; a rejection would surface on first use anyway.
    this.#keys.catch(() => undefined);
  }

  /** Seals `claims` for `purpose`, valid for `maxAgeSeconds`. */
  async seal(claims: Record<string, unknown>, purpose: string, maxAgeSeconds: number): Promise<string> {
    const [{ EncryptJWT }, keys] = await Promise.all([loadJose(), this.#keys]);
    const newest = keys[0] as SealingKey;
    return new EncryptJWT(claims)
      .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid: newest.kid })
      .setAudience(purpose)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + maxAgeSeconds)
      .encrypt(newest.key);
  }

  /**
   * Opens a value sealed for `purpose`. Resolves to null when it has merely expired.
   *
   * @throws SessionCookieError when it was changed, sealed with an unknown (retired) key, or for
   *   another purpose.
   */
  async open(value: string, purpose: string): Promise<Record<string, unknown> | null> {
    const [{ jwtDecrypt, errors }, keys] = await Promise.all([loadJose(), this.#keys]);
    try {
      const { payload } = await jwtDecrypt(
        value,
        (header) => {
          const found = keys.find((k) => k.kid === header.kid);
          if (!found) throw new SessionCookieError();
          return found.key;
        },
        { audience: purpose, keyManagementAlgorithms: ["dir"], contentEncryptionAlgorithms: ["A256GCM"] },
      );
      return payload as Record<string, unknown>;
    } catch (error) {
      if (error instanceof errors.JWTExpired) return null;
      // jose's messages say which check failed, never the content; the cause keeps them for debugging.
      throw error instanceof SessionCookieError ? error : new SessionCookieError(undefined, { cause: error });
    }
  }
}
