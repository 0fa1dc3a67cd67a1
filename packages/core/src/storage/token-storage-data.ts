import * as v from "valibot";
import { TokenStorageError } from "../errors/token-storage-error.ts";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";

/**
 * The tokens stored for one resource server. Field names are the Python SDK's (and its files'), so
 * records round-trip between the two unchanged.
 *
 * @example
 * ```ts
 * const data: TokenStorageData = {
 *   resource_server: "transfer.api.globus.org", identity_id: "…", scope: "urn:globus:auth:scope:transfer.api.globus.org:all",
 *   access_token: "…", refresh_token: null, expires_at_seconds: 1767225600, token_type: "Bearer",
 * };
 * ```
 */
export interface TokenStorageData {
  /** The resource server the token is for, e.g. `transfer.api.globus.org`. */
  resource_server: string;
  /** The identity (id_token `sub`) the token was issued to; null when unknown (client credentials). */
  identity_id: string | null;
  /** Space-separated scopes granted to the token. */
  scope: string;
  /** The access token. */
  access_token: string;
  /** The refresh token, when the login asked for offline access. */
  refresh_token: string | null;
  /** When the access token expires, in whole epoch seconds. */
  expires_at_seconds: number;
  /** Usually `"Bearer"`. */
  token_type: string | null;
  /** Keys this library does not know, kept so nothing written by another tool is lost. */
  extra?: Record<string, unknown>;
}

const KNOWN_KEYS = new Set([
  "resource_server",
  "identity_id",
  "scope",
  "access_token",
  "refresh_token",
  "expires_at_seconds",
  "token_type",
]);

const nullableString = v.nullish(v.string(), null);

const MISFILED = "'resource_server' is not the resource server it is stored under";

/**
 * A number that is not NaN or ±Infinity. A `check` rather than valibot's `finite()`: every
 * refinement the browser bundle uses is a `check`, so it carries one action instead of several.
 * @internal
 */
export const finiteNumber = v.pipe(v.number(), v.check<number>(Number.isFinite));

/** Valibot schema of one stored record (missing nullable keys read as null, as in the Python SDK). */
export const TokenStorageDataSchema = v.looseObject({
  resource_server: v.string(),
  identity_id: nullableString,
  scope: v.string(),
  access_token: v.string(),
  refresh_token: nullableString,
  expires_at_seconds: finiteNumber,
  token_type: nullableString,
});

/**
 * Validates a record read from outside (a file, a database row, IndexedDB) and returns a fresh
 * {@link TokenStorageData}, with unknown keys moved to `extra`.
 *
 * @param location - where the record was read from, for the error message.
 * @param resourceServer - the resource server the record is stored under, when the store keys it:
 *   a record for another one is refused, since its tokens would be handed out for the wrong server.
 * @throws TokenStorageError naming the location and the bad field (never a token value).
 */
export function parseTokenStorageData(
  value: unknown,
  location: string,
  resourceServer?: string,
): TokenStorageData {
  const result = v.safeParse(TokenStorageDataSchema, value);
  const problem = !result.success
    ? describeIssue(result.issues[0])
    : resourceServer !== undefined && result.output.resource_server !== resourceServer
      ? MISFILED
      : undefined;
  if (!result.success || problem) {
    throw new TokenStorageError(`Invalid token data in ${location}: ${problem}`, { location });
  }
  const { resource_server, identity_id, scope, access_token, refresh_token, expires_at_seconds, token_type } =
    result.output;
  const data: TokenStorageData = {
    resource_server,
    identity_id,
    scope,
    access_token,
    refresh_token,
    expires_at_seconds: Math.trunc(expires_at_seconds),
    token_type,
  };
  const extra = Object.entries(result.output).filter(([key]) => !KNOWN_KEYS.has(key));
  if (extra.length > 0) data.extra = Object.fromEntries(extra);
  return data;
}

/**
 * Checks records before a storage writes them: each must read back as it was stored (no NaN or
 * missing field, which JSON would turn into null or drop) and sit under its own `resource_server`.
 * Storages call it first, so a bad record never replaces a good one, nor leaves a file that every
 * later read refuses.
 *
 * @throws GlobusSDKUsageError naming the resource server and the field (never a token value).
 * @example
 * ```ts
 * assertStorableTokenData({ "transfer.api.globus.org": record }); // then write
 * ```
 */
export function assertStorableTokenData(data: Readonly<Record<string, TokenStorageData>>): void {
  for (const [resourceServer, record] of Object.entries(data)) {
    let problem: string | undefined;
    if (typeof record !== "object" || record === null) problem = "it is not a token record";
    else {
      const result = v.safeParse(TokenStorageDataSchema, tokenStorageDataToJSON(record));
      if (!result.success) problem = describeIssue(result.issues[0]);
      else if (record.resource_server !== resourceServer) problem = MISFILED;
    }
    if (problem) {
      throw new GlobusSDKUsageError(`Cannot store the tokens of '${resourceServer}': ${problem}.`);
    }
  }
}

/** `'field' must be …`: the field and what it must be, never the value found. */
function describeIssue(issue: v.BaseIssue<unknown>): string {
  return `'${issue.path?.map((p) => String(p.key)).join(".") ?? "(record)"}' ${describeExpectation(issue)}`;
}

function describeExpectation(issue: v.BaseIssue<unknown>): string {
  if (issue.input === undefined && issue.kind === "schema") return "is missing";
  if (issue.expected === "string") return "must be a string";
  if (issue.expected === "number") return "must be a number";
  if (issue.expected === "(string | null | undefined)" || issue.expected?.includes("null"))
    return "must be a string or null";
  if (issue.expected === "Object" || issue.expected === "object") return "must be an object";
  return issue.expected ? `must be ${issue.expected}` : "is invalid";
}

/**
 * The plain JSON form of a record, as the Python SDK writes it: its known keys in its order, null
 * values omitted, then any `extra` keys.
 */
export function tokenStorageDataToJSON(data: TokenStorageData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of KNOWN_KEYS) {
    const value = data[key as keyof TokenStorageData];
    // Python rejects a fractional expiry, so write whole seconds whatever a caller stored.
    if (value !== null && value !== undefined)
      out[key] = key === "expires_at_seconds" ? Math.trunc(value as number) : value;
  }
  for (const [key, value] of Object.entries(data.extra ?? {})) {
    // Own keys only, so an extra key named like an Object.prototype member (`valueOf`) is kept.
    // `__proto__` is left out: assigning it would replace the prototype, and reads drop it anyway.
    if (key !== "__proto__" && !Object.hasOwn(out, key)) out[key] = value;
  }
  return out;
}

/** A deep-enough copy of a record, so callers can never mutate what a storage holds. */
export function copyTokenStorageData(data: TokenStorageData): TokenStorageData {
  const copy: TokenStorageData = { ...data };
  if (data.extra) copy.extra = structuredClone(data.extra);
  return copy;
}
