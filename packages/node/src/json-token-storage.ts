import { constants } from "node:fs";
import { open, readdir, readFile, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  assertStorableTokenData,
  BaseTokenStorage,
  DEFAULT_NAMESPACE,
  isTokenStorageError,
  parseTokenStorageData,
  type TokenStorageData,
  TokenStorageError,
} from "@globus-app/core";
import { defaultTokenFilePath } from "./default-token-path.ts";
import { DEFAULT_LOCK_TIMEOUT_MS, withFileLock, withNamedFileLock } from "./file-lock.ts";
import { errorCode, fsyncDirectory, PRIVATE_FILE_MODE } from "./private-files.ts";
import { tokenRecordToJSON } from "./token-record-json.ts";
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

/**
 * What a file storage's `forGlobusApp` provider needs from the app that builds it. A `GlobusApp`
 * passes it when `config.tokenStorage` is a provider class such as `JSONTokenStorage`.
 */
export interface FileTokenStorageContext {
  /** The app name; its slug names the app's directory. */
  appName: string;
  /** The app's OAuth client id; it names a directory. */
  clientId: string;
  /** The app's storage namespace (`DEFAULT` unless configured). */
  namespace: string;
  /** The app's config; only `environment` is read (`"production"` when absent). */
  config?: { environment?: string | undefined } | undefined;
}

/** A parsed file: namespace → resource server → the record's JSON object, as read. */
type Namespaces = Map<string, Map<string, unknown>>;

const FORMAT_VERSION = "2.0";
// A writer that rewrites the file in place (the Python SDK does) can be caught half way; a few
// re-reads tell such a moment from a file that is really broken.
const PARSE_RETRIES = 3;
const PARSE_RETRY_DELAY_MS = 30;
// write-file-atomic names its temporary file `<file>.<32-bit number>`.
const TEMP_FILE_SUFFIX = /^\.\d{1,10}$/;

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

  /** Nothing to release: the file is opened only while reading or writing. Idempotent. */
  override async close(): Promise<void> {}

  async #exists(): Promise<boolean> {
    try {
      await stat(this.filePath);
      return true;
    } catch (error) {
      if (errorCode(error) === "ENOENT") return false;
      throw this.#error(
        `Could not read token storage file '${this.filePath}' (${errorCode(error) ?? "error"})`,
        error,
      );
    }
  }

  /** Read, change and write back under the file lock, re-reading inside it. */
  #update<T>(change: (namespaces: Namespaces) => { write: boolean; result: T }): Promise<T> {
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
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      // Non-blocking, so a FIFO at the path cannot hang every read until a writer appears.
      handle = await open(this.filePath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    } catch (error) {
      if (errorCode(error) === "ENOENT") return undefined;
      throw this.#error(
        `Could not read token storage file '${this.filePath}' (${errorCode(error) ?? "error"})`,
        error,
      );
    }
    try {
      if (!(await handle.stat()).isFile()) {
        throw this.#error(`Token storage path '${this.filePath}' is not a regular file`);
      }
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
        if (isTokenStorageError(error)) throw this.#error(error.message);
        throw error;
      }
    }
    return out;
  }

  async #write(namespaces: Namespaces): Promise<void> {
    const document = {
      data: Object.fromEntries(
        [...namespaces].map(([namespace, records]) => [namespace, Object.fromEntries(records)]),
      ),
      format_version: FORMAT_VERSION,
      "globus-sdk.version": WRITER_VERSION,
    };
    const writeFileAtomic = await loadWriteFileAtomic();
    try {
      // Temporary file in the same directory, fsync, chmod 0600 (whatever the umask), rename.
      await writeFileAtomic(this.filePath, JSON.stringify(document), {
        mode: PRIVATE_FILE_MODE,
        fsync: true,
      });
    } catch (error) {
      throw this.#error(
        `Could not write token storage file '${this.filePath}' (${errorCode(error) ?? "error"})`,
        error,
      );
    }
    const directory = path.dirname(this.filePath);
    await fsyncDirectory(directory);
    await this.#removeStaleTempFiles(directory);
  }

  /**
   * A writer killed mid-write (SIGKILL, power loss; write-file-atomic cleans up after catchable
   * signals) leaves its temporary file behind, holding tokens that logout would never remove. Every
   * writer holds the lock, so none is in progress now. Only torn files (not valid JSON) are removed:
   * a complete `tokens.json.<digits>` may as well be someone's backup.
   */
  async #removeStaleTempFiles(directory: string): Promise<void> {
    const base = path.basename(this.filePath);
    try {
      const entries = await readdir(directory, { withFileTypes: true });
      const candidates = entries.filter(
        (e) => e.isFile() && e.name.startsWith(base) && TEMP_FILE_SUFFIX.test(e.name.slice(base.length)),
      );
      for (const entry of candidates) {
        const candidate = path.join(directory, entry.name);
        if (isUnparsable(await readFile(candidate, "utf8"))) await unlink(candidate);
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

type WriteFileAtomic = typeof import("write-file-atomic");
let writeFileAtomicModule: Promise<WriteFileAtomic> | undefined;

// Loaded on first write, so processes that only read tokens start faster.
function loadWriteFileAtomic(): Promise<WriteFileAtomic> {
  writeFileAtomicModule ??= import("write-file-atomic").then((module) => module.default);
  return writeFileAtomicModule;
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
    new TokenStorageError(`Token storage file '${filePath}' ${problem}`, { location: filePath });
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
