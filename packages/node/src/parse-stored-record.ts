import {
  isTokenStorageError,
  parseTokenStorageData,
  type TokenStorageData,
  TokenStorageError,
} from "@globus-app/core";

/**
 * Parses one record kept as JSON text by a database storage (PostgreSQL, Redis), the same way the
 * SQLite storage reads its rows.
 *
 * @param where - names the store, namespace and resource server in the error message.
 * @param location - the store's credential-free address, kept on the error.
 * @param hint - how to recover, appended to the message.
 * @throws TokenStorageError when the text is not JSON or not a valid record (never quoting it: it
 *   may hold a token).
 */
export function parseStoredRecord(
  json: unknown,
  resourceServer: string,
  where: string,
  location: string,
  hint: string,
): TokenStorageData {
  if (typeof json !== "string") {
    throw new TokenStorageError(`Invalid token data in ${where}: the record must be text. ${hint}`, {
      location,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new TokenStorageError(`Invalid token data in ${where}: not valid JSON. ${hint}`, { location });
  }
  try {
    return parseTokenStorageData(value, where, resourceServer);
  } catch (error) {
    if (isTokenStorageError(error)) throw new TokenStorageError(`${error.message}. ${hint}`, { location });
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
