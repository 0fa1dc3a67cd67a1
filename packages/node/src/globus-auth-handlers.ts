import type {
  GlobusAuthorizationParameters,
  GlobusAuthorizer,
  ScopeRequirementsInput,
  TokenStorage,
} from "@globus-app/core";

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
