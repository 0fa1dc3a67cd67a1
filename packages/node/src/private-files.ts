import { constants } from "node:fs";
import { chmod, mkdir, open, stat } from "node:fs/promises";
import path from "node:path";
import { TokenStorageError } from "@globus-app/core";

/** The mode of every directory this package creates: only the owner may list or enter it. */
export const PRIVATE_DIRECTORY_MODE = 0o700;
/** The mode of every token file this package writes: only the owner may read or write it. */
export const PRIVATE_FILE_MODE = 0o600;

/** The `code` of a Node system error (`ENOENT`, `EACCES`, …), if any. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * Creates `directory` and any missing parents with mode 0700, whatever the umask: each missing
 * level is made and then chmodded before the next, so a umask such as 0o277 (which would make a
 * level 0500 and the next `mkdir` fail) changes nothing. Directories that already exist keep their
 * mode: they may be shared with other tools (the Python SDK creates them with the umask's mode).
 *
 * @param location - the token file the directory is for, named in errors.
 * @throws TokenStorageError when a directory cannot be created.
 * @example
 * ```ts
 * await ensurePrivateDirectory("/home/me/.globus/app/cid/my-app", "/home/me/.globus/app/cid/my-app/tokens.json");
 * ```
 */
export async function ensurePrivateDirectory(directory: string, location: string): Promise<void> {
  const fail = (error: unknown) =>
    new TokenStorageError(
      `Could not create the directory of token storage file '${location}' (${errorCode(error) ?? "error"})`,
      { location, cause: error },
    );
  const missing: string[] = [];
  for (let current = path.resolve(directory); ; current = path.dirname(current)) {
    try {
      await stat(current);
      break;
    } catch (error) {
      if (errorCode(error) !== "ENOENT") throw fail(error);
      missing.push(current);
      if (path.dirname(current) === current) break;
    }
  }
  for (const level of missing.reverse()) {
    try {
      await mkdir(level, { mode: PRIVATE_DIRECTORY_MODE });
    } catch (error) {
      // Another process made it meanwhile: its mode is that process's business.
      if (errorCode(error) === "EEXIST") continue;
      throw fail(error);
    }
    try {
      await chmod(level, PRIVATE_DIRECTORY_MODE);
    } catch (error) {
      throw fail(error);
    }
  }
}

/**
 * Creates `filePath` empty with mode 0600, whatever the umask, for a tool (SQLite) that would
 * otherwise create it with the umask's mode. Does nothing when anything is there already: O_EXCL
 * never opens what exists (a link included); O_NOFOLLOW says so twice.
 *
 * @throws the `fs` error (callers wrap it in a `TokenStorageError`) for anything but EEXIST.
 * @example
 * ```ts
 * await createPrivateFile("/home/me/.globus/app/cid/my-app/tokens.db");
 * ```
 */
export async function createPrivateFile(filePath: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
    handle = await open(filePath, flags, PRIVATE_FILE_MODE);
  } catch (error) {
    if (errorCode(error) === "EEXIST") return;
    throw error;
  }
  try {
    await handle.chmod(PRIVATE_FILE_MODE).catch(() => undefined);
  } finally {
    await handle.close();
  }
}

/**
 * Flushes a directory's entries to disk after a rename, so a power loss cannot bring back the old
 * file. Best effort: Windows cannot open directories, and some file systems refuse `fsync` on them.
 */
export async function fsyncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Durability of the rename is a bonus; atomicity does not depend on it.
  }
}
