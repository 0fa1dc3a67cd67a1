import { type KeyObject, randomBytes } from "node:crypto";
import { accessTokenHash, forgeIdToken, type IdTokenForgery, signRs512Jwt } from "./id-token-signer.ts";
import { AUTH_RESOURCE_SERVER, resourceServerForScope } from "./scope-registry.ts";
import { mergeScopeNodes, type ScopeNode } from "./scope-tree.ts";

/** Token lifetimes in seconds. */
export interface TokenLifetimes {
  /** Access token lifetime (`expires_in`); default 172800 (two days), like Globus. */
  readonly accessToken: number;
  /** How long a refresh token may go unused; default 15552000 (180 days), like Globus. */
  readonly refreshToken: number;
}

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

/** @internal Options of {@link TokenStore.issueTokens}. */
export interface IssueOptions {
  /** Also issue refresh tokens (`access_type=offline`). */
  readonly offline: boolean;
  /** The authorize request's `state`, echoed in each entry. */
  readonly state?: string | undefined;
  /** The authorize request's `nonce`, echoed in the id_token. */
  readonly nonce?: string | undefined;
  /** Receives every token issued, so that a replayed code can withdraw them. */
  readonly issued?: string[];
}

/** @internal What a {@link TokenStore} needs from the emulator around it. */
export interface TokenStoreOptions {
  /** The emulator clock, in fractional epoch seconds. */
  readonly now: () => number;
  /** Called after every change worth persisting. */
  readonly changed: () => void;
  /** The id_token `iss`, known once the emulator listens. */
  readonly issuer: () => string;
  /** The identity claims of a grant's subject, for id_tokens. */
  readonly identityClaims: (subject: string, authTime: number) => Record<string, unknown>;
  readonly signingKey: KeyObject;
  readonly keyId: string | undefined;
  readonly lifetimes: TokenLifetimes;
  readonly rotateRefreshTokens: boolean;
}

/** Authorization codes live ten minutes, like Globus's. */
export const CODE_LIFETIME = 600;

const newSecret = (): string => randomBytes(36).toString("base64url");

/**
 * @internal What the emulator has handed out: access tokens (one per resource server), refresh
 * tokens, and authorization codes waiting to be exchanged; it issues, refreshes, signs id_tokens
 * for and revokes them. Expired records stay until {@link TokenStore.prune} drops them.
 */
export class TokenStore {
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly codes = new Map<string, AuthCodeRecord>();
  lifetimes: TokenLifetimes;
  readonly rotateRefreshTokens: boolean;
  /** A forgery the next id_token is issued as (then cleared); see {@link IdTokenForgery}. */
  idTokenForgery: IdTokenForgery | undefined;
  readonly #options: TokenStoreOptions;

  constructor(options: TokenStoreOptions) {
    this.#options = options;
    this.lifetimes = options.lifetimes;
    this.rotateRefreshTokens = options.rotateRefreshTokens;
  }

  /**
   * Issues one access token per resource server for `scopes` (roots grouped by resource server,
   * auth.globus.org first), refresh tokens when `offline`, and an id_token when `openid` is
   * among the scopes.
   */
  issueTokens(grant: Grant, scopes: readonly ScopeNode[], options: IssueOptions): TokenResponse {
    const now = Math.floor(this.#options.now());
    const entries = [...groupByResourceServer(scopes)].map(([resourceServer, roots]) =>
      this.#issueOne(grant, resourceServer, roots, now, options),
    );
    this.#options.changed();
    const [first, ...others] = entries;
    if (!first) throw new Error("issueTokens needs at least one scope");
    return { ...first, other_tokens: others };
  }

  /** The tokens of one resource server, recorded, as their token response entry. */
  #issueOne(
    grant: Grant,
    resourceServer: string,
    roots: ScopeNode[],
    now: number,
    options: IssueOptions,
  ): TokenResponseEntry {
    const lifetime = this.lifetimes.accessToken;
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
    if (wantsIdToken(resourceServer, roots)) {
      entry.id_token = this.#idToken(grant, accessToken, now, options.nonce);
    }
    if (options.state !== undefined) entry.state = options.state;
    return entry;
  }

  /** Issues a new access token (and maybe a new refresh token) from a refresh token record. */
  refresh(record: RefreshTokenRecord): TokenResponse {
    const now = Math.floor(this.#options.now());
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
    if (wantsIdToken(record.resourceServer, record.scopes)) {
      response.id_token = this.#idToken(record, accessToken, now, undefined);
    }
    this.#options.changed();
    return response;
  }

  #idToken(grant: Grant, accessToken: string, now: number, nonce: string | undefined): string {
    const { signingKey, keyId } = this.#options;
    const claims = {
      ...this.#options.identityClaims(grant.subject, grant.authTime),
      iss: this.#options.issuer(),
      aud: grant.clientId,
      exp: now + this.lifetimes.accessToken,
      iat: now,
      at_hash: accessTokenHash(accessToken),
      ...(nonce === undefined ? {} : { nonce }),
    };
    const forgery = this.idTokenForgery;
    if (forgery !== undefined) {
      this.idTokenForgery = undefined;
      return forgeIdToken(signingKey, claims, forgery, keyId);
    }
    return signRs512Jwt(signingKey, claims, keyId);
  }

  /** The record of an access token that exists and has not expired on the emulator clock. */
  activeAccessToken(token: string | undefined): AccessTokenRecord | undefined {
    if (token === undefined) return undefined;
    const record = this.accessTokens.get(token);
    return record && record.expiresAt > this.#options.now() ? record : undefined;
  }

  /** The record of a refresh token that exists and has been used recently enough. */
  activeRefreshToken(token: string): RefreshTokenRecord | undefined {
    const record = this.refreshTokens.get(token);
    return record && record.lastUsedAt + this.lifetimes.refreshToken > this.#options.now()
      ? record
      : undefined;
  }

  /**
   * Revokes an access or refresh token (a refresh token takes its access tokens with it).
   * @returns `false` when the token is unknown or belongs to another client.
   */
  revokeToken(token: string, clientId: string | undefined): boolean {
    const access = this.accessTokens.get(token);
    if (access && (clientId === undefined || access.clientId === clientId)) {
      this.accessTokens.delete(token);
      this.#options.changed();
      return true;
    }
    const refresh = this.refreshTokens.get(token);
    if (refresh && (clientId === undefined || refresh.clientId === clientId)) {
      this.refreshTokens.delete(token);
      for (const [key, record] of this.accessTokens)
        if (record.refreshToken === token) this.accessTokens.delete(key);
      this.#options.changed();
      return true;
    }
    return false;
  }

  /** A new authorization code for `grant`, valid for {@link CODE_LIFETIME} seconds. */
  createCode(
    grant: Grant,
    details: Omit<AuthCodeRecord, keyof Grant | "code" | "expiresAt" | "used" | "issued">,
  ): string {
    const code = newSecret();
    this.codes.set(code, {
      ...grantOf(grant),
      ...details,
      code,
      expiresAt: this.#options.now() + CODE_LIFETIME,
      used: false,
      issued: [],
    });
    return code;
  }

  /** Forgets every token and code. */
  clear(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.codes.clear();
  }

  /** Drops expired codes and access tokens once there are more than `threshold` of them. */
  prune(threshold: number): void {
    const now = this.#options.now();
    if (this.codes.size > threshold) {
      for (const [key, code] of this.codes) if (code.expiresAt + CODE_LIFETIME < now) this.codes.delete(key);
    }
    if (this.accessTokens.size > threshold) {
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

/** An auth.globus.org token for `openid` comes with an id_token. */
const wantsIdToken = (resourceServer: string, scopes: readonly ScopeNode[]): boolean =>
  resourceServer === AUTH_RESOURCE_SERVER && scopes.some((node) => node.scope === "openid");

/** Top-level scopes grouped by resource server, auth.globus.org first, then in request order. */
function groupByResourceServer(scopes: readonly ScopeNode[]): Map<string, ScopeNode[]> {
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
