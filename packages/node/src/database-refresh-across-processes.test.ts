import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import process from "node:process";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import type { TokenStorage } from "@globus-app/core";
import {
  type Emulator,
  SAMPLE_CONFIDENTIAL_CLIENT,
  SAMPLE_IDENTITIES,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildNodePackage } from "../test-support/build-node-package.ts";
import { storeExpiredTokens as storeExpired } from "../test-support/store-expired-tokens.ts";
import { dropTestData, testPostgres, testRedis, uniqueName } from "../test-support/test-servers.ts";
import { PostgresTokenStorage } from "./postgres-token-storage.ts";
import { RedisTokenStorage } from "./redis-token-storage.ts";

// Real Node processes (replicas) share one PostgreSQL or Redis token store holding an expired access
// token: a refresh must be single-flight across them, and survive a replica killed mid-refresh.
// Node 20 cannot import TypeScript, so the package is built first and the children run dist/.
const here = path.dirname(fileURLToPath(import.meta.url));
const childScript = path.join(here, "test-fixtures", "database-refresh-child.mjs");
const TRANSFER = "transfer.api.globus.org";
const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";

const postgres = testPostgres();
const redis = testRedis();
const kinds = [
  { kind: "postgres", server: postgres },
  { kind: "redis", server: redis },
] as const;

let emu: Emulator | undefined;
beforeAll(async () => {
  if (postgres.skip && redis.skip) return;
  buildNodePackage();
  emu = await startEmulator({ port: 0 });
}, 120_000);
afterAll(async () => {
  await emu?.close();
});

function startChild(args: string[]): { child: ChildProcess; output: Promise<string> } {
  const child = spawn(process.execPath, [childScript, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, GLOBUS_APP_TEST_CLIENT_SECRET: SAMPLE_CONFIDENTIAL_CLIENT.secret },
  });
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk;
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    out += chunk;
  });
  const output = once(child, "close").then(([code, signal]) => {
    if (code !== 0 && signal !== "SIGKILL") throw new Error(`child exited with ${code}:\n${out}`);
    return out.trim();
  });
  return { child, output };
}

/** Stores a person's tokens for Transfer and Auth, issued by the emulator, already expired. */
async function storeExpiredTokens(storage: TokenStorage, identityId: string): Promise<void> {
  if (!emu) throw new Error("no emulator");
  await storeExpired(emu.control, storage, identityId);
}

for (const { kind, server } of kinds) {
  if (server.url === undefined) {
    it.skip(`${kind} refresh across processes: ${server.skip}`, () => undefined);
    continue;
  }
  const url = server.url;
  describe(`${kind}: refresh across processes`, () => {
    const where = kind === "postgres" ? uniqueName("refresh").toLowerCase() : `${uniqueName("refresh")}:`;
    let root: PostgresTokenStorage | RedisTokenStorage;
    beforeAll(() => {
      root =
        kind === "postgres"
          ? new PostgresTokenStorage({ connectionString: url, table: where })
          : new RedisTokenStorage({ url, keyPrefix: where });
    });
    afterAll(async () => {
      await root.close();
      await dropTestData(kind, url, where);
    });
    const childArgs = (namespace: string) => [
      kind,
      url,
      where,
      namespace,
      emu?.url ?? "",
      SAMPLE_CONFIDENTIAL_CLIENT.id,
      TRANSFER,
      TRANSFER_ALL,
    ];

    it("4 processes that start with the same expired token make exactly one refresh request", async () => {
      if (!emu) throw new Error("no emulator");
      const identityId = SAMPLE_IDENTITIES[0].id;
      const person = root.forNamespace(identityId);
      await storeExpiredTokens(person, identityId);
      emu.control.resetCounts();
      const results = await Promise.all([1, 2, 3, 4].map(() => startChild(childArgs(identityId)).output));
      expect(results).toEqual(["header", "header", "header", "header"]);
      expect(emu.control.requestCounts()["token:refresh_token"]).toBe(1);
      const renewed = await person.getTokenData(TRANSFER);
      expect(renewed?.expires_at_seconds).toBeGreaterThan(Date.now() / 1000);
      expect(renewed?.identity_id).toBe(identityId);
    }, 60_000);

    it("a replica killed mid-refresh loses no token: the next one refreshes once", async () => {
      if (!emu) throw new Error("no emulator");
      const identityId = SAMPLE_IDENTITIES[1].id;
      const person = root.forNamespace(identityId);
      await storeExpiredTokens(person, identityId);
      emu.control.resetCounts();
      // The first refresh hangs at Globus long enough to kill its replica while it holds the lock.
      emu.control.injectFault({ endpoint: "token:refresh_token", kind: "latency", latencyMs: 5000 });
      const doomed = startChild(childArgs(identityId));
      const deadline = Date.now() + 20_000;
      while ((emu.control.requestCounts()["token:refresh_token"] ?? 0) < 1 && Date.now() < deadline) {
        await sleep(10);
      }
      expect(emu.control.requestCounts()["token:refresh_token"]).toBe(1);
      doomed.child.kill("SIGKILL");
      await doomed.output;
      const next = await Promise.all([1, 2].map(() => startChild(childArgs(identityId)).output));
      expect(next).toEqual(["header", "header"]);
      // One for the killed replica, one for the replicas after it.
      expect(emu.control.requestCounts()["token:refresh_token"]).toBe(2);
      const renewed = await person.getTokenData(TRANSFER);
      expect(renewed?.expires_at_seconds).toBeGreaterThan(Date.now() / 1000);
      expect(renewed?.refresh_token).not.toBeNull();
      expect(await person.getTokenData("auth.globus.org")).not.toBeNull();
    }, 60_000);
  });
}
