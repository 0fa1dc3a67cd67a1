export { ClientApp } from "./client-app.ts";
export type {
  CommandLineLoginFlowManagerOptions,
  PromptForCodeOptions,
} from "./command-line-login-flow-manager.ts";
export { CommandLineLoginFlowManager, defaultLoginOutput } from "./command-line-login-flow-manager.ts";
export { createGlobusAuthHandlers } from "./create-globus-auth-handlers.ts";
export { defaultNamedGrant } from "./default-named-grant.ts";
export type { DefaultTokenFilePathOptions, TokenFileFormat } from "./default-token-path.ts";
export { defaultTokenFilePath, slugifyAppName } from "./default-token-path.ts";
export type { FileTokenStorageContext } from "./file-token-storage-context.ts";
export { formatAuthorizeUrlBanner } from "./format-authorize-url-banner.ts";
export type {
  GlobusAuthHandlers,
  GlobusAuthHandlersOptions,
  GlobusPortalUser,
  PerPersonTokenStorage,
  PortalLoginOptions,
  SessionCookieOptions,
} from "./globus-auth-handlers.ts";
export type { JSONTokenStorageOptions } from "./json-token-storage.ts";
export { JSONTokenStorage } from "./json-token-storage.ts";
export type {
  LocalServerLandingPage,
  LocalServerLoginFlowManagerOptions,
} from "./local-server-login-flow-manager.ts";
export { browserUnavailableReason, LocalServerLoginFlowManager } from "./local-server-login-flow-manager.ts";
export type { NodeLoginFlowName, NodeTokenStorageName } from "./node-platform.ts";
export { nodePlatform } from "./node-platform.ts";
export type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from "./postgres-pool.ts";
export type { PostgresTokenStorageOptions } from "./postgres-token-storage.ts";
export { PostgresTokenStorage } from "./postgres-token-storage.ts";
export type { RedisClient } from "./redis-client.ts";
export type { RedisTokenStorageOptions } from "./redis-token-storage.ts";
export { RedisTokenStorage } from "./redis-token-storage.ts";
export {
  isSessionCookieError,
  isSessionRequiredError,
  isUnsafeReturnUrlError,
  SessionCookieError,
  SessionRequiredError,
  UnsafeReturnUrlError,
} from "./server-session-errors.ts";
export type { SQLiteTokenStorageOptions } from "./sqlite-token-storage.ts";
export { SQLiteTokenStorage } from "./sqlite-token-storage.ts";
export type { NodeListenerOptions, WebHandler } from "./to-node-listener.ts";
export { toNodeListener, toWebRequest, writeWebResponse } from "./to-node-listener.ts";
export { UserApp } from "./user-app.ts";
