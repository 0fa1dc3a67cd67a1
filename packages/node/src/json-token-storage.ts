import { constants } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  assertStorableTokenData,
  BaseTokenStorage,
  DEFAULT_NAMESPACE,
  type GlobusUser,
  isTokenStorageError,
  parseTokenStorageData,
  type TokenStorageData,
  TokenStorageError,
  userRecordNamespace,
} from "@globus-app/core";
import { defaultTokenFilePath } from "./default-token-path.ts";
import { DEFAULT_LOCK_TIMEOUT_MS, withFileLock, withNamedFileLock } from "./file-lock.ts";
import type { FileTokenStorageContext } from "./file-token-storage-context.ts";
import {
  formatTokenFile,
  isUnparsable,
  parseTokenFile,
  type TokenFileNamespaces,
} from "./json-token-file.ts";
import { errorCode } from "./private-files.ts";
import { removeStaleTempFiles } from "./remove-stale-temp-files.ts";
import { assertOwnEntry, assertSafeTokenPath } from "./safe-token-path.ts";
import { tokenRecordToJSON } from "./token-record-json.ts";
import { moveUnreadableAside, saveUnreadableCopy, unreadableHint } from "./unreadable-token-storage.ts";
import { writeFileAtomically } from "./write-file-atomically.ts";

/** Options of {@link JSONTokenStorage}. */
export interface JSONTokenStorageOptions {
  /** The namespace to read and write; apps sharing a file keep apart by namespace. @default "DEFAULT" */
  namespace?: string | undefined;
  /**
   * How long a write or {@link JSONTokenStorage.withLock} waits for another process's lock before
   * throwing a `TokenStorageError`. @default 30000
   */
  lockTimeoutMs?: number | undefined;
}

// A writer that rewrites the file in place (the Python SDK does) can be caught half way; a few
// re-reads tell such a moment from a file that is really broken.
const PARSE_RETRIES = 3;
const PARSE_RETRY_DELAY_MS = 30;

/**
 * Keeps tokens in a JSON file in the Python SDK's format (v2), so a Python script and a Node script
 * of the same app share one login. The default storage of apps in Node.
 *
 * The file is `{"data": {namespace: {resource_server: record}}, "format_version": "2.0",
 * "globus-sdk.version": …}`; v1 files (`{"by_rs": …, "format_version": "1.0"}`) are read as the
 * `DEFAULT` namespace and rewritten as v2 on the next write. Every read re-reads the file, so
 * another process's writes are seen at once. Every write replaces the file atomically (temporary
 * file, fsync, rename) with mode 0600, in a directory created with mode 0700, while holding a lock
 * file next to it (`<file>.lock`) and re-reading inside the lock, so concurrent processes lose no
 * update. A file that cannot be understood is reported and never overwritten.
 *
 * @example
 * ```ts
 * const storage = new JSONTokenStorage("/home/me/.globus/app/my-client-id/my-app/tokens.json");
 * const app = new UserApp("my-app", { clientId, config: { tokenStorage: storage } });
 * ```
 */
export class JSONTokenStorage extends BaseTokenStorage {
  /** The absolute path of the token file. */
  readonly filePath: string;
  readonly #lockTimeoutMs: number;

  /**
   * Nothing is read or created until the first operation.
   *
   * @param filePath - the token file; relative paths are resolved against the current directory now.
   */
  constructor(filePath: string, options: JSONTokenStorageOptions = {}) {
    super(options.namespace ?? DEFAULT_NAMESPACE);
    this.filePath = path.resolve(filePath);
    this.#lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  }

  /**
   * Provider form: `config: { tokenStorage: JSONTokenStorage }` builds one per app at the Python
   * SDK's default path, `~/.globus/app/<client_id>/<app-slug>/tokens.json` (see `defaultTokenFilePath`).
   *
   * @throws GlobusSDKUsageError when the app name slugifies to nothing or a reserved name.
   */
  static forGlobusApp(context: FileTokenStorageContext): JSONTokenStorage {
    const filePath = defaultTokenFilePath({
      clientId: context.clientId,
      appName: context.appName,
      environment: context.config?.environment,
      format: "json",
    });
    return new JSONTokenStorage(filePath, { namespace: context.namespace });
  }

  /** @throws TokenStorageError when the file cannot be read or understood. */
  async getTokenDataByResourceServer(): Promise<Record<string, TokenStorageData>> {
    const namespaces = await this.#read();
    return Object.fromEntries(this.#parseRecords(namespaces));
  }

  /** @throws TokenStorageError when the file cannot be read, understood, locked or written. */
  async storeTokenDataByResourceServer(data: Readonly<Record<string, TokenStorageData>>): Promise<void> {
    assertStorableTokenData(data);
    const entries = Object.entries(data);
    if (entries.length === 0) return;
    await this.#update((namespaces) => {
      let records = namespaces.get(this.namespace);
      if (!records) {
        records = new Map();
        namespaces.set(this.namespace, records);
      }
      for (const [resourceServer, record] of entries) records.set(resourceServer, tokenRecordToJSON(record));
      return { write: true, result: undefined };
    });
  }

  /**
   * The signed-in person's record, kept at `data["<namespace>::globus-app:user"].user` — a namespace
   * of its own, which the Python SDK (reading only `data["<namespace>"]`) never sees — or null.
   * @throws TokenStorageError when the file cannot be read or understood.
   */
  async getUserRecord(): Promise<unknown> {
    const namespaces = await this.#read();
    return namespaces.get(userRecordNamespace(this.namespace))?.get("user") ?? null;
  }

  /**
   * Stores (or, with null, removes) the signed-in person's record; see {@link getUserRecord}.
   * @throws TokenStorageError when the file cannot be read, understood, locked or written.
   */
  async storeUserRecord(user: GlobusUser | null): Promise<void> {
    if (user === null && !(await this.#exists())) return;
    const key = userRecordNamespace(this.namespace);
    await this.#update((namespaces) => {
      if (user) namespaces.set(key, new Map([["user", user]]));
      return { write: user !== null || namespaces.delete(key), result: undefined };
    });
  }

  /** @throws TokenStorageError when the file cannot be read, understood, locked or written. */
  async removeTokenData(resourceServer: string): Promise<boolean> {
    if (!(await this.#exists())) return false;
    return this.#update((namespaces) => {
      const removed = namespaces.get(this.namespace)?.delete(resourceServer) ?? false;
      return { write: removed, result: removed };
    });
  }

  /**
   * Runs `fn` while holding the lock `key` of this file and namespace, across processes (a lock
   * directory next to the file) and within this process. Refresh uses it so one process refreshes
   * while the others wait and then read the new tokens. Not re-entrant for the same key.
   *
   * @throws TokenStorageError when the lock is not free within `lockTimeoutMs`.
   */
  override withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return withNamedFileLock(this.filePath, this.namespace, key, fn, this.#lockTimeoutMs);
  }

  /**
   * Makes an unreadable file usable again without losing anything: `logout({ removeUnreadable: true })`
   * calls it. A file that is not a valid document is renamed to `<file>.corrupt-<UTC time>`; a valid
   * document whose records of this namespace are bad is copied there, and those records are then
   * removed from the file (other namespaces and this namespace's good records stay). A readable file
   * is left alone. Runs under the file's lock.
   *
   * @throws TokenStorageError when the file is unsafe (a symlink, another user's, in a folder others
   *   can write) or cannot be renamed or written.
   */
  async removeUnreadable(): Promise<void> {
    await assertSafeTokenPath(this.filePath);
    await withFileLock(
      this.filePath,
      async () => {
        let namespaces: TokenFileNamespaces;
        try {
          namespaces = await this.#read();
        } catch (error) {
          if (!isTokenStorageError(error) || !(await this.#exists())) throw error;
          await moveUnreadableAside(this.filePath, "token storage file");
          return;
        }
        const records = namespaces.get(this.namespace);
        const bad = this.#unreadableRecords(records);
        if (!records || bad.length === 0) return;
        const text = await this.#readText();
        if (text === undefined) return;
        await saveUnreadableCopy(
          this.filePath,
          text,
          `Could not copy unreadable token storage file '${this.filePath}'`,
        );
        for (const resourceServer of bad) records.delete(resourceServer);
        await this.#write(namespaces);
      },
      { timeoutMs: this.#lockTimeoutMs, location: this.filePath },
    );
  }

  /**
   * Whether the token file is there, as the Python SDK's `file_exists()`: false before the first
   * write (nothing is created until then) and after the file is deleted or moved aside, true once a
   * file is at the path, even one that cannot be read. The path is checked as for every other
   * operation first.
   *
   * @throws TokenStorageError when the path is unsafe (a symbolic link, not a regular file, another
   *   user's file, in a folder others can write): the storage would refuse to use it.
   * @example
   * ```ts
   * if (!(await storage.fileExists())) console.log(`No tokens yet at ${storage.filePath}; logging in.`);
   * ```
   */
  fileExists(): Promise<boolean> {
    return this.#exists();
  }

  /** Nothing to release: the file is opened only while reading or writing. Idempotent. */
  override async close(): Promise<void> {}

  async #exists(): Promise<boolean> {
    return (await assertSafeTokenPath(this.filePath)).exists;
  }

  /** Read, change and write back under the file lock, re-reading inside it. */
  async #update<T>(change: (namespaces: TokenFileNamespaces) => { write: boolean; result: T }): Promise<T> {
    // Before the lock: its directory is made next to the file, which must not be in a folder others control.
    await assertSafeTokenPath(this.filePath);
    return withFileLock(
      this.filePath,
      async () => {
        const namespaces = await this.#read();
        // Refuse to rewrite a file whose records of this namespace are bad: writing would either drop
        // them or keep data the caller was told is broken.
        this.#parseRecords(namespaces);
        const { write, result } = change(namespaces);
        if (write) await this.#write(namespaces);
        return result;
      },
      { timeoutMs: this.#lockTimeoutMs, location: this.filePath },
    );
  }

  /** The file's text, or undefined when there is no file. */
  async #readText(): Promise<string | undefined> {
    if (!(await assertSafeTokenPath(this.filePath)).exists) return undefined;
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      // Non-blocking, so a FIFO at the path cannot hang every read until a writer appears; no
      // following a link that appeared since the check.
      handle = await open(
        this.filePath,
        constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0),
      );
    } catch (error) {
      if (errorCode(error) === "ENOENT") return undefined;
      // ELOOP: a symlink replaced the file since the check.
      // Stryker disable next-line ConditionalExpression: after another failure to open, the re-check throws only if the path changed meanwhile, and then its TokenStorageError is as apt
      if (errorCode(error) === "ELOOP") await assertSafeTokenPath(this.filePath);
      throw this.#readError(error);
    }
    try {
      // The opened file itself, so nothing swapped in since the check gets read.
      assertOwnEntry(await handle.stat(), this.filePath, this.filePath, "file");
      return await handle.readFile("utf8");
    } catch (error) {
      if (isTokenStorageError(error)) throw error;
      throw this.#readError(error);
    } finally {
      await handle.close();
    }
  }

  async #read(): Promise<TokenFileNamespaces> {
    let previous: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const text = await this.#readText();
      if (text === undefined) return new Map();
      try {
        return parseTokenFile(text, this.filePath);
      } catch (error) {
        const settled = text === previous || attempt >= PARSE_RETRIES;
        if (settled || !isTokenStorageError(error) || !isUnparsable(text)) throw error;
        previous = text;
        await sleep(PARSE_RETRY_DELAY_MS);
      }
    }
  }

  #parseRecords(namespaces: TokenFileNamespaces): Map<string, TokenStorageData> {
    const out = new Map<string, TokenStorageData>();
    for (const [resourceServer, value] of namespaces.get(this.namespace) ?? []) {
      const where = `'${this.filePath}' at data.${this.namespace}.${resourceServer}`;
      try {
        out.set(resourceServer, parseTokenStorageData(value, where, resourceServer));
      } catch (error) {
        // Same message, but `location` is the file alone so callers can act on it.
        if (isTokenStorageError(error))
          throw this.#error(`${error.message}. ${unreadableHint(this.filePath)}`);
        throw error;
      }
    }
    return out;
  }

  /** The resource servers of this namespace whose records do not parse. */
  #unreadableRecords(records: Map<string, unknown> | undefined): string[] {
    const bad: string[] = [];
    for (const [resourceServer, value] of records ?? []) {
      try {
        parseTokenStorageData(value, this.filePath, resourceServer);
      } catch {
        bad.push(resourceServer);
      }
    }
    return bad;
  }

  async #write(namespaces: TokenFileNamespaces): Promise<void> {
    try {
      // Random temporary name opened O_EXCL | O_NOFOLLOW, 0600 whatever the umask, fsync, rename.
      await writeFileAtomically(this.filePath, formatTokenFile(namespaces));
    } catch (error) {
      throw this.#error(
        `Could not write token storage file '${this.filePath}' (${errorCode(error) ?? "error"})`,
        error,
      );
    }
    await removeStaleTempFiles(this.filePath);
  }

  /** The error of a read that failed with `error`, naming its system code. */
  #readError(error: unknown): TokenStorageError {
    return this.#error(
      `Could not read token storage file '${this.filePath}' (${errorCode(error) ?? "error"})`,
      error,
    );
  }

  #error(message: string, cause?: unknown): TokenStorageError {
    return new TokenStorageError(
      message,
      cause === undefined ? { location: this.filePath } : { location: this.filePath, cause },
    );
  }
}
