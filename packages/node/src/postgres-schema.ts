import type { PostgresPool } from "./postgres-pool.ts";
import { WRITER_VERSION } from "./writer-version.ts";

/** Schema version 2, as the SQLite storage's: one row per namespace and resource server, JSON text. */
const DATABASE_SCHEMA_VERSION = "2";

/**
 * Creates `PostgresTokenStorage`'s tables when missing: `table` (the SQLite storage's shape:
 * `namespace`, `resource_server`, `token_data_json`, primary key `(namespace, resource_server)`)
 * and `sdk_storage_adapter_internal` with the writer's version and schema version 2. Several
 * replicas may start at once, and concurrent CREATE TABLE IF NOT EXISTS can still collide in
 * PostgreSQL's catalog, so creation runs under a transaction-level advisory lock.
 *
 * @param table - a plain identifier (checked by the storage), quoted into the statement.
 * @throws what the driver throws; the transaction is rolled back and its connection closed.
 * @example
 * ```ts
 * await createPostgresSchema(pool, "token_storage");
 * ```
 */
export async function createPostgresSchema(pool: PostgresPool, table: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
      `globus-app schema ${table}`,
    ]);
    await client.query(`CREATE TABLE IF NOT EXISTS "${table}" (
    namespace VARCHAR NOT NULL,
    resource_server VARCHAR NOT NULL,
    token_data_json VARCHAR NOT NULL,
    PRIMARY KEY (namespace, resource_server)
)`);
    await client.query(`CREATE TABLE IF NOT EXISTS sdk_storage_adapter_internal (
    attribute VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    PRIMARY KEY (attribute)
)`);
    await client.query(
      `INSERT INTO sdk_storage_adapter_internal (attribute, value)
       VALUES ('globus-sdk.version', $1), ('globus-sdk.database_schema_version', $2)
       ON CONFLICT (attribute) DO NOTHING`,
      [WRITER_VERSION, DATABASE_SCHEMA_VERSION],
    );
    await client.query("COMMIT");
    client.release();
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    client.release(true);
    throw error;
  }
}
