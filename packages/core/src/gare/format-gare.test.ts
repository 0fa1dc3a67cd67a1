import { describe, expect, it } from "vitest";
import { formatAuthorizationParameters, formatGare } from "./format-gare.ts";
import { toGare } from "./to-gare.ts";

describe("formatGare (the Python SDK's GARE repr)", () => {
  it("writes every known field, Python's way, and marks extras without showing them", () => {
    const gare = toGare({
      code: "ConsentRequired",
      authorization_parameters: {
        session_message: "Use your lab's MFA",
        session_required_mfa: true,
        required_scopes: [
          "urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/c/data_access]",
        ],
      },
      request_id: "abc123",
    });
    expect(gare).not.toBeNull();
    expect(formatGare(gare as NonNullable<typeof gare>)).toBe(
      `GARE(code='ConsentRequired', authorization_parameters=GlobusAuthorizationParameters(session_message="Use your lab's MFA", session_required_identities=None, session_required_policies=None, session_required_single_domain=None, session_required_mfa=True, required_scopes=['urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/c/data_access]'], prompt=None), extra=...)`,
    );
  });

  it("adds extra=... only when there are extra fields, and escapes quotes and newlines", () => {
    expect(formatAuthorizationParameters({ prompt: "login", session_required_mfa: false })).toBe(
      "GlobusAuthorizationParameters(session_message=None, session_required_identities=None, session_required_policies=None, session_required_single_domain=None, session_required_mfa=False, required_scopes=None, prompt='login')",
    );
    expect(formatAuthorizationParameters({ session_message: `a'b"c\nd`, extra: { x: 1 } })).toMatch(
      /^GlobusAuthorizationParameters\(session_message='a\\'b"c\\nd', .*, prompt=None, extra=\.\.\.\)$/,
    );
    const plain = toGare({ code: "AuthorizationRequired", authorization_parameters: { prompt: "login" } });
    expect(formatGare(plain as NonNullable<typeof plain>)).not.toContain("extra");
  });
});
