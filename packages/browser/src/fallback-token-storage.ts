import {
  BaseTokenStorage,
  DEFAULT_NAMESPACE,
  GlobusSDKUsageError,
  type GlobusUser,
  isGlobusSDKUsageError,
  isTokenStorageError,
  MemoryTokenStorage,
  type TokenResponse,
  type TokenStorage,
  type TokenStorageData,
  TokenStorageError,
} from "@globus-app/core";
import type { BrowserTokenStorageContext } from "./browser-token-storage-context.ts";
import { IndexedDBTokenStorage } from "./indexed-db-token-storage.ts";
import { reportError } from "./internal/report-error.ts";

/** Told, once, why a {@link FallbackTokenStorage} gave up its primary storage. */
export type FallbackListener = (error: TokenStorageError) => void;

/** Options of {@link FallbackTokenStorage}. */
export interface FallbackTokenStorageOptions {
  /**
   * Builds the preferred storage. Called once, on the first operation. If the storage has an
   * `open()` method (as {@link IndexedDBTokenStorage} does) it is called too, and its failure (or the
   * factory's) switches to the fallback.
   */
  primary: () => TokenStorage | Promise<TokenStorage>;
  /** Builds the storage used when the primary cannot be opened. @default a `MemoryTokenStorage` in `namespace` */
  fallback?: (() => TokenStorage) | undefined;
  /** The namespace; both storages must use it. @default "DEFAULT" */
  namespace?: string | undefined;
  /** Called once if (and when) the fallback is taken; same as calling {@link FallbackTokenStorage.onFallback}. */
  onFallback?: FallbackListener | undefined;
}

/**
 * Uses a primary storage (IndexedDB by default) and, if it cannot be opened here — IndexedDB missing,
 * a private window that refuses it, an open that is blocked or never answers — switches for the rest
 * of its life to a fallback (memory by default: tokens then last only as long as the page).
 *
 * The switch is never silent: {@link FallbackTokenStorage.onFallback} listeners (and the `onFallback`
 * option) hear about it exactly once, with the `TokenStorageError` that caused it, and
 * {@link FallbackTokenStorage.fallbackError} keeps it. Errors after a successful open (a full quota,
 * a corrupt record) are reported to the caller as usual: only opening decides.
 *
 * @example
 * ```ts
 * const storage = FallbackTokenStorage.forGlobusApp({ clientId, namespace: "DEFAULT" });
 * storage.onFallback((error) => showBanner(`You will need to sign in again after a reload: ${error.message}`));
 * await storage.getTokenData("auth.globus.org"); // opens IndexedDB, or falls back to memory
 * ```
 */
export class FallbackTokenStorage extends BaseTokenStorage {
  readonly #primary: () => TokenStorage | Promise<TokenStorage>;
  readonly #fallback: (() => TokenStorage) | undefined;
  readonly #listeners = new Set<FallbackListener>();
  #selection: Promise<TokenStorage> | undefined;
  #active: TokenStorage | undefined;
  #fallbackError: TokenStorageError | undefined;

  constructor(options: FallbackTokenStorageOptions) {
    super(options.namespace ?? DEFAULT_NAMESPACE);
    if (typeof options.primary !== "function") {
      throw new GlobusSDKUsageError(
        "FallbackTokenStorage: option 'primary' must be a function that builds a storage.",
      );
    }
    this.#primary = options.primary;
    this.#fallback = options.fallback;
    if (options.onFallback) this.#listeners.add(options.onFallback);
  }

  /**
   * Provider form: IndexedDB for the app's client id, environment and namespace, falling back to
   * memory. Subscribe with {@link FallbackTokenStorage.onFallback} before the first operation, or
   * read {@link FallbackTokenStorage.fallbackError} after it.
   */
  static forGlobusApp(context: BrowserTokenStorageContext): FallbackTokenStorage {
    return new FallbackTokenStorage({
      namespace: context.namespace,
      primary: () => IndexedDBTokenStorage.forGlobusApp(context),
    });
  }

  /** The storage in use, once the first operation (or {@link FallbackTokenStorage.open}) has chosen it. */
  get active(): TokenStorage | undefined {
    return this.#active;
  }

  /** Whether the fallback is in use. False until the choice is made. */
  get usingFallback(): boolean {
    return this.#fallbackError !== undefined;
  }

  /** Why the primary storage was given up, or undefined if it was not (or not yet). */
  get fallbackError(): TokenStorageError | undefined {
    return this.#fallbackError;
  }

  /**
   * Calls `listener` once if the fallback is taken — right away (in a microtask) if it already was.
   *
   * @returns a function that unsubscribes.
   */
  onFallback(listener: FallbackListener): () => void {
    if (this.#fallbackError) {
      const error = this.#fallbackError;
      let cancelled = false;
      queueMicrotask(() => {
        if (!cancelled) this.#call(listener, error);
      });
      return () => {
        cancelled = true;
      };
    }
    // A wrapper, so subscribing the same function twice means two calls and two unsubscribes.
    const entry: FallbackListener = (error) => listener(error);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /**
   * Chooses the storage now rather than on the first operation. Resolves either way; check
   * {@link FallbackTokenStorage.usingFallback} afterwards.
   *
   * @throws GlobusSDKUsageError when the primary factory was misused (a programming error, not a
   *   browser limitation, so it is not papered over); the next call tries again.
   */
  async open(): Promise<void> {
    await this.#storage();
  }

  override async storeTokenResponse(response: TokenResponse): Promise<void> {
    return (await this.#storage()).storeTokenResponse(response);
  }

  async storeTokenDataByResourceServer(data: Readonly<Record<string, TokenStorageData>>): Promise<void> {
    return (await this.#storage()).storeTokenDataByResourceServer(data);
  }

  override async getTokenData(resourceServer: string): Promise<TokenStorageData | null> {
    return (await this.#storage()).getTokenData(resourceServer);
  }

  async getTokenDataByResourceServer(): Promise<Record<string, TokenStorageData>> {
    return (await this.#storage()).getTokenDataByResourceServer();
  }

  async removeTokenData(resourceServer: string): Promise<boolean> {
    return (await this.#storage()).removeTokenData(resourceServer);
  }

  /** The active storage's record of the signed-in person, or null when it keeps none. */
  async getUserRecord(): Promise<unknown> {
    return (await (await this.#storage()).getUserRecord?.()) ?? null;
  }

  /** Stores the signed-in person's record in the active storage, where it keeps one. */
  async storeUserRecord(user: GlobusUser | null): Promise<void> {
    await (await this.#storage()).storeUserRecord?.(user);
  }

  /** The active storage's lock (Web Locks for IndexedDB), or a lock within this page if it has none. */
  override async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const storage = await this.#storage();
    return storage.withLock ? storage.withLock(key, fn) : super.withLock(key, fn);
  }

  /** Closes the active storage, if one was chosen. Idempotent. */
  override async close(): Promise<void> {
    const selection = this.#selection;
    if (!selection) return;
    const storage = await selection.catch(() => undefined);
    await storage?.close();
  }

  #storage(): Promise<TokenStorage> {
    if (!this.#selection) {
      const selection = this.#select();
      this.#selection = selection;
      selection.catch(() => {
        if (this.#selection === selection) this.#selection = undefined;
      });
    }
    return this.#selection;
  }

  async #select(): Promise<TokenStorage> {
    let primary: TokenStorage | undefined;
    try {
      primary = await this.#primary();
      if (primary.namespace !== this.namespace) {
        throw new GlobusSDKUsageError(
          `FallbackTokenStorage: the primary storage's namespace "${primary.namespace}" is not "${this.namespace}".`,
        );
      }
      const openable = primary as TokenStorage & { open?: unknown };
      if (typeof openable.open === "function") await (openable.open as () => Promise<void>).call(primary);
      this.#active = primary;
      return primary;
    } catch (error) {
      if (isGlobusSDKUsageError(error)) throw error;
      await primary?.close().catch(() => undefined);
      const reason = isTokenStorageError(error)
        ? error
        : new TokenStorageError("Could not open the primary token storage.", { cause: error });
      const fallback = this.#fallback?.() ?? new MemoryTokenStorage({ namespace: this.namespace });
      this.#active = fallback;
      this.#fallbackError = reason;
      const listeners = [...this.#listeners];
      this.#listeners.clear();
      for (const listener of listeners) this.#call(listener, reason);
      return fallback;
    }
  }

  #call(listener: FallbackListener, error: TokenStorageError): void {
    try {
      listener(error);
    } catch (listenerError) {
      reportError(listenerError);
    }
  }
}
