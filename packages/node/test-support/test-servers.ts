import process from "node:process";

/** What a test needs from a real server: its URL, or why the test cannot run. */
export type TestServer = { url: string; skip: false } | { url: undefined; skip: string };

function testServer(variable: string, what: string): TestServer {
  const url = process.env[variable];
  if (url) return { url, skip: false };
  const reason = `${what} tests need a server: set ${variable} (bash .ci/run and \`source .ci/test-services.sh\` start one)`;
  // CI must run them: a setup that lost its server fails here instead of passing with skips.
  if (process.env.CI === "true") throw new Error(`CI=true but ${variable} is not set. ${reason}`);
  return { url: undefined, skip: reason };
}

/**
 * The PostgreSQL server of the storage tests, from `GLOBUS_APP_TEST_POSTGRES_URL`
 * (`postgres://postgres@127.0.0.1:5432/postgres`). Without it the tests skip, saying why, except
 * under `CI=true`, where this throws.
 */
export function testPostgres(): TestServer {
  return testServer("GLOBUS_APP_TEST_POSTGRES_URL", "PostgreSQL");
}

/**
 * The Redis server of the storage tests, from `GLOBUS_APP_TEST_REDIS_URL` (`redis://127.0.0.1:6379`).
 * Without it the tests skip, saying why, except under `CI=true`, where this throws.
 */
export function testRedis(): TestServer {
  return testServer("GLOBUS_APP_TEST_REDIS_URL", "Redis");
}

/** A name no other test run uses, for a table or key prefix of its own on a shared server. */
export function uniqueName(label: string): string {
  return `${label}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Removes what a test made on a shared server: the PostgreSQL table `where`, or every Redis key
 * starting with `where`. Imports the drivers only when called.
 */
export async function dropTestData(kind: "postgres" | "redis", url: string, where: string): Promise<void> {
  if (kind === "postgres") {
    const { default: pg } = await import("pg");
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP TABLE IF EXISTS "${where}"`);
    await admin.end();
  } else {
    const { Redis } = await import("ioredis");
    const admin = new Redis(url);
    const keys = await admin.keys(`${where}*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  }
}
