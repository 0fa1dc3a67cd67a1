/**
 * Runs async work one at a time per key, first come first served, within this process. The
 * database storages queue their own callers here before asking the server for a lock, so a process
 * holds one connection (PostgreSQL) or one polling loop (Redis) per lock however many of its
 * callers want it.
 */
export class SerialQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` once every earlier task of `key` has settled; resolves or rejects as `fn` does. */
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
