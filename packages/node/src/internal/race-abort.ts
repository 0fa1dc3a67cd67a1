import { LoginCancelledError } from "@globus-app/core";

/**
 * @internal Settles as `promise` does, or rejects with a `LoginCancelledError` (its `cause` the
 * signal's reason) as soon as one of `signals` aborts. The Node login flows race their waits (the
 * pasted code, the loopback callback, the code exchange) against the caller's and the manager's
 * signals with it. `undefined` entries are skipped; with none left, `promise` is returned as is.
 *
 * @example
 * ```ts
 * const code = await raceAbort(server.code, [managerSignal, options.signal]);
 * ```
 */
export function raceAbort<T>(promise: Promise<T>, signals: readonly (AbortSignal | undefined)[]): Promise<T> {
  const active = signals.filter((s): s is AbortSignal => s !== undefined);
  if (active.length === 0) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (event?: Event): void => {
      cleanup();
      const signal = event?.target instanceof AbortSignal ? event.target : active.find((s) => s.aborted);
      reject(new LoginCancelledError(undefined, { cause: signal?.reason }));
    };
    const cleanup = (): void => {
      for (const s of active) s.removeEventListener("abort", onAbort);
    };
    if (active.some((s) => s.aborted)) {
      onAbort();
      // The work was already started; its outcome no longer matters but must not go unhandled.
      promise.catch(() => {});
      return;
    }
    for (const s of active) s.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        cleanup();
        reject(error);
      },
    );
  });
}
