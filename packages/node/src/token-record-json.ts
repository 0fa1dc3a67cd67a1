import { type TokenStorageData, tokenStorageDataToJSON } from "@globus-app/core";

/**
 * The JSON object stored for one record, as the Python SDK writes it (known keys in its order, null
 * values omitted, extra keys kept). `expires_at_seconds` is written as a whole number because the
 * Python SDK refuses a record whose expiry is not an int.
 */
export function tokenRecordToJSON(data: TokenStorageData): Record<string, unknown> {
  const json = tokenStorageDataToJSON(data);
  json.expires_at_seconds = Math.trunc(data.expires_at_seconds);
  return json;
}
