import { AsyncLocalStorage } from "node:async_hooks";
import {
  assertStorableTokenData,
  BaseTokenStorage,
  DEFAULT_NAMESPACE,
  GlobusSDKUsageError,
  isGlobusError,
  KeyedMutex,
  type TokenStorageData,
  TokenStorageError,
} from "@globus-app/core";
import { parseStoredRecord, redactedUrl } from "./parse-stored-record.ts";
import {
  createPostgresPool,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
} from "./postgres-pool.ts";
import { createPostgresSchema } from "./postgres-schema.ts";
import { tokenRecordToJSON } from "./token-record-json.ts";

/** Options of {@link PostgresTokenStorage}: give `connectionString` or `pool`. */
export interface PostgresTokenStorageOptions {
  /**
   * A PostgreSQL URL (`postgres://user:password@host:5432/db`); the storage then makes its own
   * node-postgres pool, and {@link PostgresTokenStorage.close} ends it.
   */
  connectionString?: string | undefined;
  /** A node-postgres `Pool` you made (TLS, custom auth…); never ended by the storage. */
  pool?: PostgresPool | undefined;
  /** The namespace to read and write: one per person in a portal (their identity id). @default "DEFAULT" */
  namespace?: string | undefined;
  /** The table (letters, digits, `_`; created when missing). @default "token_storage" */
  table?: string | undefined;
  /** Connections of the pool the storage makes from `connectionString`. @default 10 */
  maxConnections?: number | undefined;
  /** How long {@link PostgresTokenStorage.withLock} waits for another holder. @default 30000 */
  lockTimeoutMs?: number | undefined;
}

/** What every storage of one table (the root and its {@link PostgresTokenStorage.forNamespace} siblings) shares. */
interface SharedPostgres {
  readonly location: string;
  readonly table: string;
  readonly lockTimeoutMs: number;
  readonly makePool: () => Promise<PostgresPool>;
  readonly ownsPool: boolean;
  readonly queue: KeyedMutex;
  /** The connection holding the current async context's lock, so queries inside `withLock` use it. */
  readonly lockContext: AsyncLocalStorage<{ client: PostgresPoolClient | undefined }>;
  pool: Promise<PostgresPool> | undefined;
  schema: Promise<void> | undefined;
  closed: boolean;
}

/** Handed from forNamespace to the constructor it calls at once, so siblings share without a public parameter. */
let siblingOf: SharedPostgres | undefined;

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** PostgreSQL's SQLSTATE for a lock wait that ran past `lock_timeout`. */
const LOCK_NOT_AVAILABLE = "55P03";

/**
 * Keeps tokens in PostgreSQL, so several server processes and machines (replicas of a portal behind
 * a load balancer) share one store. The table has the SQLite storage's shape: `namespace`,
 * `resource_server`, `token_data_json`, primary key `(namespace, resource_server)` — whose B-tree
 * leads with `namespace`, so it is also the namespace index every read of a namespace uses. It is
 * created when missing.
 *
 * {@link PostgresTokenStorage.withLock} takes a PostgreSQL advisory lock, which holds across every
 * process and machine using the database: a token refresh is single-flight across all replicas. A
 * holder that dies (crash, `kill -9`, lost network) loses its connection and so its lock at once.
 *
 * One storage per namespace; {@link PostgresTokenStorage.forNamespace} makes siblings that share
 * the pool, so a portal keeps one pool and one cheap storage per person. The driver is the optional
 * peer dependency `pg` (`npm install pg`), loaded on first use.
 *
 * @example
 * ```ts
 * const tokens = new PostgresTokenStorage({ connectionString: process.env.DATABASE_URL });
 * const forAda = tokens.forNamespace(identityId); // what the server-side login handlers do
 * await tokens.close(); // ends the pool
 * ```
 */
export class PostgresTokenStorage extends BaseTokenStorage {
  readonly #shared: SharedPostgres;
  readonly #root: boolean;

  /**
   * Connects on first use.
   *
   * @throws GlobusSDKUsageError when neither or both of `connectionString` and `pool` are given, or
   *   the table name is not a plain identifier.
   */
  constructor(options: PostgresTokenStorageOptions) {
    super(options.namespace ?? DEFAULT_NAMESPACE);
    const shared = siblingOf;
    siblingOf = undefined;
    this.#root = shared === undefined;
    this.#shared = shared ?? PostgresTokenStorage.#share(options);
  }

  static #share(options: PostgresTokenStorageOptions): SharedPostgres {
    const { connectionString, pool } = options;
    if ((connectionString === undefined) === (pool === undefined)) {
      throw new GlobusSDKUsageError("PostgresTokenStorage needs exactly one of connectionString and pool.");
    }
    const table = options.table ?? "token_storage";
    if (!TABLE_NAME.test(table)) {
      throw new GlobusSDKUsageError(
        "PostgresTokenStorage's table must be a plain identifier: letters, digits and _, not starting with a digit.",
      );
    }
    const location = `${connectionString === undefined ? "postgres pool" : redactedUrl(connectionString)}#${table}`;
    const max = options.maxConnections ?? 10;
    return {
      location,
      table,
      lockTimeoutMs: options.lockTimeoutMs ?? 30_000,
      ownsPool: pool === undefined,
      makePool: pool ? async () => pool : () => createPostgresPool(connectionString as string, max),
      queue: new KeyedMutex(),
      lockContext: new AsyncLocalStorage(),
      pool: undefined,
      schema: undefined,
      closed: false,
    };
  }

  /** Where the tokens live, without credentials: `postgres://host:port/db#table`. */
  get location(): string {
    return this.#shared.location;
  }

  /**
   * A storage of another namespace over the same pool and table, for one person of a portal. Costs
   * nothing; closing it does not end the pool (closing the storage you constructed does).
   */
  forNamespace(namespace: string): PostgresTokenStorage {
    siblingOf = this.#shared;
    return new PostgresTokenStorage({ namespace });
  }

  /**
   * Connects and creates the tables when missing, now rather than on the first operation. Idempotent.
   *
   * @throws TokenStorageError when PostgreSQL cannot be reached or refuses; GlobusSDKUsageError when
   *   `pg` is not installed or the storage is closed.
   */
  async open(): Promise<void> {
    await this.#ready();
  }

  /** @throws TokenStorageError when PostgreSQL fails or holds a bad record. */
  async getTokenDataByResourceServer(): Promise<Record<string, TokenStorageData>> {
    const { rows } = await this.#query(
      `SELECT resource_server, token_data_json FROM ${this.#table} WHERE namespace = $1`,
      [this.namespace],
    );
    return Object.fromEntries(
      rows.map((row) => {
        const resourceServer = String(row.resource_server);
        return [resourceServer, this.#parse(resourceServer, row.token_data_json)];
      }),
    );
  }

  /** @throws TokenStorageError when PostgreSQL fails or the record is bad. */
  override async getTokenData(resourceServer: string): Promise<TokenStorageData | null> {
    const { rows } = await this.#query(
      `SELECT token_data_json FROM ${this.#table} WHERE namespace = $1 AND resource_server = $2`,
      [this.namespace, resourceServer],
    );
    return rows[0] ? this.#parse(resourceServer, rows[0].token_data_json) : null;
  }

  /** Stores every record in one statement (all or nothing). @throws TokenStorageError when the write fails. */
  async storeTokenDataByResourceServer(data: Readonly<Record<string, TokenStorageData>>): Promise<void> {
    assertStorableTokenData(data);
    const entries = Object.entries(data);
    if (entries.length === 0) return;
    await this.#query(
      `INSERT INTO ${this.#table} (namespace, resource_server, token_data_json)
       SELECT $1, u.resource_server, u.token_data_json
       FROM unnest($2::varchar[], $3::varchar[]) AS u(resource_server, token_data_json)
       ON CONFLICT (namespace, resource_server) DO UPDATE SET token_data_json = EXCLUDED.token_data_json`,
      [
        this.namespace,
        entries.map(([resourceServer]) => resourceServer),
        entries.map(([, record]) => JSON.stringify(tokenRecordToJSON(record))),
      ],
    );
  }

  /** @throws TokenStorageError when the delete fails. */
  async removeTokenData(resourceServer: string): Promise<boolean> {
    const { rowCount } = await this.#query(
      `DELETE FROM ${this.#table} WHERE namespace = $1 AND resource_server = $2`,
      [this.namespace, resourceServer],
    );
    return (rowCount ?? 0) > 0;
  }

  /**
   * Every namespace that has records in this table (in a portal: every person with tokens), each
   * once, in no particular order.
   *
   * @example
   * ```ts
   * for await (const identityId of storage.iterNamespaces()) console.log(identityId);
   * ```
   */
  async *iterNamespaces(): AsyncGenerator<string, void, undefined> {
    const { rows } = await this.#query(`SELECT DISTINCT namespace FROM ${this.#table}`, []);
    for (const row of rows) yield String(row.namespace);
  }

  /**
   * Runs `fn` holding the lock `key` of this table and namespace, across every process and machine
   * that uses the database (a session-level advisory lock on a dedicated connection), and within
   * this process (a queue, so a process waits with one connection per key). Storage calls inside
   * `fn` run on the lock's connection, so lock holders never wait for the pool. Writes are committed
   * as they are made, so a holder that dies after storing a refreshed token loses nothing. Not
   * re-entrant for the same key.
   *
   * @throws TokenStorageError when the lock is not free within `lockTimeoutMs`, or PostgreSQL fails.
   */
  override withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    // JSON keeps the three parts apart whatever they contain (PostgreSQL text cannot hold NUL).
    const name = JSON.stringify([this.#shared.table, this.namespace, key]);
    return this.#shared.queue.run(name, async () => {
      await this.#ready();
      const pool = await this.#pool();
      const client = await this.#run(() => pool.connect());
      try {
        // A whole number of milliseconds, so it can be written into the statement (SET takes no parameters).
        await client.query(`SET lock_timeout = ${Math.max(1, Math.trunc(this.#shared.lockTimeoutMs))}`);
        // hashtextextended maps the name to the 64-bit key advisory locks take.
        await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [name]);
      } catch (error) {
        client.release(true);
        if ((error as { code?: unknown }).code === LOCK_NOT_AVAILABLE) {
          throw new TokenStorageError(
            `Timed out after ${this.#shared.lockTimeoutMs} ms waiting for the lock '${key}' of namespace '${this.namespace}' in '${this.location}'; another process holds it.`,
            { location: this.location },
          );
        }
        throw this.#error(error);
      }
      const holder: { client: PostgresPoolClient | undefined } = { client };
      try {
        return await this.#shared.lockContext.run(holder, fn);
      } finally {
        // Work that outlives fn must not run on a connection back in the pool.
        holder.client = undefined;
        try {
          await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [name]);
          await client.query("RESET lock_timeout");
          client.release();
        } catch {
          // Closing the connection releases every lock it held.
          client.release(true);
        }
      }
    });
  }

  /**
   * Deletes the records of this namespace that do not parse (`logout({ removeUnreadable: true })`
   * calls it); readable records and other namespaces stay. A record changed meanwhile is left alone.
   *
   * @throws TokenStorageError when PostgreSQL fails.
   */
  async removeUnreadable(): Promise<void> {
    const { rows } = await this.#query(
      `SELECT resource_server, token_data_json FROM ${this.#table} WHERE namespace = $1`,
      [this.namespace],
    );
    for (const row of rows) {
      const resourceServer = String(row.resource_server);
      try {
        this.#parse(resourceServer, row.token_data_json);
      } catch {
        await this.#query(
          `DELETE FROM ${this.#table} WHERE namespace = $1 AND resource_server = $2 AND token_data_json = $3`,
          [this.namespace, resourceServer, row.token_data_json],
        );
      }
    }
  }

  /**
   * Closes the storage. The storage you constructed from a `connectionString` ends its pool (and so
   * every sibling); siblings from {@link PostgresTokenStorage.forNamespace} and pools you passed in
   * are left alone. Idempotent.
   */
  override async close(): Promise<void> {
    if (!this.#root || this.#shared.closed) return;
    this.#shared.closed = true;
    const pool = this.#shared.pool;
    if (pool && this.#shared.ownsPool) await pool.then((p) => p.end()).catch(() => undefined);
  }

  get #table(): string {
    return `"${this.#shared.table}"`;
  }

  #pool(): Promise<PostgresPool> {
    if (this.#shared.closed) {
      return Promise.reject(new GlobusSDKUsageError(`PostgresTokenStorage '${this.location}' is closed.`));
    }
    if (!this.#shared.pool) {
      const made = this.#shared.makePool();
      this.#shared.pool = made;
      // A failed load (pg missing) is not kept: installing pg and retrying works.
      made.catch(() => {
        if (this.#shared.pool === made) this.#shared.pool = undefined;
      });
    }
    return this.#shared.pool;
  }

  #ready(): Promise<void> {
    if (!this.#shared.schema) {
      const made = this.#run(async () => createPostgresSchema(await this.#pool(), this.#shared.table));
      this.#shared.schema = made;
      made.catch(() => {
        if (this.#shared.schema === made) this.#shared.schema = undefined;
      });
    }
    return this.#shared.schema;
  }

  async #query(text: string, values: unknown[]): Promise<PostgresQueryResult> {
    await this.#ready();
    const holder = this.#shared.lockContext.getStore();
    const target: Pick<PostgresPool, "query"> = holder?.client ?? (await this.#pool());
    return this.#run(() => target.query(text, values));
  }

  async #run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.#error(error);
    }
  }

  #error(error: unknown): unknown {
    if (isGlobusError(error)) return error;
    // Messages name tables, columns and constraints; bound values only ever appear in `detail`,
    // which is left out.
    const code = (error as { code?: unknown }).code;
    const detail = error instanceof Error ? error.message : String(error);
    return new TokenStorageError(
      `PostgreSQL token storage '${this.location}' failed: ${detail}${typeof code === "string" ? ` (${code})` : ""}.`,
      { location: this.location, cause: error },
    );
  }

  #parse(resourceServer: string, json: unknown): TokenStorageData {
    return parseStoredRecord(json, resourceServer, this.location, this.namespace);
  }
}
