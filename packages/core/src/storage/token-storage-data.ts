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

const MISFILED = "'resource_server' is not the resource server it is stored under";

// Checked by hand rather than with valibot: these checks run on every page load (the stored record
// is read before any header is produced), where valibot would cost ~1.9 KB gzip. They accept and
// refuse exactly what `TokenStorageDataSchema` (token-storage-data-schema.ts, kept for Node and for
// callers) does, with the same messages; a property test holds the two equal.
const REQUIRED_STRINGS = new Set(["resource_server", "scope", "access_token"]);

/** Keys valibot's loose objects never copy: they could replace a prototype. */
const UNSAFE_KEYS = new Set(["__proto__", "prototype", "constructor"]);

/**
 * The first problem of a stored record, as `'field' must be …` (never the value found), or the
 * checked record with missing nullable keys read as null (as in the Python SDK) and unknown own keys
 * after the known ones.
 */
function checkRecord(value: unknown): { problem: string } | { record: Record<string, unknown> } {
  if (value === undefined) return { problem: "'(record)' is missing" };
  if (typeof value !== "object" || value === null) return { problem: "'(record)' must be an object" };
  const input = value as Record<string, unknown>;
  const record: Record<string, unknown> = {};
  for (const key of KNOWN_KEYS) {
    // `in` rather than own keys, as valibot reads them.
    const field = key in input ? input[key] : undefined;
    let problem: string | undefined;
    if (key === "expires_at_seconds") {
      if (field === undefined) problem = "is missing";
      else if (typeof field !== "number" || Number.isNaN(field)) problem = "must be a number";
      else if (!Number.isFinite(field)) problem = "is invalid";
    } else if (REQUIRED_STRINGS.has(key) && field === undefined) problem = "is missing";
    else if (typeof field !== "string" && !(field == null && !REQUIRED_STRINGS.has(key))) {
      problem = "must be a string";
    }
    if (problem) return { problem: `'${key}' ${problem}` };
    record[key] = field ?? null;
  }
  for (const key of Object.keys(input)) {
    if (!KNOWN_KEYS.has(key) && !UNSAFE_KEYS.has(key)) record[key] = input[key];
  }
  return { record };
}

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
  const result = checkRecord(value);
  const problem =
    "problem" in result
      ? result.problem
      : resourceServer !== undefined && result.record.resource_server !== resourceServer
        ? MISFILED
        : undefined;
  if ("problem" in result || problem) {
    throw new TokenStorageError(`Invalid token data in ${location}: ${problem}`, { location });
  }
  const output = result.record as unknown as TokenStorageData & Record<string, unknown>;
  const data: TokenStorageData = {
    resource_server: output.resource_server,
    identity_id: output.identity_id,
    scope: output.scope,
    access_token: output.access_token,
    refresh_token: output.refresh_token,
    expires_at_seconds: Math.trunc(output.expires_at_seconds),
    token_type: output.token_type,
  };
  const extra = Object.entries(output).filter(([key]) => !KNOWN_KEYS.has(key));
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
      const result = checkRecord(tokenStorageDataToJSON(record));
      if ("problem" in result) problem = result.problem;
      else if (record.resource_server !== resourceServer) problem = MISFILED;
    }
    if (problem) {
      throw new GlobusSDKUsageError(`Cannot store the tokens of '${resourceServer}': ${problem}.`);
    }
  }
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
    // Known keys are the record's own, also when null (omitted): a null refresh_token or identity_id
    // must not come back from `extra`. An extra key named like an Object.prototype member (`valueOf`)
    // is kept. `__proto__` is left out: assigning it would replace the prototype, and reads drop it.
    if (key !== "__proto__" && !KNOWN_KEYS.has(key)) out[key] = value;
  }
  return out;
}

/** A deep-enough copy of a record, so callers can never mutate what a storage holds. */
export function copyTokenStorageData(data: TokenStorageData): TokenStorageData {
  const copy: TokenStorageData = { ...data };
  if (data.extra) copy.extra = structuredClone(data.extra);
  return copy;
}
