import { describe, expect, it } from "vitest";
import { isLoginFlowError } from "../errors/login-flow-error.ts";
import {
  isLoginDeniedError,
  isLoginIssuerMismatchError,
  isLoginStateMismatchError,
} from "../errors/login-flow-errors.ts";
import { isLoginCallback, loginCallbackState } from "./login-callback-state.ts";
import { parseLoginCallback } from "./parse-login-callback.ts";

const STATE = "s".repeat(43);
const expected = { state: STATE, issuer: "https://auth.globus.org" };
const callback = (query: string) => `http://127.0.0.1:8080/callback?${query}`;

function failure(input: string | URL | URLSearchParams): unknown {
  try {
    parseLoginCallback(input, expected);
  } catch (error) {
    return error;
  }
  throw new Error("parseLoginCallback accepted the callback");
}

describe("parseLoginCallback", () => {
  it("returns the code of this login's callback, given as a URL, a query string or parameters", () => {
    const query = `code=the-code&state=${STATE}`;
    for (const input of [
      callback(query),
      new URL(callback(query)),
      `?${query}`,
      query,
      new URLSearchParams(query),
    ]) {
      expect(parseLoginCallback(input, expected)).toBe("the-code");
    }
  });

  it("accepts an iss equal to Globus Auth's issuer and refuses any other (RFC 9207)", () => {
    expect(
      parseLoginCallback(callback(`code=c&state=${STATE}&iss=https%3A%2F%2Fauth.globus.org`), expected),
    ).toBe("c");
    for (const iss of ["https://auth.globus.org/", "https://evil.example", ""]) {
      const error = failure(callback(`code=c&state=${STATE}&iss=${encodeURIComponent(iss)}`));
      expect(isLoginIssuerMismatchError(error)).toBe(true);
    }
  });

  it("refuses a missing, empty, different, longer or shorter state", () => {
    for (const state of [null, "", "x".repeat(43), `${STATE}x`, STATE.slice(1)]) {
      const query = state === null ? "code=c" : `code=c&state=${state}`;
      expect(isLoginStateMismatchError(failure(callback(query)))).toBe(true);
    }
  });

  it("refuses a callback that repeats any response parameter, even with the right state", () => {
    for (const extra of [
      `state=${STATE}`,
      "code=other",
      "error=access_denied",
      "error_description=x",
      "error_uri=x",
      "iss=https%3A%2F%2Fauth.globus.org",
    ]) {
      const name = extra.split("=")[0] ?? "";
      // state and code are in every callback already: one more copy repeats them.
      const base = name === "state" || name === "code" ? "" : `&${extra}`;
      const error = failure(callback(`code=c&state=${STATE}${base}&${extra}`));
      expect(isLoginStateMismatchError(error)).toBe(true);
    }
  });

  it("checks the state before reading an error: a forged denial is no one's", () => {
    expect(isLoginStateMismatchError(failure(callback("error=access_denied&state=forged")))).toBe(true);
  });

  it("turns this login's error into a LoginDeniedError with Globus's words", () => {
    const error = failure(callback(`error=access_denied&error_description=No%20thanks&state=${STATE}`));
    expect(isLoginDeniedError(error)).toBe(true);
    expect(error).toMatchObject({ error: "access_denied", errorDescription: "No thanks" });
  });

  it("fails with LoginFlowError for this login's callback without code or error, or a non-callback", () => {
    for (const [input, message] of [
      [callback(`state=${STATE}`), /carries neither a code nor an error/],
      [callback(`state=${STATE}&code=`), /carries neither a code nor an error/],
      ["just-a-code", /not a login callback/],
      ["http://x/", /not a login callback/],
    ] as const) {
      const error = failure(input);
      expect(isLoginFlowError(error)).toBe(true);
      expect(isLoginStateMismatchError(error)).toBe(false);
      expect((error as Error).message).toMatch(message);
    }
  });

  it("reads a pasted query string whose values hold an unencoded ':' (not a URL scheme)", () => {
    expect(parseLoginCallback(`code=c&state=${STATE}&iss=https://auth.globus.org`, expected)).toBe("c");
    expect(parseLoginCallback(`?code=c&state=${STATE}&iss=https://auth.globus.org`, expected)).toBe("c");
  });

  it("never puts the code or state into a message", () => {
    const secretCode = "c0de-that-must-not-leak";
    for (const query of [
      `code=${secretCode}&state=other`,
      `code=${secretCode}&state=${STATE}&iss=x`,
      `code=${secretCode}&state=${STATE}&state=${STATE}`,
    ]) {
      const error = failure(callback(query)) as Error;
      expect(`${error.message}${JSON.stringify(error)}`).not.toMatch(new RegExp(`${secretCode}|${STATE}`));
    }
  });
});

describe("isLoginCallback and loginCallbackState", () => {
  it("tell a callback from a bare code or another page", () => {
    expect(isLoginCallback(callback(`code=c&state=${STATE}`))).toBe(true);
    expect(isLoginCallback(`code=c&state=${STATE}`)).toBe(true);
    expect(isLoginCallback("AbC123-bare_code")).toBe(false);
    expect(isLoginCallback("AbC123=")).toBe(false);
    expect(isLoginCallback("https://portal.example/page?tab=files")).toBe(false);
  });

  it("count a callback carrying only an error, or only a state, as a callback (so it is refused, not pasted as a code)", () => {
    expect(isLoginCallback(callback("error=access_denied"))).toBe(true);
    expect(isLoginCallback("error=access_denied")).toBe(true);
    expect(isLoginCallback(callback(`state=${STATE}`))).toBe(true);
    expect(isLoginStateMismatchError(failure(callback("error=access_denied")))).toBe(true);
  });

  it("take text with whitespace before its first '=' for neither a query string nor a URL", () => {
    expect(isLoginCallback(`pasted text&code=c&state=${STATE}`)).toBe(false);
    expect(isLoginCallback(`the answer: code=c&state=${STATE}`)).toBe(false);
    expect(loginCallbackState(`pasted text&code=c&state=${STATE}`)).toBeUndefined();
  });

  it("take nothing but a string, a URL or URLSearchParams: an object is not read through its toString", () => {
    // e.g. a browser's `location` (not a URL instance), or a URL from another window.
    const locationLike = { toString: () => callback(`code=c&state=${STATE}`) };
    expect(isLoginCallback(locationLike as unknown as string)).toBe(false);
    expect(loginCallbackState(locationLike as unknown as string)).toBeUndefined();
    expect(isLoginFlowError(failure(locationLike as unknown as string))).toBe(true);
  });

  it("give the claimed state only for a callback with code or error and no repeated parameter", () => {
    expect(loginCallbackState(callback(`code=c&state=${STATE}`))).toBe(STATE);
    expect(loginCallbackState(callback(`error=access_denied&state=${STATE}`))).toBe(STATE);
    expect(loginCallbackState(callback(`state=${STATE}`))).toBeUndefined();
    expect(loginCallbackState(callback(`code=c&state=${STATE}&iss=a&iss=b`))).toBeUndefined();
    expect(loginCallbackState(callback(`code=c&state=${"x".repeat(512)}`))).toBe("x".repeat(512));
    expect(loginCallbackState(callback(`code=c&state=${"x".repeat(513)}`))).toBeUndefined();
  });
});
