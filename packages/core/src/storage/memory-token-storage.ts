import { BaseTokenStorage, DEFAULT_NAMESPACE } from "./token-storage.ts";
import {
  assertStorableTokenData,
  copyTokenStorageData,
  type TokenStorageData,
} from "./token-storage-data.ts";

/** Options of {@link MemoryTokenStorage}. */
export interface MemoryTokenStorageOptions {
  /** Namespace to use. @default "DEFAULT" */
  namespace?: string;
  /**
   * A backing map to share between storages (one per namespace each). Storages created without one
   * share nothing.
   */
  backing?: Map<string, Map<string, TokenStorageData>>;
}

/**
 * Keeps tokens in memory for the life of the process or page: nothing survives a restart or reload.
 * Useful for tests, short scripts and service accounts that fetch tokens anew on every start.
 *
 * @example
 * ```ts
 * const app = new UserApp("my-app", { clientId, config: { tokenStorage: new MemoryTokenStorage() } });
 * ```
 */
export class MemoryTokenStorage extends BaseTokenStorage {
  readonly #backing: Map<string, Map<string, TokenStorageData>>;

  constructor(options: MemoryTokenStorageOptions = {}) {
    super(options.namespace ?? DEFAULT_NAMESPACE);
    this.#backing = options.backing ?? new Map();
  }

  /** Provider form: `tokenStorage: MemoryTokenStorage` builds one per app with the app's namespace. */
  static forGlobusApp(context: { namespace: string }): MemoryTokenStorage {
    return new MemoryTokenStorage({ namespace: context.namespace });
  }

  #records(): Map<string, TokenStorageData> {
    let records = this.#backing.get(this.namespace);
    if (!records) {
      records = new Map();
      this.#backing.set(this.namespace, records);
    }
    return records;
  }

  async storeTokenDataByResourceServer(data: Readonly<Record<string, TokenStorageData>>): Promise<void> {
    assertStorableTokenData(data);
    const records = this.#records();
    for (const [resourceServer, record] of Object.entries(data)) {
      records.set(resourceServer, copyTokenStorageData(record));
    }
  }

  override async getTokenData(resourceServer: string): Promise<TokenStorageData | null> {
    const record = this.#backing.get(this.namespace)?.get(resourceServer);
    return record ? copyTokenStorageData(record) : null;
  }

  async getTokenDataByResourceServer(): Promise<Record<string, TokenStorageData>> {
    const out: Record<string, TokenStorageData> = {};
    for (const [resourceServer, record] of this.#backing.get(this.namespace) ?? []) {
      out[resourceServer] = copyTokenStorageData(record);
    }
    return out;
  }

  async removeTokenData(resourceServer: string): Promise<boolean> {
    return this.#backing.get(this.namespace)?.delete(resourceServer) ?? false;
  }
}
