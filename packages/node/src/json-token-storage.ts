import { constants } from "node:fs";
import { lstat, open, readdir, rename, unlink } from "node:fs/promises";
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
import { errorCode, PRIVATE_FILE_MODE } from "./private-files.ts";
import { assertOwnEntry, assertSafeTokenPath, currentUid } from "./safe-token-path.ts";
import { tokenRecordToJSON } from "./token-record-json.ts";
import { corruptCopyPath, unreadableHint } from "./unreadable-token-storage.ts";
import { isTemporaryFileName, writeFileAtomically } from "./write-file-atomically.ts";
import { WRITER_VERSION } from "./writer-version.ts";

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

/** A parsed file: namespace → resource server → the record's JSON object, as read. */
type Namespaces = Map<string, Map<string, unknown>>;

const FORMAT_VERSION = "2.0";
// A writer that rewrites the file in place (the Python SDK does) can be caught half way; a few
// re-reads tell such a moment from a file that is really broken.
const PARSE_RETRIES = 3;
const PARSE_RETRY_DELAY_MS = 30;
// Versions before 0.2 wrote through write-file-atomic, whose temporary files are `<file>.<32-bit number>`.
const LEGACY_TEMP_FILE_SUFFIX = /^\.\d{1,10}$/;

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
        let namespaces: Namespaces;
        try {
          namespaces = await this.#read();
        } catch (error) {
          if (!isTokenStorageError(error) || !(await this.#exists())) throw error;
          await this.#moveAside();
          return;
        }
        const records = namespaces.get(this.namespace);
        const bad = this.#unreadableRecords(records);
        if (!records || bad.length === 0) return;
        const text = await this.#readText();
        if (text === undefined) return;
        await this.#writeAside(text);
        for (const resourceServer of bad) records.delete(resourceServer);
        await this.#write(namespaces);
      },
      { timeoutMs: this.#lockTimeoutMs, location: this.filePath },
    );
  }

  /** Nothing to release: the file is opened only while reading or writing. Idempotent. */
  override async close(): Promise<void> {}

  async #exists(): Promise<boolean> {
    return (await assertSafeTokenPath(this.filePath)).exists;
  }

  /** Read, change and write back under the file lock, re-reading inside it. */
  async #update<T>(change: (namespaces: Namespaces) => { write: boolean; result: T }): Promise<T> {
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
      if (errorCode(error) === "ELOOP") await assertSafeTokenPath(this.filePath);
      throw this.#error(
        `Could not read token storage file '${this.filePath}' (${errorCode(error) ?? "error"})`,
        error,
      );
    }
    try {
      // The opened file itself, so nothing swapped in since the check gets read.
      assertOwnEntry(await handle.stat(), this.filePath, this.filePath, "file");
      return await handle.readFile("utf8");
    } catch (error) {
      if (isTokenStorageError(error)) throw error;
      throw this.#error(
        `Could not read token storage file '${this.filePath}' (${errorCode(error) ?? "error"})`,
        error,
      );
    } finally {
      await handle.close();
    }
  }

  async #read(): Promise<Namespaces> {
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

  #parseRecords(namespaces: Namespaces): Map<string, TokenStorageData> {
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

  /** Renames the file to `<file>.corrupt-<time>`, keeping it whole for whoever wants to look. */
  async #moveAside(): Promise<void> {
    let aside = `${this.filePath}.corrupt-<time>`;
    try {
      aside = await corruptCopyPath(this.filePath);
      await rename(this.filePath, aside);
    } catch (error) {
      throw this.#error(
        `Could not move unreadable token storage file '${this.filePath}' aside to '${aside}' (${errorCode(error) ?? "error"})`,
        error,
      );
    }
  }

  /** Copies `text` (the file as it was) to `<file>.corrupt-<time>`, 0600, never over anything. */
  async #writeAside(text: string): Promise<void> {
    let aside = `${this.filePath}.corrupt-<time>`;
    try {
      aside = await corruptCopyPath(this.filePath);
      await writeFileAtomically(aside, text, { mode: PRIVATE_FILE_MODE });
    } catch (error) {
      throw this.#error(
        `Could not copy unreadable token storage file '${this.filePath}' to '${aside}' (${errorCode(error) ?? "error"})`,
        error,
      );
    }
  }

  async #write(namespaces: Namespaces): Promise<void> {
    const document = {
      data: Object.fromEntries(
        [...namespaces].map(([namespace, records]) => [namespace, Object.fromEntries(records)]),
      ),
      format_version: FORMAT_VERSION,
      "globus-sdk.version": WRITER_VERSION,
    };
    try {
      // Random temporary name opened O_EXCL | O_NOFOLLOW, 0600 whatever the umask, fsync, rename.
      await writeFileAtomically(this.filePath, JSON.stringify(document), { mode: PRIVATE_FILE_MODE });
    } catch (error) {
      throw this.#error(
        `Could not write token storage file '${this.filePath}' (${errorCode(error) ?? "error"})`,
        error,
      );
    }
    await this.#removeStaleTempFiles(path.dirname(this.filePath));
  }

  /**
   * A writer killed mid-write (SIGKILL, power loss) leaves its temporary file behind, holding tokens
   * that logout would never remove. Every writer holds the lock, so none is in progress now: our own
   * `<file>.tmp-<random>` files are all leftovers. Of the `<file>.<digits>` files that older versions
   * (write-file-atomic) left, only torn ones (not valid JSON) are removed: a complete one may as well
   * be someone's backup. Only this user's regular files are touched, and nothing is followed.
   */
  async #removeStaleTempFiles(directory: string): Promise<void> {
    const base = path.basename(this.filePath);
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

  #error(message: string, cause?: unknown): TokenStorageError {
    return new TokenStorageError(
      message,
      cause === undefined ? { location: this.filePath } : { location: this.filePath, cause },
    );
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

function isUnparsable(text: string): boolean {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parses and checks the whole file except the records themselves (which are checked per namespace),
 * with the Python SDK's rules. Messages name the file and the problem, never a file's content.
 */
function parseTokenFile(text: string, filePath: string): Namespaces {
  const fail = (problem: string) =>
    new TokenStorageError(`Token storage file '${filePath}' ${problem}. ${unreadableHint(filePath)}`, {
      location: filePath,
    });
  if (text.trim() === "") throw fail("is empty, which is not valid JSON");
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    // The parser's message quotes the text around the error, which may be a token: leave it out.
    throw fail("is not valid JSON");
  }
  if (!isPlainObject(root)) throw fail("does not hold a JSON object at its root");
  const version = root["globus-sdk.version"];
  if (version !== undefined && typeof version !== "string")
    throw fail("is malformed: 'globus-sdk.version' must be a string");
  const formatVersion = root.format_version;
  if (formatVersion === undefined) throw fail("is malformed: 'format_version' is missing");
  if (typeof formatVersion !== "string") throw fail("is malformed: 'format_version' must be a string");

  if (formatVersion === "1.0") {
    const byResourceServer = root.by_rs;
    if (byResourceServer === undefined) throw fail("holds invalid v1.0 data (missing 'by_rs')");
    if (!isPlainObject(byResourceServer)) throw fail("holds invalid v1.0 data ('by_rs' must be an object)");
    return new Map([[DEFAULT_NAMESPACE, new Map(Object.entries(byResourceServer))]]);
  }
  if (formatVersion !== FORMAT_VERSION) {
    throw fail(`is in an unknown format (format_version=${JSON.stringify(formatVersion.slice(0, 40))})`);
  }
  const data = root.data;
  if (data === undefined) throw fail("is malformed: 'data' is missing");
  if (!isPlainObject(data)) throw fail("is malformed: 'data' must be an object");
  const namespaces: Namespaces = new Map();
  for (const [namespace, records] of Object.entries(data)) {
    if (!isPlainObject(records)) throw fail(`is malformed: 'data.${namespace}' must be an object`);
    namespaces.set(namespace, new Map(Object.entries(records)));
  }
  return namespaces;
}
