import { ClientApp as CoreClientApp, type GlobusAppOptions, type GlobusAppPlatform } from "@globus-app/core";
import { type NodeTokenStorageName, nodePlatform } from "./node-platform.ts";

/**
 * A GlobusApp for a service account (client credentials), with Node's storage names: the default
 * `"json"` file (as for `UserApp`, keyed by client id and app name), `"sqlite"`, or `"memory"` for
 * a process that should keep nothing on disk. Never runs an interactive login.
 *
 * @throws GlobusSDKUsageError without a client secret, with a `loginFlowManager`, and as core's
 *   `ClientApp` does.
 * @example
 * ```ts
 * const app = new ClientApp("my-service", {
 *   clientId, clientSecret,
 *   scopeRequirements: { "transfer.api.globus.org": "urn:globus:auth:scope:transfer.api.globus.org:all" },
 *   config: { tokenStorage: "memory" },
 * });
 * const header = await (await app.getAuthorizer("transfer.api.globus.org")).getAuthorizationHeader();
 * ```
 */
export class ClientApp extends CoreClientApp {
  static override readonly platform: GlobusAppPlatform = nodePlatform;

  /** Node's storage names only, and no login flow: a misspelt name fails at compile time. */
  constructor(appName?: string, options?: GlobusAppOptions<NodeTokenStorageName, never>) {
    super(appName, options);
  }
}
