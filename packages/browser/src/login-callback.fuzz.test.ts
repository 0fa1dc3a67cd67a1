import { LoginFlowError, LoginStateMismatchError } from "@globus-app/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  callbackInput,
  EXPECTED_STATE,
  expectTypedOutcome,
  fuzzParams,
} from "../../core/test-support/fuzz.ts";
import { callbackCode, callbackState } from "./internal/login-callback.ts";

/**
 * The parser under test, behind one adapter: a callback URL → the authorization code, or a typed
 * error. Today that is how the redirect and popup flows combine callbackState and callbackCode;
 * once core's shared callback parser lands, re-point this one function at it.
 */
function codeFromCallbackUrl(url: string, expectedState: string): string {
  const state = callbackState(url);
  if (state === undefined) throw new LoginFlowError("Not a login callback.");
  if (state !== expectedState) throw new LoginStateMismatchError();
  return callbackCode(new URL(url).searchParams);
}

describe("browser login callback URLs under fuzzing", () => {
  it("a callback URL gives its one code with our state, or a typed login error", () => {
    fc.assert(
      fc.property(callbackInput, (url) => {
        const outcome = expectTypedOutcome(
          () => codeFromCallbackUrl(url, EXPECTED_STATE),
          (code) => typeof code === "string" && code !== "",
        );
        if (!outcome.ok) return;
        const query = new URL(url).searchParams;
        // Accepted only when state, code and error each appear at most once, state is ours, and
        // there is no error.
        for (const name of ["state", "code", "error"])
          expect(query.getAll(name).length).toBeLessThanOrEqual(1);
        expect(query.get("state")).toBe(EXPECTED_STATE);
        expect(query.get("error")).toBeFalsy();
        expect(outcome.value).toBe(query.get("code"));
      }),
      fuzzParams(200),
    );
  });

  it("callbackState never throws, for any string", () => {
    fc.assert(
      fc.property(callbackInput, (url) => {
        expectTypedOutcome(
          () => callbackState(url),
          (state) => state === undefined || typeof state === "string",
          () => false,
        );
      }),
      fuzzParams(200),
    );
  });
});
