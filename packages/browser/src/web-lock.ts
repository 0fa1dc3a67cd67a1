import { KeyedMutex } from "@globus-app/core";

/** Options of {@link withWebLock}. */
export interface WebLockOptions {
  /**
   * Stops waiting for the lock: the returned promise rejects with the signal's reason and `fn` never
   * runs. Has no effect once `fn` has started.
   */
  signal?: AbortSignal;
}

function lockManager(): LockManager | undefined {
  // Web Locks exist only in secure contexts (https, localhost) and only in newer engines; Node 20 has
  // no `navigator` at all. Looked up on every call, never at import.
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  return locks && typeof locks.request === "function" ? locks : undefined;
}

/**
 * Whether the Web Locks API (`navigator.locks`) is usable here, i.e. whether {@link withWebLock}
 * coordinates across tabs, frames and workers of this origin rather than only within this realm.
 *
 * @returns false in insecure contexts, in engines without Web Locks, and outside browsers.
 * @example
 * ```ts
 * if (!isWebLocksAvailable()) console.warn("Token refresh is coordinated within this tab only.");
 * ```
 */
export function isWebLocksAvailable(): boolean {
  return lockManager() !== undefined;
}

// Per-realm queue for engines without Web Locks, created on first use (nothing runs at import).
let realmQueue: KeyedMutex | undefined;

/**
 * Runs `fn` while holding the exclusive lock `name`, and resolves (or rejects) with what `fn` does.
 *
 * With the Web Locks API the lock is shared by every tab, frame and worker of the origin, so a token
 * refresh guarded by it runs once however many tabs need it (re-read storage inside `fn`: another
 * tab may already have refreshed). Without Web Locks it falls back to a queue within this JavaScript
 * realm, which still serialises callers in this tab. The lock is released when `fn` settles, and by
 * the browser when the tab closes.
 *
 * @param name - the lock name; scope it to your app, e.g. `globus-app:<clientId>:refresh:<rs>`. Names
 *   starting with `-` are reserved by the Web Locks API and rejected there.
 * @param options - see {@link WebLockOptions}; no options by default.
 * @throws whatever `fn` throws; the signal's reason when aborted while waiting.
 * @example
 * ```ts
 * const tokens = await withWebLock(`globus-app:${clientId}:refresh:${rs}`, async () => {
 *   const current = await storage.getTokenData(rs);
 *   return isFresh(current) ? current : refresh(current);
 * });
 * ```
 */
export function withWebLock<T>(name: string, fn: () => Promise<T>, options: WebLockOptions = {}): Promise<T> {
  const locks = lockManager();
  if (!locks) {
    realmQueue ??= new KeyedMutex();
    return realmQueue.run(name, fn, { signal: options.signal });
  }
  const request: LockOptions = { mode: "exclusive" };
  if (options.signal) request.signal = options.signal;
  // lib.dom types the result as a promise of the callback's return value; the API awaits it.
  return locks.request(name, request, () => fn()) as unknown as Promise<T>;
}
