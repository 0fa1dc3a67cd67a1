import { describe, expect, it } from "vitest";
import type { GARE } from "./gare.ts";
import { gareToJSON } from "./gare-to-json.ts";
import { hasGares, isGare, toGare, toGares } from "./to-gare.ts";

const TRANSFER_SCOPE = "urn:globus:auth:scope:transfer.api.globus.org:all[*foo *bar]";
const FLOW_USER =
  "https://auth.globus.org/scopes/00000000-ec3c-427d-bfb5-51049530122b/flow_00000000_ec3c_427d_bfb5_51049530122b_user";

const transferConsentRequired = {
  code: "ConsentRequired",
  message: "Missing required foo_bar consent",
  request_id: "WmMV97A1w",
  required_scopes: [TRANSFER_SCOPE],
  resource: "/transfer",
};

const actionProviderConsentRequired = {
  code: "ConsentRequired",
  required_scope: TRANSFER_SCOPE,
  description: "Missing required foo_bar consent",
};

const authDependentConsentRequired = {
  error: "dependent_consent_required",
  error_description: "User must approve your client using scopes. See 'unapproved_scopes'.",
  errors: [
    {
      code: "DEPENDENT_CONSENT_REQUIRED",
      id: "5d3c4e4e-2d5f-4a4c-9d1c-5f3b0e6c8a11",
      title: "User must approve your client using scopes. See 'unapproved_scopes'.",
      unapproved_scopes: [FLOW_USER],
      status: "403",
      detail: `User hasn't approved the following scopes: ${FLOW_USER}`,
    },
  ],
};

describe("toGare: ConsentRequired forms", () => {
  it.each([
    ["Transfer", transferConsentRequired, [TRANSFER_SCOPE], "Missing required foo_bar consent"],
    [
      "old action provider",
      actionProviderConsentRequired,
      [TRANSFER_SCOPE],
      "Missing required foo_bar consent",
    ],
    ["Auth dependent_consent_required", authDependentConsentRequired, [FLOW_USER], undefined],
  ])("%s converts (root, inside errors, via toGares)", (_name, body, scopes, message) => {
    for (const doc of [body, { errors: [body] }]) {
      expect(isGare(doc)).toBe(true);
      expect(hasGares([doc])).toBe(true);
      const gare = toGare(doc) as GARE;
      expect(gare.code).toBe("ConsentRequired");
      expect(gare.authorization_parameters.required_scopes).toEqual(scopes);
      expect(gare.authorization_parameters.session_message).toBe(message);
    }
    expect(toGares([body])).toHaveLength(1);
  });

  it("Transfer keeps its other top-level keys as extra", () => {
    const gare = toGare(transferConsentRequired) as GARE;
    expect(gare.extra).toEqual({
      message: "Missing required foo_bar consent",
      request_id: "WmMV97A1w",
      resource: "/transfer",
    });
    expect(gare.authorization_parameters).toEqual({
      required_scopes: [TRANSFER_SCOPE],
      session_message: "Missing required foo_bar consent",
      extra: {},
    });
  });

  it("Transfer without a message has no session_message", () => {
    const gare = toGare({ code: "ConsentRequired", required_scopes: ["a", "b"] }) as GARE;
    expect(gare.authorization_parameters).toEqual({ required_scopes: ["a", "b"], extra: {} });
  });

  it("action provider: description → session_message, nested parameters → params extra", () => {
    const gare = toGare({
      ...actionProviderConsentRequired,
      authorization_parameters: "not an object",
      action_id: "x",
    }) as GARE;
    expect(gare.authorization_parameters.session_message).toBe("Missing required foo_bar consent");
    expect(gare.extra).toEqual({ description: "Missing required foo_bar consent", action_id: "x" });
    // An object here with valid fields would make the canonical form match first; an invalid one
    // falls through to this form and is kept as extra.
    const nested = toGare({
      ...actionProviderConsentRequired,
      authorization_parameters: { session_required_mfa: "yes" },
    });
    expect(nested?.authorization_parameters.required_scopes).toEqual([TRANSFER_SCOPE]);
    expect(nested?.authorization_parameters.extra).toEqual({ session_required_mfa: "yes" });
  });

  it("Auth dependent_consent_required without unapproved_scopes gives an empty list", () => {
    const gare = toGare({
      error: "dependent_consent_required",
      errors: [{ code: "DEPENDENT_CONSENT_REQUIRED" }],
    });
    expect(gare).toEqual({
      code: "ConsentRequired",
      authorization_parameters: { required_scopes: [], extra: {} },
      extra: {},
    });
  });

  it.each([
    [{ code: "ConsentRequired", required_scopes: "x" }],
    [{ code: "ConsentRequired", required_scopes: [1] }],
    [{ code: "ConsentRequired", required_scopes: ["x"], message: 5 }],
    [{ code: "ConsentRequired", required_scope: ["x"] }],
    [{ code: "ConsentRequired", required_scope: "x", description: 5 }],
    [{ code: "Other", required_scopes: ["x"] }],
    [{ required_scopes: ["x"] }],
    [{ required_scope: "x" }],
    [{ error: "dependent_consent_required", errors: [] }],
    [{ error: "dependent_consent_required", errors: ["x"] }],
    [{ error: "dependent_consent_required", errors: {} }],
    [{ error: "dependent_consent_required", errors: [{ unapproved_scopes: null }] }],
    [{ error: "dependent_consent_required", errors: [{ unapproved_scopes: "x" }] }],
    [{ error: "other", errors: [{ unapproved_scopes: ["x"] }] }],
  ])("rejects near misses: %j", (body) => {
    expect(toGare(body)).toBeNull();
    expect(isGare(body)).toBe(false);
  });
});

describe("toGare: authorization_parameters forms", () => {
  it.each([
    [
      {
        session_message: "To gain access you need to authenticate with your baz identity",
        session_required_identities: ["urn:globus:auth:identity:baz"],
        session_required_mfa: true,
      },
    ],
    [{ session_message: "matches the required policies", session_required_policies: ["foo", "baz"] }],
    [{ session_message: "authorized domain", session_required_single_domain: ["foo.com", "baz.org"] }],
    [
      {
        session_message: "re-authenticate",
        session_required_single_domain: ["foo.com", "baz.org"],
        prompt: "login",
      },
    ],
  ])("without code → AuthorizationRequired with identical fields: %j", (params) => {
    for (const doc of [
      { authorization_parameters: params },
      { errors: [{ authorization_parameters: params }] },
    ]) {
      expect(isGare(doc)).toBe(true);
      const gare = toGare(doc) as GARE;
      expect(gare.code).toBe("AuthorizationRequired");
      expect(gare.authorization_parameters).toEqual({ ...params, extra: {} });
    }
    expect(toGares([{ authorization_parameters: params }])).toHaveLength(1);
  });

  it.each([
    ["session_required_policies", "foo,baz", ["foo", "baz"]],
    ["session_required_single_domain", "foo.com,baz.org", ["foo.com", "baz.org"]],
    ["session_required_single_domain", "foo.com, baz.org,", ["foo.com", "baz.org"]],
    ["session_required_policies", "solo", ["solo"]],
  ])("splits comma-joined %s %j", (key, value, expected) => {
    const gare = toGare({ authorization_parameters: { session_message: "m", [key]: value } }) as GARE;
    expect(gare.code).toBe("AuthorizationRequired");
    expect(gare.authorization_parameters[key as "session_required_policies"]).toEqual(expected);
    expect(gare.authorization_parameters.session_message).toBe("m");
  });

  it("keeps a custom code and splits its policies (UnsatisfiedPolicy)", () => {
    const body = {
      code: "UnsatisfiedPolicy",
      authorization_parameters: { session_message: "policies", session_required_policies: "foo,baz" },
    };
    for (const doc of [body, { errors: [body] }]) {
      const gare = toGare(doc) as GARE;
      expect(gare.code).toBe("UnsatisfiedPolicy");
      expect(gare.authorization_parameters.session_required_policies).toEqual(["foo", "baz"]);
    }
    expect(toGares([body])).toHaveLength(1);
  });

  it("a null code counts as absent; an empty code too, in the legacy form only (as in Python)", () => {
    expect(toGare({ code: null, authorization_parameters: { session_required_mfa: true } })?.code).toBe(
      "AuthorizationRequired",
    );
    expect(toGare({ code: "", authorization_parameters: { session_required_policies: "a,b" } })?.code).toBe(
      "AuthorizationRequired",
    );
    expect(toGare({ code: "", authorization_parameters: { session_required_mfa: true } })?.code).toBe("");
  });

  it("an empty parameters object is a GARE with no fields", () => {
    expect(toGare({ code: "X", authorization_parameters: {} })).toEqual({
      code: "X",
      authorization_parameters: { extra: {} },
      extra: {},
    });
    expect(toGare({ authorization_parameters: {} })?.code).toBe("AuthorizationRequired");
  });

  it("legacy form: prompt other than login is not a GARE; a well-typed required_scopes is kept", () => {
    expect(toGare({ authorization_parameters: { prompt: "none" } })).toBeNull();
    expect(
      toGare({ code: "X", authorization_parameters: { prompt: "none" } })?.authorization_parameters.prompt,
    ).toBe("none");
    const kept = toGare({
      authorization_parameters: { required_scopes: ["a"], session_required_policies: "p" },
    });
    expect(kept?.authorization_parameters.required_scopes).toEqual(["a"]);
    expect(kept?.authorization_parameters.extra).toEqual({});
    const odd = toGare({
      authorization_parameters: { required_scopes: "a", session_required_policies: "p" },
    });
    expect(odd?.authorization_parameters.required_scopes).toBeUndefined();
    expect(odd?.authorization_parameters.extra).toEqual({ required_scopes: "a" });
  });

  it.each([
    [{ authorization_parameters: { session_required_mfa: "yes" } }],
    [{ authorization_parameters: { session_required_identities: "a,b" } }],
    [{ authorization_parameters: { session_message: 5 } }],
    [{ authorization_parameters: { session_required_policies: [1] } }],
    [{ authorization_parameters: [] }],
    [{ authorization_parameters: null }],
    [{ authorization_parameters: "x" }],
    [{ code: 5, authorization_parameters: {} }],
  ])("rejects malformed parameters: %j", (body) => {
    expect(toGare(body)).toBeNull();
  });

  it("canonical wins over legacy top-level fields (mixed document)", () => {
    const body = {
      code: "ConsentRequired",
      message: "Missing required foo_bar consent",
      request_id: "WmMV97A1w",
      required_scopes: [TRANSFER_SCOPE],
      resource: "/transfer",
      authorization_parameters: {
        session_message: "Missing baz consent",
        required_scopes: ["urn:globus:auth:scope:transfer.api.globus.org:all[*baz]"],
        optional: "A non-canonical field",
      },
    };
    const gare = toGare(body) as GARE;
    expect(toGares([body])).toHaveLength(1);
    expect(gare.code).toBe("ConsentRequired");
    expect(gare.authorization_parameters.required_scopes).toEqual([
      "urn:globus:auth:scope:transfer.api.globus.org:all[*baz]",
    ]);
    expect(gare.authorization_parameters.session_message).toBe("Missing baz consent");
    expect(gareToJSON(gare)).toEqual({
      code: "ConsentRequired",
      authorization_parameters: {
        session_message: "Missing baz consent",
        required_scopes: ["urn:globus:auth:scope:transfer.api.globus.org:all[*baz]"],
      },
    });
    expect(gareToJSON(gare, { includeExtra: true })).toEqual(body);
  });

  it("canonical: null fields count as absent; unknown keys go to extra", () => {
    const gare = toGare({
      code: "AuthorizationRequired",
      authorization_parameters: { session_message: null, session_required_mfa: false, prompt: "login", x: 1 },
      y: 2,
    });
    expect(gare).toEqual({
      code: "AuthorizationRequired",
      authorization_parameters: { session_required_mfa: false, prompt: "login", extra: { x: 1 } },
      extra: { y: 2 },
    });
  });

  it("does not alias the input's lists", () => {
    const scopes = ["a"];
    const gare = toGare({ code: "ConsentRequired", authorization_parameters: { required_scopes: scopes } });
    scopes.push("b");
    expect(gare?.authorization_parameters.required_scopes).toEqual(["a"]);
  });

  it("keeps a __proto__ key as plain data", () => {
    const body = JSON.parse(
      '{"code":"X","authorization_parameters":{"__proto__":{"polluted":true}},"__proto__":{"p":1}}',
    );
    const gare = toGare(body) as GARE;
    expect(Object.getPrototypeOf(gare.extra)).toBe(Object.prototype);
    expect(Object.hasOwn(gare.extra, "__proto__")).toBe(true);
    expect(Object.hasOwn(gare.authorization_parameters.extra ?? {}, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("Auth's own error bodies", () => {
  const policyId = "b8c5a4b4-1c4e-11ef-9a1e-1f1c3f3b2d00";
  const forbidden = {
    errors: [
      {
        detail:
          "To access this project you must have an identity with admin privileges in session within the last 30 minutes.",
        id: "4a156297-a2e5-4095-a13c-ba9486035f79",
        title: "Forbidden",
        status: "403",
        code: "FORBIDDEN",
      },
    ],
    error: "forbidden",
    error_description: "Forbidden",
    authorization_parameters: {
      session_required_policies: [policyId],
      session_message: "To access this project you must have an identity with admin privileges.",
    },
  };

  it("finds the root-level GARE when sub-errors are not GAREs (toGare and toGares)", () => {
    for (const gare of [toGare(forbidden), ...toGares([forbidden])]) {
      expect(gare?.code).toBe("AuthorizationRequired");
      expect(gare?.authorization_parameters.required_scopes).toBeUndefined();
      expect(gare?.authorization_parameters.session_message).toBe(
        forbidden.authorization_parameters.session_message,
      );
      expect(gare?.authorization_parameters.session_required_policies).toEqual([policyId]);
    }
    expect(toGares([forbidden])).toHaveLength(1);
  });

  it("a plain Auth error is not a GARE", () => {
    const { authorization_parameters: _, ...plain } = forbidden;
    expect(toGare(plain)).toBeNull();
    expect(toGares([plain])).toEqual([]);
  });
});

describe("errors arrays and toGares", () => {
  const consentErrors = {
    errors: [
      {
        code: "ConsentRequired",
        message: "Missing required foo_bar consent",
        authorization_parameters: {
          required_scopes: ["urn:globus:auth:scope:transfer.api.globus.org:all[*bar]"],
          session_message: "Missing required foo_bar consent",
        },
      },
      {
        code: "ConsentRequired",
        message: "Missing required foo_baz consent",
        authorization_parameters: {
          required_scopes: ["urn:globus:auth:scope:transfer.api.globus.org:all[*baz]"],
          session_message: "Missing required foo_baz consent",
        },
      },
    ],
  };
  const authorizationError = {
    authorization_parameters: {
      session_message: "You need to authenticate with an identity that matches the required policies",
      session_required_policies: ["foo", "baz"],
    },
  };
  const notAnError = { code: "NotAnError", message: "This is not an error" };

  it("yields every GARE in order (Python's multi-error case: 3)", () => {
    const all = [consentErrors, notAnError, authorizationError];
    expect(hasGares(all)).toBe(true);
    const gares = toGares(all);
    expect(gares.map((g) => g.code)).toEqual(["ConsentRequired", "ConsentRequired", "AuthorizationRequired"]);
    expect(gares[0]?.authorization_parameters.required_scopes).toEqual([
      "urn:globus:auth:scope:transfer.api.globus.org:all[*bar]",
    ]);
    expect(gares[0]?.authorization_parameters.session_message).toBe("Missing required foo_bar consent");
    expect(gares[1]?.authorization_parameters.required_scopes).toEqual([
      "urn:globus:auth:scope:transfer.api.globus.org:all[*baz]",
    ]);
    expect(gares[1]?.authorization_parameters.session_message).toBe("Missing required foo_baz consent");
    expect(gares[2]?.authorization_parameters.session_required_policies).toEqual(["foo", "baz"]);
  });

  it("toGare returns the first GARE of an errors array, skipping non-objects and non-GAREs", () => {
    const gare = toGare({ errors: [1, null, "x", notAnError, ...consentErrors.errors] });
    expect(gare?.authorization_parameters.required_scopes).toEqual([
      "urn:globus:auth:scope:transfer.api.globus.org:all[*bar]",
    ]);
  });

  it("the root wins over sub-documents in toGare; toGares lists sub-documents first, then the root", () => {
    const body = { ...authorizationError, errors: consentErrors.errors };
    expect(toGare(body)?.code).toBe("AuthorizationRequired");
    expect(toGares([body]).map((g) => g.code)).toEqual([
      "ConsentRequired",
      "ConsentRequired",
      "AuthorizationRequired",
    ]);
  });

  it("does not descend more than one level", () => {
    expect(toGare({ errors: [{ errors: [transferConsentRequired] }] })).toBeNull();
  });

  it("hasGares is false when nothing matches", () => {
    expect(hasGares([notAnError, {}, null, "x"])).toBe(false);
    expect(hasGares([])).toBe(false);
  });

  it("treats a single non-array argument as a list of one", () => {
    expect(toGares(transferConsentRequired as unknown as unknown[])).toHaveLength(1);
    expect(hasGares(transferConsentRequired as unknown as unknown[])).toBe(true);
  });
});

describe("non-object bodies never throw", () => {
  it.each([
    [null],
    [undefined],
    ["ConsentRequired"],
    [""],
    [42],
    [0],
    [true],
    [[]],
    [[transferConsentRequired]],
    [() => 1],
  ])("%j → null", (body) => {
    expect(toGare(body)).toBeNull();
    expect(isGare(body)).toBe(false);
    expect(toGares([body])).toEqual([]);
    expect(hasGares([body])).toBe(false);
  });

  it("odd objects give null", () => {
    expect(toGare(Object.create(null))).toBeNull();
    expect(toGare(new Date())).toBeNull();
    expect(toGare({ errors: "x" })).toBeNull();
    expect(toGare({ errors: null })).toBeNull();
  });
});
