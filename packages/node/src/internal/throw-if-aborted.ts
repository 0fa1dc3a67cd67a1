import { LoginCancelledError } from "@globus-app/core";

/**
 * @internal Throws a `LoginCancelledError` (its `cause` the signal's reason) when any of `signals`
 * has already aborted; `undefined` entries are skipped. The Node login flows call it before each
 * step that would start work (listening, building the authorize URL).
 *
 * @example
 * ```ts
 * throwIfAborted([managerSignal, options.signal]);
 * ```
 */
export function throwIfAborted(signals: readonly (AbortSignal | undefined)[]): void {
  const aborted = signals.find((s) => s?.aborted);
  if (aborted) throw new LoginCancelledError(undefined, { cause: aborted.reason });
}
