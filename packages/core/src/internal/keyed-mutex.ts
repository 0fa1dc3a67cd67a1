/** Options of {@link KeyedMutex.run}. */
export interface KeyedMutexRunOptions {
  /**
   * Stops waiting: the returned promise rejects with the signal's reason, `fn` never runs, and the
   * waiter leaves the queue (those behind it still wait for the ones before it). Already aborted:
   * rejects at once without queueing. Has no effect once `fn` has started.
   */
  signal?: AbortSignal | undefined;
}

/**
 * Serialises async work per key inside one JavaScript realm: `run("k", fn)` starts `fn` only after
 * every earlier `run("k", …)` has settled, in call order (the queue is joined synchronously).
 * Different keys never wait for each other; a holder that throws or rejects does not stop the next.
 * The file locks, the database storages and the browser's Web Locks fallback queue their own
 * callers with it before (or instead of) a lock that other processes or tabs share.
 *
 * @example
 * ```ts
 * const mutex = new KeyedMutex();
 * await Promise.all([mutex.run("refresh:a", refreshA), mutex.run("refresh:a", readA)]); // one after the other
 * await mutex.run("refresh:a", refreshA, { signal: AbortSignal.timeout(5000) }); // give up waiting after 5 s
 * ```
 */
export class KeyedMutex {
  /** Per key, a promise that settles (never rejects) when the last holder queued so far is done. */
  readonly #tails = new Map<string, Promise<void>>();

  /**
   * Runs `fn` once every earlier task with the same key has settled; returns its result.
   *
   * @throws whatever `fn` throws; the signal's reason when `options.signal` aborts before `fn` starts.
   */
  run<T>(key: string, fn: () => Promise<T>, options: KeyedMutexRunOptions = {}): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The next waiter starts once this one is done and every one before it is: a waiter that
    // leaves early releases its own slot, but the chain still waits for `previous`.
    const tail = previous.then(() => done);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        release();
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      void previous.then(async () => {
        if (signal?.aborted) return;
        signal?.removeEventListener("abort", onAbort);
        try {
          resolve(await fn());
        } catch (error) {
          reject(error);
        } finally {
          release();
        }
      });
    });
  }
}
