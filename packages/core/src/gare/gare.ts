import type { GlobusAuthorizationParameters } from "./globus-authorization-parameters.ts";

/**
 * A Globus Auth Requirements Error: what a resource server sends (usually with HTTP 403) when the
 * token lacks consent or the session lacks an identity, policy, domain or MFA. {@link toGare}
 * normalises every known body shape to this one.
 *
 * `code` is e.g. `ConsentRequired` or `AuthorizationRequired`; `extra` holds the body's other
 * top-level keys (`message`, `request_id`, …).
 *
 * @example
 * ```ts
 * const gare = toGare(await response.json());
 * if (gare) await app.login({ authParams: gare.authorization_parameters });
 * ```
 */
export interface GARE {
  code: string;
  authorization_parameters: GlobusAuthorizationParameters;
  extra: Record<string, unknown>;
}
