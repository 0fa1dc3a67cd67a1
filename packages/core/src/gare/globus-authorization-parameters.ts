/**
 * Parameters that steer a Globus Auth login: the session a resource server requires (identities,
 * policies, domains, MFA), scopes needing consent, and the OIDC `prompt`. Wire (snake_case) names,
 * so a GARE's `authorization_parameters` round-trips unchanged. Every field is optional; `extra`
 * keeps keys this library does not know (forward compatibility), and is never sent to Auth.
 *
 * @example
 * ```ts
 * const params: GlobusAuthorizationParameters = {
 *   session_required_single_domain: ["uchicago.edu"],
 *   session_message: "Log in with your university identity",
 *   prompt: "login",
 * };
 * await app.login({ authParams: params });
 * ```
 */
export interface GlobusAuthorizationParameters {
  /** A message Globus Auth shows the person during login. */
  session_message?: string | undefined;
  /** Identity ids (or usernames) that must be in the session. */
  session_required_identities?: readonly string[] | undefined;
  /** Ids of authentication policies the session must satisfy. */
  session_required_policies?: readonly string[] | undefined;
  /** Domains one of which an identity in the session must belong to. */
  session_required_single_domain?: readonly string[] | undefined;
  /** Whether the session needs multi-factor authentication. */
  session_required_mfa?: boolean | undefined;
  /** Scopes for which consent is needed (scope strings, possibly with dependencies). */
  required_scopes?: readonly string[] | undefined;
  /** OIDC `prompt`; Globus Auth supports `login` and `none`. */
  prompt?: string | undefined;
  /** Unknown keys found when parsing, kept verbatim. */
  extra?: Record<string, unknown> | undefined;
}

/** The known keys of {@link GlobusAuthorizationParameters}, in the wire (Python `to_dict`) order. */
export const AUTHORIZATION_PARAMETER_KEYS = [
  "session_message",
  "session_required_identities",
  "session_required_policies",
  "session_required_single_domain",
  "session_required_mfa",
  "required_scopes",
  "prompt",
] as const;
