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
const GARE_KEYS = ["code", "authorization_parameters"] as const;

/**
 * The canonical wire form of authorization parameters (the Python SDK's `to_dict`): snake_case
 * keys in a fixed order, `undefined`/`null` fields left out, lists copied. With `includeExtra`,
 * the `extra` keys are written too, except those named like a known field: {@link toGare} would
 * read such a key back as that (live) parameter, so it is left out even when the field is unset.
 *
 * @throws GlobusSDKUsageError when `params` is not an object or a known field has the wrong type.
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
  const out = options.includeExtra === true ? inertExtra(params.extra, PARAM_KEYS) : {};
  for (const key of PARAM_KEYS) {
    const value: unknown = params[key];
    if (value === undefined || value === null) continue;
    // An ill-typed field would make toGare reject the canonical form and try the legacy ones,
    // which read other keys (the extra ones among them) as parameters.
    if (!hasWireType(key, value)) {
      throw new GlobusSDKUsageError(`Authorization parameter ${key} ${WIRE_TYPES[key]}.`);
    }
    out[key] = Array.isArray(value) ? [...value] : value;
  }
  return out;
}

const WIRE_TYPES: Record<(typeof PARAM_KEYS)[number], string> = {
  session_message: "must be a string",
  session_required_identities: "must be a list of strings",
  session_required_policies: "must be a list of strings",
  session_required_single_domain: "must be a list of strings",
  session_required_mfa: "must be a boolean",
  required_scopes: "must be a list of strings",
  prompt: "must be a string",
};

function hasWireType(key: (typeof PARAM_KEYS)[number], value: unknown): boolean {
  if (key === "session_required_mfa") return typeof value === "boolean";
  if (key === "session_message" || key === "prompt") return typeof value === "string";
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/**
 * The `extra` keys that cannot be mistaken for known ones. Object.fromEntries defines own
 * properties, so a `__proto__` key stays plain data.
 */
function inertExtra(extra: unknown, reserved: readonly string[]): Record<string, unknown> {
  if (typeof extra !== "object" || extra === null) return {};
  return Object.fromEntries(Object.entries(extra).filter(([key]) => !reserved.includes(key)));
}

/**
 * The canonical wire form of a {@link GARE}: `{"code", "authorization_parameters"}` (and, with
 * `includeExtra`, the top-level and parameter `extra` keys; known fields win on a clash, and an
 * extra key named like a known field is left out). Ready for `JSON.stringify`, and parsed back by
 * {@link toGare} to a GARE with the same code and parameters; `extra` never becomes a parameter.
 *
 * @throws GlobusSDKUsageError when `gare` (or its `authorization_parameters`) is not an object,
 * `code` is not a string, or a known parameter has the wrong type.
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
  // A non-string code would make toGare skip the canonical form and read the top-level extra keys
  // as one of the legacy forms (Transfer's required_scopes, Auth's unapproved_scopes).
  if (typeof gare.code !== "string") throw new GlobusSDKUsageError("A GARE's code must be a string.");
  const out = options.includeExtra === true ? inertExtra(gare.extra, GARE_KEYS) : {};
  out.code = gare.code;
  out.authorization_parameters = authorizationParametersToJSON(gare.authorization_parameters, options);
  return out;
}
