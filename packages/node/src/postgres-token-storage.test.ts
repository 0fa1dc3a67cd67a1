import { isGlobusSDKUsageError, isTokenStorageError } from "@globus-app/core";
import { describeTokenStorageConformance, sampleTokenData } from "@globus-app/core/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectLockTimeout, expectOneHolderAtATime } from "../test-support/lock-checks.ts";
import { testPostgres, uniqueName } from "../test-support/test-servers.ts";
import { PostgresTokenStorage } from "./postgres-token-storage.ts";

const server = testPostgres();

if (server.url === undefined) {
  it.skip(`PostgresTokenStorage: ${server.skip}`, () => undefined);
} else {
  const url = server.url;
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  const tables: string[] = [];
  afterAll(async () => {
    for (const table of tables) await admin.query(`DROP TABLE IF EXISTS "${table}"`);
    await admin.end();
  });
  const newTable = () => {
    const table = uniqueName("tokens").toLowerCase();
    tables.push(table);
    return table;
  };

  describeTokenStorageConformance("PostgresTokenStorage", {
    setup: () => {
      const table = newTable();
      const root = new PostgresTokenStorage({ connectionString: url, table, maxConnections: 4 });
      return {
        create: (namespace) => root.forNamespace(namespace),
        corrupt: async (namespace) => {
          await admin.query(
            `UPDATE "${table}" SET token_data_json = '{"access_token": 5' WHERE namespace = $1`,
            [namespace],
          );
        },
        cleanup: () => root.close(),
      };
    },
  });

  describe("PostgresTokenStorage", () => {
    let table: string;
    let root: PostgresTokenStorage;
    beforeAll(() => {
      table = newTable();
      root = new PostgresTokenStorage({ connectionString: url, table });
    });
    afterAll(() => root.close());

    it("creates the SQLite storage's table shape, keyed by namespace first", async () => {
      await root.open();
      const { rows } = await admin.query(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
        [table],
      );
      expect(rows).toEqual([
        { column_name: "namespace", data_type: "character varying", is_nullable: "NO" },
        { column_name: "resource_server", data_type: "character varying", is_nullable: "NO" },
        { column_name: "token_data_json", data_type: "character varying", is_nullable: "NO" },
      ]);
      const index = await admin.query(`SELECT indexdef FROM pg_indexes WHERE tablename = $1`, [table]);
      expect(index.rows.map((r) => r.indexdef)).toEqual([
        expect.stringMatching(/UNIQUE INDEX .* USING btree \(namespace, resource_server\)/),
      ]);
    });

    it("stores the Python SDK's record JSON, one row per person and resource server", async () => {
      const ada = root.forNamespace("ada-identity");
      await ada.storeTokenDataByResourceServer({ a: sampleTokenData("a", { refresh_token: null }) });
      const { rows } = await admin.query(`SELECT * FROM "${table}" WHERE namespace = 'ada-identity'`);
      expect(rows).toEqual([
        {
          namespace: "ada-identity",
          resource_server: "a",
          token_data_json:
            '{"resource_server":"a","identity_id":"ae341a98-d274-11e5-b888-dbae3a8ba545","scope":"urn:globus:auth:scope:a:all","access_token":"access-a","expires_at_seconds":1900000000,"token_type":"Bearer"}',
        },
      ]);
      const namespaces: string[] = [];
      for await (const namespace of root.iterNamespaces()) namespaces.push(namespace);
      expect(namespaces).toContain("ada-identity");
    });

    it("lets many replicas create the table at once", async () => {
      const fresh = newTable();
      const replicas = Array.from(
        { length: 6 },
        () => new PostgresTokenStorage({ connectionString: url, table: fresh, maxConnections: 1 }),
      );
      await Promise.all(replicas.map((r) => r.open()));
      await Promise.all(replicas.map((r) => r.close()));
    });

    it("excludes holders of one lock across separate pools (as across machines)", async () => {
      const others = [1, 2, 3].map(
        () => new PostgresTokenStorage({ connectionString: url, table, namespace: "lock-test" }),
      );
      await expectOneHolderAtATime(others);
      await Promise.all(others.map((s) => s.close()));
    });

    it("does not deadlock when more keys are locked than the pool has connections", async () => {
      const small = new PostgresTokenStorage({ connectionString: url, table, maxConnections: 2 });
      const people = Array.from({ length: 8 }, (_, i) => small.forNamespace(`person-${i}`));
      await Promise.all(
        people.map((person) =>
          person.withLock("refresh:a", async () => {
            await person.getTokenData("a");
            await person.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
          }),
        ),
      );
      for (const person of people) expect(await person.getTokenData("a")).toEqual(sampleTokenData("a"));
      await small.close();
    });

    it("times out waiting for a lock held elsewhere, with a TokenStorageError", async () => {
      const holder = new PostgresTokenStorage({ connectionString: url, table, namespace: "busy" });
      const waiter = new PostgresTokenStorage({
        connectionString: url,
        table,
        namespace: "busy",
        lockTimeoutMs: 100,
      });
      await expectLockTimeout(holder, waiter, 50);
      await Promise.all([holder.close(), waiter.close()]);
    });

    it("names the server without credentials and reports an unreachable one as a TokenStorageError", async () => {
      const storage = new PostgresTokenStorage({
        connectionString: "postgres://user:hunter2@127.0.0.1:1/db",
      });
      const error = await storage.getTokenData("a").catch((e: unknown) => e);
      expect(isTokenStorageError(error)).toBe(true);
      expect(storage.location).toBe("postgres://127.0.0.1:1/db#token_storage");
      expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain("hunter2");
      await storage.close();
    });

    it("refuses bad options and use after close", async () => {
      expect(() => new PostgresTokenStorage({})).toThrow(/exactly one of connectionString and pool/);
      expect(() => new PostgresTokenStorage({ connectionString: url, table: "x; DROP TABLE y" })).toThrow(
        /plain identifier/,
      );
      const storage = new PostgresTokenStorage({ connectionString: url, table });
      await storage.close();
      expect(isGlobusSDKUsageError(await storage.getTokenData("a").catch((e: unknown) => e))).toBe(true);
    });
  });
}
