import { lstat, rename } from "node:fs/promises";
import { TokenStorageError } from "@globus-app/core";
import { errorCode, PRIVATE_FILE_MODE } from "./private-files.ts";
import { writeFileAtomically } from "./write-file-atomically.ts";

/**
 * The sentence every "cannot understand this file" error of the file storages ends with: how to get
 * out of it. `location` is the file or database.
 *
 * @example
 * ```ts
 * throw new TokenStorageError(`Token storage file '${file}' is not valid JSON. ${unreadableHint(file)}`);
 * ```
 */
export function unreadableHint(location: string): string {
  return `To recover, delete the file or call app.logout({ removeUnreadable: true }), which moves it (or its unreadable records) aside to '${location}.corrupt-<time>'.`;
}

/**
 * A free name for a copy of `filePath` kept aside: `<file>.corrupt-<UTC time, YYYYMMDDTHHMMSSZ>`,
 * with `-2`, `-3`, … added when that exists already. Callers hold the file's lock.
 *
 * @example
 * ```ts
 * await rename(file, await corruptCopyPath(file)); // tokens.json.corrupt-20260101T120000Z
 * ```
 */
export async function corruptCopyPath(filePath: string, now = new Date()): Promise<string> {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const base = `${filePath}.corrupt-${stamp}`;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    try {
      await lstat(candidate);
    } catch (error) {
      if (errorCode(error) === "ENOENT") return candidate;
      throw error;
    }
  }
}

/**
 * Renames an unreadable `filePath` to a free `<file>.corrupt-<time>` name (see {@link corruptCopyPath}),
 * keeping it whole for whoever wants to look, together with each of its side files
 * `<file><suffix>` that exists (renamed to `<aside><suffix>`). Callers hold the file's lock, or
 * have closed what had it open.
 *
 * @param what - names the storage in the error: `"token storage file"`, `"SQLite token storage"`.
 * @throws TokenStorageError (location `filePath`) when a rename fails.
 * @example
 * ```ts
 * await moveUnreadableAside("/home/me/.globus/app/cid/my-app/tokens.db", "SQLite token storage", ["-wal", "-shm"]);
 * ```
 */
export async function moveUnreadableAside(
  filePath: string,
  what: string,
  sideFileSuffixes: readonly string[] = [],
): Promise<void> {
  let aside = `${filePath}.corrupt-<time>`;
  try {
    aside = await corruptCopyPath(filePath);
    for (const suffix of sideFileSuffixes) {
      await rename(`${filePath}${suffix}`, `${aside}${suffix}`).catch((error: unknown) => {
        if (errorCode(error) !== "ENOENT") throw error;
      });
    }
    await rename(filePath, aside);
  } catch (error) {
    throw new TokenStorageError(
      `Could not move unreadable ${what} '${filePath}' aside to '${aside}' (${errorCode(error) ?? "error"})`,
      { location: filePath, cause: error },
    );
  }
}

/**
 * Writes `text` (what could not be read: the file as it was, or its bad records) to a free
 * `<file>.corrupt-<time>` name next to `filePath`, atomically, mode 0600, never over anything.
 *
 * @param failure - the start of the error message, naming what was being saved; the helper adds
 *   ` to '<aside>' (<code>)`.
 * @throws TokenStorageError (location `filePath`) when the copy cannot be written.
 * @example
 * ```ts
 * await saveUnreadableCopy(file, text, `Could not copy unreadable token storage file '${file}'`);
 * ```
 */
export async function saveUnreadableCopy(filePath: string, text: string, failure: string): Promise<void> {
  let aside = `${filePath}.corrupt-<time>`;
  try {
    aside = await corruptCopyPath(filePath);
    await writeFileAtomically(aside, text, { mode: PRIVATE_FILE_MODE });
  } catch (error) {
    throw new TokenStorageError(`${failure} to '${aside}' (${errorCode(error) ?? "error"})`, {
      location: filePath,
      cause: error,
    });
  }
}
