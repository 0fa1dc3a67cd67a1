import { GlobusSDKUsageError } from "@globus-app/core";

/** A value SQLite can bind or return. */
export type SqlValue = string | number | bigint | null | Uint8Array;

/** A prepared statement, the subset every driver has. */
export interface SqliteStatement {
  /** Runs a writing statement; `changes` is the number of rows it changed. */
  run(...params: SqlValue[]): { changes: number };
  /** Every row, as column → value objects. */
  all(...params: SqlValue[]): Record<string, unknown>[];
  /** The first row, or undefined. */
  get(...params: SqlValue[]): Record<string, unknown> | undefined;
}

/** One synchronous connection to a database file. */
export interface SqliteConnection {
  /** Which driver opened it: `node:sqlite`, `bun:sqlite` or `better-sqlite3`. */
  readonly driver: string;
  /** Runs one or more statements that return nothing. */
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
}

/** Opens a connection; throws what the driver throws. */
type Opener = (filePath: string) => SqliteConnection;

// What this file uses of each driver: they share better-sqlite3's shape closely enough that one
// wrapper serves all three.
interface DriverStatement {
  run(...params: SqlValue[]): { changes: number | bigint };
  all(...params: SqlValue[]): unknown[];
  get(...params: SqlValue[]): unknown;
}
interface DriverDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): DriverStatement;
  close(): unknown;
}

function wrap(driver: string, database: DriverDatabase): SqliteConnection {
  return {
    driver,
    exec: (sql) => {
      database.exec(sql);
    },
    prepare: (sql) => {
      const statement = database.prepare(sql);
      return {
        run: (...params) => ({ changes: Number(statement.run(...params).changes) }),
        all: (...params) => statement.all(...params) as Record<string, unknown>[],
        // bun:sqlite answers null for "no row".
        get: (...params) => (statement.get(...params) ?? undefined) as Record<string, unknown> | undefined,
      };
    },
    close: () => {
      database.close();
    },
  };
}

// Specifiers in variables: TypeScript's Node 20 types know neither module, and bundlers should not
// try to resolve runtime-specific built-ins.
const NODE_SQLITE = "node:sqlite";
const BUN_SQLITE = "bun:sqlite";

async function tryNodeSqlite(): Promise<Opener | undefined> {
  try {
    const { DatabaseSync } = (await import(NODE_SQLITE)) as {
      DatabaseSync: new (filePath: string) => DriverDatabase;
    };
    return (filePath) => wrap("node:sqlite", new DatabaseSync(filePath));
  } catch {
    return undefined;
  }
}

async function tryBunSqlite(): Promise<Opener | undefined> {
  try {
    const { Database } = (await import(BUN_SQLITE)) as {
      Database: new (filePath: string, options: { create: boolean }) => DriverDatabase;
    };
    return (filePath) => wrap("bun:sqlite", new Database(filePath, { create: true }));
  } catch {
    return undefined;
  }
}

async function tryBetterSqlite3(): Promise<Opener | undefined> {
  try {
    const { default: Database } = await import("better-sqlite3");
    return (filePath) => wrap("better-sqlite3", new Database(filePath) as unknown as DriverDatabase);
  } catch {
    return undefined;
  }
}

let opener: Promise<Opener | undefined> | undefined;

/**
 * Opens `filePath` with the first SQLite driver the runtime has: `node:sqlite` (Node ≥ 22.5, Deno),
 * `bun:sqlite` (Bun), else the optional `better-sqlite3` package (Node 20). Drivers are imported on
 * first use only.
 *
 * @throws GlobusSDKUsageError when none is available, naming the package to install.
 */
export async function openSqliteConnection(filePath: string): Promise<SqliteConnection> {
  opener ??= (async () => (await tryNodeSqlite()) ?? (await tryBunSqlite()) ?? (await tryBetterSqlite3()))();
  const open = await opener;
  if (!open) {
    throw new GlobusSDKUsageError(
      "SQLiteTokenStorage needs SQLite: this runtime has no node:sqlite (Node 22.5 or later, Deno) or bun:sqlite, and the optional package better-sqlite3 is not installed. Install it with `npm install better-sqlite3`, or use JSONTokenStorage.",
    );
  }
  return open(filePath);
}

/**
 * Runs `fn` in a transaction: commits when it returns, rolls back and rethrows when it throws.
 * `BEGIN IMMEDIATE` takes the write lock up front, so the busy timeout applies instead of a
 * deadlock error.
 *
 * @example
 * ```ts
 * inTransaction(db, () => db.prepare("DELETE FROM token_storage WHERE namespace = ?").run(namespace));
 * ```
 */
export function inTransaction(db: SqliteConnection, fn: () => void): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    fn();
    db.exec("COMMIT");
  } catch (error) {
    try {
      db.exec("ROLLBACK");
    } catch {
      // The failed statement may already have rolled back.
    }
    throw error;
  }
}
