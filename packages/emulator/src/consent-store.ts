import { randomUUID } from "node:crypto";
import { ClockedStore } from "./clocked-store.ts";
import { isoTime } from "./iso-time.ts";
import type { ScopeNode } from "./scope-tree.ts";
import { stableUuid } from "./stable-uuid.ts";

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

const TRANSACTION_LIFETIME = 1800;

/**
 * @internal What people have consented to, per identity and client, as trees of scope nodes (one
 * record per node, with its dependency path), and the consent pages still waiting for an answer.
 */
export class ConsentStore extends ClockedStore {
  consents: ConsentRecord[] = [];
  nextConsentId = 100001;
  readonly transactions = new Map<string, AuthorizeTransaction>();

  /** Records (merges) the consent trees a user granted to a client. */
  recordConsent(
    identityId: string,
    clientId: string,
    scopes: readonly ScopeNode[],
    options: { autoApproved: boolean; allowsRefresh: boolean },
  ): void {
    const now = this.now();
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
    this.changed();
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
    return this.hasConsentedPath(identityId, clientId, [root, dependency]);
  }

  /**
   * `true` when the identity consented, for the client, to `path[0]` at the top, with `path[1]`
   * directly under it, `path[2]` under that, and so on (e.g. a flow's `user` scope → `transfer:all`
   * → a collection's `data_access`).
   */
  hasConsentedPath(identityId: string, clientId: string, path: readonly string[]): boolean {
    const [root, ...below] = path;
    let level = this.consents.filter(
      (c) =>
        c.identityId === identityId && c.clientId === clientId && c.parentId === null && c.scopeName === root,
    );
    for (const scope of below) {
      const parents = new Set(level.map((c) => c.id));
      level = this.consents.filter(
        (c) => c.parentId !== null && parents.has(c.parentId) && c.scopeName === scope,
      );
    }
    return level.length > 0;
  }

  /** A consent page's transaction, answerable for half an hour. */
  createTransaction(details: Omit<AuthorizeTransaction, "id" | "expiresAt">): AuthorizeTransaction {
    const transaction = { ...details, id: randomUUID(), expiresAt: this.exactNow() + TRANSACTION_LIFETIME };
    this.transactions.set(transaction.id, transaction);
    return transaction;
  }

  /** Drops expired transactions once there are more than `threshold` of them. */
  prune(threshold: number): void {
    const now = this.exactNow();
    if (this.transactions.size > threshold) {
      for (const [key, t] of this.transactions) if (t.expiresAt < now) this.transactions.delete(key);
    }
  }
}
