import { getAuthUrl, resolveEnvironment } from "../config/environment.ts";

/** Options of {@link globusLogoutUrl}. */
export interface GlobusLogoutUrlOptions {
  /** The app's client id. */
  clientId: string;
  /** Where Globus Auth's logout page links back to: must be a registered redirect URI of the client. */
  redirectUri: string;
  /** The name of the link back, e.g. the portal's name. @default none (Globus Auth's own wording) */
  redirectName?: string | undefined;
  /** The Globus environment. @default `GLOBUS_SDK_ENVIRONMENT` or "production" */
  environment?: string | undefined;
  /** Globus Auth's base URL, ending in `/` (a login client's `baseUrl`); overrides `environment`. */
  authBaseUrl?: string | undefined;
}

/**
 * The address of Globus Auth's web logout page (`v2/web/logout`): sending the browser there ends
 * the person's Globus session — not only this app's tokens — so the next login asks who they are
 * again (a shared lab computer). The page shows a link back to `redirectUri` named `redirectName`.
 * Browser apps use `logout({ globusSession: true })`; servers redirect to this address.
 *
 * @throws GlobusSDKUsageError for an unknown environment.
 * @example
 * ```ts
 * const location = globusLogoutUrl({ clientId, redirectUri: "https://portal.example.org/", redirectName: "My portal" });
 * return Response.redirect(location, 303);
 * ```
 */
export function globusLogoutUrl(options: GlobusLogoutUrlOptions): string {
  const base = options.authBaseUrl ?? getAuthUrl(resolveEnvironment(options.environment));
  const query = new URLSearchParams({ client_id: options.clientId, redirect_uri: options.redirectUri });
  if (options.redirectName !== undefined) query.set("redirect_name", options.redirectName);
  return `${base}v2/web/logout?${query}`;
}
