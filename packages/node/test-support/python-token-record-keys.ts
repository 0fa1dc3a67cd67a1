/**
 * The keys of a token record in the Python SDK's files, in its order; the format tests compare
 * written records against it key for key.
 */
export const PYTHON_TOKEN_RECORD_KEYS: readonly string[] = [
  "resource_server",
  "identity_id",
  "scope",
  "access_token",
  "refresh_token",
  "expires_at_seconds",
  "token_type",
];
