import { type KeyObject, randomBytes, randomUUID } from "node:crypto";
import { ComputeStore } from "./compute-store.ts";
import { FlowsStore } from "./flows-store.ts";
import { GroupsStore } from "./groups-store.ts";
import { accessTokenHash, forgeIdToken, type IdTokenForgery, signRs512Jwt } from "./id-token-signer.ts";
import { isoTime } from "./iso-time.ts";
import {
  CLIENT_IDENTITY_PROVIDER,
  type ClientRegistration,
  type IdentityRegistration,
} from "./sample-data.ts";
import { AUTH_RESOURCE_SERVER, resourceServerForScope } from "./scope-registry.ts";
import { mergeScopeNodes, type ScopeNode } from "./scope-tree.ts";
import { SearchStore } from "./search-store.ts";
import { isUuid, stableUuid } from "./stable-uuid.ts";
import { TimersStore } from "./timers-store.ts";
import { TransferStore } from "./transfer-store.ts";

/** A registered client as the emulator holds it. */
export interface EmulatorClient {
  readonly id: string;
  /** `"confidential"` when it has a secret. */
  readonly type: "native" | "confidential";
  readonly name: string;
  readonly secret: string | undefined;
  readonly redirectUris: readonly string[];
}

/** A registered identity as the emulator holds it. */
export interface EmulatorIdentity {
  readonly id: string;
  readonly username: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly organization: string | null;
  readonly identityProvider: string;
  readonly identityProviderDisplayName: string;
  readonly status: "used" | "unused";
}

/** Token lifetimes in seconds. */
export interface TokenLifetimes {
  /** Access token lifetime (`expires_in`); default 172800 (two days), like Globus. */
  readonly accessToken: number;
  /** How long a refresh token may go unused; default 15552000 (180 days), like Globus. */
  readonly refreshToken: number;
}

/** What the emulator auto-approves: `false` (show the consent page), `true` (first identity) or an identity id. */
export type AutoApprove = boolean | string;

/** One token of a Globus token response (top level or an `other_tokens` entry). */
export interface TokenResponseEntry {
  access_token: string;
  scope: string;
  expires_in: number;
  token_type: "Bearer";
  resource_server: string;
  refresh_token?: string;
  id_token?: string;
  state?: string;
}

/** A Globus token response: the first token at the top level, one more per other resource server. */
export interface TokenResponse extends TokenResponseEntry {
  other_tokens: TokenResponseEntry[];
}

/** A consent as `GET /v2/api/identities/<id>/consents` shows it. */
export interface ConsentJson {
  id: number;
  client: string;
  scope: string;
  scope_name: string;
  effective_identity: string;
  dependency_path: number[];
  created: string;
  updated: string;
  last_used: string;
  status: "approved";
  allows_refresh: boolean;
  auto_approved: boolean;
  atomically_revocable: boolean;
}

/** Who a grant is for and how they signed in; shared by codes and tokens. */
export interface Grant {
  readonly clientId: string;
  /** Identity id, or the client id for client-credentials grants. */
  readonly subject: string;
  readonly mfa: boolean;
  /** Ids of the authentication policies the sign-in satisfied (`session_required_policies`). */
  readonly policies: readonly string[];
  /** Emulator-clock seconds of the sign-in (`last_authentication`). */
  readonly authTime: number;
}

/** @internal */
export interface AccessTokenRecord extends Grant {
  readonly token: string;
  readonly resourceServer: string;
  readonly scopes: readonly ScopeNode[];
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly refreshToken?: string | undefined;
}

/** @internal */
export interface RefreshTokenRecord extends Grant {
  readonly token: string;
  readonly resourceServer: string;
  readonly scopes: readonly ScopeNode[];
  readonly issuedAt: number;
  lastUsedAt: number;
}

/** @internal */
export interface AuthCodeRecord extends Grant {
  readonly code: string;
  readonly redirectUri: string;
  readonly codeChallenge: string | undefined;
  readonly scopes: readonly ScopeNode[];
  readonly offline: boolean;
  readonly state: string | undefined;
  readonly nonce: string | undefined;
  readonly expiresAt: number;
  used: boolean;
  readonly issued: string[];
}

/** @internal */
export interface ConsentRecord {
  readonly id: number;
  readonly identityId: string;
  readonly clientId: string;
  readonly scopeName: string;
  readonly parentId: number | null;
  readonly dependencyPath: readonly number[];
  readonly created: number;
  updated: number;
  lastUsed: number;
  allowsRefresh: boolean;
  autoApproved: boolean;
}

/** @internal The emulated browser's single sign-on session with one identity. */
export interface SignInSession {
  readonly authTime: number;
  readonly mfa: boolean;
  /** Every policy this identity's sign-ins have satisfied so far. */
  readonly policies: readonly string[];
}

/** @internal A consent page waiting for the user's decision. */
export interface AuthorizeTransaction {
  readonly id: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly ScopeNode[];
  readonly state: string | undefined;
  readonly nonce: string | undefined;
  readonly codeChallenge: string | undefined;
  readonly offline: boolean;
  readonly mfaRequired: boolean;
  readonly promptLogin: boolean;
  readonly allowedIdentities: readonly string[];
  readonly sessionMessage: string | undefined;
  readonly namedGrant: string | undefined;
  readonly policies: readonly string[];
  readonly expiresAt: number;
}

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

/** Thrown for an invalid client or identity registration. */
export class RegistrationError extends Error {
  override readonly name = "RegistrationError";
}

/** Authorization codes live ten minutes, like Globus's. */
export const CODE_LIFETIME = 600;
const TRANSACTION_LIFETIME = 1800;
const PRUNE_THRESHOLD = 2000;

const newSecret = (): string => randomBytes(36).toString("base64url");

/** @internal Everything the emulator knows; the HTTP layer and the control API share one instance. */
export class EmulatorState {
  issuer = "";
  clockOffset = 0;
  lifetimes: TokenLifetimes;
  autoApprove: AutoApprove;
  readonly rotateRefreshTokens: boolean;
  readonly clients = new Map<string, EmulatorClient>();
  readonly identities = new Map<string, EmulatorIdentity>();
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly codes = new Map<string, AuthCodeRecord>();
  readonly transactions = new Map<string, AuthorizeTransaction>();
  readonly sessions = new Map<string, SignInSession>();
  readonly requirements = new Map<string, CollectionRequirements>();
  consents: ConsentRecord[] = [];
  nextConsentId = 100001;
  globalRedirectUris: readonly string[] = [];
  /** A forgery the next id_token is issued as (then cleared); see {@link IdTokenForgery}. */
  idTokenForgery: IdTokenForgery | undefined;
  /** Called after every change worth persisting. */
  onChange: () => void = () => {};
  /** The fake Transfer API's collections, files, tasks, bookmarks, rules and roles. */
  readonly transfer = new TransferStore(
    () => this.now(),
    () => this.onChange(),
  );
  /** The fake Groups API's groups, memberships and identity preferences. */
  readonly groups = new GroupsStore(
    () => this.now(),
    () => this.onChange(),
  );
  /** The fake Search API's indices, entries, roles and tasks. */
  readonly search = new SearchStore(
    () => this.now(),
    () => this.onChange(),
  );
  /** The fake Flows API's flows and runs. */
  readonly flows = new FlowsStore(
    () => this.now(),
    () => this.onChange(),
  );
  /** The fake Timers API's timers. */
  readonly timers = new TimersStore(
    () => this.now(),
    () => this.onChange(),
  );
  /** The fake Compute API's functions and tasks. */
  readonly compute = new ComputeStore(
    () => this.now(),
    () => this.onChange(),
  );

  constructor(
    readonly signingKey: KeyObject,
    readonly keyId: string | undefined,
    options: { lifetimes: TokenLifetimes; autoApprove: AutoApprove; rotateRefreshTokens: boolean },
  ) {
    this.lifetimes = options.lifetimes;
    this.autoApprove = options.autoApprove;
    this.rotateRefreshTokens = options.rotateRefreshTokens;
  }

  /** Emulator clock, in (fractional) epoch seconds: real time plus the offset. */
  now(): number {
    return Date.now() / 1000 + this.clockOffset;
  }

  /** Whole seconds, for `iat`/`exp`. */
  nowSeconds(): number {
    return Math.floor(this.now());
  }

  registerClient(registration: ClientRegistration): EmulatorClient {
    const { id, secret, name, redirectUris } = registration as Partial<ClientRegistration>;
    if (typeof id !== "string" || id.length === 0 || id.length > 200 || /[:\s]/.test(id)) {
      throw new RegistrationError("client id must be a non-empty string without ':' or whitespace");
    }
    if (secret !== undefined && (typeof secret !== "string" || secret.length === 0 || secret.length > 500)) {
      throw new RegistrationError("client secret must be a non-empty string");
    }
    if (name !== undefined && typeof name !== "string")
      throw new RegistrationError("client name must be a string");
    const uris = redirectUris ?? [];
    if (!Array.isArray(uris) || !uris.every((uri) => typeof uri === "string" && isAbsoluteUrl(uri))) {
      throw new RegistrationError("redirectUris must be a list of absolute URLs");
    }
    const client: EmulatorClient = {
      id,
      type: secret === undefined ? "native" : "confidential",
      name: name ?? `App ${id}`,
      secret,
      redirectUris: [...uris],
    };
    this.clients.set(id, client);
    this.onChange();
    return client;
  }

  registerIdentity(registration: IdentityRegistration): EmulatorIdentity {
    const r = registration as Partial<IdentityRegistration>;
    if (typeof r.username !== "string" || !/^[^\s@]+@[^\s@]+$/.test(r.username) || r.username.length > 300) {
      throw new RegistrationError("identity username must look like user@domain");
    }
    if (r.id !== undefined && (typeof r.id !== "string" || !isUuid(r.id))) {
      throw new RegistrationError("identity id must be a UUID");
    }
    for (const key of ["name", "email", "organization"] as const) {
      const value = r[key];
      if (value !== undefined && value !== null && typeof value !== "string") {
        throw new RegistrationError(`identity ${key} must be a string or null`);
      }
    }
    for (const key of ["identityProvider", "identityProviderDisplayName"] as const) {
      const value = r[key];
      if (value !== undefined && typeof value !== "string")
        throw new RegistrationError(`identity ${key} must be a string`);
    }
    if (r.status !== undefined && r.status !== "used" && r.status !== "unused") {
      throw new RegistrationError('identity status must be "used" or "unused"');
    }
    const username = r.username.toLowerCase();
    const domain = domainOf(username);
    const identity: EmulatorIdentity = {
      id: (r.id ?? stableUuid("identity", username)).toLowerCase(),
      username,
      name: r.name === undefined ? username.slice(0, username.indexOf("@")) : r.name,
      email: r.email === undefined ? username : r.email,
      organization: r.organization ?? null,
      identityProvider: r.identityProvider ?? stableUuid("identity-provider", domain),
      identityProviderDisplayName: r.identityProviderDisplayName ?? domain,
      status: r.status ?? "used",
    };
    this.identities.set(identity.id, identity);
    this.onChange();
    return identity;
  }

  /** An identity by id or (case-insensitive) username. */
  findIdentity(idOrUsername: string): EmulatorIdentity | undefined {
    const key = idOrUsername.trim().toLowerCase();
    return (
      this.identities.get(key) ?? [...this.identities.values()].find((identity) => identity.username === key)
    );
  }

  /** The identity a grant's subject names: a person, or a client's own identity. */
  subjectIdentity(subject: string): EmulatorIdentity {
    const identity = this.identities.get(subject);
    if (identity) return identity;
    const client = this.clients.get(subject);
    return {
      id: subject,
      username: `${subject}@clients.auth.globus.org`,
      name: client?.name ?? null,
      email: null,
      organization: null,
      identityProvider: CLIENT_IDENTITY_PROVIDER,
      identityProviderDisplayName: "Globus Auth clients",
      status: "used",
    };
  }

  /** Claims shared by id_tokens and userinfo. */
  identityClaims(subject: string, authTime: number): Record<string, unknown> {
    const identity = this.subjectIdentity(subject);
    const lastAuthentication = Math.floor(authTime);
    const base = {
      ...(identity.organization === null ? {} : { organization: identity.organization }),
      name: identity.name,
      identity_provider: identity.identityProvider,
      identity_provider_display_name: identity.identityProviderDisplayName,
      email: identity.email,
    };
    return {
      sub: identity.id,
      ...base,
      preferred_username: identity.username,
      last_authentication: lastAuthentication,
      identity_set: [
        { sub: identity.id, username: identity.username, ...base, last_authentication: lastAuthentication },
      ],
    };
  }

  /**
   * Issues one access token per resource server for `scopes` (roots grouped by resource server,
   * auth.globus.org first), refresh tokens when `offline`, and an id_token when `openid` is
   * among the scopes.
   */
  issueTokens(
    grant: Grant,
    scopes: readonly ScopeNode[],
    options: {
      offline: boolean;
      state?: string | undefined;
      nonce?: string | undefined;
      issued?: string[];
    } = {
      offline: false,
    },
  ): TokenResponse {
    this.prune();
    const now = this.nowSeconds();
    const lifetime = this.lifetimes.accessToken;
    const entries: TokenResponseEntry[] = [];
    for (const [resourceServer, roots] of groupByResourceServer(scopes)) {
      const accessToken = newSecret();
      let refreshToken: string | undefined;
      if (options.offline) {
        refreshToken = newSecret();
        this.refreshTokens.set(refreshToken, {
          ...grantOf(grant),
          token: refreshToken,
          resourceServer,
          scopes: roots,
          issuedAt: now,
          lastUsedAt: now,
        });
        options.issued?.push(refreshToken);
      }
      this.accessTokens.set(accessToken, {
        ...grantOf(grant),
        token: accessToken,
        resourceServer,
        scopes: roots,
        issuedAt: now,
        expiresAt: now + lifetime,
        refreshToken,
      });
      options.issued?.push(accessToken);
      const entry: TokenResponseEntry = {
        access_token: accessToken,
        scope: roots.map((node) => node.scope).join(" "),
        expires_in: lifetime,
        token_type: "Bearer",
        resource_server: resourceServer,
      };
      if (refreshToken !== undefined) entry.refresh_token = refreshToken;
      if (resourceServer === AUTH_RESOURCE_SERVER && roots.some((node) => node.scope === "openid")) {
        entry.id_token = this.idToken(grant, accessToken, now, options.nonce);
      }
      if (options.state !== undefined) entry.state = options.state;
      entries.push(entry);
    }
    this.onChange();
    const [first, ...others] = entries;
    if (!first) throw new Error("issueTokens needs at least one scope");
    return { ...first, other_tokens: others };
  }

  /** Issues a new access token (and maybe a new refresh token) from a refresh token record. */
  refresh(record: RefreshTokenRecord): TokenResponse {
    const now = this.nowSeconds();
    const lifetime = this.lifetimes.accessToken;
    let refreshToken = record.token;
    if (this.rotateRefreshTokens) {
      this.refreshTokens.delete(record.token);
      refreshToken = newSecret();
      this.refreshTokens.set(refreshToken, { ...record, token: refreshToken, lastUsedAt: now });
    } else {
      record.lastUsedAt = now;
    }
    const accessToken = newSecret();
    this.accessTokens.set(accessToken, {
      ...grantOf(record),
      token: accessToken,
      resourceServer: record.resourceServer,
      scopes: record.scopes,
      issuedAt: now,
      expiresAt: now + lifetime,
      refreshToken,
    });
    const response: TokenResponse = {
      access_token: accessToken,
      scope: record.scopes.map((node) => node.scope).join(" "),
      expires_in: lifetime,
      token_type: "Bearer",
      resource_server: record.resourceServer,
      refresh_token: refreshToken,
      other_tokens: [],
    };
    if (
      record.resourceServer === AUTH_RESOURCE_SERVER &&
      record.scopes.some((node) => node.scope === "openid")
    ) {
      response.id_token = this.idToken(record, accessToken, now, undefined);
    }
    this.onChange();
    return response;
  }

  private idToken(grant: Grant, accessToken: string, now: number, nonce: string | undefined): string {
    const claims = {
      ...this.identityClaims(grant.subject, grant.authTime),
      iss: this.issuer,
      aud: grant.clientId,
      exp: now + this.lifetimes.accessToken,
      iat: now,
      at_hash: accessTokenHash(accessToken),
      ...(nonce === undefined ? {} : { nonce }),
    };
    const forgery = this.idTokenForgery;
    if (forgery !== undefined) {
      this.idTokenForgery = undefined;
      return forgeIdToken(this.signingKey, claims, forgery, this.keyId);
    }
    return signRs512Jwt(this.signingKey, claims, this.keyId);
  }

  /** The record of an access token that exists and has not expired on the emulator clock. */
  activeAccessToken(token: string | undefined): AccessTokenRecord | undefined {
    if (token === undefined) return undefined;
    const record = this.accessTokens.get(token);
    return record && record.expiresAt > this.now() ? record : undefined;
  }

  /** The record of a refresh token that exists and has been used recently enough. */
  activeRefreshToken(token: string): RefreshTokenRecord | undefined {
    const record = this.refreshTokens.get(token);
    return record && record.lastUsedAt + this.lifetimes.refreshToken > this.now() ? record : undefined;
  }

  /**
   * Revokes an access or refresh token (a refresh token takes its access tokens with it).
   * @returns `false` when the token is unknown or belongs to another client.
   */
  revokeToken(token: string, clientId: string | undefined): boolean {
    const access = this.accessTokens.get(token);
    if (access && (clientId === undefined || access.clientId === clientId)) {
      this.accessTokens.delete(token);
      this.onChange();
      return true;
    }
    const refresh = this.refreshTokens.get(token);
    if (refresh && (clientId === undefined || refresh.clientId === clientId)) {
      this.refreshTokens.delete(token);
      for (const [key, record] of this.accessTokens)
        if (record.refreshToken === token) this.accessTokens.delete(key);
      this.onChange();
      return true;
    }
    return false;
  }

  revokeAll(): RevokeAllResult {
    const result: RevokeAllResult = {
      accessTokens: this.accessTokens.size,
      refreshTokens: this.refreshTokens.size,
      authorizationCodes: this.codes.size,
      sessions: this.sessions.size,
    };
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.codes.clear();
    this.transactions.clear();
    this.sessions.clear();
    this.onChange();
    return result;
  }

  createCode(
    grant: Grant,
    details: Omit<AuthCodeRecord, keyof Grant | "code" | "expiresAt" | "used" | "issued">,
  ): string {
    this.prune();
    const code = newSecret();
    this.codes.set(code, {
      ...grantOf(grant),
      ...details,
      code,
      expiresAt: this.now() + CODE_LIFETIME,
      used: false,
      issued: [],
    });
    return code;
  }

  createTransaction(details: Omit<AuthorizeTransaction, "id" | "expiresAt">): AuthorizeTransaction {
    this.prune();
    const transaction = { ...details, id: randomUUID(), expiresAt: this.now() + TRANSACTION_LIFETIME };
    this.transactions.set(transaction.id, transaction);
    return transaction;
  }

  /**
   * Signs `identityId` in: reuses the emulated browser's session unless a fresh login is forced, or
   * MFA or a policy is required that the session has not satisfied. A fresh sign-in keeps what the
   * old session had satisfied (MFA and policies alike): the browser's session only ever gains.
   */
  signIn(
    identityId: string,
    options: { promptLogin: boolean; mfaRequired: boolean; policies: readonly string[] },
  ): SignInSession {
    const existing = this.sessions.get(identityId);
    if (
      existing &&
      !options.promptLogin &&
      (existing.mfa || !options.mfaRequired) &&
      options.policies.every((policy) => existing.policies.includes(policy))
    ) {
      // The map's order is the order of use: the consent page preselects the most recent identity.
      if ([...this.sessions.keys()].at(-1) !== identityId) {
        this.sessions.delete(identityId);
        this.sessions.set(identityId, existing);
        this.onChange();
      }
      return existing;
    }
    this.sessions.delete(identityId);
    const session = {
      authTime: this.nowSeconds(),
      mfa: options.mfaRequired || (existing?.mfa ?? false),
      policies: [...new Set([...(existing?.policies ?? []), ...options.policies])],
    };
    this.sessions.set(identityId, session);
    this.onChange();
    return session;
  }

  /** Records (merges) the consent trees a user granted to a client. */
  recordConsent(
    identityId: string,
    clientId: string,
    scopes: readonly ScopeNode[],
    options: { autoApproved: boolean; allowsRefresh: boolean },
  ): void {
    const now = this.nowSeconds();
    const place = (nodes: readonly ScopeNode[], parent: ConsentRecord | undefined): void => {
      for (const node of nodes) {
        let record = this.consents.find(
          (c) =>
            c.identityId === identityId &&
            c.clientId === clientId &&
            c.parentId === (parent?.id ?? null) &&
            c.scopeName === node.scope,
        );
        if (record) {
          record.updated = now;
          record.lastUsed = now;
          record.allowsRefresh ||= options.allowsRefresh;
        } else {
          const id = this.nextConsentId++;
          record = {
            id,
            identityId,
            clientId,
            scopeName: node.scope,
            parentId: parent?.id ?? null,
            dependencyPath: [...(parent?.dependencyPath ?? []), id],
            created: now,
            updated: now,
            lastUsed: now,
            allowsRefresh: options.allowsRefresh,
            autoApproved: options.autoApproved,
          };
          this.consents.push(record);
        }
        place(node.dependencies, record);
      }
    };
    place(scopes, undefined);
    this.onChange();
  }

  /** Consents of an identity, for one client or (when `clientId` is undefined) all of them. */
  consentsOf(identityId: string, clientId: string | undefined): ConsentJson[] {
    return this.consents
      .filter((c) => c.identityId === identityId && (clientId === undefined || c.clientId === clientId))
      .map((c) => ({
        id: c.id,
        client: c.clientId,
        scope: stableUuid("scope", c.scopeName),
        scope_name: c.scopeName,
        effective_identity: c.identityId,
        dependency_path: [...c.dependencyPath],
        created: isoTime(c.created),
        updated: isoTime(c.updated),
        last_used: isoTime(c.lastUsed),
        status: "approved",
        allows_refresh: c.allowsRefresh,
        auto_approved: c.autoApproved,
        atomically_revocable: c.parentId !== null,
      }));
  }

  /** `true` when the identity consented, for the client, to `root` with `dependency` directly under it. */
  hasConsentedDependency(identityId: string, clientId: string, root: string, dependency: string): boolean {
    return this.consents.some(
      (parent) =>
        parent.identityId === identityId &&
        parent.clientId === clientId &&
        parent.parentId === null &&
        parent.scopeName === root &&
        this.consents.some((child) => child.parentId === parent.id && child.scopeName === dependency),
    );
  }

  /** Drops expired codes, transactions and tokens once there are many, so a long demo does not grow forever. */
  private prune(): void {
    const now = this.now();
    if (this.codes.size > PRUNE_THRESHOLD) {
      for (const [key, code] of this.codes) if (code.expiresAt + CODE_LIFETIME < now) this.codes.delete(key);
    }
    if (this.transactions.size > PRUNE_THRESHOLD) {
      for (const [key, t] of this.transactions) if (t.expiresAt < now) this.transactions.delete(key);
    }
    if (this.accessTokens.size > PRUNE_THRESHOLD) {
      for (const [key, t] of this.accessTokens) if (t.expiresAt < now) this.accessTokens.delete(key);
    }
  }
}

const grantOf = (grant: Grant): Grant => ({
  clientId: grant.clientId,
  subject: grant.subject,
  mfa: grant.mfa,
  policies: grant.policies,
  authTime: grant.authTime,
});

/** Top-level scopes grouped by resource server, auth.globus.org first, then in request order. */
export function groupByResourceServer(scopes: readonly ScopeNode[]): Map<string, ScopeNode[]> {
  const groups = new Map<string, ScopeNode[]>();
  for (const node of mergeScopeNodes(scopes)) {
    const resourceServer = resourceServerForScope(node.scope);
    if (resourceServer === undefined) throw new Error(`unknown scope ${node.scope}`);
    const group = groups.get(resourceServer) ?? [];
    group.push(node);
    groups.set(resourceServer, group);
  }
  const auth = groups.get(AUTH_RESOURCE_SERVER);
  if (!auth) return groups;
  groups.delete(AUTH_RESOURCE_SERVER);
  return new Map([[AUTH_RESOURCE_SERVER, auth], ...groups]);
}

/** The part of a username after the last `@`, lower-cased. */
export function domainOf(username: string): string {
  return username.slice(username.lastIndexOf("@") + 1).toLowerCase();
}

function isAbsoluteUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
