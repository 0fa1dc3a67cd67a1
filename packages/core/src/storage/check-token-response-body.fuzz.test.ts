import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { fuzzParams, hostileValue, mutated, trickyNumber, trickyString } from "../../test-support/fuzz.ts";
import { ConsentSchema, parseConsent } from "../scopes/consent.ts";
import { checkTokenResponseBody } from "./check-token-response-body.ts";
import { GlobusTokenResponseSchema } from "./token-response.ts";

// The login chunk checks token responses and consents by hand (no valibot in it); the exported
// valibot schemas stay the definition. These properties hold the two equal.

const token = fc.record(
  {
    access_token: fc.oneof(trickyString, hostileValue),
    scope: trickyString,
    expires_in: fc.oneof(fc.integer({ min: 0, max: 172_800 }), trickyNumber, fc.constant("3600")),
    token_type: fc.constantFrom("Bearer", null, undefined, 5),
    resource_server: fc.oneof(
      fc.constantFrom("auth.globus.org", "transfer.api.globus.org", "", "__proto__"),
      trickyString,
    ),
    refresh_token: fc.option(trickyString),
    id_token: fc.option(fc.oneof(trickyString, hostileValue)),
    state: fc.oneof(trickyString, fc.constant(null), fc.constant(7)),
  },
  { requiredKeys: ["scope"] },
);
const responseBody = fc
  .tuple(token, fc.oneof(fc.array(token, { maxLength: 3 }), hostileValue, fc.constant(undefined)))
  .map(([top, others]) => (others === undefined ? top : { ...top, other_tokens: others }));
const body = fc.oneof(responseBody, mutated(responseBody), hostileValue);

function valibotFault(value: unknown): string | undefined {
  const parsed = v.safeParse(GlobusTokenResponseSchema, value);
  return parsed.success ? undefined : (parsed.issues[0].path?.map((p) => String(p.key)).join(".") ?? "body");
}

const integerLike = fc.oneof(fc.integer(), trickyNumber, fc.constant("1"));
const consent = fc.record(
  {
    id: integerLike,
    client: fc.oneof(trickyString, fc.constant(1)),
    scope: trickyString,
    scope_name: trickyString,
    effective_identity: trickyString,
    dependency_path: fc.oneof(fc.array(integerLike, { maxLength: 3 }), hostileValue),
    created: trickyString,
    updated: trickyString,
    last_used: fc.oneof(trickyString, fc.constant(null), fc.constant(0)),
    status: trickyString,
    allows_refresh: fc.oneof(fc.boolean(), fc.constant("true")),
    auto_approved: fc.boolean(),
    atomically_revocable: fc.oneof(fc.boolean(), fc.constant(null)),
  },
  { requiredKeys: [] },
);

describe("hand-written login-chunk checks agree with the valibot schemas", () => {
  it("checkTokenResponseBody accepts what GlobusTokenResponseSchema accepts and names the same first fault", () => {
    fc.assert(
      fc.property(body, (doc) => {
        const checked = checkTokenResponseBody(doc);
        const expected = valibotFault(doc);
        expect("invalid" in checked ? checked.invalid : undefined).toBe(expected);
        if ("body" in checked) {
          const parsed = v.parse(GlobusTokenResponseSchema, doc);
          expect(checked.body.other_tokens).toEqual(parsed.other_tokens);
          expect(checked.body.resource_server).toBe(parsed.resource_server);
        }
      }),
      fuzzParams(400),
    );
  });

  it("parseConsent accepts what ConsentSchema accepts, with valibot's expected type in its message", () => {
    fc.assert(
      fc.property(fc.oneof(consent, mutated(consent)), (doc) => {
        let error: unknown;
        let output: unknown;
        try {
          output = parseConsent(doc);
        } catch (e) {
          error = e;
        }
        const parsed = v.safeParse(ConsentSchema, doc);
        const isObject = typeof doc === "object" && doc !== null && !Array.isArray(doc);
        const missing = isObject
          ? Object.keys(ConsentSchema.entries).find(
              (key) => (doc as Record<string, unknown>)[key] === undefined,
            )
          : undefined;
        if (parsed.success && isObject) {
          expect(error).toBeUndefined();
          expect(output).toEqual(parsed.output);
        } else if (isObject && missing === undefined) {
          const issue = parsed.success ? undefined : parsed.issues[0];
          expect((error as Error).message).toBe(
            `Failed to load Consent object. Invalid value for key '${String(issue?.path?.[0]?.key)}' (expected ${issue?.expected ?? "another type"}).`,
          );
        } else {
          expect(error).toMatchObject({ name: "ConsentParseError" });
        }
      }),
      fuzzParams(400),
    );
  });
});
