import type { IncomingMessage } from "node:http";
import { isIPv4, isIPv6 } from "node:net";
import type { EmulatorState } from "./emulator-state.ts";

/**
 * @internal Host names (as `URL.hostname` spells them) of the loopback redirect URIs native clients
 * may use on any port, and of the names the emulator answers to.
 */
export const LOOPBACK_HOSTNAMES: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * @internal Whether binding to `host` keeps the emulator on this machine: `localhost`, 127.0.0.0/8
 * or `::1`. Wildcards (`0.0.0.0`, `::`) and every other address or name are not.
 */
export function isLoopbackBindHost(host: string): boolean {
  const lower = host.toLowerCase();
  if (lower === "localhost") return true;
  if (isIPv4(lower)) return lower.startsWith("127.");
  if (isIPv6(lower)) return lower === "::1" || lower === "0:0:0:0:0:0:0:1" || /^::ffff:127\./.test(lower);
  return false;
}

/**
 * @internal Checks one entry of `allowedOrigins` and returns it as browsers send it in `Origin`
 * (lower-case, default port dropped).
 * @throws {RangeError} unless it is an `http:` or `https:` origin with no path, query or credentials.
 */
export function normalizeAllowedOrigin(value: string): string {
  const refuse = (): never => {
    throw new RangeError(
      `allowedOrigins: '${value.slice(0, 200)}' is not an origin like http://localhost:3000 (scheme, host and port only)`,
    );
  };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse();
  }
  if (
    (url.protocol !== "http:" && url.protocol !== "https:") ||
    url.username !== "" ||
    url.password !== "" ||
    url.pathname !== "/" ||
    /[?#]/.test(value)
  ) {
    refuse();
  }
  return url.origin;
}

/** `value` if browsers could have sent it as an `Origin` header (serialised, not `null`); else undefined. */
function canonicalOrigin(value: string | undefined): URL | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    return url.origin === value ? url : undefined;
  } catch {
    return undefined;
  }
}

function originOf(uri: string): string | undefined {
  try {
    const origin = new URL(uri).origin;
    return origin === "null" ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * @internal Which browsers and which `Host` names the emulator answers. Two classes of endpoint:
 *
 * - The OAuth endpoints a browser app calls cross-origin (token, revoke, introspect, jwk.json,
 *   .well-known, userinfo, identities, consents, the fake Transfer API) answer CORS for the origins
 *   of registered redirect URIs, the explicitly allowed origins and the emulator's own. They hold
 *   nothing ambient: every call carries its own proof (a code and PKCE verifier, a token, a client
 *   secret), so CORS here only lets a page read answers to credentials it already has. That is why
 *   Globus Auth serves public clients' single-page apps from any origin they may redirect to, and
 *   why, while a native client is registered, every loopback origin (`http://127.0.0.1:<any port>`,
 *   `localhost`, `[::1]`) is accepted too: a native client may redirect to any loopback port, so its
 *   page may live on any of them.
 * - The control API (`/_emulator/…`) needs no credentials and can read secrets, mint tokens and
 *   revoke everything, so a browser (a request with `Origin`, or Fetch Metadata saying cross-site or
 *   same-site) may use it only from an origin the person starting the emulator named, or the
 *   emulator's own. The loopback rule above must not leak into it: any local dev server, or any
 *   page a local dev server serves, is on a loopback origin. Callers without `Origin` (Node tests,
 *   curl) are no browser page and keep full access.
 */
export class OriginPolicy {
  readonly #state: EmulatorState;
  readonly #explicit: ReadonlySet<string>;
  readonly #bindHost: string;
  #controlOrigins: ReadonlySet<string>;
  #hosts: ReadonlySet<string> = new Set();
  #anyHost = false;

  /**
   * @param explicitOrigins normalised by {@link normalizeAllowedOrigin}.
   * @param bindHost the address the server listens on.
   */
  constructor(state: EmulatorState, explicitOrigins: readonly string[], bindHost: string) {
    this.#state = state;
    this.#explicit = new Set(explicitOrigins);
    this.#bindHost = bindHost.toLowerCase();
    this.#controlOrigins = this.#explicit;
  }

  /** Completes the policy once the port is known (port 0 picks one at listen time). */
  listening(port: number): void {
    const bound = isIPv6(this.#bindHost) ? `[${this.#bindHost}]` : this.#bindHost;
    // Only reachable with the unsafe opt-in: the names this machine has elsewhere are unknowable.
    this.#anyHost = bound === "0.0.0.0" || bound === "[::]";
    const names = [...LOOPBACK_HOSTNAMES, bound];
    // Port 80 may be left out of a Host header, and is always left out of an origin.
    const authorities = names.map((name) => (port === 80 ? name : `${name}:${port}`));
    this.#hosts = new Set([...names.map((name) => `${name}:${port}`), ...(port === 80 ? names : [])]);
    this.#controlOrigins = new Set([
      ...this.#explicit,
      ...authorities.map((authority) => `http://${authority}`),
    ]);
  }

  /**
   * Whether the `Host` header names this emulator: a loopback name (or the bound address) with the
   * port it listens on. Refusing anything else defeats DNS rebinding, where a page on an attacker's
   * name that resolves to 127.0.0.1 becomes "same origin" with the emulator.
   */
  hostAllowed(host: string | undefined): boolean {
    if (this.#anyHost) return true;
    return host !== undefined && this.#hosts.has(host.toLowerCase());
  }

  /** The origin to echo in `Access-Control-Allow-Origin` on an OAuth or Transfer answer, if any. */
  oauthCorsOrigin(req: IncomingMessage): string | undefined {
    const header = req.headers.origin;
    const url = canonicalOrigin(header);
    if (url === undefined || header === undefined) return undefined;
    if (this.#controlOrigins.has(header)) return header;
    const clients = [...this.#state.clients.values()];
    if (
      url.protocol === "http:" &&
      LOOPBACK_HOSTNAMES.has(url.hostname) &&
      clients.some((client) => client.type === "native")
    ) {
      return header;
    }
    const redirects = [
      ...clients.flatMap((client) => client.redirectUris),
      ...this.#state.globalRedirectUris,
    ];
    return redirects.some((uri) => originOf(uri) === header) ? header : undefined;
  }

  /**
   * For a control request: `{ allowed: true, corsOrigin }` (the origin to echo, if it sent one), or
   * `{ allowed: false }` for a browser page the emulator must not obey.
   */
  controlAccess(
    req: IncomingMessage,
  ): { allowed: true; corsOrigin: string | undefined } | { allowed: false } {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      return this.#controlOrigins.has(origin) ? { allowed: true, corsOrigin: origin } : { allowed: false };
    }
    // Browsers leave Origin off some requests (no-cors GETs, navigations); Fetch Metadata still
    // tells a page on another site (or another port of 127.0.0.1: same-site) from the person.
    const site = req.headers["sec-fetch-site"];
    if (site === "cross-site" || site === "same-site") return { allowed: false };
    return { allowed: true, corsOrigin: undefined };
  }
}
