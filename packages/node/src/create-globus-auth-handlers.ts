import {
  ConfidentialAppAuthClient,
  type GlobusAuthorizationParameters,
  type GlobusAuthorizer,
  GlobusSDKUsageError,
  globusLogoutUrl,
  isGlobusError,
  isGlobusNetworkError,
  isLoginFlowError,
  isTokenValidationError,
  LoginStateMismatchError,
  MemoryTokenStorage,
  parseLoginCallback,
  type ScopeRequirementsInput,
  type TokenStorage,
} from "@globus-app/core";
import { CookieSealer } from "./cookie-sealer.ts";
import {
  isSessionCookieError,
  isSessionRequiredError,
  SessionCookieError,
  SessionRequiredError,
  UnsafeReturnUrlError,
} from "./server-session-errors.ts";
import { UserApp } from "./user-app.ts";

/**
 * Where a portal keeps each person's tokens: one namespace per person (their identity id). Either a
 * storage with `forNamespace` (`PostgresTokenStorage`, `RedisTokenStorage`) or a function making
 * one (`(id) => new SQLiteTokenStorage(file, { namespace: id })`).
 */
export type PerPersonTokenStorage =
  | {
      /** The storage of one namespace (one person's tokens) over the same database. */
      forNamespace(namespace: string): TokenStorage;
    }
  | ((identityId: string) => TokenStorage);

/** The session cookie: sealed with jose's JWE, HttpOnly, SameSite=Lax, Secure unless told otherwise. */
export interface SessionCookieOptions {
  /**
   * Secrets of at least 32 random characters. The first seals new cookies; all open them. To rotate,
   * put a new secret first and drop the old one after `maxAgeSeconds`: cookies sealed with a dropped
   * secret are refused (`SessionCookieError`, 400) and their holders sign in again.
   */
  secrets: readonly string[];
  /** @default "__Host-globus-session" (`"globus-session"` when `secure` is false: the prefix needs Secure) */
  cookieName?: string;
  /** How long a session lasts. @default 604800 (7 days) */
  maxAgeSeconds?: number;
  /**
   * Mark cookies Secure (sent over https only). Browsers treat http://localhost as secure, so the
   * default works in development too; turn it off only behind a plain-http test proxy.
   * @default true
   */
  secure?: boolean;
}

/** Options of {@link createGlobusAuthHandlers}. */
export interface GlobusAuthHandlersOptions {
  /** The portal's confidential client id, registered with Globus Auth. */
  clientId: string;
  /** The client secret. Stays on the server: it is never put in a cookie, page or message. */
  clientSecret: string;
  /**
   * The absolute callback URL registered with the client (`https://portal.example.org/auth/callback`),
   * served by {@link GlobusAuthHandlers.callback}. Its origin is the portal's: return URLs must share it.
   */
  redirectUri: string;
  /** Scopes the portal needs, per resource server; `openid profile email` are always asked for. */
  scopeRequirements?: ScopeRequirementsInput;
  /** Where each person's tokens live (one namespace per identity id). */
  tokenStorage: PerPersonTokenStorage;
  /** The session cookie. */
  session: SessionCookieOptions;
  /** Shown by Globus on the consent page and used as the app name. @default "Globus portal" */
  appName?: string;
  /** Globus environment. @default `GLOBUS_SDK_ENVIRONMENT` or production */
  environment?: string;
  /** Globus Auth's base URL (the emulator's, for tests). @default the environment's */
  authBaseUrl?: string;
  /** Where to go after login and logout when no `returnTo` is given. @default "/" */
  defaultReturnTo?: string;
  /**
   * Also end the person's Globus session on logout (send them to Globus Auth's logout page, which
   * comes back to the return URL), so the next sign-in asks for their identity again. @default false
   */
  endGlobusSession?: boolean;
  /**
   * People whose app (and cached authorizers) each replica keeps in memory, least recently used
   * dropped first. A replica keeps handing out a cached access token until it expires even if
   * another replica logged the person out (it was revoked; Globus then answers 401, and the next
   * renewal finds no tokens); 0 makes every request read the storage instead. @default 1000
   */
  maxCachedPeople?: number;
  /**
   * Told of every request the handlers refuse (forged callback, tampered cookie, off-site return
   * URL…), with the typed error, before the 400 or 401 goes out. For logging; never given secrets.
   */
  onError?: (error: unknown, request: Request) => void;
}

/** The signed-in person, from the verified id_token of their login. */
export interface GlobusPortalUser {
  /** Their Globus identity id (the namespace of their tokens). */
  identityId: string;
  username: string | null;
  name: string | null;
  email: string | null;
  organization: string | null;
}

/** Options of {@link GlobusAuthHandlers.login} beyond the request. */
export interface PortalLoginOptions {
  /** Session parameters and extra scopes (from a GARE, say); the app's scopes are always added. */
  authParams?: GlobusAuthorizationParameters;
}

/** What {@link createGlobusAuthHandlers} returns: Web-standard handlers for a server-side portal. */
export interface GlobusAuthHandlers {
  /**
   * `GET /login?returnTo=/path`: sends the person to Globus Auth (302), with the login's `state`
   * and return path sealed into a short-lived cookie. 400 ({@link UnsafeReturnUrlError}) for a
   * return URL off this site.
   */
  login(request: Request, options?: PortalLoginOptions): Promise<Response>;
  /**
   * `GET /callback` (the `redirectUri`): checks the callback against the login cookie with the one
   * callback parser every flow uses, exchanges the code (client id and secret), stores the tokens in
   * the person's namespace, sets the session cookie and redirects (303) to the return path. A
   * forged, replayed or stale callback, a tampered login cookie or a denied consent is answered 400
   * with the typed error's name and code as JSON.
   */
  callback(request: Request): Promise<Response>;
  /**
   * `POST /logout` (optionally `?returnTo=/path`): revokes and removes the person's tokens, clears
   * the session cookie and redirects (303) to the return path — through Globus Auth's logout page
   * with `endGlobusSession`. Other methods get 405; a cross-site POST (Origin of another site) 400.
   */
  logout(request: Request): Promise<Response>;
  /**
   * The signed-in person, or null without an (unexpired) session cookie.
   * @throws SessionCookieError for a cookie that was tampered with or sealed with a retired key.
   */
  getUser(request: Request): Promise<GlobusPortalUser | null>;
  /**
   * The person's authorizer for a resource server, refreshing an expired token once across every
   * replica (the storage's lock).
   *
   * @throws SessionRequiredError without a session; SessionCookieError for a bad cookie;
   *   TokenValidationError when their tokens are missing or unusable (they must sign in again).
   */
  getAuthorizer(request: Request, resourceServer: string): Promise<GlobusAuthorizer>;
  /**
   * The response for an error thrown by {@link getUser} or {@link getAuthorizer} (or returned by
   * the handlers): 400 for a bad cookie or request, 401 (and a cleared cookie) for a missing session
   * or unusable tokens. Rethrows anything else.
   */
  errorResponse(error: unknown, request: Request): Response;
  /** Closes the cached per-person apps and the storages the handlers made. */
  close(): Promise<void>;
}

const LOGIN_PURPOSE = "globus-app:login";
const SESSION_PURPOSE = "globus-app:session";
/** A login must come back within this long (Globus's own consent pages expire sooner). */
const LOGIN_COOKIE_SECONDS = 600;
const USER_SCOPES = "openid profile email";

/**
 * Builds the login handlers of a server-side portal: a confidential client, tokens kept on the
 * server per person, the browser holding only an encrypted session cookie. Web-standard
 * `Request`/`Response`, so one set serves Node (with {@link toNodeListener} for node:http, Express,
 * Fastify), Next.js route handlers, Hono, `Deno.serve` and `Bun.serve`. Several replicas can share
 * one token storage (`PostgresTokenStorage`, `RedisTokenStorage`) and the same session secrets.
 *
 * @throws GlobusSDKUsageError for a missing client id or secret, a relative `redirectUri`, or
 *   session secrets that are missing or short.
 * @example
 * ```ts
 * const auth = createGlobusAuthHandlers({
 *   clientId: process.env.GLOBUS_CLIENT_ID!, clientSecret: process.env.GLOBUS_CLIENT_SECRET!,
 *   redirectUri: "https://portal.example.org/auth/callback",
 *   scopeRequirements: { "transfer.api.globus.org": "urn:globus:auth:scope:transfer.api.globus.org:all" },
 *   tokenStorage: new PostgresTokenStorage({ connectionString: process.env.DATABASE_URL }),
 *   session: { secrets: [process.env.SESSION_SECRET!] },
 * });
 * Deno.serve((req) => new URL(req.url).pathname === "/auth/login" ? auth.login(req) : …);
 * ```
 */
export function createGlobusAuthHandlers(options: GlobusAuthHandlersOptions): GlobusAuthHandlers {
  let redirect: URL;
  try {
    redirect = new URL(options.redirectUri);
  } catch {
    throw new GlobusSDKUsageError(
      "redirectUri must be an absolute URL (https://portal.example.org/auth/callback).",
    );
  }
  if (!options.tokenStorage) throw new GlobusSDKUsageError("createGlobusAuthHandlers needs a tokenStorage.");
  const origin = redirect.origin;
  const redirectUri = redirect.href;
  const sealer = new CookieSealer(options.session?.secrets);
  const secure = options.session.secure ?? true;
  const sessionCookie = options.session.cookieName ?? (secure ? "__Host-globus-session" : "globus-session");
  const loginCookie = secure ? "__Host-globus-login" : "globus-login";
  const sessionSeconds = options.session.maxAgeSeconds ?? 604_800;
  const appName = options.appName ?? "Globus portal";
  const maxCached = options.maxCachedPeople ?? 1000;
  const defaultReturnTo = sameSitePath(options.defaultReturnTo ?? "/", origin);
  const loginClient = new ConfidentialAppAuthClient({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    ...(options.environment === undefined ? {} : { environment: options.environment }),
    ...(options.authBaseUrl === undefined ? {} : { baseUrl: options.authBaseUrl }),
  });
  const appOptions = (tokenStorage: TokenStorage) => ({
    loginClient,
    scopeRequirements: { ...options.scopeRequirements },
    config: {
      tokenStorage,
      requestRefreshTokens: true,
      // A server never runs an interactive login: missing tokens are the caller's 401.
      tokenValidationErrorHandler: null,
      ...(options.environment === undefined ? {} : { environment: options.environment }),
    },
  });
  // The scopes a login asks for: what the apps require (openid added), plus profile and email for getUser.
  const template = new UserApp(appName, appOptions(new MemoryTokenStorage()));
  template.addScopeRequirements({ "auth.globus.org": USER_SCOPES });
  const requiredScopes = Object.values(template.scopeRequirements).flat().map(String);
  void template.close();

  const storageFor = (identityId: string): TokenStorage =>
    typeof options.tokenStorage === "function"
      ? options.tokenStorage(identityId)
      : options.tokenStorage.forNamespace(identityId);

  // Per-person apps, least recently used first: each keeps its authorizers, so a warm token costs no I/O.
  const people = new Map<string, { app: UserApp; storage: TokenStorage }>();
  const personApp = (identityId: string): UserApp => {
    const cached = people.get(identityId);
    if (cached) {
      people.delete(identityId);
      people.set(identityId, cached);
      return cached.app;
    }
    const storage = storageFor(identityId);
    const app = new UserApp(appName, appOptions(storage));
    if (maxCached > 0) {
      people.set(identityId, { app, storage });
      for (const [id] of people) {
        if (people.size <= maxCached) break;
        forget(id);
      }
    }
    return app;
  };
  const forget = (identityId: string): void => {
    const cached = people.get(identityId);
    if (!cached) return;
    people.delete(identityId);
    void cached.app
      .close()
      .then(() => cached.storage.close())
      .catch(() => undefined);
  };

  const refuse = (error: unknown, request: Request, status: number, clear: string[]): Response => {
    options.onError?.(error, request);
    const { name, code, message } = error as { name: string; code: string; message: string };
    const headers = new Headers({ "Content-Type": "application/json", "Cache-Control": "no-store" });
    for (const cookie of clear) headers.append("Set-Cookie", clearCookie(cookie, secure));
    return new Response(JSON.stringify({ error: name, code, message }), { status, headers });
  };

  const readSession = async (request: Request): Promise<GlobusPortalUser | null> => {
    const value = readCookie(request, sessionCookie);
    if (value === undefined) return null;
    const claims = await sealer.open(value, SESSION_PURPOSE);
    if (!claims) return null;
    if (typeof claims.sub !== "string" || claims.sub === "") throw new SessionCookieError();
    const text = (key: string) => (typeof claims[key] === "string" ? (claims[key] as string) : null);
    return {
      identityId: claims.sub,
      username: text("preferred_username"),
      name: text("name"),
      email: text("email"),
      organization: text("organization"),
    };
  };

  const errorResponse = (error: unknown, request: Request): Response => {
    if (isSessionCookieError(error)) return refuse(error, request, 400, [sessionCookie]);
    if (isSessionRequiredError(error) || isTokenValidationError(error)) {
      return refuse(error, request, 401, [sessionCookie]);
    }
    if (isLoginFlowError(error)) return refuse(error, request, 400, [loginCookie]);
    throw error;
  };

  return {
    async login(request, loginOptions = {}) {
      let returnTo: string;
      try {
        returnTo = returnPath(request, origin, defaultReturnTo);
      } catch (error) {
        return errorResponse(error, request);
      }
      const authParams = loginOptions.authParams ?? {};
      const started = await loginClient.createAuthorizationRequest({
        redirectUri,
        requestRefreshTokens: true,
        authParams: {
          ...authParams,
          required_scopes: [...requiredScopes, ...(authParams.required_scopes ?? [])],
        },
      });
      // The state and return path travel sealed; confidential clients send no PKCE verifier (Globus
      // documents PKCE for native apps only), so the state alone binds the callback to this browser.
      const sealed = await sealer.seal(
        { state: started.state, returnTo },
        LOGIN_PURPOSE,
        LOGIN_COOKIE_SECONDS,
      );
      const headers = new Headers({ Location: started.url, "Cache-Control": "no-store" });
      headers.append("Set-Cookie", setCookie(loginCookie, sealed, LOGIN_COOKIE_SECONDS, secure));
      return new Response(null, { status: 302, headers });
    },

    async callback(request) {
      try {
        const value = readCookie(request, loginCookie);
        // No login cookie: a replayed callback (the cookie goes at the first use), one forged by
        // another site, or a login older than ten minutes.
        const pending = value === undefined ? null : await sealer.open(value, LOGIN_PURPOSE);
        if (!pending || typeof pending.state !== "string" || typeof pending.returnTo !== "string") {
          throw new LoginStateMismatchError();
        }
        const code = parseLoginCallback(request.url, { state: pending.state, issuer: loginClient.issuer });
        const response = await loginClient.exchangeAuthorizationCode({
          code,
          codeVerifier: null,
          redirectUri,
        });
        const identityId = response.identityId;
        if (!identityId)
          throw new SessionCookieError("Globus Auth sent no verified identity with the tokens.");
        forget(identityId);
        const app = personApp(identityId);
        await app.tokenStorage.storeTokenResponse(response);
        const claims = response.idTokenClaims ?? {};
        const session = await sealer.seal(
          {
            sub: identityId,
            ...pick(claims, ["preferred_username", "name", "email", "organization"]),
          },
          SESSION_PURPOSE,
          sessionSeconds,
        );
        const headers = new Headers({
          Location: sameSitePath(pending.returnTo, origin),
          "Cache-Control": "no-store",
        });
        headers.append("Set-Cookie", clearCookie(loginCookie, secure));
        headers.append("Set-Cookie", setCookie(sessionCookie, session, sessionSeconds, secure));
        return new Response(null, { status: 303, headers });
      } catch (error) {
        // Globus refusing the code (already used, expired) is as much a bad callback as a wrong state;
        // Globus being unreachable is not the request's fault and goes to the server's error handling.
        if (isGlobusError(error) && !isGlobusNetworkError(error))
          return refuse(error, request, 400, [loginCookie]);
        throw error;
      }
    },

    async logout(request) {
      if (request.method !== "POST") {
        return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
      }
      let returnTo: string;
      let user: GlobusPortalUser | null = null;
      try {
        const from = request.headers.get("Origin");
        // SameSite=Lax keeps the cookie off cross-site POSTs already; this refuses them outright.
        if (from !== null && from !== origin)
          throw new UnsafeReturnUrlError("A logout must come from this site.");
        returnTo = returnPath(request, origin, defaultReturnTo);
        user = await readSession(request);
      } catch (error) {
        if (!isSessionCookieError(error)) return errorResponse(error, request);
        // A bad cookie still gets cleared below: logging out must always work.
        returnTo = defaultReturnTo;
      }
      if (user) {
        const app = personApp(user.identityId);
        try {
          await app.logout({ sweep: true, removeUnreadable: true });
        } finally {
          forget(user.identityId);
        }
      }
      const target = new URL(returnTo, origin).href;
      const location = options.endGlobusSession
        ? globusLogoutUrl({
            clientId: loginClient.clientId,
            redirectUri: target,
            redirectName: appName,
            authBaseUrl: loginClient.baseUrl,
          })
        : returnTo;
      const headers = new Headers({ Location: location, "Cache-Control": "no-store" });
      headers.append("Set-Cookie", clearCookie(sessionCookie, secure));
      return new Response(null, { status: 303, headers });
    },

    getUser: readSession,

    async getAuthorizer(request, resourceServer) {
      const user = await readSession(request);
      if (!user) throw new SessionRequiredError();
      return personApp(user.identityId).getAuthorizer(resourceServer);
    },

    errorResponse,

    async close() {
      for (const id of [...people.keys()]) forget(id);
      await loginClient.close();
    },
  };
}

/** The `returnTo` query parameter as a same-site path, or `fallback` when absent. */
function returnPath(request: Request, origin: string, fallback: string): string {
  const value = new URL(request.url).searchParams.get("returnTo");
  return value === null ? fallback : sameSitePath(value, origin);
}

/**
 * `value` as a path (with query and fragment) on `origin`.
 * @throws UnsafeReturnUrlError for anything that leads elsewhere.
 */
function sameSitePath(value: string, origin: string): string {
  // Only a path: "//host" and "/\host" are other sites to browsers, control characters hide tricks.
  if (
    !value.startsWith("/") ||
    value.startsWith("//") ||
    value.startsWith("/\\") ||
    [...value].some((char) => char < " " || char === "\\")
  ) {
    throw new UnsafeReturnUrlError();
  }
  const url = new URL(value, origin);
  if (url.origin !== origin) throw new UnsafeReturnUrlError();
  return `${url.pathname}${url.search}${url.hash}`;
}

function pick(claims: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) if (typeof claims[key] === "string") out[key] = claims[key] as string;
  return out;
}

/**
 * One cookie's value from the Cookie header. The values this module sets are JWE compact strings
 * (base64url and dots), which need no decoding; a name that appears twice counts as absent rather
 * than guessing which copy a browser meant.
 */
function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("Cookie");
  if (!header) return undefined;
  const found = header
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${name}=`))
    .map((part) => part.slice(name.length + 1));
  return found.length === 1 ? found[0] : undefined;
}

function setCookie(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${name}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

function clearCookie(name: string, secure: boolean): string {
  return `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}
