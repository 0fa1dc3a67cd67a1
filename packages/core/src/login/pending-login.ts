// The pending logins of flows that leave the page (the browser's redirect flow), kept in a
// key-value store (sessionStorage) under their state until the callback. Page-load code: a page
// load asks whether its address is the callback of one of them; starting and completing a login
// (login/redirect-login-steps.ts) is in the login chunk.

/** The part of the Web Storage interface pending logins need (sessionStorage has it). */
export type PendingLoginStore = Pick<Storage, "getItem" | "setItem" | "removeItem" | "key" | "length">;

/** What a redirect login keeps in sessionStorage while the person is at Globus Auth. */
export interface PendingLogin {
  v: 1;
  clientId: string;
  state: string;
  codeVerifier: string | null;
  redirectUri: string;
  returnUrl: string;
  createdAt: number;
}

const STRING_KEYS = ["clientId", "state", "redirectUri", "returnUrl"] as const;

/**
 * Checks a pending login read back from sessionStorage (parsed JSON): every field of the current
 * version present with its type, unknown keys dropped. Undefined when it is not one, so the callback
 * is refused. By hand rather than with valibot: it runs on the page load of every callback, and a
 * property test holds it equal to the valibot schema it replaced.
 */
export function parsePendingLogin(value: unknown): PendingLogin | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const entry = value as Record<string, unknown>;
  if (entry.v !== 1) return undefined;
  if (!STRING_KEYS.every((key) => typeof entry[key] === "string")) return undefined;
  if (entry.codeVerifier !== null && typeof entry.codeVerifier !== "string") return undefined;
  if (typeof entry.createdAt !== "number" || Number.isNaN(entry.createdAt)) return undefined;
  const { clientId, state, codeVerifier, redirectUri, returnUrl, createdAt } =
    entry as unknown as PendingLogin;
  return { v: 1, clientId, state, codeVerifier, redirectUri, returnUrl, createdAt };
}

/** Prefix of the sessionStorage keys of pending redirect logins; one key per `state`. */
export const PENDING_LOGIN_KEY_PREFIX = "globus-app:login:";

/** Query parameters a callback carries, removed from the address bar once it is handled. */
const CALLBACK_PARAMS = ["code", "state", "error", "error_description", "error_uri", "iss"];

/** A stored pending login, or undefined when the text is not one. */
export function parseStoredPendingLogin(raw: string): PendingLogin | undefined {
  try {
    return parsePendingLogin(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

/** Whether a pending login is older (or, by a wrong clock, younger) than `maxAgeMs`. */
export function isStalePendingLogin(entry: PendingLogin, maxAgeMs: number): boolean {
  const age = Date.now() - entry.createdAt;
  return age > maxAgeMs || age < -maxAgeMs;
}

/**
 * The pending login of `state` for this client, or undefined. An unreadable, mismatched or stale
 * entry is removed (and its callback cleaned from the address bar); another client's is left alone.
 */
export function readPendingLogin(
  storage: PendingLoginStore,
  state: string,
  clientId: string,
  maxAgeMs: number,
): PendingLogin | undefined {
  const key = PENDING_LOGIN_KEY_PREFIX + state;
  const raw = storage.getItem(key);
  if (raw === null) return undefined;
  const entry = parseStoredPendingLogin(raw);
  if (!entry || entry.state !== state || isStalePendingLogin(entry, maxAgeMs)) {
    storage.removeItem(key);
    cleanCallbackFromAddressBar(state);
    return undefined;
  }
  return entry.clientId === clientId ? entry : undefined;
}

/** Removes this page's own callback parameters of `state` from the address bar; others stay. */
export function cleanCallbackFromAddressBar(state: string): void {
  const location = (globalThis as { location?: Location }).location;
  const history = (globalThis as { history?: History }).history;
  if (!location || typeof history?.replaceState !== "function") return;
  const current = new URL(location.href);
  // Only this page's own callback: a URL handed in from elsewhere (a popup, a test) is left alone.
  if (current.searchParams.get("state") !== state) return;
  for (const name of CALLBACK_PARAMS) current.searchParams.delete(name);
  try {
    history.replaceState(history.state, "", current.href);
  } catch {
    // A sandboxed document may refuse; the login itself does not depend on it.
  }
}
