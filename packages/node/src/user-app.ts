import { UserApp as CoreUserApp, type GlobusAppOptions, type GlobusAppPlatform } from "@globus-app/core";
import { type NodeLoginFlowName, type NodeTokenStorageName, nodePlatform } from "./node-platform.ts";

/**
 * A GlobusApp for a person, with Node's defaults: tokens in a JSON file shared with the Python SDK
 * (`"json"`, at `~/.globus/app/<client_id>/<app-slug>/tokens.json`) and the `"command-line"` login
 * (print the URL, paste the code). Also accepts `tokenStorage: "memory" | "sqlite"` and
 * `loginFlowManager: "local-server"` (browser and loopback server), or instances and providers.
 *
 * @throws GlobusSDKUsageError for unknown storage or login-flow names, and as core's `UserApp` does.
 * @example
 * ```ts
 * await using app = new UserApp("my-script", {
 *   clientId: "…",
 *   scopeRequirements: { "transfer.api.globus.org": "urn:globus:auth:scope:transfer.api.globus.org:all" },
 *   config: { loginFlowManager: "local-server", requestRefreshTokens: true },
 * });
 * await app.login();
 * ```
 */
export class UserApp extends CoreUserApp {
  static override readonly platform: GlobusAppPlatform = nodePlatform;

  /** Node's names only: `tokenStorage: "sqllite"` or `loginFlowManager: "redirect"` fails at compile time. */
  constructor(appName?: string, options?: GlobusAppOptions<NodeTokenStorageName, NodeLoginFlowName>) {
    super(appName, options);
  }
}
