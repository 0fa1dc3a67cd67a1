import {
  assertStorableTokenData,
  BaseTokenStorage,
  DEFAULT_NAMESPACE,
  type GlobusUser,
  isTokenStorageError,
  parseTokenStorageData,
  type TokenStorageData,
  TokenStorageError,
  tokenStorageDataToJSON,
  userRecordNamespace,
} from "@globus-app/core";
import type { BrowserTokenStorageContext } from "./browser-token-storage-context.ts";
import { encodeNameComponent, PRODUCTION, requireNonEmpty, scopePrefix } from "./internal/names.ts";
import { withWebLock } from "./web-lock.ts";

/** Options of {@link LocalStorageTokenStorage}. */
export interface LocalStorageTokenStorageOptions {
  /** The app's OAuth client id. Required; part of every key. */
  clientId: string;
  /** The Globus environment; part of every key. @default "production" */
  environment?: string | undefined;
  /** The namespace this storage reads and writes. @default "DEFAULT" */
  namespace?: string | undefined;
  /**
   * The Web Storage area to use, e.g. `sessionStorage` to keep tokens per tab. @default
   * `globalThis.localStorage`, looked up on the first operation.
   */
  storage?: Storage | undefined;
}

function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  // Firefox used its own name (and code 1014) before adopting the standard one.
  return name === "QuotaExceededError" || name === "NS_ERROR_DOM_QUOTA_REACHED";
}

/**
 * Keeps tokens in `localStorage` (or another Web Storage area): they survive reloads and are shared
 * by the origin's tabs. Prefer {@link IndexedDBTokenStorage}; this exists for apps that already rely
 * on Web Storage or want `sessionStorage`'s per-tab lifetime.
 *
 * Each record is one key, `globus-app:<clientId>:<environment>:<namespace>:<resource_server>` (every
 * part percent-encoded, so no namespace can pose as another's prefix), holding the record's plain
 * JSON form. The storage never reads, lists, changes or removes a key outside its own exact prefix,
 * so other apps' and libraries' keys are safe.
 *
 * Errors: a full quota, an inaccessible storage area, bad JSON or an invalid record reject with a
 * `TokenStorageError` naming the key (never its value). A failed multi-record store puts back what
 * it had already written.
 *
 * @example
 * ```ts
 * const storage = new LocalStorageTokenStorage({ clientId: "…" });
 * const perTab = new LocalStorageTokenStorage({ clientId: "…", storage: sessionStorage });
 * ```
 */
export class LocalStorageTokenStorage extends BaseTokenStorage {
  /** Every key this storage owns starts with this prefix. */
  readonly keyPrefix: string;
  /** The key of the signed-in person's record: namespace `<namespace>::globus-app:user`, key `user`. */
  readonly #userKey: string;
  readonly #storage: Storage | undefined;

  /**
   * @throws GlobusSDKUsageError when `clientId` (or a given `namespace`, `environment`) is not a
   *   non-empty string. Storage is not touched here.
   */
  constructor(options: LocalStorageTokenStorageOptions) {
    const owner = "LocalStorageTokenStorage";
    super(requireNonEmpty(options.namespace ?? DEFAULT_NAMESPACE, "namespace", owner));
    const clientId = requireNonEmpty(options.clientId, "clientId", owner);
    const environment = requireNonEmpty(options.environment ?? PRODUCTION, "environment", owner);
    this.keyPrefix = scopePrefix(clientId, environment, this.namespace);
    this.#userKey = `${scopePrefix(clientId, environment, userRecordNamespace(this.namespace))}user`;
    this.#storage = options.storage;
  }

  /**
   * Provider form: `config: { tokenStorage: LocalStorageTokenStorage }` builds one per app from the
   * app's client id, environment and namespace.
   */
  static forGlobusApp(context: BrowserTokenStorageContext): LocalStorageTokenStorage {
    return new LocalStorageTokenStorage({
      clientId: context.clientId,
      namespace: context.namespace,
      environment: context.config?.environment,
    });
  }

  async storeTokenDataByResourceServer(data: Readonly<Record<string, TokenStorageData>>): Promise<void> {
    assertStorableTokenData(data);
    const storage = this.#area();
    const written: [key: string, previous: string | null][] = [];
    try {
      for (const [resourceServer, record] of Object.entries(data)) {
        const key = this.#key(resourceServer);
        const value = JSON.stringify(tokenStorageDataToJSON(record));
        const previous = storage.getItem(key);
        storage.setItem(key, value);
        written.push([key, previous]);
      }
    } catch (error) {
      // Leave the stored data as it was: a half-written login is worse than none.
      for (const [key, previous] of written.reverse()) {
        try {
          if (previous === null) storage.removeItem(key);
          else storage.setItem(key, previous);
        } catch {
          // Best effort; the error below is what the caller must see.
        }
      }
      const problem = isQuotaError(error) ? "the storage quota is exceeded" : "the write failed";
      throw this.#error(`Could not store tokens under ${this.#location()}: ${problem}`, error);
    }
  }

  override async getTokenData(resourceServer: string): Promise<TokenStorageData | null> {
    const key = this.#key(resourceServer);
    const raw = this.#read(key);
    return raw === null ? null : this.#parse(key, raw, resourceServer);
  }

  async getTokenDataByResourceServer(): Promise<Record<string, TokenStorageData>> {
    const storage = this.#area();
    const owned: string[] = [];
    try {
      // Collect first: reading while iterating is fine, but another tab may change the area meanwhile.
      for (let index = 0; index < storage.length; index++) {
        const key = storage.key(index);
        if (key?.startsWith(this.keyPrefix)) owned.push(key);
      }
    } catch (error) {
      throw this.#error(`Could not list tokens under ${this.#location()}`, error);
    }
    const out: Record<string, TokenStorageData> = {};
    for (const key of owned) {
      const raw = this.#read(key);
      // Removed by another tab since it was listed.
      if (raw === null) continue;
      const resourceServer = this.#resourceServer(key);
      out[resourceServer] = this.#parse(key, raw, resourceServer);
    }
    return out;
  }

  async removeTokenData(resourceServer: string): Promise<boolean> {
    const storage = this.#area();
    const key = this.#key(resourceServer);
    try {
      if (storage.getItem(key) === null) return false;
      storage.removeItem(key);
      return true;
    } catch (error) {
      throw this.#error(`Could not remove tokens at localStorage key "${key}"`, error);
    }
  }

  /**
   * Runs `fn` holding the exclusive lock `<keyPrefix><key>` — a Web Lock shared by every tab and
   * worker of the origin when `navigator.locks` exists, else a lock within this page.
   */
  override withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return withWebLock(`${this.keyPrefix}${key}`, fn);
  }

  /** The signed-in person's record (its own key, outside this storage's token prefix), or null. */
  async getUserRecord(): Promise<unknown> {
    const raw = this.#read(this.#userKey);
    try {
      return raw === null ? null : JSON.parse(raw);
    } catch {
      // A damaged record only loses who is signed in; the tokens are unaffected.
      return null;
    }
  }

  /** Stores (or, with null, removes) the signed-in person's record; see {@link getUserRecord}. */
  async storeUserRecord(user: GlobusUser | null): Promise<void> {
    try {
      if (user) this.#area().setItem(this.#userKey, JSON.stringify(user));
      else this.#area().removeItem(this.#userKey);
    } catch (error) {
      if (isTokenStorageError(error)) throw error;
      throw this.#error(`Could not write localStorage key "${this.#userKey}"`, error);
    }
  }

  #key(resourceServer: string): string {
    return `${this.keyPrefix}${encodeNameComponent(resourceServer)}`;
  }

  #location(): string {
    return `localStorage keys "${this.keyPrefix}*"`;
  }

  #area(): Storage {
    let storage: Storage | undefined;
    try {
      storage = this.#storage ?? (globalThis as { localStorage?: Storage }).localStorage;
    } catch (error) {
      // Reading `localStorage` throws a SecurityError when the user or a sandbox blocks storage.
      throw this.#error(`Could not use ${this.#location()}: Web Storage is blocked here`, error);
    }
    if (!storage)
      throw this.#error(`Could not use ${this.#location()}: Web Storage is not available here`, undefined);
    return storage;
  }

  #read(key: string): string | null {
    try {
      return this.#area().getItem(key);
    } catch (error) {
      if (isTokenStorageError(error)) throw error;
      throw this.#error(`Could not read localStorage key "${key}"`, error);
    }
  }

  #parse(key: string, raw: string, resourceServer: string): TokenStorageData {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      // No `cause`: V8's SyntaxError quotes the start of the text, which may be a token.
      throw new TokenStorageError(`Invalid token data in localStorage key "${key}": not valid JSON.`, {
        location: `localStorage key "${key}"`,
      });
    }
    return parseTokenStorageData(value, `localStorage key "${key}"`, resourceServer);
  }

  #resourceServer(key: string): string {
    try {
      return decodeURIComponent(key.slice(this.keyPrefix.length));
    } catch {
      throw new TokenStorageError(
        `Unexpected localStorage key "${key}": its resource server part is not percent-encoded.`,
        {
          location: `localStorage key "${key}"`,
        },
      );
    }
  }

  #error(message: string, cause: unknown): TokenStorageError {
    const options: { location: string; cause?: unknown } = { location: this.#location() };
    if (cause !== undefined) options.cause = cause;
    const reason =
      cause === undefined ? "" : ` (${String((cause as { name?: unknown } | null)?.name ?? "error")})`;
    return new TokenStorageError(`${message}${reason}.`, options);
  }
}
