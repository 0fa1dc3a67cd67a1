import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { isTokenStorageError, type TokenStorage } from "@globus-app/core";
import { sampleTokenData } from "@globus-app/core/testing";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JSONTokenStorage } from "./json-token-storage.ts";
import { SQLiteTokenStorage } from "./sqlite-token-storage.ts";
import { UserApp } from "./user-app.ts";

// Audit finding: a corrupt token file made every read throw, logout() included, and nothing in the
// library could get the app out of it.
const clientId = "6b5e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
const RECOVERY = /delete the file or call app\.logout\(\{ removeUnreadable: true \}\)/;

describe("logout over storage it cannot read", () => {
  let dir: string;
  const toClose: TokenStorage[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "globus-logout-unreadable-"));
  });
  afterEach(async () => {
    for (const storage of toClose.splice(0)) await storage.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function appOver(storage: TokenStorage): Promise<UserApp> {
    toClose.push(storage);
    return new UserApp("my-app", { clientId, config: { tokenStorage: storage } });
  }

  async function corruptCopies(file: string): Promise<string[]> {
    const base = path.basename(file);
    const names = (await readdir(path.dirname(file))).filter((name) => name.startsWith(`${base}.corrupt-`));
    return names.map((name) => path.join(path.dirname(file), name));
  }

  it("JSON: logout() says how to recover; logout({ removeUnreadable: true }) moves the file aside", async () => {
    const file = path.join(dir, "tokens.json");
    const torn = '{"data": {"DEFAULT": {"a": {"access_token": "secret-at", "refresh_token": "secret-rt';
    await writeFile(file, torn, { mode: 0o600 });
    await using app = await appOver(new JSONTokenStorage(file));

    const error = await app.logout().catch((e: unknown) => e);
    expect(isTokenStorageError(error), String(error)).toBe(true);
    expect((error as Error).message).toMatch(RECOVERY);
    expect((error as Error).message).not.toContain("secret");
    expect(await readFile(file, "utf8")).toBe(torn);

    await app.logout({ removeUnreadable: true });
    const [aside, ...more] = await corruptCopies(file);
    expect(more).toEqual([]);
    expect(aside).toMatch(/tokens\.json\.corrupt-\d{8}T\d{6}Z$/);
    expect(await readFile(aside as string, "utf8")).toBe(torn);
    expect((await stat(aside as string)).mode & 0o777).toBe(0o600);
    expect(await app.tokenStorage.tokenStorage.getTokenDataByResourceServer()).toEqual({});
    // Logging out again, flag or not, finds nothing to do.
    await app.logout();
    await app.logout({ removeUnreadable: true });
    expect(await corruptCopies(file)).toHaveLength(1);
  });

  it("JSON: a bad record of this namespace is moved aside; other namespaces stay in the file", async () => {
    const file = path.join(dir, "tokens.json");
    const other = sampleTokenData("b");
    const original = JSON.stringify({
      data: {
        DEFAULT: { a: { resource_server: "a", scope: 5, access_token: "secret-at" } },
        other: { b: other },
      },
      format_version: "2.0",
    });
    await writeFile(file, original, { mode: 0o600 });
    await using app = await appOver(new JSONTokenStorage(file));

    expect(((await app.logout().catch((e: unknown) => e)) as Error).message).toMatch(RECOVERY);
    await app.logout({ removeUnreadable: true });
    const [aside] = await corruptCopies(file);
    expect(await readFile(aside as string, "utf8")).toBe(original);
    expect(await new JSONTokenStorage(file, { namespace: "other" }).getTokenDataByResourceServer()).toEqual({
      b: other,
    });
    expect(await new JSONTokenStorage(file).getTokenDataByResourceServer()).toEqual({});
  });

  it("SQLite: a file that is not a database is moved aside by logout({ removeUnreadable: true })", async () => {
    const file = path.join(dir, "tokens.db");
    const junk =
      "not a database, a text file longer than one hundred bytes .................................";
    await writeFile(file, junk, { mode: 0o600 });
    await using app = await appOver(new SQLiteTokenStorage(file));

    const error = await app.logout().catch((e: unknown) => e);
    expect(isTokenStorageError(error), String(error)).toBe(true);
    expect((error as Error).message).toMatch(RECOVERY);
    expect(await readFile(file, "utf8")).toBe(junk);

    await app.logout({ removeUnreadable: true });
    const [aside] = await corruptCopies(file);
    expect(await readFile(aside as string, "utf8")).toBe(junk);
    expect(await app.tokenStorage.tokenStorage.getTokenDataByResourceServer()).toEqual({});
  });

  it("SQLite: bad rows of this namespace are moved aside; good rows and other namespaces stay", async () => {
    const file = path.join(dir, "tokens.db");
    const seed = new SQLiteTokenStorage(file);
    await seed.storeTokenDataByResourceServer({ good: sampleTokenData("good") });
    await new SQLiteTokenStorage(file, { namespace: "other" }).storeTokenDataByResourceServer({
      b: sampleTokenData("b"),
    });
    await seed.close();
    const db = new Database(file);
    db.prepare("INSERT INTO token_storage VALUES ('DEFAULT', 'bad', ?)").run('{"access_token": "secret-at"');
    db.close();
    await using app = await appOver(new SQLiteTokenStorage(file));

    expect(((await app.logout().catch((e: unknown) => e)) as Error).message).toMatch(RECOVERY);
    // The good record is revoked (the emulator is not running: revocation fails, removal happens).
    await app.logout({ removeUnreadable: true, sweep: true }).catch(() => undefined);
    const [aside] = await corruptCopies(file);
    expect(JSON.parse(await readFile(aside as string, "utf8"))).toEqual({
      namespace: "DEFAULT",
      token_data_json_by_resource_server: { bad: '{"access_token": "secret-at"' },
    });
    expect((await stat(aside as string)).mode & 0o777).toBe(0o600);
    const check = new SQLiteTokenStorage(file, { namespace: "other" });
    toClose.push(check);
    expect(await check.getTokenDataByResourceServer()).toEqual({ b: sampleTokenData("b") });
    expect(await app.tokenStorage.tokenStorage.getTokenDataByResourceServer()).toEqual({});
  });
});
