import { GlobusError } from "../errors/globus-error.ts";
import type { TokenResponse } from "../storage/token-response.ts";
import type { TokenStorageData } from "../storage/token-storage-data.ts";

/**
 * The one record a token renewal must return, checked: exactly one resource server's token, and the
 * expected one when the authorizer knows it (storing another would replace that server's tokens).
 * Login-chunk code: a renewal has just loaded it.
 *
 * @throws {GlobusError} the response holds zero or several tokens, or another resource server's.
 * @internal
 */
export function renewedRecord(response: TokenResponse, resourceServer: string | undefined): TokenStorageData {
  const records = Object.values(response.byResourceServer);
  if (records.length !== 1) {
    throw new GlobusError(
      `A token renewal returned ${records.length} tokens instead of exactly one; the requested scopes must belong to one resource server.`,
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
