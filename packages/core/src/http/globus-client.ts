// Over 400 lines, kept whole: GlobusClient is the one base class of every service client (base
// URL, authorizer, 401 retry, GARE redrive, error mapping, timeouts); its hooks share private
// state, and most of its length is TSDoc.
import type { AfterResponseState, BeforeErrorState, KyInstance, Options as KyOptions } from "ky";
import type { GlobusApp } from "../app/globus-app.ts";
import type { GlobusAuthorizer } from "../authorizers/globus-authorizer.ts";
import { getServiceUrl, resolveTimeoutMs } from "../config/environment.ts";
import { type GlobusAPIError, type GlobusAPIErrorInit, globusAPIErrorFromBody } from "../errors/api-error.ts";
import { safeCause } from "../errors/globus-error.ts";
import { isGlobusError } from "../errors/is-globus-error.ts";
import { GlobusNetworkError } from "../errors/network-error.ts";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { GARE } from "../gare/gare.ts";
import { toGare, toGares } from "../gare/to-gare.ts";
import { normalizeScopes, type ScopesInput } from "../scopes/scope-parser.ts";
import { clientInfoHeaders } from "./client-info.ts";
import { describeFetchFailure } from "./request-deadline.ts";

/** Options of {@link GlobusClient}. */
export interface GlobusClientOptions {
  /** The app whose tokens authorize requests (excludes `authorizer`). */
  app?: GlobusApp;
  /** Scopes to register with the app instead of the client's defaults. Needs `app`. */
  appScopes?: ScopesInput;
  /** A fixed authorizer (excludes `app`). */
  authorizer?: GlobusAuthorizer;
  /**
   * The service's base URL, e.g. an emulator's `http://127.0.0.1:8700/transfer/`.
   *
   * @default from the environment (the app's, else `GLOBUS_SDK_ENVIRONMENT`), where
   * `GLOBUS_SDK_SERVICE_URL_<SERVICE>` replaces one service's URL: `_AUTH`, `_TRANSFER`, `_GROUPS`,
   * `_SEARCH`, `_FLOWS`, `_TIMER`, `_COMPUTE` (the service name upper-cased). For an `AuthClient`
   * bound to an app, Globus Auth's URL is always the app's login client's `baseUrl`, where the
   * app's tokens come from: another `baseUrl` is a `GlobusSDKUsageError`, since the app's tokens
   * would be sent to another server.
   */
  baseUrl?: string;
  /** The Globus environment. @default the app's, else `GLOBUS_SDK_ENVIRONMENT`, else production */
  environment?: string;
  /** How many times to retry 429/5xx and network failures (with backoff, honouring Retry-After). @default 3 */
  retryLimit?: number;
  /** Longest wait between retries, in ms. @default 10000 */
  maxRetryDelayMs?: number;
  /**
   * Time limit of each attempt in milliseconds, for the answer's headers and again for its body, or
   * `null` for none; past it the request fails with a `GlobusNetworkError` coded `NETWORK_TIMEOUT`.
   * @default the bound app's `httpTimeoutMs`, else `GLOBUS_SDK_HTTP_TIMEOUT` (seconds; -1 is none), else 60000
   */
  timeoutMs?: number | null;
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof fetch;
  /**
   * A name for the application, sent in `User-Agent` (`globus-app-js-<version>/<appName>`) outside
   * browsers, as the Python SDK's `app_name`. @default the bound app's `appName`
   */
  appName?: string;
}

/** What a service client says about its service. */
export interface GlobusServiceInfo {
  /** Name used for the base URL and `GLOBUS_SDK_SERVICE_URL_<SERVICE>`, e.g. "transfer". */
  service: string;
  /** The resource server its tokens are for, e.g. "transfer.api.globus.org". */
  resourceServer: string | undefined;
  /** Scopes registered with a bound app unless `appScopes` replaces them. */
  defaultScopes: ScopesInput;
  /**
   * The service's own retry rule for an answer the client would retry (429, 500, 502, 503, 504):
   * return `false` to fail at once instead, e.g. Transfer's `ExternalError.*` answers, which say an
   * endpoint refused, not that the service hiccupped. @default every such answer is retried
   */
  retryCheck?: (status: number, body: unknown) => boolean;
  /**
   * Builds the service's error type (a {@link GlobusAPIError} subclass) for an error answer.
   * @default `new GlobusAPIError(init)`
   */
  createError?: (init: GlobusAPIErrorInit) => GlobusAPIError;
}

/** Options of one request. */
export interface GlobusRequestOptions {
  /** Query parameters. */
  query?: Record<string, string | number | boolean | undefined>;
  /** A JSON body. */
  json?: unknown;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Cancels the request: it then fails with a `GlobusNetworkError` coded `NETWORK_ABORTED`. */
  signal?: AbortSignal;
}

const RETRY_STATUSES = [429, 500, 502, 503, 504];

/**
 * An HTTP client for a Globus service, on ky. Bound to an app, it asks the app for the
 * `Authorization` header on every attempt; a 401 renews the token once and retries; 429 and 5xx are
 * retried with backoff honouring `Retry-After`; with `autoRedriveGares`, the first 403 carrying a GARE
 * logs in with its parameters and retries once. Error answers are {@link GlobusAPIError}s with the
 * GAREs parsed; a connection that fails, an answer that comes too late and a cancelled request are
 * {@link GlobusNetworkError}s (`NETWORK_ERROR`, `NETWORK_TIMEOUT`, `NETWORK_ABORTED`); what the app
 * throws while providing the token (Auth's `invalid_client`, a `TokenStorageError`, a login error)
 * is thrown unchanged.
 *
 * @example
 * ```ts
 * const transfer = new GlobusClient({ app }, { service: "transfer", resourceServer: "transfer.api.globus.org",
 *   defaultScopes: TransferScopes.all });
 * const result = await transfer.get("v0.10/endpoint_search", { query: { filter_fulltext: "tutorial" } });
 * ```
 */
export class GlobusClient {
  /** The app the client is bound to, if any. */
  readonly app: GlobusApp | undefined;
  /** The service's base URL, ending in `/`. */
  readonly baseUrl: string;
  /** The resource server of the service. */
  readonly resourceServer: string | undefined;
  /** Time limit of each attempt in milliseconds, or `null` for none. */
  readonly timeoutMs: number | null;
  readonly #authorizer: GlobusAuthorizer | undefined;
  readonly #kyOptions: KyOptions;
  readonly #createError: ((init: GlobusAPIErrorInit) => GlobusAPIError) | undefined;
  // ky loads on the first request, so scripts that only read tokens never pay for it.
  #ky:
    | Promise<{
        ky: KyInstance;
        isHTTPError: typeof import("ky").isHTTPError;
        isNetworkError: typeof import("ky").isNetworkError;
        isTimeoutError: typeof import("ky").isTimeoutError;
      }>
    | undefined;

  /** The application name sent in `User-Agent` (see {@link GlobusClientOptions.appName}). */
  readonly appName: string | undefined;

  constructor(options: GlobusClientOptions, info: GlobusServiceInfo) {
    if (options.app && options.authorizer) {
      throw new GlobusSDKUsageError(`A ${new.target.name} cannot use both an 'app' and an 'authorizer'.`);
    }
    if (options.appScopes !== undefined && !options.app) {
      throw new GlobusSDKUsageError(`A ${new.target.name} must have an 'app' to use 'appScopes'.`);
    }
    this.app = options.app;
    this.#authorizer = options.authorizer;
    this.resourceServer = info.resourceServer;
    const environment = options.environment ?? options.app?.config.environment;
    if (options.app && options.environment && options.environment !== options.app.config.environment) {
      throw new GlobusSDKUsageError(
        `[Environment Mismatch] ${new.target.name}'s environment (${options.environment}) does not match the GlobusApp's configured environment (${options.app.config.environment}).`,
      );
    }
    this.baseUrl = resolveBaseUrl(new.target.name, options, info, environment);
    if (options.app) {
      if (!info.resourceServer) {
        throw new GlobusSDKUsageError(
          "Unable to use an 'app' with a client with no 'resource_server' defined.",
        );
      }
      const scopes = normalizeScopes(options.appScopes ?? info.defaultScopes);
      if (scopes.length > 0) options.app.addScopeRequirements({ [info.resourceServer]: scopes });
    }
    this.timeoutMs =
      options.timeoutMs === undefined && options.app?.config.httpTimeoutMs !== undefined
        ? options.app.config.httpTimeoutMs
        : resolveTimeoutMs(options.timeoutMs, `${new.target.name}'s timeoutMs`);
    this.#createError = info.createError;
    const retryCheck = info.retryCheck;
    this.appName = options.appName ?? options.app?.appName;
    this.#kyOptions = {
      prefix: this.baseUrl,
      headers: clientInfoHeaders(this.appName, "service"),
      timeout: this.timeoutMs ?? false,
      retry: {
        limit: options.retryLimit ?? 3,
        methods: ["get", "put", "head", "delete", "options", "post", "patch"],
        statusCodes: RETRY_STATUSES,
        afterStatusCodes: [429, 503],
        backoffLimit: options.maxRetryDelayMs ?? 10_000,
        maxRetryAfter: options.maxRetryDelayMs ?? 10_000,
        jitter: true,
        // ky hands over its HTTPError with the body already parsed into `data`.
        ...(retryCheck
          ? {
              shouldRetry: ({ error }: { error: unknown }) => {
                const failed = error as { response?: unknown; data?: unknown };
                if (!(failed.response instanceof Response)) return undefined;
                return retryCheck(failed.response.status, failed.data) ? undefined : false;
              },
            }
          : {}),
      },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    };
  }

  /** Registers more scopes for this client's resource server with the bound app. Chainable. */
  addAppScope(scopes: ScopesInput): this {
    if (!this.app || !this.resourceServer) {
      throw new GlobusSDKUsageError("Cannot 'addAppScope' on a client that does not have an 'app'.");
    }
    this.app.addScopeRequirements({ [this.resourceServer]: scopes });
    return this;
  }

  #loadKy() {
    this.#ky ??= import("ky").then(({ default: ky, isHTTPError, isNetworkError, isTimeoutError }) => ({
      ky: ky.create(this.#kyOptions),
      isHTTPError,
      isNetworkError,
      isTimeoutError,
    }));
    return this.#ky;
  }

  async #authorizerForRequest(): Promise<GlobusAuthorizer | undefined> {
    if (this.#authorizer) return this.#authorizer;
    if (this.app && this.resourceServer) return this.app.getAuthorizer(this.resourceServer);
    return undefined;
  }

  /**
   * Sends a request and returns the parsed JSON body (or `undefined` for an empty body).
   *
   * @throws GlobusAPIError for an error answer (after retries); GlobusNetworkError when the service
   *   cannot be reached (the message names the cause, e.g. `ECONNREFUSED 127.0.0.1:8700`), answers
   *   with a body that is not JSON, answers too late (`NETWORK_TIMEOUT`) or `signal` aborts
   *   (`NETWORK_ABORTED`); whatever the bound app throws while providing the token, unchanged.
   */
  async request<T = unknown>(method: string, path: string, options: GlobusRequestOptions = {}): Promise<T> {
    const { ky, isHTTPError, isNetworkError, isTimeoutError } = await this.#loadKy();
    const state = { renewed: false, redriven: false };
    const what = `${method.toUpperCase()} ${this.baseUrl}${path.replace(/^\//, "")}`;
    // Names the request (method and path, never its query, headers or body) and why.
    const log = this.app?.config.logger;
    const authorize = async (request: Request) => {
      const authorizer = await this.#authorizerForRequest();
      // An empty header (NullAuthorizer) sends none.
      const header = await authorizer?.getAuthorizationHeader();
      if (header) request.headers.set("authorization", header);
      return request;
    };
    const afterResponse = async ({ response }: AfterResponseState) => {
      if (response.status === 401 && !state.renewed) {
        state.renewed = true;
        const authorizer = await this.#authorizerForRequest();
        if (authorizer && (await authorizer.handleMissingAuthorization())) {
          log?.info(`retrying ${what}: 401, the access token was renewed`);
          return ky.retry({ delay: 0 });
        }
      }
      if (
        response.status === 403 &&
        !state.redriven &&
        this.app?.config.autoRedriveGares &&
        this.resourceServer
      ) {
        const gare = toGare(
          await response
            .clone()
            .json()
            .catch(() => null),
        );
        if (gare) {
          state.redriven = true;
          log?.info(`redriving ${what}: 403 ${gare.code}, logging in with its authorization parameters`);
          await this.app.login({ authParams: gare.authorization_parameters });
          return ky.retry({ delay: 0 });
        }
      }
      return undefined;
    };
    const query = Object.fromEntries(
      Object.entries(options.query ?? {}).filter(
        (entry): entry is [string, string | number | boolean] => entry[1] !== undefined,
      ),
    );
    let text: string;
    try {
      // ky's body shortcut, so that reading the body is bounded by the time limit too.
      text = await ky(path.replace(/^\//, ""), {
        method,
        searchParams: query,
        ...(options.json !== undefined ? { json: options.json } : {}),
        headers: { accept: "application/json", ...options.headers },
        ...(options.signal ? { signal: options.signal } : {}),
        hooks: {
          beforeRequest: [({ request }) => authorize(request)],
          beforeRetry: [
            ({ request, error, retryCount }) => {
              const status = (error as { response?: { status?: unknown } }).response?.status;
              // A forced retry (renewed token, redrive) was logged with its reason where it was forced.
              if (error.name !== "ForceRetryError") {
                log?.warn(`retry ${retryCount} of ${what}: ${status ? `HTTP ${status}` : error.name}`);
              }
              return authorize(request);
            },
          ],
          afterResponse: [afterResponse],
          beforeError: [(state) => toGlobusAPIError(state, isHTTPError, this.#createError)],
        },
      }).text();
    } catch (error) {
      // Ours already (an API error; Auth's refusal, a TokenStorageError or a LoginFlowError from the
      // app providing the token): keep it.
      if (isGlobusError(error)) throw error;
      if (options.signal?.aborted) {
        throw new GlobusNetworkError(`${what} was cancelled by the caller's AbortSignal.`, {
          code: "NETWORK_ABORTED",
          cause: safeCause(options.signal.reason),
        });
      }
      if (isTimeoutError(error)) {
        throw new GlobusNetworkError(`${what} got no complete answer within ${this.timeoutMs} ms.`, {
          code: "NETWORK_TIMEOUT",
        });
      }
      if (isNetworkError(error) || isBodyStreamFailure(error)) {
        throw new GlobusNetworkError(`${what} failed: ${describeFetchFailure(error)}`, {
          cause: safeCause(error),
        });
      }
      // Not a network failure (a bug, or an error of the app's own code): unchanged, not disguised.
      throw error;
    }
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new GlobusNetworkError(`${what} answered with a body that is not JSON.`, {
        cause: safeCause(error),
      });
    }
  }

  /** GET `path`. */
  get<T = unknown>(path: string, options?: GlobusRequestOptions): Promise<T> {
    return this.request<T>("get", path, options);
  }
  /** POST `path`. */
  post<T = unknown>(path: string, options?: GlobusRequestOptions): Promise<T> {
    return this.request<T>("post", path, options);
  }
  /** PUT `path`. */
  put<T = unknown>(path: string, options?: GlobusRequestOptions): Promise<T> {
    return this.request<T>("put", path, options);
  }
  /** PATCH `path`. */
  patch<T = unknown>(path: string, options?: GlobusRequestOptions): Promise<T> {
    return this.request<T>("patch", path, options);
  }
  /** DELETE `path`. */
  delete<T = unknown>(path: string, options?: GlobusRequestOptions): Promise<T> {
    return this.request<T>("delete", path, options);
  }
}

/**
 * The base URL of a client. An AuthClient bound to an app talks to the Auth its app's tokens come
 * from (the login client's), never to another: a token of an emulator or a test environment must
 * not travel to production, nor production's to a look-alike.
 */
function resolveBaseUrl(
  clientName: string,
  options: GlobusClientOptions,
  info: GlobusServiceInfo,
  environment: string | undefined,
): string {
  const withSlash = (url: string) => (url.endsWith("/") ? url : `${url}/`);
  if (info.service === "auth" && options.app) {
    const appAuth = withSlash(options.app.loginClient.baseUrl);
    if (options.baseUrl !== undefined && sameUrl(options.baseUrl, appAuth) === false) {
      throw new GlobusSDKUsageError(
        `[Base URL Mismatch] ${clientName}'s baseUrl (${options.baseUrl}) is not the Globus Auth of its GlobusApp's login client (${appAuth}); the app's tokens must not be sent elsewhere.`,
      );
    }
    return appAuth;
  }
  return withSlash(options.baseUrl ?? getServiceUrl(info.service, environment));
}

/** Whether two absolute URLs name the same base (trailing slash and letter case of the host aside). */
function sameUrl(a: string, b: string): boolean {
  try {
    const [x, y] = [new URL(a).href, new URL(b).href].map((u) => (u.endsWith("/") ? u : `${u}/`));
    return x === y;
  } catch {
    return false;
  }
}

/** A body read that failed on the socket (undici's "terminated", with the system error as cause). */
function isBodyStreamFailure(error: unknown): boolean {
  return error instanceof TypeError && describeFetchFailure(error) !== safeCause(error).message;
}

/** ky's `beforeError` hook: an HTTP error answer becomes a GlobusAPIError; anything else passes unchanged. */
async function toGlobusAPIError(
  { error, request }: BeforeErrorState,
  isHTTPError: typeof import("ky").isHTTPError,
  create: ((init: GlobusAPIErrorInit) => GlobusAPIError) | undefined,
): Promise<Error> {
  const url = request.url.split("?")[0] as string;
  if (!isHTTPError(error)) return error;
  const body =
    error.data !== undefined
      ? error.data
      : await error.response
          .clone()
          .json()
          .catch(() => undefined);
  return globusAPIErrorFromBody<GARE>({
    status: error.response.status,
    method: request.method,
    url,
    body,
    headers: error.response.headers,
    gares: toGares([body]),
    ...(create ? { create } : {}),
  });
}
