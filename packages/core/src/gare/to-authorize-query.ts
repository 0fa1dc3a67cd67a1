import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { GlobusAuthorizationParameters } from "./globus-authorization-parameters.ts";

const LIST_KEYS = [
  "session_required_identities",
  "session_required_single_domain",
  "session_required_policies",
] as const;

/**
 * Turns authorization parameters into the session-related query parameters of Globus Auth's
 * authorize URL, in the Python SDK's order: `session_required_identities`,
 * `session_required_single_domain`, `session_required_policies` (comma-joined; empty lists left
 * out), `session_required_mfa` (`"true"`/`"false"`), `session_message`, `prompt`. Unset fields are
 * left out. `required_scopes` is not included (it becomes the `scope` parameter) and neither is
 * `extra`.
 *
 * @throws GlobusSDKUsageError when a list parameter is not a list of strings.
 * @example
 * ```ts
 * toAuthorizeQuery({ session_required_identities: ["a@uchicago.edu", "b@anl.gov"], session_required_mfa: true });
 * // { session_required_identities: "a@uchicago.edu,b@anl.gov", session_required_mfa: "true" }
 * ```
 */
export function toAuthorizeQuery(params: GlobusAuthorizationParameters): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of LIST_KEYS) {
    const list: unknown = params[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list) || !list.every((item) => typeof item === "string")) {
      throw new GlobusSDKUsageError(`Authorization parameter ${key} must be a list of strings.`);
    }
    if (list.length > 0) query[key] = list.join(",");
  }
  if (typeof params.session_required_mfa === "boolean") {
    query.session_required_mfa = params.session_required_mfa ? "true" : "false";
  }
  if (typeof params.session_message === "string") query.session_message = params.session_message;
  if (typeof params.prompt === "string") query.prompt = params.prompt;
  return query;
}
