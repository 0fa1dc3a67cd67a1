import { ClockedStore } from "./clocked-store.ts";

/** @internal The emulated browser's single sign-on session with one identity. */
export interface SignInSession {
  readonly authTime: number;
  readonly mfa: boolean;
  /** Every policy this identity's sign-ins have satisfied so far. */
  readonly policies: readonly string[];
}

/** @internal What a sign-in must satisfy: see {@link SessionStore.signIn}. */
export interface SignInRequirements {
  /** `prompt=login`: sign in afresh whatever the session. */
  readonly promptLogin: boolean;
  /** `session_required_mfa=true`. */
  readonly mfaRequired: boolean;
  /** `session_required_policies`. */
  readonly policies: readonly string[];
}

/**
 * @internal The emulated browser's sign-in sessions, one per identity, in order of use (the most
 * recently used last): what lets a later login skip signing in again, and what the consent page
 * preselects.
 */
export class SessionStore extends ClockedStore {
  readonly sessions = new Map<string, SignInSession>();

  /**
   * Signs `identityId` in: reuses the emulated browser's session unless a fresh login is forced, or
   * MFA or a policy is required that the session has not satisfied. A fresh sign-in keeps what the
   * old session had satisfied (MFA and policies alike): the browser's session only ever gains.
   */
  signIn(identityId: string, options: SignInRequirements): SignInSession {
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
        this.changed();
      }
      return existing;
    }
    this.sessions.delete(identityId);
    const session = {
      authTime: this.now(),
      mfa: options.mfaRequired || (existing?.mfa ?? false),
      policies: [...new Set([...(existing?.policies ?? []), ...options.policies])],
    };
    this.sessions.set(identityId, session);
    this.changed();
    return session;
  }
}
