import { safeCause } from "../errors/globus-error.ts";
import { GlobusNetworkError } from "../errors/network-error.ts";

/**
 * The time limit and the caller's cancellation of one operation against Globus (one request, or a
 * token grant with its JWKS fetch): one signal for every `fetch` of the operation, so reading the
 * body is bounded as well as waiting for the headers.
 * @internal
 */
export interface RequestDeadline {
  /** Aborts when the time limit passes or the caller's signal aborts. */
  readonly signal: AbortSignal;
  /** Settles like `promise`, or rejects as soon as {@link signal} aborts (a `fetch` that ignores it). */
  race<T>(promise: Promise<T>): Promise<T>;
  /**
   * The error to throw instead of whatever the operation failed with once {@link signal} has
   * aborted: `NETWORK_ABORTED` when the caller aborted, `NETWORK_TIMEOUT` when time ran out;
   * `undefined` while the signal has not aborted.
   */
  failure(what: string): GlobusNetworkError | undefined;
}

/**
 * Starts the deadline of an operation: `timeoutMs` (null: none) combined with the caller's signal.
 * @internal
 */
export function requestDeadline(timeoutMs: number | null, callerSignal?: AbortSignal): RequestDeadline {
  const timeout = timeoutMs === null ? undefined : AbortSignal.timeout(timeoutMs);
  const sources = [timeout, callerSignal].filter((s): s is AbortSignal => s !== undefined);
  const signal =
    sources.length === 1
      ? (sources[0] as AbortSignal)
      : sources.length === 0
        ? new AbortController().signal
        : AbortSignal.any(sources);
  return {
    signal,
    race<T>(promise: Promise<T>): Promise<T> {
      if (sources.length === 0) return promise;
      return new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        if (signal.aborted) onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
      });
    },
    failure(what) {
      if (!signal.aborted) return undefined;
      // AbortSignal.any takes the reason of the signal that aborted first.
      if (callerSignal?.aborted && signal.reason === callerSignal.reason) {
        return new GlobusNetworkError(`${what} was cancelled by the caller's AbortSignal.`, {
          code: "NETWORK_ABORTED",
          cause: safeCause(callerSignal.reason),
        });
      }
      return new GlobusNetworkError(`${what} got no complete answer within ${timeoutMs} ms.`, {
        code: "NETWORK_TIMEOUT",
      });
    },
  };
}

interface SocketErrorFields {
  code?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  message?: unknown;
  errors?: unknown;
  cause?: unknown;
}

/**
 * Says why a `fetch` failed, from the system error under the runtime's generic one: undici's
 * "fetch failed" hides `ECONNREFUSED 127.0.0.1:8700` or `ENOTFOUND auth.example.org` in its `cause`.
 * Browsers expose nothing more than their generic message, which is returned then. Socket errors
 * carry no request data, so the result holds no token.
 * @internal
 */
export function describeFetchFailure(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const fields = current as SocketErrorFields;
    if (typeof fields.code === "string" && /^E[A-Z0-9_]+$|^UND_ERR_/.test(fields.code)) {
      // Node's happy-eyeballs connect reports an AggregateError whose members hold the address.
      const detail = (
        Array.isArray(fields.errors) && fields.address === undefined ? fields.errors[0] : fields
      ) as SocketErrorFields;
      if (typeof detail?.address === "string") {
        const port = typeof detail.port === "number" ? `:${detail.port}` : "";
        return `${fields.code} ${detail.address}${port}`;
      }
      if (typeof fields.hostname === "string") return `${fields.code} ${fields.hostname}`;
      return typeof fields.message === "string" && fields.message !== ""
        ? `${fields.code}: ${safeCause(current).message}`
        : fields.code;
    }
    current = fields.cause;
  }
  return safeCause(error).message;
}

/**
 * A `fetch` failure as a {@link GlobusNetworkError} whose message names the request and the cause.
 * @internal
 */
export function fetchFailure(method: string, url: string, error: unknown): GlobusNetworkError {
  return new GlobusNetworkError(
    `${method.toUpperCase()} ${url.split("?")[0]} could not be sent: ${describeFetchFailure(error)}`,
    { cause: safeCause(error) },
  );
}
