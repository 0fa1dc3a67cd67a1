import { inTransaction, type SqliteConnection } from "./sqlite-driver.ts";
import { WRITER_VERSION } from "./writer-version.ts";

// The Python SDK's schema, statement for statement: sqlite_master keeps this text (minus
// "IF NOT EXISTS"), so databases created by either SDK are indistinguishable.
const CREATE_TOKEN_STORAGE = `CREATE TABLE IF NOT EXISTS token_storage (
    namespace VARCHAR NOT NULL,
    resource_server VARCHAR NOT NULL,
    token_data_json VARCHAR NOT NULL,
    PRIMARY KEY (namespace, resource_server)
)`;
const CREATE_INTERNAL = `CREATE TABLE IF NOT EXISTS sdk_storage_adapter_internal (
    attribute VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    PRIMARY KEY (attribute)
)`;
/** Schema version 2 marks a database built by `SQLiteTokenStorage` (1: the legacy `SQLiteAdapter`). */
const DATABASE_SCHEMA_VERSION = "2";

/**
 * Creates the Python SDK's tables (`token_storage`, `sdk_storage_adapter_internal`) and internal
 * rows (`globus-sdk.version`, `globus-sdk.database_schema_version` = 2) when the file has none (new,
 * or empty after a crash), in one transaction. Existing databases, the Python SDK's and the legacy
 * adapter's, are left as they are.
 *
 * @throws what the driver throws (SQLITE_BUSY included: callers retry).
 * @example
 * ```ts
 * initializeSqliteSchema(await openSqliteConnection(file));
 * ```
 */
export function initializeSqliteSchema(db: SqliteConnection): void {
  const exists = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'token_storage'")
    .get();
  if (exists) return;
  inTransaction(db, () => {
    db.exec(CREATE_TOKEN_STORAGE);
    db.exec(CREATE_INTERNAL);
    const insert = db.prepare(
      "INSERT OR IGNORE INTO sdk_storage_adapter_internal(attribute, value) VALUES (?, ?)",
    );
    insert.run("globus-sdk.version", WRITER_VERSION);
    insert.run("globus-sdk.database_schema_version", DATABASE_SCHEMA_VERSION);
  });
}
