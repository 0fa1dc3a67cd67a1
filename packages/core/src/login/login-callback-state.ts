// What a page load needs to tell a login callback from any other address: the state it claims.
// Checking the callback (parseLoginCallback) is login code, in a module of its own.

/** A login callback: its URL, a query string (with or without `?`), or its parsed query. */
export type LoginCallbackInput = string | URL | URLSearchParams;

/**
 * The parameters that make up an authorization response. Each may appear once: when one repeats,
 * which copy counts would be a guess, so the callback belongs to no login.
 */
const RESPONSE_PARAMS = ["code", "state", "error", "error_description", "error_uri", "iss"] as const;

// Our own state is 43 characters; anything far longer is not ours (and not worth comparing).
const MAX_STATE_LENGTH = 512;

/**
 * The query of a login callback, or undefined when `input` is not one: an absolute URL or a query
 * string carrying `code`, `error` or `state`.
 */
export function callbackQuery(input: LoginCallbackInput): URLSearchParams | undefined {
  let query: URLSearchParams;
  if (input instanceof URLSearchParams) query = input;
  else if (input instanceof URL) query = input.searchParams;
  else if (typeof input !== "string") return undefined;
  else if (/^[a-z][a-z0-9+.-]*:/i.test(input)) {
    try {
      query = new URL(input).searchParams;
    } catch {
      return undefined;
    }
  } else if (/^\??[^\s]*=/.test(input)) query = new URLSearchParams(input);
  else return undefined;
  return ["code", "error", "state"].some((name) => query.has(name)) ? query : undefined;
}

/**
 * Whether `input` looks like a login callback (an absolute URL or query string carrying `code`,
 * `error` or `state`), as opposed to a bare authorization code or another page's address.
 */
export function isLoginCallback(input: LoginCallbackInput): boolean {
  return callbackQuery(input) !== undefined;
}

/**
 * The `state` a login callback claims, to find the login it may belong to (a pending browser
 * login is filed under its state); undefined when `input` is not a callback, or repeats a response
 * parameter. Claiming is not proving: {@link parseLoginCallback} then checks the callback.
 */
export function loginCallbackState(input: LoginCallbackInput): string | undefined {
  const query = callbackQuery(input);
  if (!query || repeatsResponseParams(query)) return undefined;
  const state = query.get("state");
  return state && state.length <= MAX_STATE_LENGTH && (query.has("code") || query.has("error"))
    ? state
    : undefined;
}

/** Whether a response parameter appears more than once (then the callback belongs to no login). */
export function repeatsResponseParams(query: URLSearchParams): boolean {
  return RESPONSE_PARAMS.some((name) => query.getAll(name).length > 1);
}
