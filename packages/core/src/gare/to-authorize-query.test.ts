import { describe, expect, it } from "vitest";
import { toAuthorizeQuery } from "./to-authorize-query.ts";
import { toGare } from "./to-gare.ts";

describe("toAuthorizeQuery", () => {
  it("maps every session parameter, in the Python SDK's order, and leaves out required_scopes and extra", () => {
    const query = toAuthorizeQuery({
      prompt: "login",
      session_message: "Please use your university identity",
      session_required_mfa: true,
      session_required_policies: ["p1", "p2"],
      session_required_single_domain: ["uchicago.edu", "anl.gov"],
      session_required_identities: ["user@org.edu"],
      required_scopes: ["openid"],
      extra: { x: "y" },
    });
    expect(query).toEqual({
      session_required_identities: "user@org.edu",
      session_required_single_domain: "uchicago.edu,anl.gov",
      session_required_policies: "p1,p2",
      session_required_mfa: "true",
      session_message: "Please use your university identity",
      prompt: "login",
    });
    expect(Object.keys(query)).toEqual([
      "session_required_identities",
      "session_required_single_domain",
      "session_required_policies",
      "session_required_mfa",
      "session_message",
      "prompt",
    ]);
  });

  it('writes false MFA as "false"', () => {
    expect(toAuthorizeQuery({ session_required_mfa: false })).toEqual({ session_required_mfa: "false" });
  });

  it("leaves out unset fields and empty lists", () => {
    expect(toAuthorizeQuery({})).toEqual({});
    expect(
      toAuthorizeQuery({ session_required_identities: [], required_scopes: ["a"], prompt: undefined }),
    ).toEqual({});
  });

  it("encodes into a URL the way Auth expects", () => {
    const url = new URL("https://auth.globus.org/v2/oauth2/authorize");
    for (const [k, v] of Object.entries(
      toAuthorizeQuery({ session_required_identities: ["user@org.edu"] }),
    )) {
      url.searchParams.set(k, v);
    }
    expect(url.search).toBe("?session_required_identities=user%40org.edu");
  });

  it("works on a parsed GARE's parameters", () => {
    const gare = toGare({
      authorization_parameters: { session_required_single_domain: "org.edu", session_required_mfa: true },
    });
    expect(toAuthorizeQuery(gare?.authorization_parameters ?? {})).toEqual({
      session_required_single_domain: "org.edu",
      session_required_mfa: "true",
    });
  });
});
