import type { GARE } from "./gare.ts";
import {
  AUTHORIZATION_PARAMETER_KEYS,
  type GlobusAuthorizationParameters,
} from "./globus-authorization-parameters.ts";

/** A value as Python's `repr` writes it: 'text', ['a', 'b'], True/False, None. */
function pythonRepr(value: unknown): string {
  if (value === undefined || value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  const text = String(value);
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text
    .replace(/\\/g, "\\\\")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t")
    .replaceAll(quote, `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}

/**
 * A readable one-line form of authorization parameters, as the Python SDK's `repr` writes it:
 * every known field (`None` when absent), then `extra=...` when there are extra fields (not their
 * values).
 *
 * @example
 * ```ts
 * formatAuthorizationParameters({ session_required_mfa: true });
 * // "GlobusAuthorizationParameters(session_message=None, …, session_required_mfa=True, required_scopes=None, prompt=None)"
 * ```
 */
export function formatAuthorizationParameters(params: GlobusAuthorizationParameters): string {
  const fields = AUTHORIZATION_PARAMETER_KEYS.map((key) => `${key}=${pythonRepr(params[key])}`);
  const extra = params.extra && Object.keys(params.extra).length > 0 ? ", extra=..." : "";
  return `GlobusAuthorizationParameters(${fields.join(", ")}${extra})`;
}

/**
 * A readable one-line form of a GARE, for logs and error reports, as the Python SDK's `repr` writes
 * it: `GARE(code='ConsentRequired', authorization_parameters=GlobusAuthorizationParameters(…))`.
 * A GARE carries no token; extra fields are marked `extra=...`, never shown.
 *
 * @example
 * ```ts
 * const gare = toGare(error.body);
 * if (gare) logger.warn(`Globus asks for more: ${formatGare(gare)}`);
 * ```
 */
export function formatGare(gare: GARE): string {
  const extra = Object.keys(gare.extra ?? {}).length > 0 ? ", extra=..." : "";
  return `GARE(code=${pythonRepr(gare.code)}, authorization_parameters=${formatAuthorizationParameters(gare.authorization_parameters)}${extra})`;
}
