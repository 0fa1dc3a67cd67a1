import {
  isTokenStorageError,
  parseTokenStorageData,
  type TokenStorageData,
  TokenStorageError,
} from "@globus-app/core";

/** How to recover from an unreadable record of a database storage, appended to the error. */
const HINT =
  "To recover, call app.logout({ removeUnreadable: true }), which deletes this namespace's unreadable records.";

/**
 * Parses one record kept as JSON text by a database storage (PostgreSQL, Redis), the same way the
 * SQLite storage reads its rows. The error names the store, namespace and resource server, and
 * says how to recover.
 *
 * @param location - the store's credential-free address, named in the message and kept on the error.
 * @throws TokenStorageError when the text is not JSON or not a valid record (never quoting it: it
 *   may hold a token).
 * @example
 * ```ts
 * parseStoredRecord(row.token_data_json, "auth.globus.org", "postgres://db:5432/portal#token_storage", identityId);
 * ```
 */
export function parseStoredRecord(
  json: unknown,
  resourceServer: string,
  location: string,
  namespace: string,
): TokenStorageData {
  const where = `'${location}' (namespace '${namespace}', resource server '${resourceServer}')`;
  if (typeof json !== "string") {
    throw new TokenStorageError(`Invalid token data in ${where}: the record must be text. ${HINT}`, {
      location,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new TokenStorageError(`Invalid token data in ${where}: not valid JSON. ${HINT}`, { location });
  }
  try {
    return parseTokenStorageData(value, where, resourceServer);
  } catch (error) {
    if (isTokenStorageError(error)) throw new TokenStorageError(`${error.message}. ${HINT}`, { location });
    throw error;
  }
}

/**
 * A connection URL without its user name, password and query (which may carry a password too),
 * for messages and `TokenStorageError.location`.
 */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return "<unparsable URL>";
  }
}
