import { KeyedMutex } from "../internal/keyed-mutex.ts";
import type { GlobusUser } from "./globus-user.ts";
import type { TokenResponse } from "./token-response.ts";
import { copyTokenStorageData, type TokenStorageData } from "./token-storage-data.ts";

/** The namespace every app uses unless configured otherwise (as in the Python SDK). */
export const DEFAULT_NAMESPACE = "DEFAULT";

/**
 * Where an app keeps its tokens. Every method is async, so browser (IndexedDB), file and database
 * storages share one contract. A storage holds one namespace's view of its backing store; several
 * storages (apps) may share a backing store in different namespaces.
 *
 * Implementations must pass the conformance suite in `@globus-app/core/testing`.
 */
export interface TokenStorage {
  /** The namespace this storage reads and writes, `DEFAULT` unless configured. */
  readonly namespace: string;
  /**
   * Stores every token of a response. Records whose `identity_id` is null (refresh responses) keep
   * the identity already stored for that resource server.
   */
  storeTokenResponse(response: TokenResponse): Promise<void>;
  /** Stores (replaces) the records of the given resource servers; others are untouched. */
  storeTokenDataByResourceServer(data: Readonly<Record<string, TokenStorageData>>): Promise<void>;
  /** The record of one resource server, or null. */
  getTokenData(resourceServer: string): Promise<TokenStorageData | null>;
  /** Every record of this namespace, keyed by resource server. */
  getTokenDataByResourceServer(): Promise<Record<string, TokenStorageData>>;
  /** Removes one resource server's record; resolves to whether something was removed. */
  removeTokenData(resourceServer: string): Promise<boolean>;
  /**
   * Runs `fn` while holding an exclusive lock named `key` — across tabs or processes where the
   * storage can (Web Locks, lock files), otherwise within this realm. Refresh uses it so one token
   * request serves every caller; `fn` must re-read storage inside.
   */
  withLock?<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Makes a backing store that cannot be read (a corrupt file or database, records that fail
   * validation) usable again, so an app is never stuck: `logout({ removeUnreadable: true })` calls it
   * when a read fails with a `TokenStorageError`. Afterwards reads of this namespace succeed. What can
   * be read is left alone; what is removed should be kept aside where the storage can (file storages
   * move it to `<file>.corrupt-<time>`) and its error messages should say where. Optional: storages
   * that cannot hold bad data (memory) need not implement it.
   *
   * @throws TokenStorageError when the store cannot be repaired (for instance, it is unsafe to touch).
   */
  removeUnreadable?(): Promise<void>;
  /**
   * The signed-in person's record stored beside the tokens — in the namespace
   * `<namespace>::globus-app:user` (see `userRecordNamespace`), which the Python SDK never reads —
   * or null. The app checks what comes back (`toGlobusUser`). Optional: an app whose storage lacks
   * it keeps the person in memory only.
   */
  getUserRecord?(): Promise<unknown>;
  /** Stores (or, with null, removes) the signed-in person's record; see {@link TokenStorage.getUserRecord}. */
  storeUserRecord?(user: GlobusUser | null): Promise<void>;
  /** Releases what the storage holds (connections, handles). Idempotent. */
  close(): Promise<void>;
}

/**
 * A convenient base for storages: implements {@link TokenStorage.storeTokenResponse},
 * {@link TokenStorage.getTokenData} and an in-realm {@link TokenStorage.withLock} on top of the
 * three primitive operations.
 */
export abstract class BaseTokenStorage implements TokenStorage {
  readonly namespace: string;
  readonly #locks = new KeyedMutex();

  constructor(namespace: string = DEFAULT_NAMESPACE) {
    this.namespace = namespace;
  }

  abstract storeTokenDataByResourceServer(data: Readonly<Record<string, TokenStorageData>>): Promise<void>;
  abstract getTokenDataByResourceServer(): Promise<Record<string, TokenStorageData>>;
  abstract removeTokenData(resourceServer: string): Promise<boolean>;

  async getTokenData(resourceServer: string): Promise<TokenStorageData | null> {
    const all = await this.getTokenDataByResourceServer();
    // Own keys only: all["constructor"] would otherwise be Object itself, handed out as a record.
    return Object.hasOwn(all, resourceServer) ? (all[resourceServer] ?? null) : null;
  }

  async storeTokenResponse(response: TokenResponse): Promise<void> {
    const records = Object.values(response.byResourceServer).map(copyTokenStorageData);
    if (records.some((record) => record.identity_id === null)) {
      const stored = await this.getTokenDataByResourceServer();
      for (const record of records) {
        if (record.identity_id === null)
          record.identity_id = stored[record.resource_server]?.identity_id ?? null;
      }
    }
    await this.storeTokenDataByResourceServer(Object.fromEntries(records.map((r) => [r.resource_server, r])));
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.#locks.run(key, fn);
  }

  async close(): Promise<void> {}
}
