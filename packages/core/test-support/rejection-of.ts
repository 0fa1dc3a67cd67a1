/**
 * What `promise` rejects with; an Error saying it resolved instead when it does. Tests of time
 * limits assert the error's code (`NETWORK_TIMEOUT`), never elapsed time: a limit that failed to
 * fire leaves the promise pending, and the test's own timeout fails it.
 */
export function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error("resolved instead of rejecting"),
    (error: unknown) => error,
  );
}

/** What `fn` throws; an Error saying it returned instead when it does not throw. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return new Error("returned instead of throwing");
}
