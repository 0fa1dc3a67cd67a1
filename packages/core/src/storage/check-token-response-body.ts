import type { GlobusTokenResponseBody } from "./token-response.ts";

/** What {@link checkTokenResponseBody} found: the accepted body, or where the first fault is. */
export type TokenResponseBodyCheck =
  | { readonly body: GlobusTokenResponseBody }
  | { readonly invalid: string };

type Check = (value: unknown) => boolean;

const isString: Check = (value) => typeof value === "string";
const isNullishString: Check = (value) => value == null || typeof value === "string";

// The fields of one token, in GlobusTokenSchema's order: the first fault reported is the one
// valibot would report first.
const TOKEN_FIELDS: ReadonlyArray<readonly [string, Check]> = [
  ["access_token", isString],
  ["scope", isString],
  // valibot's number() refuses NaN; the schema's check then refuses ±Infinity.
  ["expires_in", (value) => typeof value === "number" && Number.isFinite(value)],
  ["token_type", isNullishString],
  // Records are keyed by it: an empty name or `__proto__` could not be stored as a key.
  ["resource_server", (value) => typeof value === "string" && value !== "" && value !== "__proto__"],
  ["refresh_token", isNullishString],
  ["id_token", isNullishString],
  ["state", isNullishString],
];

/** The path of the first bad field of one token object (`prefix` names where it sits), if any. */
function tokenFault(token: unknown, prefix: string): string | undefined {
  // valibot's object schemas take arrays too (their keys are then simply missing).
  if (typeof token !== "object" || token === null) return prefix || "body";
  for (const [key, check] of TOKEN_FIELDS) {
    if (!check((token as Record<string, unknown>)[key])) return prefix + key;
  }
  return undefined;
}

/**
 * Checks a Globus Auth token response body (top-level token plus `other_tokens`, one token per
 * resource server) by hand, accepting exactly what `GlobusTokenResponseSchema` accepts (a property
 * test holds them equal) and naming the same first fault, so that the login chunk does not carry
 * valibot for one check. The accepted body keeps its unknown keys; `other_tokens` defaults to `[]`.
 *
 * @example
 * ```ts
 * const checked = checkTokenResponseBody(await response.json());
 * if ("invalid" in checked) throw new Error(`'${checked.invalid}' is invalid`);
 * ```
 * @internal
 */
export function checkTokenResponseBody(value: unknown): TokenResponseBodyCheck {
  const top = tokenFault(value, "");
  if (top !== undefined) return { invalid: top };
  const record = value as Record<string, unknown>;
  const others = record.other_tokens === undefined ? [] : record.other_tokens;
  if (!Array.isArray(others)) return { invalid: "other_tokens" };
  for (let i = 0; i < others.length; i++) {
    const fault = tokenFault(others[i], `other_tokens.${i}.`);
    if (fault !== undefined) return { invalid: fault.endsWith(".") ? fault.slice(0, -1) : fault };
  }
  const tokens = [record, ...others] as Array<{ resource_server: string }>;
  // A second token for the same server would silently replace the first one's record.
  if (new Set(tokens.map((token) => token.resource_server)).size !== tokens.length)
    return { invalid: "body" };
  return { body: { ...record, other_tokens: others } as GlobusTokenResponseBody };
}
