import { chownSync, existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { isGlobusSDKUsageError, isTokenStorageError } from "@globus-app/core";
import { describeTokenStorageConformance, sampleTokenData } from "@globus-app/core/testing";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectEveryCallRefused } from "../test-support/expect-refused.ts";
import { SQLiteTokenStorage } from "./sqlite-token-storage.ts";
import { WRITER_VERSION } from "./writer-version.ts";

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), "globus-sqlite-storage-"));
}

/** The Python SDK's `SQLiteTokenStorage._init_and_connect` script, after `textwrap.dedent`. */
const PYTHON_SCHEMA_SCRIPT = `
CREATE TABLE token_storage (
    namespace VARCHAR NOT NULL,
    resource_server VARCHAR NOT NULL,
    token_data_json VARCHAR NOT NULL,
    PRIMARY KEY (namespace, resource_server)
);
CREATE TABLE sdk_storage_adapter_internal (
    attribute VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    PRIMARY KEY (attribute)
);
`;

/** Creates a database the way the Python SDK does, through a separate driver connection. */
function createPythonDatabase(
  file: string,
  rows: [string, string, string][] = [],
  schemaVersion = "2",
): void {
  const db = new Database(file);
  db.exec(PYTHON_SCHEMA_SCRIPT);
  if (schemaVersion === "1")
    db.exec(
      "CREATE TABLE config_storage (namespace VARCHAR NOT NULL, config_name VARCHAR NOT NULL, config_data_json VARCHAR NOT NULL, PRIMARY KEY (namespace, config_name))",
    );
  const insert = db.prepare("INSERT INTO sdk_storage_adapter_internal(attribute, value) VALUES (?, ?)");
  insert.run("globus-sdk.version", "3.54.0");
  insert.run("globus-sdk.database_schema_version", schemaVersion);
  const put = db.prepare(
    "REPLACE INTO token_storage(namespace, resource_server, token_data_json) VALUES(?, ?, ?)",
  );
  for (const row of rows) put.run(...row);
  db.close();
}

function schemaOf(file: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").all();
  } finally {
    db.close();
  }
}

describeTokenStorageConformance("SQLiteTokenStorage", {
  setup: async () => {
    const dir = await tempDir();
    const file = path.join(dir, "app", "tokens.db");
    return {
      create: (namespace) => new SQLiteTokenStorage(file, { namespace }),
      corrupt: async (namespace) => {
        const db = new Database(file);
        db.prepare("UPDATE token_storage SET token_data_json = ? WHERE namespace = ?").run(
          '{"access_token": "access-a", "refresh_token": "refresh-a", "scope": 5',
          namespace,
        );
        db.close();
      },
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
});

describe("SQLiteTokenStorage", () => {
  let dir: string;
  let file: string;
  const opened: SQLiteTokenStorage[] = [];
  const open = (filePath: string, namespace?: string) => {
    const storage = new SQLiteTokenStorage(filePath, namespace === undefined ? {} : { namespace });
    opened.push(storage);
    return storage;
  };

  beforeEach(async () => {
    dir = await tempDir();
    file = path.join(dir, "tokens.db");
  });
  afterEach(async () => {
    for (const storage of opened.splice(0)) await storage.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("creates the Python SDK's schema and internal rows exactly", async () => {
    await open(file).open();
    const reference = path.join(dir, "python.db");
    createPythonDatabase(reference);
    expect(schemaOf(file)).toEqual(schemaOf(reference));
    expect(schemaOf(file)).toEqual([
      {
        type: "table",
        name: "sdk_storage_adapter_internal",
        tbl_name: "sdk_storage_adapter_internal",
        sql: "CREATE TABLE sdk_storage_adapter_internal (\n    attribute VARCHAR NOT NULL,\n    value VARCHAR NOT NULL,\n    PRIMARY KEY (attribute)\n)",
      },
      {
        type: "index",
        name: "sqlite_autoindex_sdk_storage_adapter_internal_1",
        tbl_name: "sdk_storage_adapter_internal",
        sql: null,
      },
      { type: "index", name: "sqlite_autoindex_token_storage_1", tbl_name: "token_storage", sql: null },
      {
        type: "table",
        name: "token_storage",
        tbl_name: "token_storage",
        sql: "CREATE TABLE token_storage (\n    namespace VARCHAR NOT NULL,\n    resource_server VARCHAR NOT NULL,\n    token_data_json VARCHAR NOT NULL,\n    PRIMARY KEY (namespace, resource_server)\n)",
      },
    ]);
    const db = new Database(file, { readonly: true });
    expect(
      db.prepare("SELECT attribute, value FROM sdk_storage_adapter_internal ORDER BY attribute").all(),
    ).toEqual([
      { attribute: "globus-sdk.database_schema_version", value: "2" },
      { attribute: "globus-sdk.version", value: WRITER_VERSION },
    ]);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("stores one row per resource server with the record's JSON", async () => {
    const storage = open(file, "foo");
    await storage.storeTokenDataByResourceServer({
      a: sampleTokenData("a", { refresh_token: null, extra: { k: 1 } }),
      b: sampleTokenData("b"),
    });
    const db = new Database(file, { readonly: true });
    const rows = db.prepare("SELECT * FROM token_storage ORDER BY resource_server").all() as Record<
      string,
      string
    >[];
    db.close();
    expect(rows.map((r) => [r.namespace, r.resource_server])).toEqual([
      ["foo", "a"],
      ["foo", "b"],
    ]);
    expect(rows[0]?.token_data_json).toBe(
      '{"resource_server":"a","identity_id":"ae341a98-d274-11e5-b888-dbae3a8ba545","scope":"urn:globus:auth:scope:a:all","access_token":"access-a","expires_at_seconds":1900000000,"token_type":"Bearer","k":1}',
    );
  });

  it("reads a database the Python SDK wrote (json.dumps spacing, extra keys, missing fields)", async () => {
    createPythonDatabase(file, [
      [
        "DEFAULT",
        "auth.globus.org",
        '{"resource_server": "auth.globus.org", "identity_id": "c8aad43e-d274-11e5-bf98-8b02896cf782", "scope": "openid", "access_token": "at", "expires_at_seconds": 1800000000, "token_type": "Bearer", "custom": true}',
      ],
      ["other", "x", '{"resource_server": "x", "scope": "s", "access_token": "t", "expires_at_seconds": 1}'],
    ]);
    const storage = open(file);
    expect(await storage.getTokenDataByResourceServer()).toEqual({
      "auth.globus.org": {
        resource_server: "auth.globus.org",
        identity_id: "c8aad43e-d274-11e5-bf98-8b02896cf782",
        scope: "openid",
        access_token: "at",
        refresh_token: null,
        expires_at_seconds: 1_800_000_000,
        token_type: "Bearer",
        extra: { custom: true },
      },
    });
    // The existing database keeps its own internal rows.
    const db = new Database(file, { readonly: true });
    expect(
      db
        .prepare("SELECT value FROM sdk_storage_adapter_internal WHERE attribute = 'globus-sdk.version'")
        .get(),
    ).toEqual({
      value: "3.54.0",
    });
    db.close();
  });

  it("reads a legacy SQLiteAdapter database (schema version 1) without changing it", async () => {
    createPythonDatabase(
      file,
      [
        [
          "DEFAULT",
          "a",
          JSON.stringify({ resource_server: "a", scope: "s", access_token: "t", expires_at_seconds: 5 }),
        ],
      ],
      "1",
    );
    const before = schemaOf(file);
    expect((await open(file).getTokenData("a"))?.access_token).toBe("t");
    expect(schemaOf(file)).toEqual(before);
  });

  it("rejects ':memory:' with the Python SDK's message", () => {
    let error: unknown;
    try {
      new SQLiteTokenStorage(":memory:");
    } catch (e) {
      error = e;
    }
    expect(isGlobusSDKUsageError(error)).toBe(true);
    expect((error as Error).message).toBe(
      "SQLiteTokenStorage cannot be used with a ':memory:' database. If you want to store tokens in memory, use MemoryTokenStorage instead.",
    );
  });

  it("lists namespaces with records", async () => {
    const collect = async (storage: SQLiteTokenStorage) => {
      const out: string[] = [];
      for await (const namespace of storage.iterNamespaces()) out.push(namespace);
      return out.sort();
    };
    const foo = open(file, "foo");
    const bar = open(file, "bar");
    expect(await collect(foo)).toEqual([]);
    await foo.storeTokenDataByResourceServer({ a: sampleTokenData("a"), b: sampleTokenData("b") });
    expect(await collect(bar)).toEqual(["foo"]);
    await bar.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
    expect(await collect(foo)).toEqual(["bar", "foo"]);
  });

  it("keeps a write that meets another connection's long transaction, and the event loop runs meanwhile", async () => {
    const storage = open(file);
    await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
    // Another writer holds the database for longer than SQLite's own busy timeout. It commits from
    // a timer of this process: a write that waited synchronously for SQLite would keep that timer
    // from ever running, and fail with "database is locked".
    const other = new Database(file);
    other.pragma("busy_timeout = 0");
    other.exec("BEGIN IMMEDIATE");
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        other.exec("COMMIT");
        other.close();
        resolve();
      }, 2500),
    );
    await storage.storeTokenDataByResourceServer({ b: sampleTokenData("b") });
    await released;
    expect(Object.keys(await storage.getTokenDataByResourceServer()).sort()).toEqual(["a", "b"]);
  });

  it("lets two storages share one file: same namespace shares data, different ones are isolated", async () => {
    const one = open(file, "app-one");
    const oneAgain = open(file, "app-one");
    const two = open(file, "app-two");
    await one.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
    expect(await oneAgain.getTokenData("a")).toEqual(sampleTokenData("a"));
    expect(await two.getTokenData("a")).toBeNull();
    await two.storeTokenDataByResourceServer({ a: sampleTokenData("a", { access_token: "two" }) });
    expect(await two.removeTokenData("a")).toBe(true);
    expect(await two.removeTokenData("a")).toBe(false);
    expect((await one.getTokenData("a"))?.access_token).toBe("access-a");
  });

  it("creates the file 0600 and missing directories 0700", async () => {
    const nested = path.join(dir, "x", "y", "tokens.db");
    await open(nested).storeTokenDataByResourceServer({ a: sampleTokenData("a") });
    expect((await stat(nested)).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, "x", "y"))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(dir, "x"))).mode & 0o777).toBe(0o700);
    // SQLite gives the WAL and shared-memory files the database's mode.
    expect((await stat(`${nested}-wal`)).mode & 0o777).toBe(0o600);
  });

  it("reports a bad row as a TokenStorageError naming the file, without its content", async () => {
    createPythonDatabase(file, [["DEFAULT", "a", '{"access_token": "secret-at", "scope": 5']]);
    const storage = open(file);
    for (const read of [() => storage.getTokenDataByResourceServer(), () => storage.getTokenData("a")]) {
      const error = await read().then(
        () => null,
        (e: unknown) => e,
      );
      expect(isTokenStorageError(error)).toBe(true);
      expect((error as Error).message).toBe(
        `Invalid token data in '${file}' (namespace 'DEFAULT', resource server 'a'): not valid JSON. To recover, delete the file or call app.logout({ removeUnreadable: true }), which moves it (or its unreadable records) aside to '${file}.corrupt-<time>'.`,
      );
      expect((error as { location?: string }).location).toBe(file);
      expect(JSON.stringify(error)).not.toContain("secret-at");
    }
  });

  it("reports a file that is not a database, and leaves it alone", async () => {
    await writeFile(
      file,
      "this is not a database, it is a text file with more than a hundred bytes in it......................",
    );
    const before = await readFile(file);
    const storage = open(file);
    const error = await storage.getTokenDataByResourceServer().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isTokenStorageError(error)).toBe(true);
    expect((error as Error).message).toContain(file);
    expect(await readFile(file)).toEqual(before);
  });

  it("can leave the journal mode alone (network file systems)", async () => {
    const storage = new SQLiteTokenStorage(file, { wal: false });
    opened.push(storage);
    await storage.open();
    const db = new Database(storage.filePath, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("delete");
    db.close();
  });

  it("closes idempotently, and refuses use after close", async () => {
    const storage = new SQLiteTokenStorage(file);
    await storage.close(); // never opened
    const used = new SQLiteTokenStorage(file);
    await used.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
    await used.close();
    await used.close();
    const error = await used.getTokenData("a").then(
      () => null,
      (e: unknown) => e,
    );
    expect(isGlobusSDKUsageError(error)).toBe(true);
  });

  it("runs withLock functions one at a time per key", async () => {
    const storage = open(file);
    const events: string[] = [];
    const task = (name: string) =>
      storage.withLock("refresh:x", async () => {
        events.push(`${name}:start`);
        await new Promise((resolve) => setTimeout(resolve, 10));
        events.push(`${name}:end`);
      });
    await Promise.all([task("a"), task("b")]);
    expect(events).toEqual(["a:start", "a:end", "b:start", "b:end"]);
  });

  it("forGlobusApp uses the Python SDK's default .db path", () => {
    const storage = SQLiteTokenStorage.forGlobusApp({ appName: "My App", clientId: "cid", namespace: "ns" });
    expect(storage.filePath).toBe(path.join(os.homedir(), ".globus", "app", "cid", "my-app", "tokens.db"));
    expect(storage.namespace).toBe("ns");
  });
});

// Findings of the security audit: the same refusals as JSONTokenStorage's, checked before SQLite
// opens (and would create) anything.
describe("SQLiteTokenStorage refuses database files another user could plant or read", () => {
  const isRoot = process.getuid?.() === 0;
  let dir: string;
  const opened: SQLiteTokenStorage[] = [];

  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    for (const storage of opened.splice(0)) await storage.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Opening fails with a TokenStorageError matching `pattern`; so does withLock unless told not to. */
  async function expectRefusedOpen(filePath: string, pattern: RegExp, withLock = true): Promise<void> {
    const storage = new SQLiteTokenStorage(filePath);
    opened.push(storage);
    const calls: Array<() => Promise<unknown>> = [
      () => storage.getTokenDataByResourceServer(),
      () => storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") }),
    ];
    if (withLock) calls.push(() => storage.withLock("refresh:a", async () => "ran"));
    await expectEveryCallRefused(calls, pattern, storage.filePath);
  }

  it.skipIf(process.platform === "win32")(
    "refuses a dangling symlink and never creates its target",
    async () => {
      const target = path.join(dir, "planted-target.db");
      const link = path.join(dir, "tokens.db");
      await symlink(target, link);
      await expectRefusedOpen(link, /tokens\.db' is a symbolic link; token files must be regular files/);
      expect(existsSync(target)).toBe(false);
    },
  );

  it.skipIf(process.platform === "win32")("refuses a symlink to an existing database", async () => {
    const target = path.join(dir, "elsewhere.db");
    createPythonDatabase(target, [["DEFAULT", "a", JSON.stringify(sampleTokenData("a"))]]);
    const before = await readFile(target);
    const link = path.join(dir, "tokens.db");
    await symlink(target, link);
    await expectRefusedOpen(link, /is a symbolic link/);
    expect(await readFile(target)).toEqual(before);
  });

  it.skipIf(!isRoot)(
    "refuses a database owned by another user (chown to another uid needs root)",
    async () => {
      const file = path.join(dir, "tokens.db");
      createPythonDatabase(file);
      chownSync(file, 12345, 12345);
      await expectRefusedOpen(file, /is owned by uid 12345, not by the current user/);
    },
  );

  it.skipIf(process.platform === "win32")(
    "refuses a database in a folder writable by others without the sticky bit",
    async () => {
      const shared = path.join(dir, "shared");
      await mkdir(shared);
      await chmod(shared, 0o777);
      await expectRefusedOpen(path.join(shared, "tokens.db"), /folder '.*shared' is writable by others/);
      expect(await readdir(shared)).toEqual([]);
    },
  );

  it.skipIf(process.platform === "win32")(
    "refuses a symlink planted at the database's -wal or -journal file",
    async () => {
      const file = path.join(dir, "tokens.db");
      const stolen = path.join(dir, "attacker-readable");
      await symlink(stolen, `${file}-wal`);
      await symlink(stolen, `${file}-journal`);
      // withLock opens nothing of SQLite's, so it has nothing to refuse here.
      await expectRefusedOpen(file, /tokens\.db-(wal|journal)' is a symbolic link/, false);
      expect(existsSync(stolen)).toBe(false);
    },
  );

  it.skipIf(process.platform === "win32")("accepts a sticky world-writable folder like /tmp", async () => {
    const sticky = path.join(dir, "sticky");
    await mkdir(sticky);
    await chmod(sticky, 0o1777);
    const storage = new SQLiteTokenStorage(path.join(sticky, "tokens.db"));
    opened.push(storage);
    await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
    expect(await storage.getTokenData("a")).toEqual(sampleTokenData("a"));
  });
});
