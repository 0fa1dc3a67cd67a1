import type { Stats } from "node:fs";
import { lstat, realpath, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { TokenStorageError } from "@globus-app/core";
import { errorCode } from "./private-files.ts";

const GROUP_OR_OTHER_WRITABLE = 0o022;
const STICKY = 0o1000;

/**
 * The user whose token files these are: the effective uid, which owns the files this process
 * creates. Undefined on Windows, which has no uids, and in Deno without `--allow-sys`: only
 * symlinks are refused then.
 */
export function currentUid(): number | undefined {
  try {
    return process.geteuid?.() ?? process.getuid?.();
  } catch {
    // Deno without `--allow-sys` refuses to tell; the checks then do what they do on Windows.
    return undefined;
  }
}

/** What {@link assertSafeTokenPath} found at the path. */
export interface TokenPathState {
  /** The file exists (a regular file owned by the current user). */
  exists: boolean;
}

/**
 * Refuses, with a `TokenStorageError` that says what is wrong and how to fix it, a token file that
 * another local user could have planted or could swap, the way OpenSSH's StrictModes treats
 * `authorized_keys`:
 *
 * - the path is a symbolic link (dangling or not) or not a regular file;
 * - the file is owned by someone other than the current user;
 * - its folder, or a folder above it, is writable by group or others without the sticky bit, or is
 *   owned by another user (root excepted). The walk goes up from the file's folder (symlinks in it
 *   resolved) and stops after the user's home directory, or after the first folder owned by root
 *   when the current user is not root. A sticky world-writable folder such as `/tmp` is fine: there
 *   nobody may rename or remove another user's files.
 *
 * On Windows only the symlink check applies (no uids or mode bits to compare; ACLs are not read).
 * A missing file is fine (it will be created); the folder check then starts at the nearest folder
 * that exists. Costs one `lstat`, one `realpath` and one `stat` per folder walked.
 *
 * @param filePath - an absolute path; named as `location` in errors.
 * @param location - the token file the path belongs to (a lock or journal file names its data file).
 * @throws TokenStorageError as above, or when the path cannot be examined.
 * @example
 * ```ts
 * const { exists } = await assertSafeTokenPath("/home/me/.globus/app/cid/my-app/tokens.json");
 * ```
 */
export async function assertSafeTokenPath(filePath: string, location = filePath): Promise<TokenPathState> {
  const uid = currentUid();
  const exists = await assertSafeEntry(filePath, location, "file", uid);
  if (uid !== undefined) await assertSafeFolders(path.dirname(filePath), location, uid);
  return { exists };
}

/**
 * Checks one entry next to a token file (the file itself, a lock directory, a SQLite journal)
 * without following a symlink: resolves to whether it exists.
 *
 * @param kind - what the entry must be when it exists.
 * @throws TokenStorageError for a symlink, an entry of another kind, or one owned by another user.
 */
export async function assertSafeEntry(
  entryPath: string,
  location: string,
  kind: "file" | "directory",
  uid = currentUid(),
): Promise<boolean> {
  let stats: Stats;
  try {
    stats = await lstat(entryPath);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return false;
    throw unsafe(location, `Could not examine '${entryPath}' (${errorCode(error) ?? "error"})`, error);
  }
  assertOwnEntry(stats, entryPath, location, kind, uid);
  return true;
}

/**
 * Checks the `stat` of an entry (from `lstat`, or `fstat` of an opened handle, which closes the
 * window between check and open).
 *
 * @throws TokenStorageError as {@link assertSafeEntry}.
 */
export function assertOwnEntry(
  stats: Stats,
  entryPath: string,
  location: string,
  kind: "file" | "directory",
  uid = currentUid(),
): void {
  if (stats.isSymbolicLink()) {
    throw unsafe(
      location,
      `'${entryPath}' is a symbolic link; ${kind === "file" ? "token files must be regular files" : "lock directories must be real directories"}. Remove the link or choose another path.`,
    );
  }
  if (kind === "file" ? !stats.isFile() : !stats.isDirectory()) {
    const what = kind === "file" ? "a regular file" : "a directory";
    throw unsafe(
      location,
      `Token storage path '${entryPath}' is not ${what}; remove it or choose another path.`,
    );
  }
  if (uid !== undefined && stats.uid !== uid) {
    throw unsafe(
      location,
      `'${entryPath}' is owned by uid ${stats.uid}, not by the current user (uid ${uid}); another user may have planted it. Remove it (ask its owner or an administrator) or choose another path.`,
    );
  }
}

async function assertSafeFolders(folder: string, location: string, uid: number): Promise<void> {
  let current = await nearestExisting(folder, location);
  const home = await realpath(os.homedir()).catch(() => os.homedir());
  for (;;) {
    let stats: Stats;
    try {
      stats = await stat(current);
    } catch (error) {
      throw unsafe(location, `Could not examine folder '${current}' (${errorCode(error) ?? "error"})`, error);
    }
    if (stats.uid !== uid && stats.uid !== 0) {
      throw unsafe(
        location,
        `The folder '${current}' is owned by uid ${stats.uid}, not by the current user (uid ${uid}) or root, so that user could replace token storage file '${location}'. Keep token files in folders you own.`,
      );
    }
    const writable = stats.mode & GROUP_OR_OTHER_WRITABLE;
    if (writable !== 0 && (stats.mode & STICKY) === 0) {
      const who = stats.mode & 0o002 ? "others" : "group";
      throw unsafe(
        location,
        `The folder '${current}' is writable by ${who} and has no sticky bit, so another user could replace token storage file '${location}'. Run \`chmod go-w '${current}'\` or choose a private folder.`,
      );
    }
    const parent = path.dirname(current);
    // Above home, or above a root-owned folder, the folders are the system's: another user cannot
    // change them unless root let them, and the user could not fix them anyway.
    if (current === home || parent === current || (stats.uid === 0 && uid !== 0)) return;
    current = parent;
  }
}

/** The folder itself with symlinks resolved, or its nearest existing ancestor when it is missing. */
async function nearestExisting(folder: string, location: string): Promise<string> {
  for (let current = path.resolve(folder); ; ) {
    try {
      return await realpath(current);
    } catch (error) {
      const parent = path.dirname(current);
      if (errorCode(error) !== "ENOENT" || parent === current) {
        throw unsafe(
          location,
          `Could not examine folder '${current}' (${errorCode(error) ?? "error"})`,
          error,
        );
      }
      current = parent;
    }
  }
}

function unsafe(location: string, message: string, cause?: unknown): TokenStorageError {
  return new TokenStorageError(message, cause === undefined ? { location } : { location, cause });
}
