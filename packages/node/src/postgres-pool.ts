import { GlobusSDKUsageError } from "@globus-app/core";

/** The result of a query, the part of node-postgres's `QueryResult` this storage reads. */
export interface PostgresQueryResult {
  rows: Record<string, unknown>[];
  rowCount: number | null;
}

/** A connection checked out of a pool: node-postgres's `PoolClient`, structurally. */
export interface PostgresPoolClient {
  /** Runs one parameterised statement on this connection. */
  query(text: string, values?: unknown[]): Promise<PostgresQueryResult>;
  /** Returns the connection; `true` or an error closes it instead (its session locks go with it). */
  release(destroy?: boolean | Error): void;
}

/** A connection pool: node-postgres's `Pool`, structurally (so `pg` stays an optional dependency). */
export interface PostgresPool {
  /** Runs one parameterised statement on any free connection. */
  query(text: string, values?: unknown[]): Promise<PostgresQueryResult>;
  /** Takes one connection out of the pool (for a lock and what runs under it). */
  connect(): Promise<PostgresPoolClient>;
  /** Closes every connection. */
  end(): Promise<void>;
}

/**
 * Makes a node-postgres pool of at most `max` connections, importing `pg` on first use. An idle
 * connection that the server drops does not end the process.
 *
 * @throws GlobusSDKUsageError when the optional package `pg` is not installed.
 * @example
 * ```ts
 * const pool = await createPostgresPool(process.env.DATABASE_URL!, 10);
 * ```
 */
export async function createPostgresPool(connectionString: string, max: number): Promise<PostgresPool> {
  let Pool: typeof import("pg").Pool;
  try {
    ({ Pool } = (await import("pg")).default);
  } catch {
    throw new GlobusSDKUsageError(
      "PostgresTokenStorage needs the optional package pg: install it with `npm install pg`.",
    );
  }
  const pool = new Pool({ connectionString, max });
  // An idle connection that the server drops (restart, failover) emits 'error' on the pool; without
  // a listener that would end the process. The next query reconnects and reports its own failure.
  pool.on("error", () => undefined);
  return pool as unknown as PostgresPool;
}
