import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { KeyedMutex, TokenStorageError } from "@globus-app/core";
import { ensurePrivateDirectory, errorCode } from "./private-files.ts";
import { assertSafeEntry, assertSafeTokenPath } from "./safe-token-path.ts";

/** How long a caller waits for a lock before failing, unless told otherwise. */
export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

/**
 * A lock whose directory has not been touched for this long belongs to a dead process and is taken
 * over. The holder touches it every `STALE_MS / 2`, so a live holder is never mistaken for a dead one
 * unless its event loop stalls for the whole period.
 */
const STALE_MS = 10_000;
const FIRST_RETRY_MS = 2;
const MAX_RETRY_MS = 50;

/** Options of {@link withFileLock}. */
export interface FileLockOptions {
  /** How long to wait for the lock before throwing. @default 30000 */
  timeoutMs?: number | undefined;
  /** The data file the lock protects, named in errors. @default the lock target */
  location?: string | undefined;
}

type ProperLockfile = typeof import("proper-lockfile");
let properLockfile: Promise<ProperLockfile> | undefined;

// Loaded on first use: reads never lock, so a process that only reads tokens never pays for it
// (graceful-fs and signal-exit hooks included).
function loadProperLockfile(): Promise<ProperLockfile> {
  properLockfile ??= import("proper-lockfile").then((module) => module.default);
  return properLockfile;
}

// proper-lockfile is not re-entrant within a process: a second lock() of a held target just polls
// until the first is released. Queueing this process's callers here first makes them wait for a
// promise instead, and keeps one lock attempt per target in flight.
const queue = new KeyedMutex();

/**
 * Runs `fn` while holding an exclusive lock on `target`, across processes (a `<target>.lock`
 * directory made by proper-lockfile) and within this process (a first-come, first-served queue).
 * `target` need not exist; its directory is created (mode 0700) if missing. The lock is released when `fn` settles, and by a process's exit handlers if
 * it dies; a lock left by a killed process is taken over after 10 s. Not re-entrant: calling it
 * again for the same target inside `fn` deadlocks until the timeout.
 *
 * @throws TokenStorageError when the directory or lock cannot be created, or the lock is not free
 *   within `timeoutMs`.
 *
 * @example
 * ```ts
 * await withFileLock("/home/me/.globus/app/…/tokens.json", async () => { … read, modify, write … });
 * ```
 */
export function withFileLock<T>(
  target: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const resolved = path.resolve(target);
  // Queued synchronously, so this process's callers get the lock in call order.
  return queue.run(resolved, async () => {
    const location = options.location ?? resolved;
    await ensurePrivateDirectory(path.dirname(resolved), location);
    // proper-lockfile meets a planted `<target>.lock` symlink or another user's directory with
    // EEXIST and would wait for it until the timeout (it never writes through one: it only stats,
    // and removes a stale lock with rmdir, which does not follow links). Refuse it at once, saying why.
    await assertSafeEntry(`${resolved}.lock`, location, "directory");
    const release = await acquire(resolved, options);
    try {
      return await fn();
    } finally {
      // A lock found compromised (taken over after a stall) is already gone; nothing to undo.
      await release().catch(() => undefined);
    }
  });
}

async function acquire(target: string, options: FileLockOptions): Promise<() => Promise<void>> {
  const lockfile = await loadProperLockfile();
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const location = options.location ?? target;
  const deadline = Date.now() + timeoutMs;
  let delay = FIRST_RETRY_MS;
  for (;;) {
    try {
      return await lockfile.lock(target, {
        realpath: false,
        stale: STALE_MS,
        retries: 0,
        // The default throws from a timer, which would crash the process. A compromised lock means
        // another process took it over after this one stalled for STALE_MS; the work in progress
        // finishes anyway, as it would have without a lock.
        onCompromised: () => undefined,
      });
    } catch (error) {
      if (errorCode(error) !== "ELOCKED") {
        throw new TokenStorageError(
          `Could not create the lock '${target}.lock' for '${location}' (${errorCode(error) ?? "error"})`,
          { location, cause: error },
        );
      }
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new TokenStorageError(
        `Timed out after ${timeoutMs} ms waiting for the lock '${target}.lock' on '${location}'; another process holds it (a lock left by a crashed process is taken over after ${STALE_MS / 1000} s)`,
        { location },
      );
    }
    // Jittered exponential backoff: contenders spread out instead of retrying in lockstep.
    await sleep(Math.min(remaining, delay * (0.5 + Math.random())));
    delay = Math.min(delay * 1.5, MAX_RETRY_MS);
  }
}

/**
 * The lock target for a named lock of one namespace of a storage file: `<file>.<key-slug>.<hash>`.
 * The slug keeps the name readable in a directory listing; the hash of namespace and key keeps
 * distinct keys (`refresh:x`, `refresh_x`) and namespaces apart.
 */
async function lockTargetForKey(filePath: string, namespace: string, key: string): Promise<string> {
  // Imported here, not at the top: node:crypto costs a cold start ~3 ms, and most runs never lock.
  const { createHash } = await import("node:crypto");
  const slug = key.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 48);
  const hash = createHash("sha256").update(`${namespace}\0${key}`).digest("hex").slice(0, 12);
  return `${filePath}.${slug}.${hash}`;
}

/**
 * Runs `fn` holding the lock named `key` of one namespace of a storage file, across processes and
 * within this one: the file storages' `withLock`. The lock's own file is `<file>.<key-slug>.<hash>`.
 * The storage file must pass {@link assertSafeTokenPath} once the lock is held.
 *
 * @throws TokenStorageError when the lock is not free within `timeoutMs`, or the file is unsafe.
 */
export async function withNamedFileLock<T>(
  filePath: string,
  namespace: string,
  key: string,
  fn: () => Promise<T>,
  timeoutMs: number,
): Promise<T> {
  const target = await lockTargetForKey(filePath, namespace, key);
  // The storage file is checked inside the lock's queue: awaited before it, the check's varying
  // time would let a later caller overtake an earlier one.
  const checked = async (): Promise<T> => {
    await assertSafeTokenPath(filePath);
    return fn();
  };
  return withFileLock(target, checked, { timeoutMs, location: filePath });
}
