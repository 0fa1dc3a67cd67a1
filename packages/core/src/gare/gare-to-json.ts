import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { GARE } from "./gare.ts";
import {
  AUTHORIZATION_PARAMETER_KEYS,
  type GlobusAuthorizationParameters,
} from "./globus-authorization-parameters.ts";

/** Options of {@link gareToJSON} and {@link authorizationParametersToJSON}. */
export interface GareToJSONOptions {
  /** Also write the `extra` keys (at the level where they were found). Default `false`. */
  includeExtra?: boolean;
}

const PARAM_KEYS = AUTHORIZATION_PARAMETER_KEYS;

/**
 * The canonical wire form of authorization parameters (the Python SDK's `to_dict`): snake_case
 * keys in a fixed order, `undefined`/`null` fields left out, lists copied. With `includeExtra`,
 * the `extra` keys are written too (known fields win on a clash).
 *
 * @example
 * ```ts
 * authorizationParametersToJSON({ session_required_mfa: true, session_message: undefined });
 * // { session_required_mfa: true }
 * ```
 */
export function authorizationParametersToJSON(
  params: GlobusAuthorizationParameters,
  options: GareToJSONOptions = {},
): Record<string, unknown> {
  if (typeof params !== "object" || params === null) {
    throw new GlobusSDKUsageError("Authorization parameters must be an object.");
  }
  const out: Record<string, unknown> =
    options.includeExtra === true && params.extra ? Object.fromEntries(Object.entries(params.extra)) : {};
  for (const key of PARAM_KEYS) {
    const value: unknown = params[key];
    if (value !== undefined && value !== null) out[key] = Array.isArray(value) ? [...value] : value;
  }
  return out;
}

/**
 * The canonical wire form of a {@link GARE}: `{"code", "authorization_parameters"}` (and, with
 * `includeExtra`, the top-level and parameter `extra` keys; known fields win on a clash). Ready
 * for `JSON.stringify`, and parsed back by {@link toGare} to an equal GARE.
 *
 * @throws GlobusSDKUsageError when `gare` (or its `authorization_parameters`) is not an object.
 * @example
 * ```ts
 * gareToJSON(toGare(transferBody)!);
 * // { code: "ConsentRequired", authorization_parameters: { session_message: "…", required_scopes: ["…"] } }
 * ```
 */
export function gareToJSON(gare: GARE, options: GareToJSONOptions = {}): Record<string, unknown> {
  if (typeof gare !== "object" || gare === null) {
    throw new GlobusSDKUsageError("gareToJSON takes a GARE (see toGare).");
  }
  const out: Record<string, unknown> =
    options.includeExtra === true ? Object.fromEntries(Object.entries(gare.extra ?? {})) : {};
  out.code = gare.code;
  out.authorization_parameters = authorizationParametersToJSON(gare.authorization_parameters, options);
  return out;
}
