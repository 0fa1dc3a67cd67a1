/**
 * `globus-app/server`: server-side portals on Node, Deno and Bun. Login handlers over Web-standard
 * `Request`/`Response` (a confidential client, tokens kept on the server per person, an encrypted
 * session cookie), token storages that several replicas share (PostgreSQL, Redis; SQLite and JSON
 * on one machine), and the node:http adapter for Express and Fastify.
 *
 * @packageDocumentation
 */
export type {
  GlobusAuthHandlers,
  GlobusAuthHandlersOptions,
  GlobusPortalUser,
  NodeListenerOptions,
  PerPersonTokenStorage,
  PortalLoginOptions,
  PostgresPool,
  PostgresPoolClient,
  PostgresQueryResult,
  PostgresTokenStorageOptions,
  RedisClient,
  RedisTokenStorageOptions,
  SessionCookieOptions,
  SQLiteTokenStorageOptions,
  WebHandler,
} from "@globus-app/node";
export {
  createGlobusAuthHandlers,
  isSessionCookieError,
  isSessionRequiredError,
  isUnsafeReturnUrlError,
  JSONTokenStorage,
  PostgresTokenStorage,
  RedisTokenStorage,
  SessionCookieError,
  SessionRequiredError,
  SQLiteTokenStorage,
  toNodeListener,
  toWebRequest,
  UnsafeReturnUrlError,
  writeWebResponse,
} from "@globus-app/node";
