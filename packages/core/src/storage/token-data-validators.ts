import {
  ExpiredTokenError,
  IdentityMismatchError,
  MissingIdentityError,
  MissingTokenError,
  UnmetScopeRequirementsError,
} from "../errors/token-validation-errors.ts";
import type { ScopeLike } from "../scopes/scope.ts";
import { requiredRootScopes } from "../scopes/scope-requirement-items.ts";
import type { TokenStorageData } from "./token-storage-data.ts";

/** What a validator knows about the identity while it checks records. */
export interface TokenValidationContext {
  /** The identity the storage held before this operation, if any. */
  readonly priorIdentityId: string | null;
  /** The identity found in the records being stored or read, if any. */
  readonly tokenDataIdentityId: string | null;
}

/**
 * A check run by {@link ValidatingTokenStorage} before records are stored and after they are read.
 * Throw a `TokenValidationError` to reject them.
 */
export interface TokenDataValidator {
  /** Checks records about to be stored, by resource server; throws to refuse them all. */
  beforeStore?(
    data: Readonly<Record<string, TokenStorageData>>,
    context: TokenValidationContext,
  ): Promise<void> | void;
  /** Checks records just read, by resource server; throws to refuse them. */
  afterRetrieve?(
    data: Readonly<Record<string, TokenStorageData>>,
    context: TokenValidationContext,
  ): Promise<void> | void;
}

/** Rejects records whose access token has expired (no skew), with {@link ExpiredTokenError}. */
export class NotExpiredValidator implements TokenDataValidator {
  afterRetrieve(data: Readonly<Record<string, TokenStorageData>>): void {
    const now = Date.now() / 1000;
    for (const record of Object.values(data)) {
      if (record.expires_at_seconds < now) throw new ExpiredTokenError(record.expires_at_seconds);
    }
  }
}

/** Rejects records without a refresh token, with {@link MissingTokenError}. */
export class HasRefreshTokensValidator implements TokenDataValidator {
  afterRetrieve(data: Readonly<Record<string, TokenStorageData>>): void {
    for (const record of Object.values(data)) {
      if (record.refresh_token === null) {
        throw new MissingTokenError(`No refresh_token for ${record.resource_server}`, record.resource_server);
      }
    }
  }
}

/**
 * Rejects new tokens without an identity ({@link MissingIdentityError}) or for another identity than
 * the stored one ({@link IdentityMismatchError}).
 */
export class UnchangingIdentityIDValidator implements TokenDataValidator {
  beforeStore(_data: Readonly<Record<string, TokenStorageData>>, context: TokenValidationContext): void {
    if (context.tokenDataIdentityId === null) throw new MissingIdentityError();
    if (context.priorIdentityId !== null && context.priorIdentityId !== context.tokenDataIdentityId) {
      throw new IdentityMismatchError(context.priorIdentityId, context.tokenDataIdentityId);
    }
  }
}

/** Answers whether an identity's consents (as Globus Auth reports them) satisfy some scopes. */
export interface ConsentChecker {
  /** Fetches the identity's consents anew and returns an object that can be asked about them. */
  fetch(identityId: string): Promise<{
    /** Whether the consents cover every one of `scopes` (scope strings are parsed and merged). */
    meetsScopeRequirements(scopes: readonly ScopeLike[]): boolean;
  }>;
}

/**
 * Checks stored tokens against the app's scope requirements: root scopes must appear in the token's
 * `scope` (on store and read); dependent scopes are checked on read against the consents API, whose
 * answer is cached and fetched again only when the cache does not satisfy the requirements.
 */
export class ScopeRequirementsValidator implements TokenDataValidator {
  readonly #requirements: () => Readonly<Record<string, readonly ScopeLike[]>>;
  readonly #consents: ConsentChecker | undefined;
  #cachedForest: { meetsScopeRequirements(scopes: readonly ScopeLike[]): boolean } | undefined;
  #cachedFor: string | undefined;

  /**
   * @param requirements - read on every check, so requirements added later are honoured.
   * @param consents - how to read consents; without it dependent scopes are not checked.
   */
  constructor(requirements: () => Readonly<Record<string, readonly ScopeLike[]>>, consents?: ConsentChecker) {
    this.#requirements = requirements;
    this.#consents = consents;
  }

  beforeStore(data: Readonly<Record<string, TokenStorageData>>): void {
    for (const record of Object.values(data)) this.#checkRoots(record);
  }

  async afterRetrieve(
    data: Readonly<Record<string, TokenStorageData>>,
    context: TokenValidationContext,
  ): Promise<void> {
    for (const record of Object.values(data)) {
      this.#checkRoots(record);
      // Stryker disable next-line ArrayDeclaration: any other array without brackets has no dependent scopes either
      const required = this.#requirements()[record.resource_server] ?? [];
      if (requiredRootScopes(required).dependent) {
        await this.#checkDependencies(required, context.tokenDataIdentityId ?? context.priorIdentityId);
      }
    }
  }

  #checkRoots(record: TokenStorageData): void {
    const required = this.#requirements()[record.resource_server];
    if (!required) return;
    const granted = new Set(record.scope.split(" "));
    for (const name of requiredRootScopes(required).names) {
      if (!granted.has(name)) {
        throw new UnmetScopeRequirementsError("Unmet scope requirements", this.#describe());
      }
    }
  }

  async #checkDependencies(required: readonly ScopeLike[], identityId: string | null): Promise<void> {
    if (this.#cachedFor === identityId && this.#cachedForest?.meetsScopeRequirements(required)) return;
    if (identityId === null || !this.#consents) return;
    const forest = await this.#consents.fetch(identityId);
    this.#cachedForest = forest;
    this.#cachedFor = identityId;
    if (!forest.meetsScopeRequirements(required)) {
      throw new UnmetScopeRequirementsError("Unmet dependent scope requirements", this.#describe());
    }
  }

  /** Forgets cached consents (after logout or a new login). */
  clearCache(): void {
    this.#cachedForest = undefined;
    this.#cachedFor = undefined;
  }

  #describe(): Record<string, string[]> {
    return Object.fromEntries(
      Object.entries(this.#requirements()).map(([rs, scopes]) => [rs, scopes.map(String)]),
    );
  }
}
