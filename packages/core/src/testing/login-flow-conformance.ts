import { describe, expect, it } from "vitest";
import {
  isLoginCancelledError,
  isLoginDeniedError,
  isLoginIssuerMismatchError,
  isLoginStateMismatchError,
  isLoginTimeoutError,
} from "../errors/login-flow-errors.ts";
import type { TokenResponse } from "../storage/token-response.ts";

/** One login a {@link LoginFlowHarness} started, from the test's side. */
export interface LoginFlowRun {
  /** The authorize URL the flow sent the person to. */
  readonly authorizeUrl: string;
  /**
   * Hands `callbackUrl` to the flow the way a browser would bring it back (a pasted line, a request
   * to the loopback server, a redirect completion, a popup message). Resolves once it is handed
   * over; the flow's outcome is {@link result}'s.
   */
  deliver(callbackUrl: string): Promise<void>;
  /** The login's outcome: the tokens, or the error it failed with (never rejects). */
  readonly result: Promise<TokenResponse | unknown>;
}

/** What {@link describeLoginFlowConformance} needs of one login flow. */
export interface LoginFlowHarness {
  /** Starts one login with the flow under test; resolves once its authorize URL is known. */
  start(options?: { signal?: AbortSignal }): Promise<LoginFlowRun>;
  /**
   * Plays the person at the authorize URL against the emulator (Allow or Deny) and returns the
   * callback URL Globus Auth sends the browser to.
   */
  approve(authorizeUrl: string, decision?: "allow" | "deny"): Promise<string>;
  /** Globus Auth's issuer, as the flow's login client knows it. */
  readonly issuer: string;
  /**
   * Whether a callback that belongs to no login here is refused while the login keeps waiting (a
   * loopback server or a popup, where any page can send one) rather than failing the login.
   */
  readonly waitsPastForeignCallbacks: boolean;
  /** Starts a login whose flow gives up after a short time; omit for flows without a time limit. */
  startWithTimeout?(): Promise<LoginFlowRun>;
}

/** A callback URL with one parameter set (or appended, to repeat it). */
function withParam(url: string, name: string, value: string, append = false): string {
  const copy = new URL(url);
  if (append) copy.searchParams.append(name, value);
  else copy.searchParams.set(name, value);
  return copy.href;
}

/**
 * The login-flow conformance suite: every flow reads its callback with the same rules
 * (`parseLoginCallback`) and must show the same behaviour against the emulator — a granted login
 * returns tokens; Deny is a `LoginDeniedError`; a callback of another login (another state, so
 * another code: the code-injection attack of RFC 9700 §4.5) or with a repeated response parameter
 * never yields tokens; an `iss` other than Globus Auth's is a `LoginIssuerMismatchError`; an abort
 * is a `LoginCancelledError`; and a flow with a time limit ends in a `LoginTimeoutError`.
 *
 * @example
 * ```ts
 * describeLoginFlowConformance("LocalServerLoginFlowManager", harness);
 * ```
 */
export function describeLoginFlowConformance(name: string, harness: LoginFlowHarness): void {
  /** The login's outcome after a callback it must refuse: waiting flows get the genuine one too. */
  async function refusedThenGenuine(run: LoginFlowRun, refused: string, genuine: string) {
    await run.deliver(refused);
    if (harness.waitsPastForeignCallbacks) {
      await run.deliver(genuine);
      expect(await run.result).toMatchObject({ grantType: "authorization_code" });
    } else {
      expect(isLoginStateMismatchError(await run.result)).toBe(true);
    }
  }

  describe(`${name} (login-flow conformance)`, () => {
    it("returns the tokens of a granted login, also when the callback names Globus Auth as iss", async () => {
      for (const iss of [undefined, harness.issuer]) {
        const run = await harness.start();
        const callback = await harness.approve(run.authorizeUrl);
        await run.deliver(iss ? withParam(callback, "iss", iss) : callback);
        const result = (await run.result) as TokenResponse;
        expect(result.grantType).toBe("authorization_code");
        expect(Object.keys(result.byResourceServer)).toContain("auth.globus.org");
      }
    });

    it("fails with LoginDeniedError when the person clicks Deny", async () => {
      const run = await harness.start();
      await run.deliver(await harness.approve(run.authorizeUrl, "deny"));
      const error = await run.result;
      expect(isLoginDeniedError(error)).toBe(true);
      expect((error as { error: string }).error).toBe("access_denied");
    });

    it("never exchanges another login's code (a forged or injected callback)", async () => {
      const other = await harness.start();
      const injected = await harness.approve(other.authorizeUrl);
      const run = await harness.start();
      await refusedThenGenuine(run, injected, await harness.approve(run.authorizeUrl));
    });

    it("refuses a callback that repeats state or code", async () => {
      for (const [param, value] of [
        ["state", undefined],
        ["code", "second-code"],
      ] as const) {
        const run = await harness.start();
        const genuine = await harness.approve(run.authorizeUrl);
        const repeated = withParam(
          genuine,
          param,
          value ?? new URL(genuine).searchParams.get(param) ?? "",
          true,
        );
        await refusedThenGenuine(run, repeated, genuine);
      }
    });

    it("fails with LoginIssuerMismatchError for a callback from another issuer (RFC 9207)", async () => {
      const run = await harness.start();
      const callback = await harness.approve(run.authorizeUrl);
      await run.deliver(withParam(callback, "iss", "https://auth.evil.example"));
      expect(isLoginIssuerMismatchError(await run.result)).toBe(true);
    });

    it("fails with LoginCancelledError when its signal aborts", async () => {
      const controller = new AbortController();
      const run = await harness.start({ signal: controller.signal });
      controller.abort();
      expect(isLoginCancelledError(await run.result)).toBe(true);
    });

    it.skipIf(!harness.startWithTimeout)("fails with LoginTimeoutError when no callback comes", async () => {
      const run = await (harness.startWithTimeout as () => Promise<LoginFlowRun>)();
      expect(isLoginTimeoutError(await run.result)).toBe(true);
    });
  });
}
