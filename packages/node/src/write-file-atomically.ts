import { constants } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import path from "node:path";
import { fsyncDirectory, PRIVATE_FILE_MODE } from "./private-files.ts";

/** Temporary files are `<file>.tmp-<16 hex digits>`; {@link isTemporaryFileName} recognises them. */
const TEMP_INFIX = ".tmp-";
const TEMP_NAME = /^\.tmp-[0-9a-f]{16}$/;

/** Options of {@link writeFileAtomically}. */
export interface WriteFileAtomicallyOptions {
  /** The new file's mode, set with fchmod so the umask does not change it. @default 0o600 */
  mode?: number | undefined;
  /** The temporary file's name; tests pass one to plant something there. @default `<file>.tmp-<random>` */
  temporaryPath?: string | undefined;
}

/**
 * Replaces `filePath` atomically: readers see the old content or the new, never a torn file, even
 * if the process dies. The content goes to a temporary file in the same folder, with a random name
 * (so nobody can plant a link there in advance), created with `O_CREAT | O_EXCL | O_NOFOLLOW` (so
 * it never opens, truncates or writes something that already exists, symlink or not), made 0600,
 * written and fsynced, then renamed over `filePath` (a rename replaces a link, never follows it),
 * and the folder is fsynced. On failure the temporary file is removed.
 *
 * Replaces write-file-atomic, which resolves a symlink at the target, names its temporary file
 * predictably and opens it without `O_EXCL`.
 *
 * @throws the `fs` error of the step that failed (callers wrap it in a `TokenStorageError`).
 * @example
 * ```ts
 * await writeFileAtomically("/home/me/.globus/app/cid/my-app/tokens.json", JSON.stringify(document));
 * ```
 */
export async function writeFileAtomically(
  filePath: string,
  data: string,
  options: WriteFileAtomicallyOptions = {},
): Promise<void> {
  const mode = options.mode ?? PRIVATE_FILE_MODE;
  const temporary = options.temporaryPath ?? (await temporaryPathFor(filePath));
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  const handle = await open(temporary, flags, mode);
  let renamed = false;
  try {
    try {
      // open() applied the umask; fchmod makes the mode exact.
      await handle.chmod(mode);
      await handle.writeFile(data, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, filePath);
    renamed = true;
  } finally {
    if (!renamed) await unlink(temporary).catch(() => undefined);
  }
  await fsyncDirectory(path.dirname(filePath));
}

/** `<file>.tmp-<16 random hex digits>`. */
async function temporaryPathFor(filePath: string): Promise<string> {
  // Imported here, not at the top: node:crypto costs a cold start ~3 ms, and reads never write.
  const { randomBytes } = await import("node:crypto");
  return `${filePath}${TEMP_INFIX}${randomBytes(8).toString("hex")}`;
}

/**
 * True when `name` is a temporary file of {@link writeFileAtomically} for a file named `base`
 * (left behind only by a writer killed between creating and renaming it).
 */
export function isTemporaryFileName(name: string, base: string): boolean {
  return name.startsWith(base) && TEMP_NAME.test(name.slice(base.length));
}
