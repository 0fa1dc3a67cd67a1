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
