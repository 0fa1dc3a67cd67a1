import { AuthLoginClient, type AuthLoginClientOptions } from "./auth-login-client.ts";

/**
 * The login client of a native app (a script, a CLI, a single-page app): no secret, PKCE on every
 * login, `client_id` sent in token requests.
 *
 * @example
 * ```ts
 * const client = new NativeAppAuthClient({ clientId: "…" });
 * const app = new UserApp("my-app", { loginClient: client });
 * ```
 */
export class NativeAppAuthClient extends AuthLoginClient {
  readonly isConfidential = false;
  constructor(options: AuthLoginClientOptions) {
    super(options);
  }
}
