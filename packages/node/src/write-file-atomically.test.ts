import { lstat, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isTemporaryFileName, writeFileAtomically } from "./write-file-atomically.ts";

describe("writeFileAtomically", () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "globus-atomic-write-"));
    file = path.join(dir, "tokens.json");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("replaces the file with mode 0600 whatever the umask, and leaves no temporary file", async () => {
    await writeFile(file, "old", { mode: 0o644 });
    const previous = process.umask(0o000);
    try {
      await writeFileAtomically(file, "new");
    } finally {
      process.umask(previous);
    }
    expect(await readFile(file, "utf8")).toBe("new");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(["tokens.json"]);
  });

  it.skipIf(process.platform === "win32")(
    "refuses to open anything already at the temporary path (O_EXCL), a symlink least of all",
    async () => {
      const stolen = path.join(dir, "attacker-readable");
      const planted = `${file}.tmp-0123456789abcdef`;
      await symlink(stolen, planted);
      const error = await writeFileAtomically(file, "secret", { temporaryPath: planted }).catch((e) => e);
      expect((error as { code?: string }).code).toBe("EEXIST");
      await expect(lstat(stolen)).rejects.toThrow(/ENOENT/);
      // The planted link is not ours to remove, and nothing was written to the target path.
      expect((await lstat(planted)).isSymbolicLink()).toBe(true);
      await expect(lstat(file)).rejects.toThrow(/ENOENT/);
    },
  );

  it.skipIf(process.platform === "win32")(
    "replaces a symlink at the target with a file rather than writing through it",
    async () => {
      const elsewhere = path.join(dir, "elsewhere");
      await writeFile(elsewhere, "untouched");
      await symlink(elsewhere, file);
      await writeFileAtomically(file, "new");
      expect((await lstat(file)).isFile()).toBe(true);
      expect(await readFile(elsewhere, "utf8")).toBe("untouched");
    },
  );

  it("names temporary files unpredictably, and recognises its own names", async () => {
    const names = new Set<string>();
    for (let i = 0; i < 5; i++) {
      await writeFileAtomically(file, String(i));
    }
    // Each write's temporary name is gone; check the naming on a failing write instead.
    const blocked = path.join(dir, "missing-folder", "tokens.json");
    for (let i = 0; i < 5; i++) {
      const error = await writeFileAtomically(blocked, "x").catch((e: { path?: string }) => e);
      names.add(path.basename(String((error as { path?: string }).path)));
    }
    expect(names.size).toBe(5);
    for (const name of names) expect(isTemporaryFileName(name, "tokens.json"), name).toBe(true);
    expect(isTemporaryFileName("tokens.json.3735928559", "tokens.json")).toBe(false);
    expect(isTemporaryFileName("tokens.json.tmp-backup", "tokens.json")).toBe(false);
  });
});
