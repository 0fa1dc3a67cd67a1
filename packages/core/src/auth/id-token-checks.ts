import { GlobusError, safeCause } from "../errors/globus-error.ts";
import { isGlobusError } from "../errors/is-globus-error.ts";
import type { IdTokenClaims, IdTokenDecoder } from "./id-token-decoder.ts";

/**
 * Runs an app's own id_token decoder, so that what it throws or returns fails like the built-in
 * check: a typed `ID_TOKEN_INVALID` error, and never claims without a subject.
 */
export async function decodeIdToken(decoder: IdTokenDecoder, idToken: string): Promise<IdTokenClaims> {
  let claims: unknown;
  try {
    claims = await decoder.decode(idToken);
  } catch (error) {
    if (isGlobusError(error)) throw error;
    throw new GlobusError("The idTokenDecoder could not decode the id_token.", "ID_TOKEN_INVALID", {
      cause: safeCause(error),
    });
  }
  if (typeof claims !== "object" || claims === null || typeof (claims as IdTokenClaims).sub !== "string") {
    throw new GlobusError(
      "The idTokenDecoder returned no claims with a subject ('sub').",
      "ID_TOKEN_INVALID",
    );
  }
  return claims as IdTokenClaims;
}

/** Decodes one base64url segment of a JWT as JSON; undefined when it is not. */
function jwtSegment(segment: string | undefined): Record<string, unknown> | undefined {
  try {
    const binary = atob((segment ?? "").replace(/-/g, "+").replace(/_/g, "/"));
    const value: unknown = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))),
    );
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Refuses, as `ID_TOKEN_INVALID`, an id_token that is not a JWS signed the way Globus signs (RS512;
 * never `none`, HMAC or another algorithm) or whose claims have no subject. The signature, issuer,
 * audience and times are checked afterwards by oauth4webapi.
 */
export function assertIdTokenShape(idToken: string): void {
  const segments = idToken.split(".");
  const header = jwtSegment(segments[0]);
  const claims = jwtSegment(segments[1]);
  if (segments.length !== 3 || !header || !claims) {
    throw new GlobusError("The id_token is not a signed JWT.", "ID_TOKEN_INVALID");
  }
  if (header.alg !== "RS512") {
    const alg =
      typeof header.alg === "string" ? header.alg.replace(/[^\w.-]/g, "").slice(0, 20) : typeof header.alg;
    throw new GlobusError(
      `The id_token is signed with '${alg}'; Globus Auth signs id_tokens with RS512 only.`,
      "ID_TOKEN_INVALID",
    );
  }
  if (typeof claims.sub !== "string" || claims.sub === "") {
    throw new GlobusError("The id_token has no subject ('sub').", "ID_TOKEN_INVALID");
  }
}
