import { TokenStorageError } from "../errors/token-storage-error.ts";
import { MissingTokenError } from "../errors/token-validation-errors.ts";
import { KeyedMutex } from "../internal/keyed-mutex.ts";
import type { TokenDataValidator, TokenValidationContext } from "./token-data-validators.ts";
import type { TokenResponse } from "./token-response.ts";
import type { TokenStorage } from "./token-storage.ts";
import { copyTokenStorageData, type TokenStorageData } from "./token-storage-data.ts";

function identityOf(data: Readonly<Record<string, TokenStorageData>>): string | null {
  const identities = new Set(Object.values(data).map((record) => record.identity_id));
  identities.delete(null);
  if (identities.size > 1) {
    throw new TokenStorageError(
      `Stored tokens belong to ${identities.size} different identities; log out (sweep) to start over.`,
    );
  }
  return identities.values().next().value ?? null;
}

/**
 * Wraps a {@link TokenStorage} and runs validators on every store and read, so an app never hands out
 * a token that is missing, expired, short of scopes or for another identity. Knows the identity the
 * stored tokens belong to, and keeps it for refresh responses (which carry no id_token).
 *
 * @example
 * ```ts
 * const storage = new ValidatingTokenStorage(new MemoryTokenStorage(), [new NotExpiredValidator()]);
 * await storage.getTokenData("transfer.api.globus.org"); // MissingTokenError when absent
 * ```
 */
export class ValidatingTokenStorage implements TokenStorage {
  /** The wrapped storage. */
  readonly tokenStorage: TokenStorage;
  /** The validators, run in order. */
  readonly validators: TokenDataValidator[];
  readonly #locks = new KeyedMutex();
  #identityId: string | null | undefined;

  constructor(tokenStorage: TokenStorage, validators: readonly TokenDataValidator[] = []) {
    this.tokenStorage = tokenStorage;
    this.validators = [...validators];
  }

  get namespace(): string {
    return this.tokenStorage.namespace;
  }

  /** The identity of the stored tokens (read from storage on first use); null when none is known. */
  async getIdentityId(): Promise<string | null> {
    if (this.#identityId === undefined) {
      this.#identityId = identityOf(await this.tokenStorage.getTokenDataByResourceServer());
    }
    return this.#identityId;
  }

  /** Forgets the identity, so tokens of another identity may be stored next (used by logout). */
  forgetIdentity(): void {
    this.#identityId = null;
  }

  /** Re-reads the identity from storage (after another tab or process changed it). */
  reloadIdentity(): void {
    this.#identityId = undefined;
  }

  async #context(data: Readonly<Record<string, TokenStorageData>>): Promise<TokenValidationContext> {
    return { priorIdentityId: await this.getIdentityId(), tokenDataIdentityId: identityOf(data) };
  }

  /** Takes the identity of records just stored or read, when none was known. */
  #adoptIdentity(context: TokenValidationContext): void {
    if (context.priorIdentityId === null) this.#identityId = context.tokenDataIdentityId;
  }

  async storeTokenResponse(response: TokenResponse): Promise<void> {
    // A login's answer must name its identity (its id_token); only renewals keep the stored one.
    const identity =
      response.identityId ??
      (response.grantType === "authorization_code" ? null : await this.getIdentityId());
    const records = Object.fromEntries(
      Object.entries(response.byResourceServer).map(([rs, record]) => [
        rs,
        { ...copyTokenStorageData(record), identity_id: record.identity_id ?? identity },
      ]),
    );
    await this.storeTokenDataByResourceServer(records);
  }

  async storeTokenDataByResourceServer(data: Readonly<Record<string, TokenStorageData>>): Promise<void> {
    const context = await this.#context(data);
    for (const validator of this.validators) await validator.beforeStore?.(data, context);
    await this.tokenStorage.storeTokenDataByResourceServer(data);
    // Only once stored: records the validators refused must not decide who may log in next.
    this.#adoptIdentity(context);
  }

  /**
   * The validated record of one resource server.
   *
   * @throws MissingTokenError when none is stored; any validator's `TokenValidationError`.
   */
  async getTokenData(resourceServer: string): Promise<TokenStorageData> {
    let record: TokenStorageData | null;
    if (this.#identityId === undefined) {
      // The identity is not known yet: one read of everything serves both it and the record.
      const all = await this.tokenStorage.getTokenDataByResourceServer();
      this.#identityId = identityOf(all);
      record = all[resourceServer] ?? null;
    } else {
      record = await this.tokenStorage.getTokenData(resourceServer);
    }
    if (!record) throw new MissingTokenError(`No token data for ${resourceServer}`, resourceServer);
    const data = { [resourceServer]: record };
    await this.#afterRetrieve(data);
    return record;
  }

  async getTokenDataByResourceServer(): Promise<Record<string, TokenStorageData>> {
    const data = await this.tokenStorage.getTokenDataByResourceServer();
    await this.#afterRetrieve(data);
    return data;
  }

  async #afterRetrieve(data: Readonly<Record<string, TokenStorageData>>): Promise<void> {
    const context = await this.#context(data);
    this.#adoptIdentity(context);
    for (const validator of this.validators) await validator.afterRetrieve?.(data, context);
  }

  removeTokenData(resourceServer: string): Promise<boolean> {
    return this.tokenStorage.removeTokenData(resourceServer);
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.tokenStorage.withLock ? this.tokenStorage.withLock(key, fn) : this.#locks.run(key, fn);
  }

  close(): Promise<void> {
    return this.tokenStorage.close();
  }
}
