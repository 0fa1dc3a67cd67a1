import { randomBytes } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import type { EmulatorClient, EmulatorIdentity } from "./client-identity-registry.ts";
import type { ComputeSnapshot } from "./compute-store.ts";
import type { ConsentRecord } from "./consent-store.ts";
import type { EmulatorState } from "./emulator-state.ts";
import type { FlowsSnapshot } from "./flows-store.ts";
import type { GroupsSnapshot } from "./groups-store.ts";
import { exportPrivateJwk, type PrivateJwk } from "./id-token-signer.ts";
import type { ScopeNode } from "./scope-tree.ts";
import type { SearchSnapshot } from "./search-store.ts";
import type { SignInSession } from "./session-store.ts";
import type { TimersSnapshot } from "./timers-store.ts";
import type { AccessTokenRecord, RefreshTokenRecord } from "./token-store.ts";
import type { TransferSnapshot } from "./transfer-store.ts";

const FORMAT = "globus-auth-emulator-state";

/** Files written before policies were emulated lack `policies`; loading reads that as none. */
type Stored<T extends { readonly policies: readonly string[] }> = Omit<T, "policies"> & {
  readonly policies?: readonly string[];
};

/** @internal What a state file holds (version 1). */
export interface StateSnapshot {
  format: typeof FORMAT;
  version: 1;
  signingKey: PrivateJwk;
  clients: EmulatorClient[];
  identities: EmulatorIdentity[];
  consents: ConsentRecord[];
  nextConsentId: number;
  accessTokens: Stored<AccessTokenRecord>[];
  refreshTokens: Stored<RefreshTokenRecord>[];
  sessions: Record<string, Stored<SignInSession>>;
  /** The fake Transfer's files, tasks, bookmarks, rules and roles; absent in files of older emulators. */
  transfer?: TransferSnapshot;
  /** The fake Groups' groups, memberships and preferences; absent in files of older emulators. */
  groups?: GroupsSnapshot;
  /** The fake Search's indices, entries, roles and tasks; absent in files of older emulators. */
  search?: SearchSnapshot;
  /** The fake Flows' flows and runs; absent in files of older emulators. */
  flows?: FlowsSnapshot;
  /** The fake Timers' timers; absent in files of older emulators. */
  timers?: TimersSnapshot;
  /** The fake Compute's functions and tasks; absent in files of older emulators. */
  compute?: ComputeSnapshot;
}

/** Thrown when a state file exists but cannot be used; the emulator never overwrites such a file. */
export class StateFileError extends Error {
  override readonly name = "StateFileError";
}

/** @internal Reads a state file; `undefined` when there is none yet. */
export function readStateFile(path: string): StateSnapshot | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new StateFileError(`cannot read state file ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new StateFileError(`state file ${path} is not valid JSON`);
  }
  if (!isSnapshot(data))
    throw new StateFileError(`state file ${path} is not a globus-auth-emulator state file`);
  return data;
}

/**
 * @internal Writes a state file atomically (temporary file, fsync, rename) with mode 0600: it holds
 * tokens and the signing key.
 */
export function writeStateFile(path: string, snapshot: StateSnapshot): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    const fd = openSync(temporary, "w", 0o600);
    try {
      writeSync(fd, `${JSON.stringify(snapshot)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** @internal The persistent part of the state. */
export function snapshotOf(state: EmulatorState): StateSnapshot {
  return {
    format: FORMAT,
    version: 1,
    signingKey: exportPrivateJwk(state.signingKey),
    clients: [...state.clients.values()],
    identities: [...state.identities.values()],
    consents: state.consents,
    nextConsentId: state.nextConsentId,
    accessTokens: [...state.accessTokens.values()],
    refreshTokens: [...state.refreshTokens.values()],
    sessions: Object.fromEntries(state.sessions),
    transfer: state.transfer.snapshot(),
    groups: state.groups.snapshot(),
    search: state.search.snapshot(),
    flows: state.flows.snapshot(),
    timers: state.timers.snapshot(),
    compute: state.compute.snapshot(),
  };
}

/** @internal Loads a snapshot's records into a fresh state (the signing key is loaded by the caller). */
export function applySnapshot(state: EmulatorState, snapshot: StateSnapshot): void {
  for (const client of snapshot.clients) {
    state.registerClient({
      id: client.id,
      secret: client.secret,
      name: client.name,
      redirectUris: client.redirectUris,
    });
  }
  for (const identity of snapshot.identities) state.registerIdentity(identity);
  state.consents = snapshot.consents;
  state.nextConsentId = snapshot.nextConsentId;
  for (const record of snapshot.accessTokens) state.accessTokens.set(record.token, withPolicies(record));
  for (const record of snapshot.refreshTokens) state.refreshTokens.set(record.token, withPolicies(record));
  for (const [identityId, session] of Object.entries(snapshot.sessions))
    state.sessions.set(identityId, withPolicies(session));
  if (snapshot.transfer) state.transfer.restore(snapshot.transfer);
  if (snapshot.groups) state.groups.restore(snapshot.groups);
  if (snapshot.search) state.search.restore(snapshot.search);
  if (snapshot.flows) state.flows.restore(snapshot.flows);
  if (snapshot.timers) state.timers.restore(snapshot.timers);
  if (snapshot.compute) state.compute.restore(snapshot.compute);
}

const withPolicies = <T extends { readonly policies: readonly string[] }>(record: Stored<T>): T =>
  ({ ...record, policies: record.policies ?? [] }) as T;

// Structural checks only: enough that a hand-edited or truncated file fails loudly at start-up
// instead of crashing a request later.
type Check = (value: unknown) => boolean;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const str: Check = (v) => typeof v === "string";
const num: Check = (v) => typeof v === "number" && Number.isFinite(v);
const bool: Check = (v) => typeof v === "boolean";
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v);
const nullable =
  (check: Check): Check =>
  (v) =>
    v === null || check(v);
const listOf =
  (check: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(check);
const shape =
  (fields: Record<string, Check>): Check =>
  (v) =>
    isObject(v) && Object.entries(fields).every(([key, check]) => check(v[key]));
const scopeNode: Check = (v) =>
  shape({ scope: str, optional: bool, dependencies: listOf(scopeNode) })(v as ScopeNode);
const policies = optional(listOf(str));
const grant = { clientId: str, subject: str, mfa: bool, policies, authTime: num };
/** What access and refresh token records share. */
const issuedToken = { ...grant, token: str, resourceServer: str, scopes: listOf(scopeNode), issuedAt: num };

const isSnapshot = shape({
  format: (v) => v === FORMAT,
  version: (v) => v === 1,
  signingKey: shape({
    kty: (v) => v === "RSA",
    n: str,
    e: str,
    d: str,
    p: str,
    q: str,
    dp: str,
    dq: str,
    qi: str,
  }),
  clients: listOf(shape({ id: str, name: optional(str), secret: optional(str), redirectUris: listOf(str) })),
  identities: listOf(shape({ id: str, username: str, name: nullable(str), email: nullable(str) })),
  consents: listOf(
    shape({
      id: num,
      identityId: str,
      clientId: str,
      scopeName: str,
      parentId: nullable(num),
      dependencyPath: listOf(num),
      created: num,
      updated: num,
      lastUsed: num,
      allowsRefresh: bool,
      autoApproved: bool,
    }),
  ),
  nextConsentId: num,
  accessTokens: listOf(shape({ ...issuedToken, expiresAt: num })),
  refreshTokens: listOf(shape({ ...issuedToken, lastUsedAt: num })),
  sessions: (v) => isObject(v) && Object.values(v).every(shape({ authTime: num, mfa: bool, policies })),
  transfer: optional(
    shape({
      trees: isObject,
      submissionIds: listOf(str),
      tasks: listOf(
        shape({ id: str, type: str, owner: str, submissionId: str, status: str, document: isObject }),
      ),
      bookmarks: listOf(shape({ id: str, owner: str, name: str, endpointId: str, path: str })),
      rules: (v) =>
        isObject(v) && Object.values(v).every(listOf(shape({ id: str, path: str, permissions: str }))),
      roles: (v) =>
        isObject(v) && Object.values(v).every(listOf(shape({ id: str, principal: str, role: str }))),
      edits: isObject,
    }),
  ),
  groups: optional(
    shape({
      groups: listOf(
        shape({
          id: str,
          name: str,
          description: nullable(str),
          parentId: nullable(str),
          created: num,
          policies: shape({ group_visibility: str, group_members_visibility: str, join_requests: bool }),
          subscriptionAdminVerifiedId: nullable(str),
          memberships: listOf(
            shape({ identityId: str, role: str, status: str, membershipFields: isObject, updated: num }),
          ),
        }),
      ),
      preferences: (v) => isObject(v) && Object.values(v).every(shape({ allow_add: bool })),
    }),
  ),
  search: optional(
    shape({
      indices: listOf(
        shape({
          id: str,
          displayName: str,
          description: str,
          created: num,
          status: str,
          deleteAt: nullable(num),
          roles: listOf(shape({ id: str, principal: str, principalType: str, roleName: str, created: num })),
          entries: listOf(
            shape({ subject: str, entryId: nullable(str), content: isObject, visibleTo: listOf(str) }),
          ),
        }),
      ),
      tasks: listOf(
        shape({
          id: str,
          indexId: str,
          taskType: str,
          state: str,
          created: num,
          runsAt: num,
          work: isObject,
        }),
      ),
    }),
  ),
  flows: optional(
    shape({
      flows: listOf(
        shape({
          id: str,
          title: str,
          owner: str,
          definition: isObject,
          inputSchema: isObject,
          created: num,
          updated: num,
        }),
      ),
      runs: listOf(
        shape({
          id: str,
          flowId: str,
          owner: str,
          label: str,
          body: isObject,
          definition: isObject,
          started: num,
          cancelledAt: nullable(num),
          clientId: optional(str),
          pauses: optional(listOf(shape({ state: str, at: num, until: nullable(num), collection: str }))),
        }),
      ),
    }),
  ),
  timers: optional(
    shape({
      timers: listOf(
        shape({
          id: str,
          owner: str,
          name: str,
          schedule: isObject,
          body: isObject,
          status: str,
          submitted: num,
          resumedAt: nullable(num),
          runs: listOf(shape({ ranAt: num, taskId: str })),
        }),
      ),
    }),
  ),
  compute: optional(
    shape({
      functions: listOf(shape({ id: str, owner: str, name: str, code: str, public: bool, created: num })),
      tasks: listOf(
        shape({ id: str, owner: str, functionId: str, endpointId: str, taskGroupId: str, submitted: num }),
      ),
    }),
  ),
}) as (value: unknown) => value is StateSnapshot;
