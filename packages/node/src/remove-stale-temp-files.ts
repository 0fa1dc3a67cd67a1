import { constants } from "node:fs";
import { lstat, open, readdir, unlink } from "node:fs/promises";
import path from "node:path";
import { isUnparsable } from "./json-token-file.ts";
import { currentUid } from "./safe-token-path.ts";
import { isTemporaryFileName } from "./write-file-atomically.ts";

// Versions before 0.2 wrote through write-file-atomic, whose temporary files are `<file>.<32-bit number>`.
const LEGACY_TEMP_FILE_SUFFIX = /^\.\d{1,10}$/;

/**
 * Removes the temporary files that writers of the JSON token file `filePath` left behind. A writer
 * killed mid-write (SIGKILL, power loss) leaves its temporary file, holding tokens that logout would
 * never remove. Call it holding the file's lock, so no writer is in progress: our own
 * `<file>.tmp-<random>` files are then all leftovers. Of the `<file>.<digits>` files that older
 * versions (write-file-atomic) left, only torn ones (not valid JSON) are removed: a complete one may
 * as well be someone's backup. Only this user's regular files are touched, and nothing is followed.
 * Best effort: never throws.
 *
 * @example
 * ```ts
 * await withFileLock(file, async () => {
 *   await writeFileAtomically(file, text);
 *   await removeStaleTempFiles(file);
 * });
 * ```
 */
export async function removeStaleTempFiles(filePath: string): Promise<void> {
  const directory = path.dirname(filePath);
  const base = path.basename(filePath);
  const uid = currentUid();
  try {
    const entries = await readdir(directory, { withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile() || !entry.name.startsWith(base)) continue;
      const ours = isTemporaryFileName(entry.name, base);
      if (!ours && !LEGACY_TEMP_FILE_SUFFIX.test(entry.name.slice(base.length))) continue;
      const candidate = path.join(directory, entry.name);
      const stats = await lstat(candidate);
      if (!stats.isFile() || (uid !== undefined && stats.uid !== uid)) continue;
      if (ours || isUnparsable(await readOwnFile(candidate))) await unlink(candidate);
    }
  } catch {
    // Tidying up is best effort.
  }
}

/** Reads a file without following a link or blocking on a FIFO swapped in meanwhile. */
async function readOwnFile(filePath: string): Promise<string> {
  const handle = await open(
    filePath,
    constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0),
  );
  try {
    if (!(await handle.stat()).isFile()) throw new Error(`'${filePath}' is not a regular file`);
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}
