import { chmod, chown, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { isTokenStorageError } from "@globus-app/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assertSafeEntry, assertSafeTokenPath } from "./safe-token-path.ts";

const posix = process.platform !== "win32";
const isRoot = process.getuid?.() === 0;

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isTokenStorageError(error), String(error)).toBe(true);
  return (error as Error).message;
}

describe("assertSafeTokenPath", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "globus-safe-path-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("accepts a missing file under missing folders, and says it is missing", async () => {
    expect(await assertSafeTokenPath(path.join(dir, "a", "b", "tokens.json"))).toEqual({ exists: false });
  });

  it("accepts the user's own regular file in a 0700 folder, and says it exists", async () => {
    const file = path.join(dir, "tokens.json");
    await writeFile(file, "{}", { mode: 0o600 });
    expect(await assertSafeTokenPath(file)).toEqual({ exists: true });
  });

  it.skipIf(!posix)("names the file as location, whatever entry is wrong", async () => {
    const file = path.join(dir, "tokens.json");
    await symlink("nowhere", `${file}-wal`);
    const error = await assertSafeEntry(`${file}-wal`, file, "file").catch((e: unknown) => e);
    expect((error as { location?: string }).location).toBe(file);
    expect((error as Error).message).toContain(`'${file}-wal' is a symbolic link`);
  });

  it.skipIf(!posix)(
    "accepts a folder reached through a symlink (the folder's real path is checked)",
    async () => {
      await mkdir(path.join(dir, "real"), { mode: 0o700 });
      await symlink(path.join(dir, "real"), path.join(dir, "link"));
      expect(await assertSafeTokenPath(path.join(dir, "link", "tokens.json"))).toEqual({ exists: false });
    },
  );

  it.skipIf(!posix)("refuses a real folder, reached through a symlink, that others can write", async () => {
    await mkdir(path.join(dir, "real"));
    await chmod(path.join(dir, "real"), 0o777);
    await symlink(path.join(dir, "real"), path.join(dir, "link"));
    expect(await refusal(assertSafeTokenPath(path.join(dir, "link", "tokens.json")))).toMatch(
      /folder '.*real' is writable by others/,
    );
  });

  it.skipIf(!posix)("refuses a lock path that is not a directory", async () => {
    const lock = path.join(dir, "tokens.json.lock");
    await writeFile(lock, "");
    expect(await refusal(assertSafeEntry(lock, path.join(dir, "tokens.json"), "directory"))).toMatch(
      /is not a directory/,
    );
  });

  it.skipIf(!isRoot)(
    "refuses a folder owned by another user, whatever its mode (chown needs root)",
    async () => {
      const theirs = path.join(dir, "theirs");
      await mkdir(theirs, { mode: 0o755 });
      await chown(theirs, 12345, 12345);
      expect(await refusal(assertSafeTokenPath(path.join(theirs, "tokens.json")))).toMatch(
        /folder '.*theirs' is owned by uid 12345/,
      );
    },
  );
});
