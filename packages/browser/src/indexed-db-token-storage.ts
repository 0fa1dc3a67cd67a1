import {
  assertStorableTokenData,
  BaseTokenStorage,
  DEFAULT_NAMESPACE,
  type GlobusUser,
  isTokenStorageError,
  parseTokenStorageData,
  type TokenStorageData,
  TokenStorageError,
  tokenStorageDataToJSON,
  userRecordNamespace,
} from "@globus-app/core";
import { del, get, promisifyRequest, setMany, type UseStore } from "idb-keyval";
import type { BrowserTokenStorageContext } from "./browser-token-storage-context.ts";
import { defaultDatabaseName, encodeNameComponent, PRODUCTION, requireNonEmpty } from "./internal/names.ts";
import { withWebLock } from "./web-lock.ts";

/** The one object store of every token database. */
const STORE_NAME = "tokens";

/** Options of {@link IndexedDBTokenStorage}. */
export interface IndexedDBTokenStorageOptions {
  /** The app's OAuth client id. Required; names the database. */
  clientId: string;
  /** The Globus environment; outside `"production"` it is part of the database name. @default "production" */
  environment?: string | undefined;
  /** The namespace this storage reads and writes. @default "DEFAULT" */
  namespace?: string | undefined;
  /**
   * The database name. @default `globus-app:<clientId>` in production, `globus-app:<clientId>:<environment>`
   * elsewhere (each part percent-encoded).
   */
  dbName?: string | undefined;
  /**
   * The IndexedDB factory to open the database with. @default `globalThis.indexedDB`, looked up on
   * the first operation. Tests pass a failing one to exercise the fallback.
   */
  indexedDB?: IDBFactory | undefined;
  /**
   * How long opening the database may take before it counts as failed (some engines never answer in
   * private windows). @default 10000
   */
  openTimeoutMs?: number | undefined;
}

/**
 * Whether an IndexedDB factory is present (`globalThis.indexedDB`, or the one given). Presence is not
 * proof: private windows of some browsers have one that fails to open; {@link IndexedDBTokenStorage.open}
 * is the real test.
 *
 * @example
 * ```ts
 * const storage = isIndexedDBAvailable() ? new IndexedDBTokenStorage({ clientId }) : new MemoryTokenStorage();
 * ```
 */
export function isIndexedDBAvailable(factory?: IDBFactory): boolean {
  try {
    const candidate = factory ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    return typeof candidate?.open === "function";
  } catch {
    // Sandboxed frames and disabled storage can make merely reading `indexedDB` throw.
    return false;
  }
}

function describeCause(cause: unknown): string {
  // DOMException names (QuotaExceededError, InvalidStateError, …) say enough; their messages can
  // name keys, so they stay on `cause` only.
  return cause instanceof Error || (typeof cause === "object" && cause !== null && "name" in cause)
    ? ` (${String((cause as { name: unknown }).name)})`
    : "";
}

/**
 * Keeps tokens in IndexedDB: they survive reloads and are shared by every tab of the origin.
 *
 * Layout: one database per client id and environment (see {@link IndexedDBTokenStorageOptions.dbName}),
 * one object store `tokens`, one record per namespace and resource server under the array key
 * `[namespace, resource_server]`. Values are the plain JSON form of {@link TokenStorageData} (the
 * Python SDK's field names) and are validated on every read. Several storages (apps, namespaces)
 * can share a database; each reads and writes only its own namespace's keys.
 *
 * The database opens on the first operation, never in the constructor. Writes of several records
 * happen in one transaction, so concurrent stores from this tab or others lose nothing.
 * {@link IndexedDBTokenStorage.withLock} uses Web Locks, so it serialises across tabs and workers.
 *
 * Errors: every failure (IndexedDB missing, open blocked or timed out, quota exceeded, a bad stored
 * value) rejects with a `TokenStorageError` naming the database (and key), with the browser's error
 * as `cause`; never with a token in the message.
 *
 * @example
 * ```ts
 * const storage = new IndexedDBTokenStorage({ clientId: "…", environment: "sandbox" });
 * await storage.getTokenData("transfer.api.globus.org");
 * ```
 */
export class IndexedDBTokenStorage extends BaseTokenStorage {
  /** The database this storage uses. */
  readonly dbName: string;
  readonly #factory: IDBFactory | undefined;
  readonly #openTimeoutMs: number;
  #connection: Promise<IDBDatabase> | undefined;

  /**
   * @throws GlobusSDKUsageError when `clientId` (or a given `namespace`, `environment`, `dbName`) is
   *   not a non-empty string. Nothing is opened here.
   */
  constructor(options: IndexedDBTokenStorageOptions) {
    const owner = "IndexedDBTokenStorage";
    super(requireNonEmpty(options.namespace ?? DEFAULT_NAMESPACE, "namespace", owner));
    const clientId = requireNonEmpty(options.clientId, "clientId", owner);
    const environment = requireNonEmpty(options.environment ?? PRODUCTION, "environment", owner);
    this.dbName = requireNonEmpty(
      options.dbName ?? defaultDatabaseName(clientId, environment),
      "dbName",
      owner,
    );
    this.#factory = options.indexedDB;
    this.#openTimeoutMs = options.openTimeoutMs ?? 10_000;
  }

  /**
   * Provider form: `config: { tokenStorage: IndexedDBTokenStorage }` builds one per app from the
   * app's client id, environment and namespace.
   */
  static forGlobusApp(context: BrowserTokenStorageContext): IndexedDBTokenStorage {
    return new IndexedDBTokenStorage({
      clientId: context.clientId,
      namespace: context.namespace,
      environment: context.config?.environment,
    });
  }

  /**
   * Opens the database now rather than on the first operation (idempotent; a failed open is retried
   * by the next call). {@link FallbackTokenStorage} calls it to decide whether IndexedDB works here.
   *
   * @throws TokenStorageError when IndexedDB is missing, refuses to open, is blocked by another tab's
   *   old connection, or does not answer within `openTimeoutMs`.
   */
  async open(): Promise<void> {
    await this.#database();
  }

  async storeTokenDataByResourceServer(data: Readonly<Record<string, TokenStorageData>>): Promise<void> {
    assertStorableTokenData(data);
    const entries = Object.entries(data).map(([resourceServer, record]): [IDBValidKey, unknown] => [
      this.#key(resourceServer),
      tokenStorageDataToJSON(record),
    ]);
    if (entries.length === 0) return;
    // One readwrite transaction for every record: all or nothing, and never interleaved with another
    // writer's transaction on the same keys.
    await this.#guard("store tokens", () => setMany(entries, this.#store));
  }

  override async getTokenData(resourceServer: string): Promise<TokenStorageData | null> {
    const key = this.#key(resourceServer);
    const value = await this.#guard("read tokens", () => get<unknown>(key, this.#store));
    return value === undefined ? null : parseTokenStorageData(value, this.#location(key), resourceServer);
  }

  async getTokenDataByResourceServer(): Promise<Record<string, TokenStorageData>> {
    const [keys, values] = await this.#guard("read tokens", () =>
      this.#store("readonly", (store) => {
        const range = this.#namespaceRange();
        // Both requests run in one transaction, so keys and values line up.
        return Promise.all([
          promisifyRequest(store.getAllKeys(range)),
          promisifyRequest(store.getAll(range)),
        ]);
      }),
    );
    const out: Record<string, TokenStorageData> = {};
    keys.forEach((key, index) => {
      const resourceServer = Array.isArray(key) && key.length === 2 ? key[1] : undefined;
      if (typeof resourceServer !== "string") {
        throw new TokenStorageError(
          `Unexpected key in ${this.#location()}: the record's key is not [namespace, resource server].`,
          {
            location: this.#location(),
          },
        );
      }
      out[resourceServer] = parseTokenStorageData(values[index], this.#location(key), resourceServer);
    });
    return out;
  }

  /**
   * The signed-in person's record, at key `["<namespace>::globus-app:user", "user"]` (outside this
   * namespace's key range, so never read as a token), or null.
   */
  async getUserRecord(): Promise<unknown> {
    return (await this.#guard("read tokens", () => get<unknown>(this.#userKey(), this.#store))) ?? null;
  }

  /** Stores (or, with null, removes) the signed-in person's record; see {@link getUserRecord}. */
  async storeUserRecord(user: GlobusUser | null): Promise<void> {
    await this.#guard("store tokens", () =>
      user ? setMany([[this.#userKey(), user]], this.#store) : del(this.#userKey(), this.#store),
    );
  }

  #userKey(): [string, string] {
    return [userRecordNamespace(this.namespace), "user"];
  }

  async removeTokenData(resourceServer: string): Promise<boolean> {
    const key = this.#key(resourceServer);
    return this.#guard("remove tokens", () =>
      this.#store("readwrite", (store) => {
        // Requests of one transaction run in order: the count sees the record before the delete.
        const existing = store.count(key);
        store.delete(key);
        return promisifyRequest(store.transaction).then(() => existing.result > 0);
      }),
    );
  }

  /**
   * Runs `fn` holding the exclusive lock `<dbName>:<namespace>:<key>` — a Web Lock shared by every
   * tab and worker of the origin when `navigator.locks` exists, else a lock within this page.
   */
  override withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return withWebLock(`${this.dbName}:${encodeNameComponent(this.namespace)}:${key}`, fn);
  }

  /** Closes the database connection (after running transactions finish). A later operation reopens it. */
  override async close(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    // A connection that never opened has nothing to release: its failure to open is dropped.
    await connection?.then((opened) => opened.close()).catch(() => undefined);
  }

  #key(resourceServer: string): [string, string] {
    return [this.namespace, resourceServer];
  }

  #namespaceRange(): IDBKeyRange {
    // Called only once a database is open, so `IDBKeyRange` exists (it does not in Node).
    // Arrays sort after strings, so [ns, []] is above every [ns, "<resource server>"] and below [ns + "…"].
    return IDBKeyRange.bound([this.namespace], [this.namespace, []]);
  }

  #location(key?: IDBValidKey): string {
    const database = `IndexedDB database "${this.dbName}"`;
    return key === undefined ? database : `${database}, key ${JSON.stringify(key)}`;
  }

  // idb-keyval's own createStore cannot take an injected factory, report open failures, time out,
  // close, or yield to another tab's upgrade; this one can, and idb-keyval's helpers run over it.
  // Token writes are rare and small; strict durability keeps a just-written refresh token through a
  // crash or power loss.
  readonly #store: UseStore = (txMode, callback) =>
    this.#database().then((db) =>
      callback(
        db
          .transaction(STORE_NAME, txMode, txMode === "readwrite" ? { durability: "strict" } : undefined)
          .objectStore(STORE_NAME),
      ),
    );

  async #guard<T>(action: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (isTokenStorageError(error)) throw error;
      const quota = (error as { name?: unknown } | null)?.name === "QuotaExceededError";
      const problem = quota ? "the storage quota is exceeded" : "the operation failed";
      throw new TokenStorageError(
        `Could not ${action} in ${this.#location()}: ${problem}${describeCause(error)}.`,
        {
          cause: error,
          location: this.#location(),
        },
      );
    }
  }

  #database(): Promise<IDBDatabase> {
    if (this.#connection) return this.#connection;
    const connection = this.#openDatabase();
    this.#connection = connection;
    const forget = (): void => {
      if (this.#connection === connection) this.#connection = undefined;
    };
    connection.then((db) => {
      // Let another tab upgrade or delete the database instead of blocking it; we reopen lazily.
      db.onversionchange = () => {
        db.close();
        forget();
      };
      // Fired when the browser closes the connection (storage cleared, disk error).
      db.onclose = forget;
    }, forget);
    return connection;
  }

  async #openDatabase(): Promise<IDBDatabase> {
    let factory: IDBFactory | undefined;
    try {
      factory = this.#factory ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    } catch (error) {
      throw this.#openError("IndexedDB is not accessible here", error);
    }
    if (!factory) throw this.#openError("IndexedDB is not available here", undefined);
    let db = await this.#request(factory, undefined);
    if (!db.objectStoreNames.contains(STORE_NAME)) {
      // Someone else created a database of this name without our store: add it in a new version.
      const version = db.version + 1;
      db.close();
      db = await this.#request(factory, version);
    }
    return db;
  }

  #request(factory: IDBFactory, version: number | undefined): Promise<IDBDatabase> {
    return new Promise((resolve, reject) => {
      let settled = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const fail = (error: TokenStorageError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      };
      let request: IDBOpenDBRequest;
      try {
        request = version === undefined ? factory.open(this.dbName) : factory.open(this.dbName, version);
      } catch (error) {
        fail(this.#openError("IndexedDB refused to open it", error));
        return;
      }
      timer = setTimeout(
        () => fail(this.#openError(`IndexedDB did not answer within ${this.#openTimeoutMs} ms`, undefined)),
        this.#openTimeoutMs,
      );
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(STORE_NAME)) db.createObjectStore(STORE_NAME);
      };
      request.onsuccess = () => {
        const db = request.result;
        // A late success after a timeout or block must not leave a connection nobody closes.
        if (settled) {
          db.close();
          return;
        }
        settled = true;
        clearTimeout(timer);
        resolve(db);
      };
      request.onerror = (event) => {
        event.preventDefault();
        fail(this.#openError("IndexedDB refused to open it", request.error));
      };
      request.onblocked = () => {
        fail(this.#openError("another tab holds an older version of it open", undefined));
      };
    });
  }

  #openError(problem: string, cause: unknown): TokenStorageError {
    const options: { location: string; cause?: unknown } = { location: this.#location() };
    if (cause !== undefined) options.cause = cause;
    return new TokenStorageError(
      `Could not open ${this.#location()}: ${problem}${describeCause(cause)}.`,
      options,
    );
  }
}
