import type { EmulatorClient, EmulatorIdentity } from "./client-identity-registry.ts";
import type { ConsentJson } from "./consent-store.ts";
import type {
  AutoApprove,
  CollectionRequirements,
  EmulatorState,
  RevokeAllResult,
} from "./emulator-state.ts";
import type { ActiveFault, FaultInjector, FaultSpec } from "./faults.ts";
import { ID_TOKEN_FORGERIES, type IdTokenForgery } from "./id-token-signer.ts";
import { parseRequestedScopes } from "./parse-requested-scopes.ts";
import type { RequestLog, RequestLogEntry } from "./request-log.ts";
import type { ClientRegistration, IdentityRegistration } from "./sample-data.ts";
import type { TokenLifetimes, TokenResponse } from "./token-store.ts";

/** Thrown by a control call with invalid arguments (HTTP control routes answer 400). */
export class ControlError extends Error {
  override readonly name = "ControlError";
}

/** Arguments of {@link EmulatorControl.issueTokens}. */
export interface IssueTokensRequest {
  /** A registered client. */
  readonly clientId: string;
  /** Scope string (dependencies allowed), e.g. `"openid urn:globus:auth:scope:transfer.api.globus.org:all"`. */
  readonly scope: string;
  /**
   * Identity id or username; default the first registered identity. Pass the client id itself for
   * a client-credentials style token.
   */
  readonly identity?: string | undefined;
  /** Also issue refresh tokens (like `access_type=offline`); default `false`. */
  readonly refreshTokens?: boolean | undefined;
  /** Whether the tokens count as coming from an MFA login (exactly this, whatever the session was); default `false`. */
  readonly mfa?: boolean | undefined;
  /** Ids of the authentication policies the tokens count as satisfying (exactly these); default none. */
  readonly policies?: readonly string[] | undefined;
}

/**
 * Test controls of a running emulator (also reachable over HTTP under `/_emulator/`).
 */
export interface EmulatorControl {
  /** Registers (or replaces) a client. @throws {RegistrationError} for an invalid registration. */
  registerClient(client: ClientRegistration): EmulatorClient;
  /** Registers (or replaces) an identity. @throws {RegistrationError} for an invalid registration. */
  registerIdentity(identity: IdentityRegistration): EmulatorIdentity;
  /** Changes token lifetimes (seconds) for tokens issued from now on; returns the new lifetimes. */
  setTokenLifetimes(lifetimes: Partial<TokenLifetimes>): TokenLifetimes;
  /** Moves the emulator clock forward (or back, if negative); returns the new now in epoch seconds. */
  advanceClock(seconds: number): number;
  /** Puts the emulator clock back on real time; returns now. */
  resetClock(): number;
  /** The emulator clock in epoch seconds (fractional). */
  now(): number;
  /** Revokes every access token, refresh token, unused code, pending consent page and sign-in session. */
  revokeAll(): RevokeAllResult;
  /** Makes the fake Transfer API demand an MFA login for a collection. */
  requireMfa(collectionId: string): void;
  /** Makes the fake Transfer API demand `data_access` consent (under transfer:all) for a collection. */
  requireDataAccess(collectionId: string): void;
  /**
   * Makes the fake Transfer API demand a sign-in that satisfied every one of these authentication
   * policies (`session_required_policies`) for a collection; adds to any it already demands.
   * @throws {ControlError} unless `policyIds` is a non-empty list of 1–128 character strings.
   */
  requirePolicies(collectionId: string, policyIds: readonly string[]): void;
  /** Clears the requirements of one collection, or of all. */
  clearRequirements(collectionId?: string): void;
  /** The configured collection requirements. */
  requirements(): CollectionRequirements[];
  /** `false`: show the consent page; `true`: approve as the first identity; an identity id or username. */
  setAutoApprove(autoApprove: AutoApprove): void;
  /** Queues a fault for the next requests of an endpoint. @throws {FaultSpecError} for an invalid spec. */
  injectFault(fault: FaultSpec): ActiveFault;
  /** Drops every queued fault. */
  clearFaults(): void;
  /** The queued faults. */
  faults(): ActiveFault[];
  /** Requests per endpoint name (`token` and `token:<grant_type>` both count) since the last reset. */
  requestCounts(): Record<string, number>;
  /** The last `limit` requests (default: all kept, see `requestLogSize`), oldest first, secrets redacted. */
  requestLog(limit?: number): RequestLogEntry[];
  /** Zeroes the request counts and empties the request log. */
  resetCounts(): void;
  /** Mints tokens directly, as if the identity had consented; same JSON as the token endpoint. */
  issueTokens(request: IssueTokensRequest): TokenResponse;
  /** Consents of an identity (for one client, or all). */
  consents(identityId: string, clientId?: string): ConsentJson[];
  /**
   * Makes the next id_token the emulator issues (code exchange or refresh) an unacceptable one, to
   * test that clients refuse it; later id_tokens are good again. `undefined` cancels a pending one.
   * @throws {ControlError} for an unknown forgery.
   */
  forgeNextIdToken(forgery: IdTokenForgery | undefined): void;
}

const checkCollection = (collectionId: unknown): string => {
  if (typeof collectionId !== "string" || !/^[\x21-\x7e]{1,200}$/.test(collectionId)) {
    throw new ControlError("collectionId must be a non-empty string");
  }
  return collectionId.toLowerCase();
};

const checkPolicies = (policyIds: unknown): string[] => {
  if (
    !Array.isArray(policyIds) ||
    !policyIds.every((id) => typeof id === "string" && id.length > 0 && id.length <= 128)
  ) {
    throw new ControlError(
      "policies must be a list of policy ids (non-empty strings of at most 128 characters)",
    );
  }
  return [...new Set(policyIds as string[])];
};

const checkSeconds = (value: unknown, what: string, min: number): number => {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > 1e10) {
    throw new ControlError(
      `${what} must be a finite number of seconds${min > Number.NEGATIVE_INFINITY ? ` ≥ ${min}` : ""}`,
    );
  }
  return value;
};

/** @internal Resolves an auto-approve setting against the registered identities. */
export function resolveAutoApprove(state: EmulatorState, value: unknown): AutoApprove {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const identity = state.findIdentity(value);
    if (!identity) throw new ControlError(`unknown identity ${value}`);
    return identity.id;
  }
  throw new ControlError("autoApprove must be true, false or an identity id or username");
}

/** @internal The test controls of one emulator: its state, its fault queue and its request log. */
export function createControl(state: EmulatorState, faults: FaultInjector, log: RequestLog): EmulatorControl {
  return {
    registerClient: (client) => state.registerClient(client),
    registerIdentity: (identity) => state.registerIdentity(identity),
    ...clockControls(state),
    revokeAll: () => state.revokeAll(),
    ...requirementControls(state),
    setAutoApprove(autoApprove) {
      state.autoApprove = resolveAutoApprove(state, autoApprove);
    },
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    faults: () => faults.list(),
    requestCounts: () => log.requestCounts(),
    requestLog: (limit) => log.recent(limit),
    resetCounts: () => log.reset(),
    issueTokens: (request) => issueTokensDirectly(state, request),
    consents: (identityId, clientId) => state.consentsOf(identityId.toLowerCase(), clientId),
    forgeNextIdToken(forgery) {
      if (forgery !== undefined && !ID_TOKEN_FORGERIES.includes(forgery)) {
        throw new ControlError(`forgery must be one of ${ID_TOKEN_FORGERIES.join(", ")}`);
      }
      state.idTokenForgery = forgery;
    },
  };
}

/** The controls of time: token lifetimes and the emulator clock. */
function clockControls(
  state: EmulatorState,
): Pick<EmulatorControl, "setTokenLifetimes" | "advanceClock" | "resetClock" | "now"> {
  return {
    setTokenLifetimes(lifetimes) {
      const accessToken = lifetimes.accessToken ?? state.lifetimes.accessToken;
      const refreshToken = lifetimes.refreshToken ?? state.lifetimes.refreshToken;
      state.lifetimes = {
        accessToken: Math.floor(checkSeconds(accessToken, "accessToken", 1)),
        refreshToken: Math.floor(checkSeconds(refreshToken, "refreshToken", 1)),
      };
      return { ...state.lifetimes };
    },
    advanceClock(seconds) {
      state.clockOffset += checkSeconds(seconds, "seconds", Number.NEGATIVE_INFINITY);
      return state.now();
    },
    resetClock() {
      state.clockOffset = 0;
      return state.now();
    },
    now: () => state.now(),
  };
}

/** The controls of what the fake Transfer demands of a collection's callers. */
function requirementControls(
  state: EmulatorState,
): Pick<
  EmulatorControl,
  "requireMfa" | "requireDataAccess" | "requirePolicies" | "clearRequirements" | "requirements"
> {
  const setRequirement = (
    collectionId: unknown,
    change: (current: CollectionRequirements) => Partial<CollectionRequirements>,
  ): void => {
    const id = checkCollection(collectionId);
    const current = state.requirements.get(id) ?? {
      collectionId: id,
      mfa: false,
      dataAccess: false,
      policies: [],
    };
    state.requirements.set(id, { ...current, ...change(current) });
  };
  return {
    requireMfa: (collectionId) => setRequirement(collectionId, () => ({ mfa: true })),
    requireDataAccess: (collectionId) => setRequirement(collectionId, () => ({ dataAccess: true })),
    requirePolicies(collectionId, policyIds) {
      const policies = checkPolicies(policyIds);
      if (policies.length === 0) throw new ControlError("policies must name at least one policy");
      setRequirement(collectionId, (current) => ({
        policies: [...new Set([...current.policies, ...policies])],
      }));
    },
    clearRequirements(collectionId) {
      if (collectionId === undefined) state.requirements.clear();
      else state.requirements.delete(checkCollection(collectionId));
    },
    requirements: () =>
      [...state.requirements.values()].map((requirement) => ({
        ...requirement,
        policies: [...requirement.policies],
      })),
  };
}

/**
 * {@link EmulatorControl.issueTokens}: records the consent and signs the identity in (or, for the
 * client itself, just the time), then issues tokens with exactly the MFA flag and policies asked
 * for, whatever the emulated browser's session remembers.
 */
function issueTokensDirectly(state: EmulatorState, request: IssueTokensRequest): TokenResponse {
  const {
    clientId,
    scope,
    identity,
    refreshTokens,
    mfa,
    policies: policyIds = [],
  } = request as Partial<IssueTokensRequest>;
  const policies = checkPolicies(policyIds);
  if (typeof clientId !== "string" || !state.clients.has(clientId))
    throw new ControlError("unknown clientId");
  const scopes = parseRequestedScopes(typeof scope === "string" ? scope : null);
  if (typeof scopes === "string") throw new ControlError(scopes);
  const subject = subjectOf(state, clientId, identity);
  const offline = refreshTokens === true;
  state.recordConsent(subject, clientId, scopes, { autoApproved: true, allowsRefresh: offline });
  const authTime =
    subject === clientId
      ? state.nowSeconds()
      : state.signIn(subject, { promptLogin: false, mfaRequired: mfa === true, policies }).authTime;
  return state.issueTokens({ clientId, subject, mfa: mfa === true, policies, authTime }, scopes, {
    offline,
  });
}

/** Whom tokens are issued to: the first identity by default, the client itself, or a named identity. */
function subjectOf(state: EmulatorState, clientId: string, identity: unknown): string {
  let subject: string | undefined;
  if (identity === undefined) subject = state.identities.keys().next().value;
  else if (identity === clientId) subject = clientId;
  else if (typeof identity === "string") subject = state.findIdentity(identity)?.id;
  if (subject === undefined) throw new ControlError("unknown identity");
  return subject;
}
