/**
 * Serialises async work per key inside one JavaScript realm: `run("k", fn)` starts `fn` only after
 * every earlier `run("k", …)` has settled. Different keys never wait for each other. Storages use it
 * to queue their own callers before taking a lock that other processes share.
 *
 * @example
 * ```ts
 * const mutex = new KeyedMutex();
 * await Promise.all([mutex.run("refresh:a", refreshA), mutex.run("refresh:a", readA)]); // one after the other
 * ```
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` once every earlier task with the same key has settled; returns its result. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(fn, fn);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
