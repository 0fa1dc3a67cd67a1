import type { AuthLoginClient } from "../auth/auth-login-client.ts";
import type { IdTokenDecoder } from "../auth/id-token-decoder.ts";
import { resolveEnvironment, resolveTimeoutMs } from "../config/environment.ts";
import type { TokenValidationError } from "../errors/token-validation-errors.ts";
import { isIdentityMismatchError } from "../errors/token-validation-errors.ts";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { LoginFlowManager, LoginFlowManagerProvider } from "../login/login-flow-manager.ts";
import type { TokenStorage } from "../storage/token-storage.ts";
import type { GlobusApp } from "./globus-app.ts";
import type { GlobusLogger } from "./globus-logger.ts";

/** What a {@link TokenStorageProvider} is given to build a storage for an app. */
export interface TokenStorageContext {
  appName: string;
  config: GlobusAppConfig;
  clientId: string;
  namespace: string;
}

/** Builds a {@link TokenStorage} for an app (the `forGlobusApp` provider form). */
export interface TokenStorageProvider {
  /** Called once by the app's constructor; the app owns (and closes) the storage returned. */
  forGlobusApp(context: TokenStorageContext): TokenStorage;
}

/** What an {@link IdTokenDecoderProvider} is given. */
export interface IdTokenDecoderContext {
  appName: string;
  config: GlobusAppConfig;
  loginClient: AuthLoginClient;
}

/** Builds an {@link IdTokenDecoder} for an app. */
export interface IdTokenDecoderProvider {
  /** Called once by the app's constructor with what the decoder needs to check id_tokens. */
  forGlobusApp(context: IdTokenDecoderContext): IdTokenDecoder;
}

/**
 * Reacts to a `TokenValidationError` met by `getAuthorizer`; when it returns, the authorizer is
 * fetched once more. It must not call `getAuthorizer` itself.
 */
export type TokenValidationErrorHandler = (
  app: GlobusApp,
  error: TokenValidationError,
) => Promise<void> | void;

/**
 * The default {@link TokenValidationErrorHandler}: log in again (forced), except that an
 * `IdentityMismatchError` is re-thrown, since a login cannot fix it.
 */
export const resolveByLogin: TokenValidationErrorHandler = async (app, error) => {
  if (isIdentityMismatchError(error)) throw error;
  await app.login({ force: true });
};

/**
 * How a {@link GlobusApp} behaves. Frozen once the app is built; every field has a default.
 *
 * @example
 * ```ts
 * new UserApp("my-app", { clientId, config: { tokenStorage: "memory", requestRefreshTokens: true } });
 * ```
 */
export interface GlobusAppConfig {
  /**
   * How a person logs in: a name (`"command-line"`, `"local-server"` in Node; `"redirect"` in
   * browsers), a {@link LoginFlowManager}, or a provider (e.g. the browser's `PopupLoginFlowManager`
   * class, imported from `globus-app/browser`). @default the platform's (Node
   * "command-line", browsers "redirect"); must be unset for a ClientApp.
   */
  readonly loginFlowManager: string | LoginFlowManager | LoginFlowManagerProvider | undefined;
  /** The redirect URI registered for the client, when the flow needs one. */
  readonly loginRedirectUri: string | undefined;
  /**
   * Where tokens live: a name (`"memory"`; `"json"`/`"sqlite"` in Node; `"indexeddb"` in browsers),
   * a {@link TokenStorage}, or a provider (e.g. the browser's `LocalStorageTokenStorage` class,
   * imported from `globus-app/browser`). @default Node "json", browsers "indexeddb".
   */
  readonly tokenStorage: string | TokenStorage | TokenStorageProvider;
  /** Ask for refresh tokens and renew access tokens with them. @default false */
  readonly requestRefreshTokens: boolean;
  /** Let service clients meet a GARE (403) by logging in once and retrying. @default false */
  readonly autoRedriveGares: boolean;
  /** Called when stored tokens are not usable. @default {@link resolveByLogin}; null disables. */
  readonly tokenValidationErrorHandler: TokenValidationErrorHandler | null;
  /** Replaces the built-in id_token verification. */
  readonly idTokenDecoder: IdTokenDecoder | IdTokenDecoderProvider | undefined;
  /** The Globus environment. @default `GLOBUS_SDK_ENVIRONMENT` or "production" */
  readonly environment: string;
  /**
   * Time limit of each request to Globus in milliseconds, or `null` for none: given to the login
   * client the app builds from `clientId` (token requests, revocation, consents, JWKS) and to every
   * `GlobusClient` bound to the app that sets no `timeoutMs` of its own. A login client passed as
   * `loginClient` keeps its own `timeoutMs`.
   * @default `GLOBUS_SDK_HTTP_TIMEOUT` (seconds; -1 is none), else 60000
   */
  readonly httpTimeoutMs: number | null;
  /**
   * Where the app reports login started/finished, refreshes, retries (with the reason), storage
   * fallbacks and GARE redrives: `console` or any object with `debug`, `info`, `warn` and `error`.
   * Log lines never carry a token, secret, code or verifier.
   * @default the platform's: in Node, Deno and Bun the console at the level `GLOBUS_SDK_LOG` names
   *   (`debug`, `info`, `warn`, `error`; see `loggerFromEnvironment`); in browsers none
   * @example
   * ```ts
   * new UserApp("my-app", { clientId, config: { logger: console } });
   * ```
   */
  readonly logger: GlobusLogger | undefined;
}

/** What callers may pass as config: any subset of {@link GlobusAppConfig}. */
export type GlobusAppConfigInput = { -readonly [K in keyof GlobusAppConfig]?: GlobusAppConfig[K] };

const CONFIG_KEYS = new Set<keyof GlobusAppConfig>([
  "loginFlowManager",
  "loginRedirectUri",
  "tokenStorage",
  "requestRefreshTokens",
  "autoRedriveGares",
  "tokenValidationErrorHandler",
  "idTokenDecoder",
  "environment",
  "httpTimeoutMs",
  "logger",
]);

/**
 * Whether `value` is an object (or function) with a method `name`: how instances and providers are
 * told apart.
 * @internal
 */
export function hasMethod(value: unknown, name: string): boolean {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as Record<string, unknown>)[name] === "function"
  );
}

/** What each option may be, beyond undefined: checked where the app is built, not at first use. */
const CONFIG_SHAPES: ReadonlyArray<[keyof GlobusAppConfig, (value: unknown) => boolean, string]> = [
  ["requestRefreshTokens", (value) => typeof value === "boolean", "a boolean"],
  ["autoRedriveGares", (value) => typeof value === "boolean", "a boolean"],
  ["environment", (value) => typeof value === "string", "a string"],
  ["loginRedirectUri", (value) => typeof value === "string", "a string"],
  [
    "loginFlowManager",
    (value) =>
      typeof value === "string" || hasMethod(value, "runLoginFlow") || hasMethod(value, "forGlobusApp"),
    "a name, a LoginFlowManager or a provider",
  ],
  [
    "tokenStorage",
    (value) =>
      typeof value === "string" ||
      hasMethod(value, "getTokenDataByResourceServer") ||
      hasMethod(value, "forGlobusApp"),
    "a name, a TokenStorage or a provider",
  ],
  [
    "tokenValidationErrorHandler",
    (value) => value === null || typeof value === "function",
    "a function or null",
  ],
  [
    "idTokenDecoder",
    (value) => hasMethod(value, "decode") || hasMethod(value, "forGlobusApp"),
    "an IdTokenDecoder or a provider",
  ],
  [
    "logger",
    (value) => ["debug", "info", "warn", "error"].every((level) => hasMethod(value, level)),
    "console-like (debug, info, warn, error)",
  ],
];

/**
 * Fills defaults into a config and freezes it.
 *
 * @throws GlobusSDKUsageError for an unknown key or environment, or a value of the wrong type.
 */
export function resolveGlobusAppConfig(
  input: GlobusAppConfigInput = {},
  defaultTokenStorage = "memory",
  defaultLogger?: GlobusLogger,
): GlobusAppConfig {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new GlobusSDKUsageError("config must be an object.");
  }
  for (const key of Object.keys(input)) {
    if (!CONFIG_KEYS.has(key as keyof GlobusAppConfig)) {
      throw new GlobusSDKUsageError(`Unknown GlobusAppConfig option "${key}".`);
    }
  }
  for (const [key, accepts, expected] of CONFIG_SHAPES) {
    if (input[key] !== undefined && !accepts(input[key])) {
      throw new GlobusSDKUsageError(`GlobusAppConfig.${key} must be ${expected}.`);
    }
  }
  if (input.loginRedirectUri !== undefined) {
    try {
      new URL(input.loginRedirectUri);
    } catch {
      throw new GlobusSDKUsageError("GlobusAppConfig.loginRedirectUri must be an absolute URL.");
    }
  }
  return Object.freeze({
    loginFlowManager: input.loginFlowManager,
    loginRedirectUri: input.loginRedirectUri,
    tokenStorage: input.tokenStorage ?? defaultTokenStorage,
    requestRefreshTokens: input.requestRefreshTokens ?? false,
    autoRedriveGares: input.autoRedriveGares ?? false,
    tokenValidationErrorHandler:
      input.tokenValidationErrorHandler === undefined ? resolveByLogin : input.tokenValidationErrorHandler,
    idTokenDecoder: input.idTokenDecoder,
    environment: resolveEnvironment(input.environment),
    httpTimeoutMs: resolveTimeoutMs(input.httpTimeoutMs, "GlobusAppConfig.httpTimeoutMs"),
    logger: input.logger ?? defaultLogger,
  });
}
