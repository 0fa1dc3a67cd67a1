import {
  ConfidentialAppAuthClient,
  type GlobusAppPlatform,
  loggerFromEnvironment,
  MemoryTokenStorage,
} from "@globus-app/core";
import { CommandLineLoginFlowManager } from "./command-line-login-flow-manager.ts";
import { JSONTokenStorage } from "./json-token-storage.ts";
import { LocalServerLoginFlowManager } from "./local-server-login-flow-manager.ts";
import { SQLiteTokenStorage } from "./sqlite-token-storage.ts";

/** The storage names Node's apps build in. */
export type NodeTokenStorageName = "memory" | "json" | "sqlite";

/** The login-flow names Node's apps build in. */
export type NodeLoginFlowName = "command-line" | "local-server";

/**
 * What Node (and Deno and Bun) add to the apps: token storages `"memory"`, `"json"` (the default, a
 * file shared with the Python SDK) and `"sqlite"`; login flows `"command-line"` (the default: paste
 * the code) and `"local-server"` (a loopback server and the system browser); ClientApps allowed,
 * and a `clientSecret` builds a `ConfidentialAppAuthClient`; apps without a `logger` log to the
 * console at the level `GLOBUS_SDK_LOG` names.
 * The Node `UserApp` and `ClientApp` use it; pass it to your own subclasses of core's apps.
 *
 * Building it does nothing: storages and flows are created per app, on first use.
 *
 * @example
 * ```ts
 * import { UserApp as CoreUserApp } from "@globus-app/core";
 * class MyApp extends CoreUserApp { static override readonly platform = nodePlatform; }
 * ```
 */
export const nodePlatform: GlobusAppPlatform<NodeTokenStorageName, NodeLoginFlowName> = {
  name: "node",
  tokenStorages: { memory: MemoryTokenStorage, json: JSONTokenStorage, sqlite: SQLiteTokenStorage },
  loginFlowManagers: {
    "command-line": CommandLineLoginFlowManager,
    "local-server": LocalServerLoginFlowManager,
  },
  defaultTokenStorage: "json",
  defaultLogger: loggerFromEnvironment,
  defaultLoginFlowManager: "command-line",
  allowsClientApp: true,
  confidentialLoginClient: (options) => new ConfidentialAppAuthClient(options),
};
