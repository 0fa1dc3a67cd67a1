import { lstat } from "node:fs/promises";
import { errorCode } from "./private-files.ts";

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
