import { describe, expect, it } from "vitest";
import type { GARE } from "./gare.ts";
import { authorizationParametersToJSON, gareToJSON } from "./gare-to-json.ts";
import type { GlobusAuthorizationParameters } from "./globus-authorization-parameters.ts";
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
