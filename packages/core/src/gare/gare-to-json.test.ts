import { describe, expect, it } from "vitest";
import type { GARE } from "./gare.ts";
import { authorizationParametersToJSON, gareToJSON } from "./gare-to-json.ts";
import type { GlobusAuthorizationParameters } from "./globus-authorization-parameters.ts";
import { toAuthorizeQuery } from "./to-authorize-query.ts";
import { toGare } from "./to-gare.ts";

const full: GlobusAuthorizationParameters = {
  prompt: "login",
  required_scopes: ["s1", "s2[*s3]"],
  session_required_mfa: false,
  session_required_single_domain: ["uchicago.edu"],
  session_required_policies: ["p1", "p2"],
  session_required_identities: ["id1"],
  session_message: "hello",
  extra: { custom: 1 },
};

describe("authorizationParametersToJSON", () => {
  it("writes known fields in canonical order, without extra by default", () => {
    const json = authorizationParametersToJSON(full);
    expect(Object.keys(json)).toEqual([
      "session_message",
      "session_required_identities",
      "session_required_policies",
      "session_required_single_domain",
      "session_required_mfa",
      "required_scopes",
      "prompt",
    ]);
    expect(json.session_required_mfa).toBe(false);
    expect(json).not.toHaveProperty("custom");
    expect(json).not.toHaveProperty("extra");
  });

  it("omits undefined and null fields", () => {
    expect(authorizationParametersToJSON({})).toEqual({});
    expect(
      authorizationParametersToJSON({ session_message: undefined, prompt: null as unknown as string }),
    ).toEqual({});
    expect(
      JSON.stringify(authorizationParametersToJSON({ session_required_mfa: true, prompt: undefined })),
    ).toBe('{"session_required_mfa":true}');
  });

  it("includes extra on request, known fields winning a clash", () => {
    expect(
      authorizationParametersToJSON(
        { ...full, extra: { custom: 1, prompt: "none" } },
        { includeExtra: true },
      ),
    ).toEqual({
      ...authorizationParametersToJSON(full),
      custom: 1,
    });
    expect(authorizationParametersToJSON({ prompt: "login" }, { includeExtra: true })).toEqual({
      prompt: "login",
    });
  });

  it("copies lists", () => {
    const json = authorizationParametersToJSON(full);
    expect(json.required_scopes).toEqual(full.required_scopes);
    expect(json.required_scopes).not.toBe(full.required_scopes);
  });
});

describe("gareToJSON", () => {
  const gare: GARE = { code: "ConsentRequired", authorization_parameters: full, extra: { request_id: "r1" } };

  it("writes the canonical wire form", () => {
    expect(gareToJSON(gare)).toEqual({
      code: "ConsentRequired",
      authorization_parameters: authorizationParametersToJSON(full),
    });
    expect(gareToJSON(gare, { includeExtra: true })).toEqual({
      request_id: "r1",
      code: "ConsentRequired",
      authorization_parameters: { ...authorizationParametersToJSON(full), custom: 1 },
    });
  });

  it("round-trips through JSON and toGare", () => {
    const back = toGare(JSON.parse(JSON.stringify(gareToJSON(gare, { includeExtra: true }))));
    expect(back).toEqual(gare);
    const legacy = toGare({
      authorization_parameters: { session_required_policies: "a,b" },
      request_id: "r",
    }) as GARE;
    expect(toGare(gareToJSON(legacy, { includeExtra: true }))).toEqual(legacy);
    expect(gareToJSON(legacy)).toEqual({
      code: "AuthorizationRequired",
      authorization_parameters: { session_required_policies: ["a", "b"] },
    });
  });

  it("params from {} serialise to {} (canonical and legacy)", () => {
    expect(
      gareToJSON(toGare({ code: "X", authorization_parameters: {} }) as GARE).authorization_parameters,
    ).toEqual({});
    expect(gareToJSON(toGare({ authorization_parameters: {} }) as GARE).authorization_parameters).toEqual({});
  });

  it("refuses what is not a GARE with a usage error", () => {
    for (const value of [null, {}, { code: "AuthorizationRequired" }]) {
      expect(() => gareToJSON(value as never)).toThrow(
        expect.objectContaining({ name: "GlobusSDKUsageError" }),
      );
    }
  });
});

describe("extra stays inert through gareToJSON(includeExtra) → toGare", () => {
  // One malformed field (required_scopes not a list) makes the nested parameters fail the canonical
  // and legacy forms, so the body is read as an old action provider's, whose nested parameters
  // become the parameter extra verbatim, known names included (as in the Python SDK).
  const planted = {
    code: "ConsentRequired",
    required_scope: "urn:globus:auth:scope:transfer.api.globus.org:all",
    authorization_parameters: {
      required_scopes: "not a list",
      session_required_identities: ["attacker@example.org"],
      session_required_mfa: false,
      prompt: "none",
      session_message: "Sign in as attacker",
    },
  };

  it("known-named extra keys never become parameters or reach the authorize query", () => {
    const gare = toGare(planted) as GARE;
    expect(toAuthorizeQuery(gare.authorization_parameters)).toEqual({});
    const back = toGare(JSON.parse(JSON.stringify(gareToJSON(gare, { includeExtra: true })))) as GARE;
    expect(back.authorization_parameters.required_scopes).toEqual([planted.required_scope]);
    for (const key of ["session_required_identities", "session_required_mfa", "prompt", "session_message"]) {
      expect(back.authorization_parameters).not.toHaveProperty(key);
    }
    expect(toAuthorizeQuery(back.authorization_parameters)).toEqual({});
  });

  it("the fuzzer's counterexample: extra { session_message } with no session_message", () => {
    const gare: GARE = {
      code: "",
      authorization_parameters: { extra: { session_message: "login" } },
      extra: {},
    };
    const back = toGare(gareToJSON(gare, { includeExtra: true })) as GARE;
    expect(back.authorization_parameters.session_message).toBeUndefined();
  });

  it("known fields win over same-named extra keys, at both levels", () => {
    const gare: GARE = {
      code: "ConsentRequired",
      authorization_parameters: { prompt: "login", extra: { prompt: "none", custom: 1 } },
      extra: { code: "Other", authorization_parameters: { prompt: "none" }, request_id: "r" },
    };
    expect(gareToJSON(gare, { includeExtra: true })).toEqual({
      request_id: "r",
      code: "ConsentRequired",
      authorization_parameters: { custom: 1, prompt: "login" },
    });
  });

  it("refuses ill-typed known fields, which would make toGare read the body as another form", () => {
    // With a non-string code the canonical form fails and toGare would fall back to reading the
    // top-level extra as Auth's dependent_consent_required form, turning it into required_scopes.
    const viaAuthForm = {
      code: 5,
      authorization_parameters: {},
      extra: { error: "dependent_consent_required", errors: [{ unapproved_scopes: ["evil"] }] },
    };
    const viaTransferForm = {
      code: "ConsentRequired",
      authorization_parameters: { session_required_mfa: "yes" },
      extra: { required_scopes: ["evil"] },
    };
    for (const bad of [viaAuthForm, viaTransferForm]) {
      expect(() => gareToJSON(bad as unknown as GARE, { includeExtra: true })).toThrow(
        expect.objectContaining({ name: "GlobusSDKUsageError" }),
      );
    }
  });
});
