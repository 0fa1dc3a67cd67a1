// The body of `GlobusApp.logout`, in the login chunk: a logout revokes tokens, which needs that
// chunk anyway, so a signed-in page load does not carry it.
import type { AuthLoginClient } from "../auth/auth-login-client.ts";
import { GlobusError } from "../errors/globus-error.ts";
import { isTokenStorageError } from "../errors/token-storage-error.ts";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { TokenStorage } from "../storage/token-storage.ts";
import type { GlobusAppConfig, LogoutOptions } from "./globus-app-contracts.ts";

/** What {@link runLogout} needs of the app. @internal */
export interface LogoutContext {
  readonly appName: string;
  readonly clientId: string;
  readonly config: GlobusAppConfig;
  readonly loginClient: AuthLoginClient;
  /** The storage under the validators: logout reads what is stored, valid or not. */
  readonly storage: TokenStorage;
  /** Whether a resource server is one of the app's requirements. */
  isRequired(resourceServer: string): boolean;
  /** Clears the app's caches, identity and user, and emits the logout events. */
  forget(resourceServers: string[]): Promise<void>;
}

/**
 * Revokes and removes the tokens `GlobusApp.logout` covers, lets the app forget them, then leaves
 * for Globus Auth's web logout when asked. See `GlobusApp.logout` for the behaviour.
 * @internal
 */
export async function runLogout(options: LogoutOptions, app: LogoutContext): Promise<void> {
  const page = (globalThis as { location?: Location }).location;
  let leave: string | undefined;
  if (options.globusSession) {
    if (!page) {
      throw new GlobusSDKUsageError(
        "globusSession needs a browser page; servers redirect to globusLogoutUrl().",
      );
    }
    // What globusLogoutUrl builds, inline: importing it would pull the environment table along.
    leave = `${app.loginClient.baseUrl}v2/web/logout?${new URLSearchParams({
      client_id: app.clientId,
      redirect_uri: options.redirectTo ?? app.config.loginRedirectUri ?? page.origin + page.pathname,
      redirect_name: app.appName,
    })}`;
  }
  const inner = app.storage;
  let stored: Awaited<ReturnType<TokenStorage["getTokenDataByResourceServer"]>>;
  try {
    stored = await inner.getTokenDataByResourceServer();
  } catch (error) {
    if (!options.removeUnreadable || !isTokenStorageError(error) || !inner.removeUnreadable) throw error;
    await inner.removeUnreadable();
    stored = await inner.getTokenDataByResourceServer();
  }
  const targets = Object.values(stored).filter(
    (record) => options.sweep || app.isRequired(record.resource_server),
  );
  const failures: unknown[] = [];
  for (const record of targets) {
    for (const token of [record.access_token, record.refresh_token]) {
      if (!token) continue;
      try {
        await app.loginClient.revokeToken(token);
      } catch (error) {
        failures.push(error);
      }
    }
    await inner.removeTokenData(record.resource_server);
  }
  await app.forget(targets.map((record) => record.resource_server));
  // Last: leaving the page ends this script, so local cleanup and events come first.
  if (leave) page?.assign(leave);
  if (failures.length > 0) {
    throw new GlobusError(
      `Logged out locally, but ${failures.length} token revocation(s) failed; the tokens may stay valid until they expire.`,
      "API_ERROR",
      { cause: failures[0] },
    );
  }
}
