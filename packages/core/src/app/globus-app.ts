// Over 400 lines, kept whole: GlobusApp is one class whose private state (the requirements, the
// authorizer cache, the shared handler run, the signed-in person, what close() must close) every
// method reads; its parts with a name of their own live beside it (globus-app-config.ts,
// globus-app-contracts.ts, resolve-token-storage.ts, run-logout.ts), and most of its length is TSDoc.
import type { AuthLoginClient } from "../auth/auth-login-client.ts";
import type { IdTokenDecoder } from "../auth/id-token-decoder.ts";
import { loadLoginMachinery } from "../auth/load-login-machinery.ts";
import type { GlobusAuthorizer } from "../authorizers/globus-authorizer.ts";
import { isTokenValidationError } from "../errors/token-validation-errors.ts";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { GlobusAuthorizationParameters } from "../gare/globus-authorization-parameters.ts";
import { hasMethod } from "../internal/has-method.ts";
import type { LoginFlowOptions } from "../login/login-flow-manager.ts";
import type { ScopeLike } from "../scopes/scope.ts";
import { scopeRequirementItems } from "../scopes/scope-requirement-items.ts";
import { type GlobusUser, toGlobusUser } from "../storage/globus-user.ts";
import { ScopeRequirementsValidator, type TokenDataValidator } from "../storage/token-data-validators.ts";
import type { TokenResponse } from "../storage/token-response.ts";
import { DEFAULT_NAMESPACE } from "../storage/token-storage.ts";
import { ValidatingTokenStorage } from "../storage/validating-token-storage.ts";
import { resolveGlobusAppConfig } from "./globus-app-config.ts";
import type {
  GlobusAppConfig,
  GlobusAppOptions,
  GlobusAppPlatform,
  IdTokenDecoderProvider,
  LoginOptions,
  LogoutOptions,
  ScopeRequirementsInput,
} from "./globus-app-contracts.ts";
import { type GlobusAppEventMap, GlobusAppEvents, type GlobusAppListener } from "./globus-app-events.ts";
import { corePlatform } from "./globus-app-platform.ts";
import { resolveTokenStorage } from "./resolve-token-storage.ts";

const AUTH_RS = "auth.globus.org";

/** Refuses what is not a plain options object (null, an array, a string), naming the call. */
function checkOptionsObject(value: unknown, what: string): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new GlobusSDKUsageError(`${what} must be an object.`);
  }
}

/**
 * The base of {@link UserApp} and {@link ClientApp}: one Globus app's client, scope requirements,
 * validated token storage and authorizers. Platform packages subclass the concrete apps to add
 * their storages and login flows.
 */
export abstract class GlobusApp {
  /** The platform whose storage and login-flow names this class accepts. */
  static readonly platform: GlobusAppPlatform = corePlatform;

  /** The app's name (used for file paths and the consent page's grant name). */
  readonly appName: string;
  /** The frozen configuration. */
  readonly config: GlobusAppConfig;
  /** The client id. */
  readonly clientId: string;
  /** The validating token storage (validators in front of the configured storage). */
  readonly tokenStorage: ValidatingTokenStorage;
  /** The login client. */
  readonly loginClient: AuthLoginClient;

  /** The platform this instance was built for. */
  protected readonly platform: GlobusAppPlatform;
  /** The id_token decoder from the config, if one was given. */
  protected readonly idTokenDecoder: IdTokenDecoder | undefined;

  /** Per resource server, the requirements as given (exact duplicates dropped), parsed when needed. */
  readonly #requirements = new Map<string, ScopeLike[]>();
  readonly #authorizers = new Map<string, Promise<GlobusAuthorizer>>();
  readonly #events = new GlobusAppEvents();
  readonly #scopeValidator: ScopeRequirementsValidator;
  readonly #toClose: Array<() => void | Promise<void>> = [];
  #handlerRun: Promise<void> | undefined;
  /** The signed-in person as last read or written; undefined until read. */
  #user: Promise<GlobusUser | null> | undefined;
  #closed: Promise<void> | undefined;

  constructor(appName: string | undefined, options: GlobusAppOptions = {}) {
    this.appName = appName ?? "Unnamed Globus App";
    if (typeof this.appName !== "string") throw new GlobusSDKUsageError("appName must be a string.");
    checkOptionsObject(options, "The app's options");
    if (options.scopeRequirements !== undefined) {
      checkOptionsObject(options.scopeRequirements, "scopeRequirements");
    }
    if (options.loginClient !== undefined && !hasMethod(options.loginClient, "createAuthorizationRequest")) {
      throw new GlobusSDKUsageError(
        "loginClient must be a login client (NativeAppAuthClient or ConfidentialAppAuthClient).",
      );
    }
    this.platform = (new.target as unknown as typeof GlobusApp).platform;
    this.config = resolveGlobusAppConfig(
      options.config,
      this.platform.defaultTokenStorage,
      this.platform.defaultLogger?.(),
    );
    this.checkOptions(options);

    if (options.clientId && options.loginClient) {
      throw new GlobusSDKUsageError("Mutually exclusive parameters: clientId and loginClient.");
    }
    if (options.loginClient) {
      if (options.loginClient.environment !== this.config.environment) {
        throw new GlobusSDKUsageError(
          `[Environment Mismatch] The loginClient's environment (${options.loginClient.environment}) does not match the GlobusApp's configured environment (${this.config.environment}).`,
        );
      }
      this.loginClient = options.loginClient;
    } else if (options.clientId) {
      this.loginClient = this.createLoginClient(options.clientId, options.clientSecret);
      this.#toClose.push(() => this.loginClient.close());
    } else {
      throw new GlobusSDKUsageError(
        "Could not set up a globus login client. One of clientId or loginClient is required.",
      );
    }
    this.clientId = this.loginClient.clientId;

    this.#addRequirements(options.scopeRequirements ?? {});

    const { storage, built } = resolveTokenStorage(this.platform, {
      appName: this.appName,
      config: this.config,
      clientId: this.clientId,
      namespace: DEFAULT_NAMESPACE,
    });
    if (built) this.#toClose.push(() => storage.close());
    this.#scopeValidator = new ScopeRequirementsValidator(() => Object.fromEntries(this.#requirements), {
      fetch: async (identityId) => {
        // Through the auth.globus.org authorizer, so an expired Auth token is renewed first.
        const authorizer = await this.#getAuthorizer(AUTH_RS);
        const body = await this.loginClient.getJSON(
          `v2/api/identities/${encodeURIComponent(identityId)}/consents?all=false`,
          await authorizer.getAuthorizationHeader(),
        );
        // Reading consents is login-chunk code: only apps with dependent scopes ever need it.
        return (await loadLoginMachinery()).consentChecker(body);
      },
    });
    this.tokenStorage = new ValidatingTokenStorage(storage, this.createValidators(this.#scopeValidator));

    const decoder = this.config.idTokenDecoder;
    this.idTokenDecoder = hasMethod(decoder, "forGlobusApp")
      ? (decoder as IdTokenDecoderProvider).forGlobusApp({
          appName: this.appName,
          config: this.config,
          loginClient: this.loginClient,
        })
      : (decoder as IdTokenDecoder | undefined);
    if (this.idTokenDecoder !== undefined && !hasMethod(this.idTokenDecoder, "decode")) {
      throw new GlobusSDKUsageError("The idTokenDecoder provider did not return an IdTokenDecoder.");
    }

    this.addScopeRequirements({ [AUTH_RS]: "openid" });
    const detach = this.platform.attach?.(this, {
      emit: (event, payload) => {
        if (event !== "identityChanged") return this.#events.emit(event, payload);
        // Another tab or process changed who is signed in: its record is in the shared storage.
        this.#user = undefined;
        void this.getUser()
          .catch(() => null)
          .then((user) => this.#events.emit(event, { ...payload, user }));
      },
      clearCache: (...resourceServers) => {
        this.clearAuthorizerCache(...resourceServers);
        this.#scopeValidator.clearCache();
      },
    });
    if (detach) this.#toClose.push(detach);
  }

  /** The configured logger's method of a level, or a no-op. */
  protected log(level: "debug" | "info" | "warn" | "error", message: string): void {
    this.config.logger?.[level](message);
  }

  /**
   * The signed-in person — the verified id_token's claims (`sub`, `name`, `preferred_username`,
   * `email`, identity provider, `organization`, `identity_set`) kept beside the tokens since the last
   * login — or null when nobody is. Updated by login, a refresh that brings an id_token and an
   * identity change in another tab; cleared by logout. Kept where the storage can
   * (`TokenStorage.storeUserRecord`: namespace `<namespace>::globus-app:user`), else in memory.
   *
   * @example
   * ```ts
   * const user = await app.getUser();
   * greeting.textContent = user ? `Signed in as ${user.preferred_username}` : "Signed out";
   * ```
   */
  getUser(): Promise<GlobusUser | null> {
    this.#user ??= (async () => {
      const inner = this.tokenStorage.tokenStorage;
      const user = toGlobusUser(await inner.getUserRecord?.());
      // A record left by another person (or a logout elsewhere) does not describe these tokens.
      return user && user.sub === (await this.tokenStorage.getIdentityId()) ? user : null;
    })();
    this.#user.catch(() => {
      this.#user = undefined;
    });
    return this.#user;
  }

  async #setUser(user: GlobusUser | null): Promise<void> {
    this.#user = Promise.resolve(user);
    await this.tokenStorage.tokenStorage.storeUserRecord?.(user);
  }

  /** Checks options that only one kind of app accepts. */
  protected abstract checkOptions(options: GlobusAppOptions): void;
  /** Builds the login client when the app was given a client id. */
  protected abstract createLoginClient(clientId: string, clientSecret: string | undefined): AuthLoginClient;
  /** The validators of this kind of app, the scope validator among them. */
  protected abstract createValidators(scopeValidator: ScopeRequirementsValidator): TokenDataValidator[];
  /** Builds the authorizer of a resource server from validated storage. */
  protected abstract createAuthorizer(resourceServer: string): Promise<GlobusAuthorizer>;
  /** Runs this kind of app's login (an interactive flow, or client credentials). */
  protected abstract runLoginFlow(
    authParams: GlobusAuthorizationParameters,
    options: LoginFlowOptions,
  ): Promise<TokenResponse>;

  /**
   * The scope requirements per resource server, as scope strings in the order they were given
   * (exact duplicates dropped): a copy. A login asks for them merged as Globus Auth reads one
   * request; `ScopeParser.merge(app.scopeRequirements[rs])` gives that merge as `Scope`s. Strings,
   * not `Scope`s, so that a page load needs no scope parser.
   *
   * @example
   * ```ts
   * app.scopeRequirements["transfer.api.globus.org"]; // ["urn:globus:auth:scope:transfer.api.globus.org:all"]
   * ```
   */
  get scopeRequirements(): Record<string, string[]> {
    return Object.fromEntries([...this.#requirements].map(([rs, scopes]) => [rs, scopes.map(String)]));
  }

  /**
   * Adds scope requirements (kept beside the existing ones, exact duplicates dropped) and drops the
   * cached authorizers of the affected resource servers only. Items are checked to be scope strings
   * or `Scope`s here; a scope string's syntax is checked when a login or a consents check parses it
   * (`ScopeParseError`).
   */
  addScopeRequirements(requirements: ScopeRequirementsInput): void {
    checkOptionsObject(requirements, "addScopeRequirements' argument");
    for (const rs of this.#addRequirements(requirements)) this.#authorizers.delete(rs);
  }

  #addRequirements(requirements: ScopeRequirementsInput): string[] {
    const entries = Object.entries(requirements).map(
      ([rs, scopes]) => [rs, scopeRequirementItems(scopes)] as const,
    );
    for (const [rs, items] of entries) {
      const list = this.#requirements.get(rs) ?? [];
      const seen = new Set(list.map(String));
      for (const item of items) {
        const text = String(item);
        if (!seen.has(text)) list.push(item);
        seen.add(text);
      }
      this.#requirements.set(rs, list);
    }
    return entries.map(([rs]) => rs);
  }

  /** Subscribes to an app event; returns the function that unsubscribes. */
  on<K extends keyof GlobusAppEventMap>(event: K, listener: GlobusAppListener<K>): () => void {
    return this.#events.on(event, listener);
  }

  /** Emits an event to this app's listeners (platform code and subclasses). */
  protected emit<K extends keyof GlobusAppEventMap>(event: K, payload: GlobusAppEventMap[K]): void {
    this.#events.emit(event, payload);
  }

  #assertOpen(): void {
    if (this.#closed) throw new GlobusSDKUsageError(`${this.constructor.name} "${this.appName}" is closed.`);
  }

  /**
   * The authorizer for a resource server, built from validated stored tokens and cached. When the
   * stored tokens are not usable, the configured `tokenValidationErrorHandler` runs once (by default
   * a login; concurrent callers share one) and the authorizer is built once more.
   *
   * @throws TokenValidationError when the tokens stay unusable; GlobusSDKUsageError when closed.
   */
  async getAuthorizer(resourceServer: string): Promise<GlobusAuthorizer> {
    this.#assertOpen();
    try {
      return await this.#getAuthorizer(resourceServer);
    } catch (error) {
      const handler = this.config.tokenValidationErrorHandler;
      if (!handler || !isTokenValidationError(error)) throw error;
      if (!this.#handlerRun) {
        this.#handlerRun = (async () => handler(this, error))().finally(() => {
          this.#handlerRun = undefined;
        });
      }
      await this.#handlerRun;
      return this.#getAuthorizer(resourceServer);
    }
  }

  #getAuthorizer(resourceServer: string): Promise<GlobusAuthorizer> {
    const cached = this.#authorizers.get(resourceServer);
    if (cached) {
      return cached.then((authorizer) => {
        if ("isExpired" in authorizer && (authorizer as { isExpired(): boolean }).isExpired()) {
          // Python keeps expired access-token authorizers forever; evict so validation runs again.
          if (this.#authorizers.get(resourceServer) === cached) this.#authorizers.delete(resourceServer);
          return this.#getAuthorizer(resourceServer);
        }
        return authorizer;
      });
    }
    const created = this.createAuthorizer(resourceServer);
    this.#authorizers.set(resourceServer, created);
    created.catch(() => {
      if (this.#authorizers.get(resourceServer) === created) this.#authorizers.delete(resourceServer);
    });
    return created;
  }

  /** Drops cached authorizers (all, or those of the given resource servers). */
  protected clearAuthorizerCache(...resourceServers: string[]): void {
    if (resourceServers.length === 0) this.#authorizers.clear();
    for (const rs of resourceServers) this.#authorizers.delete(rs);
  }

  /**
   * Whether a login is needed: some required resource server has no token, lacks a required scope, or
   * holds an expired token that no refresh token can renew. Never prompts.
   */
  async loginRequired(): Promise<boolean> {
    this.#assertOpen();
    for (const rs of this.#requirements.keys()) {
      try {
        await this.#getAuthorizer(rs);
      } catch (error) {
        if (isTokenValidationError(error)) return true;
        throw error;
      }
    }
    return false;
  }

  /**
   * Logs in when `authParams` is given, `force` is set, or {@link loginRequired} says so. The app's
   * scope requirements are merged into `authParams.required_scopes` (the caller's object is not
   * changed).
   */
  async login(options: LoginOptions = {}): Promise<void> {
    this.#assertOpen();
    checkOptionsObject(options, "login's options");
    if (options.authParams !== undefined) checkOptionsObject(options.authParams, "authParams");
    if (!options.authParams && !options.force && !(await this.loginRequired())) return;
    const params = this.#authParamsWithRequiredScopes(options.authParams);
    this.log("info", "login started");
    const response = await this.runLoginFlow(params, options);
    await this.completeLogin(response);
  }

  /** Stores a login's tokens, clears cached authorizers and consents, and emits the events. */
  protected async completeLogin(response: TokenResponse): Promise<void> {
    const before = await this.tokenStorage.getIdentityId();
    await this.tokenStorage.storeTokenResponse(response);
    this.clearAuthorizerCache();
    this.#scopeValidator.clearCache();
    const resourceServers = Object.keys(response.byResourceServer);
    const identityId = await this.tokenStorage.getIdentityId();
    const user = toGlobusUser(response.idTokenClaims);
    if (user) await this.#setUser(user);
    this.log("info", `login finished (${resourceServers.length} resource server(s))`);
    this.emit("login", { identityId, resourceServers, source: "local" });
    this.emit("tokensChanged", { resourceServers, source: "local" });
    if (identityId !== before) {
      this.emit("identityChanged", { identityId, user: await this.getUser(), source: "local" });
    }
  }

  /** The app's requirements and the caller's scopes, unparsed: the login client merges them. */
  #authParamsWithRequiredScopes(authParams?: GlobusAuthorizationParameters): GlobusAuthorizationParameters {
    const mine = [...this.#requirements.values()].flat().map(String);
    return { ...authParams, required_scopes: [...mine, ...(authParams?.required_scopes ?? [])] };
  }

  /**
   * Revokes the access and refresh tokens of the required resource servers (every stored one with
   * `sweep`), removes them, clears cached authorizers and forgets the identity, so another person may
   * log in next. Tokens are removed locally even when a revocation fails; the failure is then thrown.
   * A storage that cannot be read throws its `TokenStorageError`, unless `removeUnreadable` lets the
   * storage remove (or move aside) what it cannot read first.
   */
  async logout(options: LogoutOptions = {}): Promise<void> {
    this.#assertOpen();
    checkOptionsObject(options, "logout's options");
    const { runLogout } = await loadLoginMachinery();
    await runLogout(options, {
      appName: this.appName,
      clientId: this.clientId,
      config: this.config,
      loginClient: this.loginClient,
      storage: this.tokenStorage.tokenStorage,
      isRequired: (rs) => this.#requirements.has(rs),
      forget: async (resourceServers) => {
        this.clearAuthorizerCache();
        this.#scopeValidator.clearCache();
        this.tokenStorage.forgetIdentity();
        await this.#setUser(null);
        this.log("info", `logged out (${resourceServers.length} resource server(s))`);
        this.emit("logout", { resourceServers, source: "local" });
        this.emit("tokensChanged", { resourceServers, source: "local" });
        this.emit("identityChanged", { identityId: null, user: null, source: "local" });
      },
    });
  }

  /**
   * Closes what the app created (its storage when built from a name or provider, its login client),
   * never a storage or client the caller passed in. Idempotent.
   */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#authorizers.clear();
      for (const close of this.#toClose.reverse()) await close();
      this.#events.clear();
    })();
    return this.#closed;
  }

  /** `await using app = new UserApp(…)` closes the app at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Renewal hooks shared by the renewing authorizers the apps build.
   * @internal
   */
  protected renewalHooks(resourceServer: string) {
    const inner = this.tokenStorage.tokenStorage;
    return {
      resourceServer,
      onRefresh: async (response: TokenResponse) => {
        await this.tokenStorage.storeTokenResponse(response);
        this.log("debug", `refreshed the tokens of ${resourceServer}`);
        const user = toGlobusUser(response.idTokenClaims);
        if (user) await this.#setUser(user);
        this.emit("refresh", { resourceServer, source: "local" });
        this.emit("tokensChanged", {
          resourceServers: Object.keys(response.byResourceServer),
          source: "local",
        });
      },
      onRefreshError: (error: unknown) => {
        this.log("warn", `refreshing the tokens of ${resourceServer} failed: ${(error as Error)?.name}`);
        this.emit("refreshFailed", { resourceServer, error });
      },
      withLock: <T>(fn: () => Promise<T>) => this.tokenStorage.withLock(`refresh:${resourceServer}`, fn),
      reload: () => inner.getTokenData(resourceServer),
    };
  }
}
