import * as v from "valibot";

/**
 * A number that is not NaN or ±Infinity. A `check` rather than valibot's `finite()`: every
 * refinement the login chunk uses is a `check`, so it carries one action instead of several.
 * @internal
 */
export const finiteNumber = v.pipe(v.number(), v.check<number>(Number.isFinite));

const nullableString = v.nullish(v.string(), null);

/**
 * Valibot schema of one stored record (missing nullable keys read as null, as in the Python SDK).
 * `parseTokenStorageData` checks records by hand, accepting exactly what this schema accepts (a
 * property test holds them equal); the schema is for callers who compose it into their own.
 */
export const TokenStorageDataSchema = v.looseObject({
  resource_server: v.string(),
  identity_id: nullableString,
  scope: v.string(),
  access_token: v.string(),
  refresh_token: nullableString,
  expires_at_seconds: finiteNumber,
  token_type: nullableString,
});
