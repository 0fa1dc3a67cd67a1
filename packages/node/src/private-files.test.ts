import { chown, mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { sampleTokenData } from "@globus-app/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JSONTokenStorage } from "./json-token-storage.ts";
import { ensurePrivateDirectory } from "./private-files.ts";
import { SQLiteTokenStorage } from "./sqlite-token-storage.ts";

const OTHER_UID = 12345;
const canSwitchUser = process.geteuid?.() === 0 && typeof process.seteuid === "function";
// Root ignores directory permissions, so the bug (a folder made 0500 by the umask, then unusable)
// only shows for an ordinary user: the test runs as one by switching the effective uid.
const needsRoot = "needs root, to run the code as an ordinary user (seteuid)";

/**
 * Runs `fn` with effective uid and gid `uid` and the given umask, then restores both. Real
 * permissions, real files: nothing is mocked.
 */
async function asOrdinaryUser<T>(uid: number, umask: number, fn: () => Promise<T>): Promise<T> {
  const previousUmask = process.umask(umask);
  process.setegid?.(uid);
  process.seteuid?.(uid);
  try {
    return await fn();
  } finally {
    process.seteuid?.(0);
    process.setegid?.(0);
    process.umask(previousUmask);
  }
}

describe("private directories under a restrictive umask", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "globus-private-files-"));
    if (canSwitchUser) await chown(dir, OTHER_UID, OTHER_UID);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(!canSwitchUser)(
    `creates every missing folder 0700 with umask 0277, three levels deep (${needsRoot})`,
    async () => {
      const deep = path.join(dir, "a", "b", "c");
      await asOrdinaryUser(OTHER_UID, 0o277, () =>
        ensurePrivateDirectory(deep, path.join(deep, "tokens.json")),
      );
      for (const folder of [path.join(dir, "a"), path.join(dir, "a", "b"), deep]) {
        const stats = await stat(folder);
        expect(stats.mode & 0o7777, folder).toBe(0o700);
        expect(stats.uid).toBe(OTHER_UID);
      }
    },
  );

  it.skipIf(!canSwitchUser)(
    `lets JSON and SQLite storages create their files under umask 0277 (${needsRoot})`,
    async () => {
      const json = path.join(dir, "x", "y", "tokens.json");
      const db = path.join(dir, "p", "q", "tokens.db");
      // Loaded first as root: module loading is not what this test is about.
      await import("./sqlite-driver.ts")
        .then((m) => m.openSqliteConnection(":memory:"))
        .then((c) => c.close());
      await asOrdinaryUser(OTHER_UID, 0o277, async () => {
        const storage = new JSONTokenStorage(json);
        await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
        expect(await storage.getTokenData("a")).toEqual(sampleTokenData("a"));
        expect(await storage.withLock("refresh:a", async () => "ran")).toBe("ran");
        const sqlite = new SQLiteTokenStorage(db);
        try {
          await sqlite.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
          expect(await sqlite.getTokenData("a")).toEqual(sampleTokenData("a"));
        } finally {
          await sqlite.close();
        }
      });
      expect((await stat(json)).mode & 0o777).toBe(0o600);
      expect((await stat(db)).mode & 0o777).toBe(0o600);
      for (const folder of ["x", "x/y", "p", "p/q"]) {
        expect((await stat(path.join(dir, folder))).mode & 0o777, folder).toBe(0o700);
      }
    },
  );

  it("leaves the mode of folders that already exist alone", async () => {
    const file = path.join(dir, "tokens.json");
    const before = (await stat(dir)).mode;
    await ensurePrivateDirectory(dir, file);
    expect((await stat(dir)).mode).toBe(before);
  });
});
