/**
 * The contracts between an app and what plugs into it: its config, the providers and contexts of
 * storages, login flows and id_token decoders, the platform hooks, and the options of login and
 * logout. Typed against {@link GlobusAppHandle}, a minimal view of an app, so that nothing here
 * imports the app classes (which import this module).
 *
 * @module
 */
import type { AuthLoginClient } from "../auth/auth-login-client.ts";
import type { ConfidentialAppAuthClientOptions } from "../auth/confidential-app-auth-client.ts";
import type { IdTokenDecoder } from "../auth/id-token-decoder.ts";
import type { TokenValidationError } from "../errors/token-validation-errors.ts";
import type { GlobusAuthorizationParameters } from "../gare/globus-authorization-parameters.ts";
import type { LoginFlowManager, LoginFlowOptions } from "../login/login-flow-manager.ts";
import type { ScopesInput } from "../scopes/scope-parser.ts";
import type { TokenStorage } from "../storage/token-storage.ts";
import type { ValidatingTokenStorage } from "../storage/validating-token-storage.ts";
import type { GlobusAppEventMap, GlobusAppListener } from "./globus-app-events.ts";
import type { GlobusLogger } from "./globus-logger.ts";

/**
 * What handlers and platform hooks may use of an app: a `UserApp` or `ClientApp` is one. A
 * {@link TokenValidationErrorHandler} that needs more (`getUser`, `logout`) may narrow it with
 * `instanceof UserApp`.
 */
export interface GlobusAppHandle {
  /** The app's name, as given to its constructor. */
  readonly appName: string;
  /** The client id of the app's login client. */
  readonly clientId: string;
  /** The resolved, frozen config. */
  readonly config: GlobusAppConfig;
  /** The app's validated token storage (`tokenStorage.tokenStorage` is the storage configured). */
  readonly tokenStorage: ValidatingTokenStorage;
  /** Logs in (see `GlobusApp.login`). */
  login(options?: LoginOptions): Promise<void>;
  /** Subscribes to an app event; returns the function that unsubscribes. */
  on<K extends keyof GlobusAppEventMap>(event: K, listener: GlobusAppListener<K>): () => void;
}

/**
 * How a `GlobusApp` behaves. Frozen once the app is built; every field has a default.
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

/** The storage names the built-in platforms accept: `"memory"` everywhere, `"json"` and `"sqlite"` in Node, `"indexeddb"` in browsers. */
export type TokenStorageName = "memory" | "json" | "sqlite" | "indexeddb";

/** The login-flow names the built-in platforms accept: `"command-line"` and `"local-server"` in Node, `"redirect"` in browsers. */
export type LoginFlowName = "command-line" | "local-server" | "redirect";

/**
 * What callers may pass as config: any subset of {@link GlobusAppConfig}, with the storage and flow
 * names narrowed to those the platform builds in, so that a misspelt name (`"sqllite"`) fails at
 * compile time. `globus-app` accepts every built-in name ({@link TokenStorageName},
 * {@link LoginFlowName}); `globus-app/browser` and `globus-app/node` only their own.
 */
export type GlobusAppConfigInput<S extends string = TokenStorageName, F extends string = LoginFlowName> = {
  -readonly [K in Exclude<keyof GlobusAppConfig, "tokenStorage" | "loginFlowManager">]?: GlobusAppConfig[K];
} & {
  tokenStorage?: S | TokenStorage | TokenStorageProvider;
  loginFlowManager?: F | LoginFlowManager | LoginFlowManagerProvider;
};

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
  app: GlobusAppHandle,
  error: TokenValidationError,
) => Promise<void> | void;

/** What a {@link LoginFlowManagerProvider} is given to build a flow for an app. */
export interface LoginFlowManagerContext {
  appName: string;
  config: GlobusAppConfig;
  loginClient: AuthLoginClient;
  idTokenDecoder: IdTokenDecoder | undefined;
}

/** Builds a {@link LoginFlowManager} for an app (the `forGlobusApp` provider form). */
export interface LoginFlowManagerProvider {
  /** Called by the app with its name, config, login client and id_token decoder; returns its flow. */
  forGlobusApp(context: LoginFlowManagerContext): LoginFlowManager;
}

/** Options of `GlobusApp.login`. */
export interface LoginOptions extends LoginFlowOptions {
  /** Session parameters and extra scopes (e.g. from a GARE); a flow always runs when given. */
  authParams?: GlobusAuthorizationParameters;
  /** Run a flow even when stored tokens are fine. @default false */
  force?: boolean;
  /**
   * Use this flow for this login instead of the configured one (e.g. a "sign in with a popup"
   * button next to the default redirect). UserApp only.
   */
  loginFlowManager?: LoginFlowManager;
}

/** Options of `GlobusApp.logout`. */
export interface LogoutOptions {
  /** Revoke and remove the tokens of every resource server stored, not only the required ones. */
  sweep?: boolean;
  /**
   * When the storage cannot be read (a corrupt token file or database: a `TokenStorageError`), let
   * it remove what it cannot read (`TokenStorage.removeUnreadable`; file storages move it aside to
   * `<file>.corrupt-<time>`) and log out of what is left. Tokens that could not be read cannot be
   * revoked: they stay valid until they expire. Without it, such a logout throws the storage's error.
   * A storage without `removeUnreadable` throws its error either way.
   * @default false
   * @example
   * ```ts
   * await app.logout({ removeUnreadable: true });
   * ```
   */
  removeUnreadable?: boolean;
  /**
   * Browsers: after revoking, also end the person's Globus session by sending the page to Globus
   * Auth's web logout (`globusLogoutUrl`), so the next login asks who they are — for a
   * shared lab computer. The page then offers a link back to `redirectTo`, named after the app.
   * Elsewhere (no `location`) a usage error, thrown before anything is revoked; servers redirect to
   * `globusLogoutUrl(…)` themselves.
   * @default false
   */
  globusSession?: boolean;
  /**
   * With `globusSession`: where Globus Auth's logout page links back to; a redirect URI registered
   * for the client. @default `config.loginRedirectUri`, else this page's origin and path
   */
  redirectTo?: string;
}

/** What a platform's `attach` hook may do to an app it wires up. */
export interface GlobusAppPlatformHooks {
  /** Emits an app event (e.g. one received from another tab). */
  emit<K extends keyof GlobusAppEventMap>(event: K, payload: GlobusAppEventMap[K]): void;
  /**
   * Forgets what the app cached about stored tokens — authorizers (all, or those of the given
   * resource servers) and consents — after another tab or process changed them.
   */
  clearCache(...resourceServers: string[]): void;
}

/**
 * What a platform package (browser, Node) adds to the apps: storage and login-flow names, defaults,
 * and a hook to wire platform features (cross-tab events, storage fallback) into each app. Platform
 * packages subclass `UserApp`/`ClientApp` with `static platform = …`. `S` and `F` are its storage and
 * login-flow names: typing the platform object with them checks that it builds in exactly those.
 */
export interface GlobusAppPlatform<S extends string = string, F extends string = string> {
  /** A name for messages, e.g. "browser". */
  readonly name: string;
  /** Storage names this platform accepts. */
  readonly tokenStorages: Readonly<Record<S, TokenStorageProvider>>;
  /** Login-flow names this platform accepts. */
  readonly loginFlowManagers: Readonly<Record<F, LoginFlowManagerProvider>>;
  /** The logger of apps configured without one (Node: `GLOBUS_SDK_LOG`'s); none when absent. */
  readonly defaultLogger?: () => GlobusLogger | undefined;
  /** Default storage name of UserApp and ClientApp. */
  readonly defaultTokenStorage: S;
  /** Default login-flow name of UserApp, if the platform has one. */
  readonly defaultLoginFlowManager: F | undefined;
  /** Whether client secrets may be used here: a ClientApp, or a UserApp with a confidential client. */
  readonly allowsClientApp: boolean;
  /**
   * Names this platform no longer builds in, each with what to do instead (the import to use), for
   * the usage error an app given one throws. Names are left out when building them in would make
   * every app download code that few use (the browser's popup flow and localStorage storage).
   */
  readonly movedNames?: Readonly<Record<string, string>>;
  /**
   * Builds the login client of an app given a `clientSecret` (Node's platform only: a browser must
   * never hold a secret, and leaving the confidential client out keeps it out of browser bundles).
   */
  readonly confidentialLoginClient?: (options: ConfidentialAppAuthClientOptions) => AuthLoginClient;
  /** Wires platform features into a new app; returns a function run by `close()`. */
  attach?(app: GlobusAppHandle, hooks: GlobusAppPlatformHooks): (() => void | Promise<void>) | undefined;
}

/** Scope requirements as callers give them: per resource server, scope strings, Scopes or lists of them. */
export type ScopeRequirementsInput = Readonly<Record<string, ScopesInput>>;

/**
 * Options of `new UserApp(appName, options)` and `new ClientApp(appName, options)`. `S` and `F` are
 * the storage and login-flow names the app's platform builds in (see {@link GlobusAppConfigInput}).
 */
export interface GlobusAppOptions<S extends string = TokenStorageName, F extends string = LoginFlowName> {
  /** The client id registered with Globus Auth (or give `loginClient`). */
  clientId?: string;
  /** The client secret, for confidential clients (never in a browser). */
  clientSecret?: string;
  /** A login client you built (not closed by the app); excludes `clientId`. */
  loginClient?: AuthLoginClient;
  /** Scopes the app needs, per resource server. `auth.globus.org: openid` is always added. */
  scopeRequirements?: ScopeRequirementsInput;
  /** Behaviour; see {@link GlobusAppConfig}. */
  config?: GlobusAppConfigInput<S, F>;
}
