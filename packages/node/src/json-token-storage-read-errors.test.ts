import { execFileSync } from "node:child_process";
import { constants } from "node:fs";
import * as fs from "node:fs/promises";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { isTokenStorageError } from "@globus-app/core";
import { sampleTokenData } from "@globus-app/core/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { JSONTokenStorage } from "./json-token-storage.ts";

// What a root user (as CI runs) cannot provoke on a real file (EACCES, EIO), and what only a race
// with another process would (a file swapped between its check and its opening). Only `open` and
// `rename` are wrapped, and only the calls a test arms behave differently.
vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return { ...actual, open: vi.fn(actual.open), rename: vi.fn(actual.rename) };
});
const actual = await vi.importActual<typeof import("node:fs/promises")>("node:fs/promises");

/** Makes the `open` calls that `when` picks do `instead`; every other call opens for real. */
function interceptOpen(
  when: (file: string, flags: number) => boolean,
  instead: (file: string, flags: number) => Promise<fs.FileHandle>,
): void {
  vi.mocked(fs.open).mockImplementation(async (file, flags, mode) =>
    when(String(file), Number(flags)) ? instead(String(file), Number(flags)) : actual.open(file, flags, mode),
  );
}
const creating = (_file: string, flags: number) => (flags & constants.O_CREAT) !== 0;

function fsError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated, open`), { code });
}

describe("JSONTokenStorage when the token file cannot be opened", () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "globus-json-open-"));
    file = path.join(dir, "tokens.json");
    await new JSONTokenStorage(file).storeTokenDataByResourceServer({ a: sampleTokenData("a") });
  });
  afterEach(async () => {
    vi.mocked(fs.open).mockReset();
    vi.mocked(fs.open).mockImplementation(actual.open);
    vi.mocked(fs.rename).mockReset();
    vi.mocked(fs.rename).mockImplementation(actual.rename);
    await rm(dir, { recursive: true, force: true });
  });

  it.each(["EACCES", "EIO", "EMFILE"])(
    "reports %s as a TokenStorageError, never as 'no tokens', and writes nothing",
    async (code) => {
      const before = await readFile(file, "utf8");
      const storage = new JSONTokenStorage(file);
      for (const call of [
        () => storage.getTokenDataByResourceServer(),
        () => storage.storeTokenDataByResourceServer({ b: sampleTokenData("b") }),
        () => storage.removeTokenData("a"),
      ]) {
        vi.mocked(fs.open).mockRejectedValueOnce(fsError(code));
        const error = await call().catch((e: unknown) => e);
        expect(isTokenStorageError(error), String(error)).toBe(true);
        expect(error).toMatchObject({
          message: `Could not read token storage file '${file}' (${code})`,
          location: file,
          cause: { code },
        });
      }
      expect(await readFile(file, "utf8")).toBe(before);
      expect(Object.keys(await storage.getTokenDataByResourceServer())).toEqual(["a"]);
    },
  );

  it("reads a file that disappears between its check and its opening as no tokens", async () => {
    vi.mocked(fs.open).mockRejectedValueOnce(fsError("ENOENT"));
    expect(await new JSONTokenStorage(file).getTokenDataByResourceServer()).toEqual({});
  });

  it("re-checks the path when a symbolic link replaced the file since the check (ELOOP)", async () => {
    vi.mocked(fs.open).mockImplementationOnce(async () => {
      await rm(file);
      await fs.symlink(path.join(dir, "elsewhere.json"), file);
      throw fsError("ELOOP");
    });
    const error = await new JSONTokenStorage(file).getTokenDataByResourceServer().catch((e: unknown) => e);
    expect(isTokenStorageError(error)).toBe(true);
    expect((error as Error).message).toMatch(/is a symbolic link/);
  });

  it("refuses, without waiting or following, a FIFO or a symbolic link swapped in since the check", async () => {
    const storage = new JSONTokenStorage(file);
    const reading = (path: string, flags: number) => path === file && !creating(path, flags);
    // A FIFO opened for reading without O_NONBLOCK would wait for a writer that never comes.
    interceptOpen(reading, async (path, flags) => {
      await rm(path);
      execFileSync("mkfifo", [path]);
      return actual.open(path, flags);
    });
    await expect(storage.getTokenDataByResourceServer()).rejects.toMatchObject({
      name: "TokenStorageError",
      message: expect.stringMatching(/is not a regular file/),
    });
    // A link to another file of the same user, which holds other tokens.
    await rm(file);
    const other = path.join(dir, "other.json");
    await new JSONTokenStorage(other).storeTokenDataByResourceServer({ z: sampleTokenData("z") });
    await new JSONTokenStorage(file).storeTokenDataByResourceServer({ a: sampleTokenData("a") });
    interceptOpen(reading, async (path, flags) => {
      await rm(path);
      await fs.symlink(other, path);
      return actual.open(path, flags);
    });
    await expect(storage.getTokenDataByResourceServer()).rejects.toMatchObject({
      name: "TokenStorageError",
      message: expect.stringMatching(/is a symbolic link/),
    });
  });

  it("closes the file once read, whether it was understood or refused", async () => {
    const handles: fs.FileHandle[] = [];
    interceptOpen(
      (path, flags) => path === file && !creating(path, flags),
      async (path, flags) => {
        const handle = await actual.open(path, flags);
        handles.push(handle);
        return handle;
      },
    );
    const storage = new JSONTokenStorage(file);
    expect(Object.keys(await storage.getTokenDataByResourceServer())).toEqual(["a"]);
    await writeFile(file, '{"format_version": "9.0"}');
    await expect(storage.getTokenDataByResourceServer()).rejects.toMatchObject({ name: "TokenStorageError" });
    expect(handles).toHaveLength(2);
    // A FileHandle's fd is -1 once closed; a storage that leaked one per read would run out.
    expect(handles.map((handle) => handle.fd)).toEqual([-1, -1]);
  });

  it("names the error when it carries no code", async () => {
    vi.mocked(fs.open).mockRejectedValueOnce(new Error("no code"));
    const error = await new JSONTokenStorage(file).getTokenDataByResourceServer().catch((e: unknown) => e);
    expect(error).toMatchObject({ message: `Could not read token storage file '${file}' (error)` });
  });

  it("reports a file that cannot be read once opened, and one that is no longer a regular file", async () => {
    const storage = new JSONTokenStorage(file);
    // Opened write-only: reading it fails (EBADF).
    vi.mocked(fs.open).mockImplementationOnce(async (path) => actual.open(path, "a"));
    await expect(storage.getTokenDataByResourceServer()).rejects.toMatchObject({
      name: "TokenStorageError",
      message: `Could not read token storage file '${file}' (EBADF)`,
      location: file,
    });
    // A directory swapped in since the check.
    vi.mocked(fs.open).mockImplementationOnce(async () => actual.open(dir, "r"));
    await expect(storage.getTokenDataByResourceServer()).rejects.toMatchObject({
      name: "TokenStorageError",
      message: expect.stringMatching(/is not a regular file/),
    });
  });

  it("re-reads a file that is being rewritten three times at most, then reports it", async () => {
    let writes = 0;
    interceptOpen(
      (path) => path === file,
      async (path, flags) => {
        await writeFile(path, `{"data": {"DEFAULT": {"a": {"access_token": "torn-${writes++}`);
        return actual.open(path, flags);
      },
    );
    const error = await new JSONTokenStorage(file).getTokenDataByResourceServer().catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "TokenStorageError",
      message: expect.stringMatching(/is not valid JSON/),
    });
    expect(writes).toBe(4);
  });

  it("reports a torn file that reads the same twice after one re-read, without waiting out the others", async () => {
    await writeFile(file, '{"data": {"DEFAULT": {"a": {"access_token": "torn');
    const error = await new JSONTokenStorage(file).getTokenDataByResourceServer().catch((e: unknown) => e);
    expect(error).toMatchObject({ message: expect.stringMatching(/is not valid JSON/) });
    expect(vi.mocked(fs.open).mock.calls.filter(([path]) => path === file)).toHaveLength(2);
  });

  it("reports at once, without re-reading, a file that is JSON but not a token file", async () => {
    await writeFile(file, '{"format_version": "9.0"}');
    interceptOpen(
      () => false,
      async () => {
        throw new Error("unreachable");
      },
    );
    const error = await new JSONTokenStorage(file).getTokenDataByResourceServer().catch((e: unknown) => e);
    expect(error).toMatchObject({ message: expect.stringMatching(/unknown format/) });
    expect(vi.mocked(fs.open).mock.calls.filter(([path]) => path === file)).toHaveLength(1);
  });

  it("reports a failed write, with the system's code or 'error', and keeps the file as it was", async () => {
    const before = await readFile(file, "utf8");
    const storage = new JSONTokenStorage(file);
    for (const [error, shown] of [
      [fsError("ENOSPC"), "ENOSPC"],
      [new Error("no code"), "error"],
    ] as const) {
      interceptOpen(creating, async () => {
        throw error;
      });
      await expect(storage.storeTokenDataByResourceServer({ b: sampleTokenData("b") })).rejects.toMatchObject(
        {
          name: "TokenStorageError",
          message: `Could not write token storage file '${file}' (${shown})`,
          location: file,
          cause: error,
        },
      );
    }
    expect(await readFile(file, "utf8")).toBe(before);
  });

  it("reports removeUnreadable's failures to move or copy the file aside, naming both paths", async () => {
    await writeFile(file, "{not json");
    const storage = new JSONTokenStorage(file);
    vi.mocked(fs.rename).mockRejectedValueOnce(fsError("EXDEV"));
    await expect(storage.removeUnreadable()).rejects.toMatchObject({
      name: "TokenStorageError",
      message: expect.stringMatching(
        new RegExp(
          `^Could not move unreadable token storage file '${file}' aside to '${file}\\.corrupt-\\d{8}T\\d{6}Z' \\(EXDEV\\)$`,
        ),
      ),
      location: file,
    });
    expect(await readFile(file, "utf8")).toBe("{not json");

    // A valid document with a bad record: copied aside (which fails here), then the record removed.
    const bad = '{"data": {"DEFAULT": {"a": {"scope": 5}}}, "format_version": "2.0"}';
    await writeFile(file, bad);
    interceptOpen(creating, async () => {
      throw new Error("no code");
    });
    await expect(storage.removeUnreadable()).rejects.toMatchObject({
      message: expect.stringMatching(
        new RegExp(
          `^Could not copy unreadable token storage file '${file}' to '${file}\\.corrupt-\\d{8}T\\d{6}Z' \\(error\\)$`,
        ),
      ),
      location: file,
    });
    expect(await readFile(file, "utf8")).toBe(bad);
  });

  it("lets removeUnreadable report a read error as it is when the file has gone meanwhile", async () => {
    vi.mocked(fs.open).mockImplementationOnce(async () => {
      await rm(file);
      throw fsError("EIO");
    });
    await expect(new JSONTokenStorage(file).removeUnreadable()).rejects.toMatchObject({
      message: `Could not read token storage file '${file}' (EIO)`,
    });
  });

  it("opens leftover temporary files without following links or blocking, and skips one swapped for a FIFO", async () => {
    const torn = `${file}.3735928559`;
    await writeFile(torn, '{"data": {"DEFAULT": {"a": {"access_token": "at');
    const fifo = path.join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const flags: number[] = [];
    interceptOpen(
      (path) => path === torn,
      async (_path, openFlags) => {
        flags.push(openFlags);
        return actual.open(fifo, openFlags);
      },
    );
    await new JSONTokenStorage(file).storeTokenDataByResourceServer({ b: sampleTokenData("b") });
    expect(flags).toHaveLength(1);
    expect((flags[0] ?? 0) & constants.O_NOFOLLOW).toBe(constants.O_NOFOLLOW);
    expect((flags[0] ?? 0) & constants.O_NONBLOCK).toBe(constants.O_NONBLOCK);
    // Not a regular file once opened: nothing is read or removed.
    expect((await readdir(dir)).sort()).toEqual(["fifo", "tokens.json", "tokens.json.3735928559"]);
  });
});
