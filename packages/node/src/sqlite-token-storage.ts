import path from "node:path";
import {
  assertStorableTokenData,
  BaseTokenStorage,
  DEFAULT_NAMESPACE,
  GlobusSDKUsageError,
  isGlobusError,
  isTokenStorageError,
  parseTokenStorageData,
  type TokenStorageData,
  TokenStorageError,
} from "@globus-app/core";
import { defaultTokenFilePath } from "./default-token-path.ts";
import { DEFAULT_LOCK_TIMEOUT_MS, withNamedFileLock } from "./file-lock.ts";
import type { FileTokenStorageContext } from "./file-token-storage-context.ts";
import { createPrivateFile, ensurePrivateDirectory, errorCode } from "./private-files.ts";
import { assertSafeEntry, assertSafeTokenPath } from "./safe-token-path.ts";
import { inTransaction, openSqliteConnection, type SqliteConnection } from "./sqlite-driver.ts";
import { initializeSqliteSchema } from "./sqlite-schema.ts";
import { tokenRecordToJSON } from "./token-record-json.ts";
import { moveUnreadableAside, saveUnreadableCopy, unreadableHint } from "./unreadable-token-storage.ts";

/** Options of {@link SQLiteTokenStorage}. */
export interface SQLiteTokenStorageOptions {
  /** The namespace to read and write; apps sharing a database keep apart by namespace. @default "DEFAULT" */
  namespace?: string | undefined;
  /** How long {@link SQLiteTokenStorage.withLock} waits for another process's lock. @default 30000 */
  lockTimeoutMs?: number | undefined;
  /**
   * Switch the database to write-ahead logging, so readers never wait for a writer. SQLite's WAL
   * needs shared memory between the processes, which network file systems (NFS home directories on
   * clusters) do not give reliably: pass `false` there. `false` leaves the file's mode as it is.
   * @default true
   */
  wal?: boolean | undefined;
}

// Short: SQLite waits for it synchronously; longer waits are #runRetryingBusy's, between attempts.
const BUSY_TIMEOUT_MS = 1000;
/** The files SQLite keeps next to a database; it opens them following links, so they are checked too. */
const SIDE_FILE_SUFFIXES = ["-journal", "-wal", "-shm"] as const;
/** Driver messages that mean another connection holds the lock the statement needs (SQLITE_BUSY). */
const BUSY = /database is locked|SQLITE_BUSY/i;
/** Driver messages that mean the file is not (or no longer) a usable database. */
const NOT_A_DATABASE = /not a database|malformed/i;

/**
 * Keeps tokens in a SQLite database with the Python SDK's schema, so a Python script and a Node
 * script of the same app share one login. Several apps (namespaces) and processes can share one
 * file: writes are transactions, the database runs in WAL mode, a statement that meets another
 * process's transaction waits (up to `lockTimeoutMs`, between attempts), and
 * {@link SQLiteTokenStorage.withLock} takes a lock file next to the database.
 *
 * The driver is `node:sqlite` where the runtime has it (Node ≥ 22.5, Deno), `bun:sqlite` in Bun,
 * else the optional peer dependency `better-sqlite3` (`npm install better-sqlite3`). The database
 * is opened on first use and created when missing (file 0600, new directories 0700).
 *
 * An app closes only storages it built itself; a storage you pass in stays open, so one instance
 * (or one file) can serve several apps in different namespaces. Close it when you are done.
 *
 * @example
 * ```ts
 * await using storage = new SQLiteTokenStorage("/home/me/.globus/app/my-client-id/my-app/tokens.db");
 * const app = new UserApp("my-app", { clientId, config: { tokenStorage: storage } });
 * ```
 */
export class SQLiteTokenStorage extends BaseTokenStorage {
  /** The absolute path of the database file. */
  readonly filePath: string;
  readonly #lockTimeoutMs: number;
  readonly #wal: boolean;
  #connection: Promise<SqliteConnection> | undefined;
  #closed = false;

  /**
   * Nothing is opened or created until the first operation (or {@link SQLiteTokenStorage.open}).
   *
   * @param filePath - the database file; relative paths are resolved against the current directory now.
   * @throws GlobusSDKUsageError for `":memory:"` (use `MemoryTokenStorage`) or an empty path.
   */
  constructor(filePath: string, options: SQLiteTokenStorageOptions = {}) {
    if (filePath === ":memory:") {
      throw new GlobusSDKUsageError(
        "SQLiteTokenStorage cannot be used with a ':memory:' database. If you want to store tokens in memory, use MemoryTokenStorage instead.",
      );
    }
    if (filePath === "") throw new GlobusSDKUsageError("SQLiteTokenStorage needs a database file path.");
    super(options.namespace ?? DEFAULT_NAMESPACE);
    this.filePath = path.resolve(filePath);
    this.#lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    this.#wal = options.wal ?? true;
  }

  /**
   * Provider form: `config: { tokenStorage: SQLiteTokenStorage }` builds one per app at the Python
   * SDK's default path, `~/.globus/app/<client_id>/<app-slug>/tokens.db`. The app owns (and closes) it.
   *
   * @throws GlobusSDKUsageError when the app name slugifies to nothing or a reserved name.
   */
  static forGlobusApp(context: FileTokenStorageContext): SQLiteTokenStorage {
    const filePath = defaultTokenFilePath({
      clientId: context.clientId,
      appName: context.appName,
      environment: context.config?.environment,
      format: "db",
    });
    return new SQLiteTokenStorage(filePath, { namespace: context.namespace });
  }

  /**
   * Opens (and if needed creates) the database now rather than on the first operation. Idempotent.
   *
   * @throws GlobusSDKUsageError when no SQLite driver is available or the storage is closed.
   * @throws TokenStorageError when the file cannot be created or is not a usable database.
   */
  async open(): Promise<void> {
    await this.#db();
  }

  /** @throws TokenStorageError when the database cannot be read or holds a bad record. */
  async getTokenDataByResourceServer(): Promise<Record<string, TokenStorageData>> {
    const db = await this.#db();
    const rows = await this.#runRetryingBusy(() =>
      db
        .prepare("SELECT resource_server, token_data_json FROM token_storage WHERE namespace = ?")
        .all(this.namespace),
    );
    return Object.fromEntries(
      rows.map((row) => {
        const resourceServer = String(row.resource_server);
        return [resourceServer, this.#parseRow(resourceServer, row.token_data_json)];
      }),
    );
  }

  /** @throws TokenStorageError when the database cannot be read or the record is bad. */
  override async getTokenData(resourceServer: string): Promise<TokenStorageData | null> {
    const db = await this.#db();
    const row = await this.#runRetryingBusy(() =>
      db
        .prepare("SELECT token_data_json FROM token_storage WHERE namespace = ? AND resource_server = ?")
        .get(this.namespace, resourceServer),
    );
    return row ? this.#parseRow(resourceServer, row.token_data_json) : null;
  }

  /** Stores every record in one transaction. @throws TokenStorageError when the write fails. */
  async storeTokenDataByResourceServer(data: Readonly<Record<string, TokenStorageData>>): Promise<void> {
    assertStorableTokenData(data);
    const entries = Object.entries(data);
    if (entries.length === 0) return;
    const db = await this.#db();
    await this.#runRetryingBusy(() =>
      inTransaction(db, () => {
        const replace = db.prepare(
          "REPLACE INTO token_storage(namespace, resource_server, token_data_json) VALUES(?, ?, ?)",
        );
        for (const [resourceServer, record] of entries) {
          replace.run(this.namespace, resourceServer, JSON.stringify(tokenRecordToJSON(record)));
        }
      }),
    );
  }

  /** @throws TokenStorageError when the delete fails. */
  async removeTokenData(resourceServer: string): Promise<boolean> {
    const db = await this.#db();
    const { changes } = await this.#runRetryingBusy(() =>
      db
        .prepare("DELETE FROM token_storage WHERE namespace = ? AND resource_server = ?")
        .run(this.namespace, resourceServer),
    );
    return changes !== 0;
  }

  /**
   * Every namespace that has records in this database, each once, in no particular order.
   *
   * @example
   * ```ts
   * for await (const namespace of storage.iterNamespaces()) console.log(namespace);
   * ```
   */
  async *iterNamespaces(): AsyncGenerator<string, void, undefined> {
    const db = await this.#db();
    const rows = await this.#runRetryingBusy(() =>
      db.prepare("SELECT DISTINCT namespace FROM token_storage").all(),
    );
    for (const row of rows) yield String(row.namespace);
  }

  /**
   * Runs `fn` while holding the lock `key` of this database and namespace, across processes (a lock
   * directory next to the file) and within this process. Not re-entrant for the same key.
   *
   * @throws TokenStorageError when the lock is not free within `lockTimeoutMs`.
   */
  override withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return withNamedFileLock(this.filePath, this.namespace, key, fn, this.#lockTimeoutMs);
  }

  /**
   * Makes an unreadable database usable again without losing anything: `logout({ removeUnreadable:
   * true })` calls it. A file that is not a usable database is renamed, with its `-wal`, `-shm` and
   * `-journal` files, to `<file>.corrupt-<UTC time>` (and `…-wal` etc.), and a new database is made
   * on next use. Rows of this namespace that do not parse are written to `<file>.corrupt-<UTC time>`
   * (JSON `{"namespace", "token_data_json_by_resource_server"}`, mode 0600) and deleted; other rows
   * and namespaces stay. A readable database is left alone.
   *
   * @throws TokenStorageError when the file is unsafe (a symlink, another user's, in a folder others
   *   can write) or cannot be moved or written.
   */
  async removeUnreadable(): Promise<void> {
    await assertSafeTokenPath(this.filePath);
    let rows: Record<string, unknown>[];
    try {
      const db = await this.#db();
      rows = await this.#runRetryingBusy(() =>
        db
          .prepare("SELECT resource_server, token_data_json FROM token_storage WHERE namespace = ?")
          .all(this.namespace),
      );
    } catch (error) {
      // Only a file SQLite says is no database is moved; a busy or unsafe one is not "unreadable".
      const cause = isTokenStorageError(error) ? error.cause : undefined;
      if (!(cause instanceof Error) || !NOT_A_DATABASE.test(cause.message)) throw error;
      await this.#moveAside();
      return;
    }
    const bad: Record<string, unknown> = {};
    for (const row of rows) {
      const resourceServer = String(row.resource_server);
      try {
        this.#parseRow(resourceServer, row.token_data_json);
      } catch {
        bad[resourceServer] = row.token_data_json;
      }
    }
    const names = Object.keys(bad);
    if (names.length === 0) return;
    await saveUnreadableCopy(
      this.filePath,
      JSON.stringify({ namespace: this.namespace, token_data_json_by_resource_server: bad }),
      `Could not save the unreadable rows of SQLite token storage '${this.filePath}'`,
    );
    const db = await this.#db();
    await this.#runRetryingBusy(() =>
      inTransaction(db, () => {
        const remove = db.prepare("DELETE FROM token_storage WHERE namespace = ? AND resource_server = ?");
        for (const resourceServer of names) remove.run(this.namespace, resourceServer);
      }),
    );
  }

  /** Closes the connection. Idempotent; any later operation throws a `GlobusSDKUsageError`. */
  override async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const connection = this.#connection;
    this.#connection = undefined;
    // A connection that never opened, or is already closed, has nothing left to release.
    await connection?.then((opened) => opened.close()).catch(() => undefined);
  }

  /** Make `close()` part of `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #db(): Promise<SqliteConnection> {
    if (this.#closed) throw new GlobusSDKUsageError(`SQLiteTokenStorage('${this.filePath}') is closed.`);
    if (!this.#connection) {
      const opening = this.#open();
      this.#connection = opening;
      // A failed open is retried by the next operation instead of failing forever.
      opening.catch(() => {
        if (this.#connection === opening) this.#connection = undefined;
      });
    }
    return this.#connection;
  }

  async #open(): Promise<SqliteConnection> {
    // SQLite follows a link at the path and creates a dangling link's target: check first.
    await assertSafeTokenPath(this.filePath);
    await ensurePrivateDirectory(path.dirname(this.filePath), this.filePath);
    // SQLite would create the file with the umask's mode.
    try {
      await createPrivateFile(this.filePath);
    } catch (error) {
      throw this.#error(
        `Could not create SQLite token storage '${this.filePath}' (${errorCode(error) ?? "error"})`,
        error,
      );
    }
    // Again, now that the file exists: something may have been planted before it was created.
    await assertSafeTokenPath(this.filePath);
    for (const suffix of SIDE_FILE_SUFFIXES) {
      await assertSafeEntry(`${this.filePath}${suffix}`, this.filePath, "file");
    }
    let db: SqliteConnection;
    try {
      db = await openSqliteConnection(this.filePath);
    } catch (error) {
      if (isGlobusError(error)) throw error;
      throw this.#error(`Could not open SQLite token storage '${this.filePath}'`, error);
    }
    try {
      await this.#runRetryingBusy(() => {
        // busy_timeout first: switching to WAL and creating tables may meet another process's lock.
        db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
        if (this.#wal) db.exec("PRAGMA journal_mode = WAL");
        initializeSqliteSchema(db);
      });
    } catch (error) {
      db.close();
      throw error;
    }
    return db;
  }

  /** Renames the database and its side files to `<file>.corrupt-<time>…`, after closing it. */
  async #moveAside(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    await connection?.then((db) => db.close()).catch(() => undefined);
    await moveUnreadableAside(this.filePath, "SQLite token storage", SIDE_FILE_SUFFIXES);
  }

  #parseRow(resourceServer: string, json: unknown): TokenStorageData {
    const where = `'${this.filePath}' (namespace '${this.namespace}', resource server '${resourceServer}')`;
    const hint = unreadableHint(this.filePath);
    if (typeof json !== "string")
      throw this.#error(`Invalid token data in ${where}: 'token_data_json' must be text. ${hint}`);
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      // The parser's message quotes the text, which may hold a token: leave it out.
      throw this.#error(`Invalid token data in ${where}: not valid JSON. ${hint}`);
    }
    try {
      return parseTokenStorageData(value, where, resourceServer);
    } catch (error) {
      if (isTokenStorageError(error)) throw this.#error(`${error.message}. ${hint}`);
      throw error;
    }
  }

  /**
   * Runs driver calls like {@link #run}, and runs them again while the database is locked by
   * another process's transaction, until `lockTimeoutMs`. SQLite's own busy timeout waits
   * synchronously (the whole event loop stops), so it stays short; the longer wait happens here,
   * between attempts, so a busy machine delays a write rather than losing it.
   */
  async #runRetryingBusy<T>(fn: () => T): Promise<T> {
    const deadline = Date.now() + this.#lockTimeoutMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
      try {
        return this.#run(fn);
      } catch (error) {
        const busy = BUSY.test(String((error as { cause?: unknown }).cause ?? ""));
        if (!busy || Date.now() + delay > deadline) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random())));
    }
  }

  /** Runs driver calls, turning driver errors into TokenStorageErrors naming the file. */
  #run<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (isGlobusError(error)) throw error;
      // SQLite's messages name tables and columns, never bound values, so they are safe to show.
      const detail = error instanceof Error ? error.message : String(error);
      const hint = NOT_A_DATABASE.test(detail) ? ` ${unreadableHint(this.filePath)}` : "";
      throw this.#error(`SQLite token storage '${this.filePath}' failed: ${detail}.${hint}`, error);
    }
  }

  #error(message: string, cause?: unknown): TokenStorageError {
    return new TokenStorageError(
      message,
      cause === undefined ? { location: this.filePath } : { location: this.filePath, cause },
    );
  }
}
