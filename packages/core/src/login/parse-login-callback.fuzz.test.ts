import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callbackInput, EXPECTED_STATE, expectTypedOutcome, fuzzParams } from "../../test-support/fuzz.ts";
import { isLoginFlowError } from "../errors/login-flow-error.ts";
import { isLoginCallback, loginCallbackState } from "./login-callback-state.ts";
import { parseLoginCallback } from "./parse-login-callback.ts";

const ISSUER = "https://auth.globus.org";
const RESPONSE_PARAMS = ["code", "state", "error", "error_description", "error_uri", "iss"];

/** The query `parseLoginCallback` reads from `input`: a URL's, or a query string's. */
function queryOf(input: string): URLSearchParams {
  try {
    return new URL(input).searchParams;
  } catch {
    return new URLSearchParams(input);
  }
}

describe("the login callback parser under fuzzing (every flow's callbacks and pasted answers)", () => {
  it("gives this login's one code, or a typed login error", () => {
    fc.assert(
      fc.property(callbackInput, (input) => {
        const outcome = expectTypedOutcome(
          () => parseLoginCallback(input, { state: EXPECTED_STATE, issuer: ISSUER }),
          (code) => typeof code === "string" && code !== "",
          isLoginFlowError,
        );
        if (!outcome.ok) return;
        // Accepted only when no response parameter repeats, the state is ours, the issuer (if
        // named) is Globus Auth, and there is no error: then the code is the callback's own.
        const query = queryOf(input);
        for (const name of RESPONSE_PARAMS) expect(query.getAll(name).length).toBeLessThanOrEqual(1);
        expect(query.get("state")).toBe(EXPECTED_STATE);
        expect([null, ISSUER]).toContain(query.get("iss"));
        expect(query.has("error")).toBe(false);
        expect(outcome.value).toBe(query.get("code"));
      }),
      fuzzParams(300),
    );
  });

  it("tells callbacks from bare codes, and names a claimed state, without ever throwing", () => {
    fc.assert(
      fc.property(callbackInput, (input) => {
        expectTypedOutcome(
          () => isLoginCallback(input),
          (is) => typeof is === "boolean",
          () => false,
        );
        expectTypedOutcome(
          () => loginCallbackState(input),
          (state) => state === undefined || (typeof state === "string" && state.length <= 512),
          () => false,
        );
      }),
      fuzzParams(300),
    );
  });
});
