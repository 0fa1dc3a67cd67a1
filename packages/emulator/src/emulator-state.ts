import type { KeyObject } from "node:crypto";
import {
  ClientIdentityRegistry,
  type EmulatorClient,
  type EmulatorIdentity,
} from "./client-identity-registry.ts";
import { ComputeStore } from "./compute-store.ts";
import {
  type AuthorizeTransaction,
  type ConsentJson,
  type ConsentRecord,
  ConsentStore,
} from "./consent-store.ts";
import { FlowsStore } from "./flows-store.ts";
import { GroupsStore } from "./groups-store.ts";
import type { IdTokenForgery } from "./id-token-signer.ts";
import type { ClientRegistration, IdentityRegistration } from "./sample-data.ts";
import type { ScopeNode } from "./scope-tree.ts";
import { SearchStore } from "./search-store.ts";
import { SessionStore, type SignInRequirements, type SignInSession } from "./session-store.ts";
import { TimersStore } from "./timers-store.ts";
import {
  type AccessTokenRecord,
  type AuthCodeRecord,
  type Grant,
  type IssueOptions,
  type RefreshTokenRecord,
  type TokenLifetimes,
  type TokenResponse,
  TokenStore,
} from "./token-store.ts";
import { TransferStore } from "./transfer-store.ts";

// Kept importable from here: tests of the token endpoint type its answers with it.
export type { TokenResponse } from "./token-store.ts";

/** What the emulator auto-approves: `false` (show the consent page), `true` (first identity) or an identity id. */
export type AutoApprove = boolean | string;

/** Requirements the fake Transfer API enforces for one collection. */
export interface CollectionRequirements {
  readonly collectionId: string;
  readonly mfa: boolean;
  readonly dataAccess: boolean;
  /** Authentication policies the token's sign-in must have satisfied; empty for none. */
  readonly policies: readonly string[];
}

/** What {@link EmulatorControl.revokeAll} removed. */
export interface RevokeAllResult {
  readonly accessTokens: number;
  readonly refreshTokens: number;
  readonly authorizationCodes: number;
  readonly sessions: number;
}

/** Expired codes, consent transactions and access tokens are dropped once there are more than this many. */
const PRUNE_THRESHOLD = 2000;

/**
 * @internal Everything the emulator knows; the HTTP layer and the control API share one instance.
 * It owns the clock, the auto-approve setting and the Transfer requirements, and composes the
 * rest: the {@link ClientIdentityRegistry} (who exists), the {@link TokenStore} (what was handed
 * out), the {@link ConsentStore} (what people agreed to, and consent pages waiting for an answer),
 * the {@link SessionStore} (the emulated browser's sign-ins) and the fake services' stores. Its
 * members forward to those, so callers need not know which part holds what.
 */
export class EmulatorState {
  issuer = "";
  clockOffset = 0;
  autoApprove: AutoApprove;
  readonly requirements = new Map<string, CollectionRequirements>();
  /** Called after every change worth persisting. */
  onChange: () => void = () => {};
  // What the parts get: the clock, and a way to say they changed (read late: onChange is reassigned).
  readonly #now = (): number => this.now();
  readonly #changed = (): void => this.onChange();
  /** Registered clients and identities. */
  readonly registry = new ClientIdentityRegistry(this.#changed);
  /** Access and refresh tokens and authorization codes. */
  readonly tokenStore: TokenStore;
  /** Consents and pending consent pages. */
  readonly consentStore = new ConsentStore(this.#now, this.#changed);
  /** The emulated browser's sign-in sessions. */
  readonly sessionStore = new SessionStore(this.#now, this.#changed);
  /** The fake Transfer API's collections, files, tasks, bookmarks, rules and roles. */
  readonly transfer = new TransferStore(this.#now, this.#changed);
  /** The fake Groups API's groups, memberships and identity preferences. */
  readonly groups = new GroupsStore(this.#now, this.#changed);
  /** The fake Search API's indices, entries, roles and tasks. */
  readonly search = new SearchStore(this.#now, this.#changed);
  /** The fake Flows API's flows and runs. */
  readonly flows = new FlowsStore(this.#now, this.#changed);
  /** The fake Timers API's timers. */
  readonly timers = new TimersStore(this.#now, this.#changed);
  /** The fake Compute API's functions and tasks. */
  readonly compute = new ComputeStore(this.#now, this.#changed);

  constructor(
    readonly signingKey: KeyObject,
    readonly keyId: string | undefined,
    options: { lifetimes: TokenLifetimes; autoApprove: AutoApprove; rotateRefreshTokens: boolean },
  ) {
    this.autoApprove = options.autoApprove;
    this.tokenStore = new TokenStore({
      now: this.#now,
      changed: this.#changed,
      issuer: () => this.issuer,
      identityClaims: (subject, authTime) => this.registry.identityClaims(subject, authTime),
      signingKey,
      keyId,
      lifetimes: options.lifetimes,
      rotateRefreshTokens: options.rotateRefreshTokens,
    });
  }

  /** Emulator clock, in (fractional) epoch seconds: real time plus the offset. */
  now(): number {
    return Date.now() / 1000 + this.clockOffset;
  }

  /** Whole seconds, for `iat`/`exp`. */
  nowSeconds(): number {
    return Math.floor(this.now());
  }

  // Clients and identities

  get clients(): Map<string, EmulatorClient> {
    return this.registry.clients;
  }
  get identities(): Map<string, EmulatorIdentity> {
    return this.registry.identities;
  }
  /** Redirect URIs allowed for every client (compared exactly). */
  get globalRedirectUris(): readonly string[] {
    return this.registry.globalRedirectUris;
  }
  set globalRedirectUris(uris: readonly string[]) {
    this.registry.globalRedirectUris = uris;
  }
  registerClient(registration: ClientRegistration): EmulatorClient {
    return this.registry.registerClient(registration);
  }
  registerIdentity(registration: IdentityRegistration): EmulatorIdentity {
    return this.registry.registerIdentity(registration);
  }
  /** An identity by id or (case-insensitive) username. */
  findIdentity(idOrUsername: string): EmulatorIdentity | undefined {
    return this.registry.findIdentity(idOrUsername);
  }
  /** The identity a grant's subject names: a person, or a client's own identity. */
  subjectIdentity(subject: string): EmulatorIdentity {
    return this.registry.subjectIdentity(subject);
  }
  /** Claims shared by id_tokens and userinfo. */
  identityClaims(subject: string, authTime: number): Record<string, unknown> {
    return this.registry.identityClaims(subject, authTime);
  }

  // Tokens and codes

  get accessTokens(): Map<string, AccessTokenRecord> {
    return this.tokenStore.accessTokens;
  }
  get refreshTokens(): Map<string, RefreshTokenRecord> {
    return this.tokenStore.refreshTokens;
  }
  get codes(): Map<string, AuthCodeRecord> {
    return this.tokenStore.codes;
  }
  get lifetimes(): TokenLifetimes {
    return this.tokenStore.lifetimes;
  }
  set lifetimes(lifetimes: TokenLifetimes) {
    this.tokenStore.lifetimes = lifetimes;
  }
  get rotateRefreshTokens(): boolean {
    return this.tokenStore.rotateRefreshTokens;
  }
  /** A forgery the next id_token is issued as (then cleared); see {@link IdTokenForgery}. */
  get idTokenForgery(): IdTokenForgery | undefined {
    return this.tokenStore.idTokenForgery;
  }
  set idTokenForgery(forgery: IdTokenForgery | undefined) {
    this.tokenStore.idTokenForgery = forgery;
  }
  /** See {@link TokenStore.issueTokens}. */
  issueTokens(
    grant: Grant,
    scopes: readonly ScopeNode[],
    options: IssueOptions = { offline: false },
  ): TokenResponse {
    this.prune();
    return this.tokenStore.issueTokens(grant, scopes, options);
  }
  /** Issues a new access token (and maybe a new refresh token) from a refresh token record. */
  refresh(record: RefreshTokenRecord): TokenResponse {
    return this.tokenStore.refresh(record);
  }
  /** The record of an access token that exists and has not expired on the emulator clock. */
  activeAccessToken(token: string | undefined): AccessTokenRecord | undefined {
    return this.tokenStore.activeAccessToken(token);
  }
  /** The record of a refresh token that exists and has been used recently enough. */
  activeRefreshToken(token: string): RefreshTokenRecord | undefined {
    return this.tokenStore.activeRefreshToken(token);
  }
  /** See {@link TokenStore.revokeToken}. */
  revokeToken(token: string, clientId: string | undefined): boolean {
    return this.tokenStore.revokeToken(token, clientId);
  }
  /** See {@link TokenStore.createCode}. */
  createCode(...args: Parameters<TokenStore["createCode"]>): string {
    this.prune();
    return this.tokenStore.createCode(...args);
  }

  // Consents and consent pages

  get consents(): ConsentRecord[] {
    return this.consentStore.consents;
  }
  set consents(consents: ConsentRecord[]) {
    this.consentStore.consents = consents;
  }
  get nextConsentId(): number {
    return this.consentStore.nextConsentId;
  }
  set nextConsentId(id: number) {
    this.consentStore.nextConsentId = id;
  }
  get transactions(): Map<string, AuthorizeTransaction> {
    return this.consentStore.transactions;
  }
  /** See {@link ConsentStore.createTransaction}. */
  createTransaction(details: Omit<AuthorizeTransaction, "id" | "expiresAt">): AuthorizeTransaction {
    this.prune();
    return this.consentStore.createTransaction(details);
  }
  /** Records (merges) the consent trees a user granted to a client. */
  recordConsent(...args: Parameters<ConsentStore["recordConsent"]>): void {
    this.consentStore.recordConsent(...args);
  }
  /** Consents of an identity, for one client or (when `clientId` is undefined) all of them. */
  consentsOf(identityId: string, clientId: string | undefined): ConsentJson[] {
    return this.consentStore.consentsOf(identityId, clientId);
  }
  /** `true` when the identity consented, for the client, to `root` with `dependency` directly under it. */
  hasConsentedDependency(...args: Parameters<ConsentStore["hasConsentedDependency"]>): boolean {
    return this.consentStore.hasConsentedDependency(...args);
  }
  /** See {@link ConsentStore.hasConsentedPath}. */
  hasConsentedPath(...args: Parameters<ConsentStore["hasConsentedPath"]>): boolean {
    return this.consentStore.hasConsentedPath(...args);
  }

  // Sign-in sessions

  get sessions(): Map<string, SignInSession> {
    return this.sessionStore.sessions;
  }
  /** See {@link SessionStore.signIn}. */
  signIn(identityId: string, options: SignInRequirements): SignInSession {
    return this.sessionStore.signIn(identityId, options);
  }

  /** Revokes every token, code, pending consent page and sign-in session; says how many of each. */
  revokeAll(): RevokeAllResult {
    const result: RevokeAllResult = {
      accessTokens: this.accessTokens.size,
      refreshTokens: this.refreshTokens.size,
      authorizationCodes: this.codes.size,
      sessions: this.sessions.size,
    };
    this.tokenStore.clear();
    this.transactions.clear();
    this.sessions.clear();
    this.onChange();
    return result;
  }

  /** Drops expired codes, transactions and tokens once there are many, so a long demo does not grow forever. */
  private prune(): void {
    this.tokenStore.prune(PRUNE_THRESHOLD);
    this.consentStore.prune(PRUNE_THRESHOLD);
  }
}
