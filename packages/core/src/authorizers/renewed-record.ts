import { GlobusError } from "../errors/globus-error.ts";
import type { TokenResponse } from "../storage/token-response.ts";
import type { TokenStorageData } from "../storage/token-storage-data.ts";

/**
 * The one record a token renewal must return, checked: exactly one resource server's token, and the
 * expected one when the authorizer knows it (storing another would replace that server's tokens).
 * Login-chunk code: a renewal has just loaded it.
 *
 * @param requestedScopes - the scopes the renewal asked for, when known: named in the error.
 * @throws {GlobusError} the response holds zero or several tokens (the message names the scopes
 *   asked for and those returned), or another resource server's.
 * @internal
 */
export function renewedRecord(
  response: TokenResponse,
  resourceServer: string | undefined,
  requestedScopes?: string,
): TokenStorageData {
  const records = Object.values(response.byResourceServer);
  if (records.length !== 1) {
    const asked = requestedScopes === undefined ? "" : ` for scopes "${requestedScopes}"`;
    const got = records.map((record) => `${record.resource_server}: "${record.scope}"`).join(", ");
    throw new GlobusError(
      `A token renewal${asked} returned ${records.length} tokens instead of exactly one${got ? ` (${got})` : ""}; the requested scopes must belong to one resource server.`,
    );
  }
  const record = records[0] as TokenStorageData;
  if (resourceServer !== undefined && record.resource_server !== resourceServer) {
    throw new GlobusError(
      `A token renewal for ${resourceServer} returned a token for ${record.resource_server}; it was not used or stored.`,
    );
  }
  return record;
}
