import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import {
  expectTypedOutcome,
  fuzzParams,
  hostileValue,
  mutated,
  trickyString,
} from "../../test-support/fuzz.ts";
import { GlobusTokenResponseSchema, GlobusTokenSchema, tokenResponseFromBody } from "./token-response.ts";
import {
  assertStorableTokenData,
  parseTokenStorageData,
  tokenStorageDataToJSON,
} from "./token-storage-data.ts";

const NEVER_THROWS = () => false;

const token = fc.record(
  {
    access_token: trickyString,
    scope: trickyString,
    expires_in: fc.oneof(fc.integer({ min: 0, max: 172_800 }), fc.double()),
    token_type: fc.constantFrom("Bearer", null),
    resource_server: fc.oneof(fc.constantFrom("auth.globus.org", "transfer.api.globus.org"), trickyString),
    refresh_token: fc.option(trickyString),
    id_token: fc.option(trickyString),
    state: trickyString,
  },
  { requiredKeys: ["access_token", "scope", "expires_in", "resource_server"] },
);

const responseBody = fc
  .tuple(token, fc.array(token, { maxLength: 3 }))
  .map(([top, others]) => ({ ...top, other_tokens: others }));

const body = fc.oneof(
  responseBody,
  mutated(responseBody),
  mutated(fc.array(token, { maxLength: 3 })),
  hostileValue,
);

function isWellFormed(response: ReturnType<typeof tokenResponseFromBody>): boolean {
  const records = Object.entries(response.byResourceServer);
  return records.every(
    ([rs, record]) =>
      Object.hasOwn(response.byResourceServer, rs) &&
      record.resource_server === rs &&
      typeof record.access_token === "string" &&
      typeof record.scope === "string" &&
      // A negative expires_in merely gives an expired token; NaN or a fraction would not store.
      Number.isInteger(record.expires_at_seconds),
  );
}

describe("token response parsing under fuzzing", () => {
  it("GlobusTokenResponseSchema accepts or refuses; what it accepts splits into storable records", () => {
    const receivedAt = 1_800_000_000;
    fc.assert(
      fc.property(body, (doc) => {
        const parsed = expectTypedOutcome(
          () => v.safeParse(GlobusTokenResponseSchema, doc),
          undefined,
          NEVER_THROWS,
        );
        if (!parsed.ok || !parsed.value.success) return;
        const output = parsed.value.output;
        const split = expectTypedOutcome(
          () =>
            tokenResponseFromBody(output, { grantType: "authorization_code", receivedAtSeconds: receivedAt }),
          (response) => isWellFormed(response),
          NEVER_THROWS,
        );
        if (!split.ok) return;
        expect(Object.keys(split.value.byResourceServer)).toHaveLength(1 + output.other_tokens.length);
        // What a response carries must be storable and read back the same.
        expectTypedOutcome(() => assertStorableTokenData(split.value.byResourceServer));
        for (const [rs, record] of Object.entries(split.value.byResourceServer)) {
          const back = expectTypedOutcome(() =>
            parseTokenStorageData(tokenStorageDataToJSON(record), "fuzz", rs),
          );
          if (back.ok) expect(back.value).toEqual(record);
        }
      }),
      fuzzParams(250),
    );
  });

  it("the dependent-token array form: refused, or one record per distinct resource server", () => {
    const tokens = fc.oneof(fc.array(token, { maxLength: 4 }), mutated(fc.array(token, { maxLength: 4 })));
    fc.assert(
      fc.property(tokens, (doc) => {
        const parsed = v.safeParse(v.array(GlobusTokenSchema), doc);
        if (!parsed.success) return;
        expectTypedOutcome(
          () => tokenResponseFromBody(parsed.output, { grantType: "dependent_token", receivedAtSeconds: 0 }),
          (response) => isWellFormed(response),
          NEVER_THROWS,
        );
      }),
      fuzzParams(200),
    );
  });

  it("parseTokenStorageData: a fresh record or a TokenStorageError, whatever was stored", () => {
    const fields = fc.record({
      resource_server: trickyString,
      identity_id: fc.option(trickyString),
      scope: trickyString,
      access_token: trickyString,
      refresh_token: fc.option(trickyString),
      expires_at_seconds: fc.integer(),
      token_type: fc.option(trickyString),
    });
    // Unknown keys (kept as extra), with the names most likely to clash with built-ins.
    const record = fc
      .tuple(fields, fc.dictionary(trickyString, hostileValue, { maxKeys: 3 }))
      .map(([known, extra]) => ({ ...extra, ...known }));
    fc.assert(
      fc.property(fc.oneof(record, mutated(record), hostileValue), fc.option(trickyString), (doc, rs) => {
        const parsed = expectTypedOutcome(
          () => parseTokenStorageData(doc, "fuzz", rs ?? undefined),
          (data) =>
            typeof data.access_token === "string" &&
            Number.isInteger(data.expires_at_seconds) &&
            Object.getPrototypeOf(data) === Object.prototype,
          (error) => (error as { name?: string }).name === "TokenStorageError",
        );
        if (!parsed.ok) return;
        // Written back (as every storage writes) and read again, nothing is lost, extra keys included.
        const json = tokenStorageDataToJSON(parsed.value);
        expect(parseTokenStorageData(json, "fuzz")).toEqual(parsed.value);
      }),
      fuzzParams(250),
    );
  });
});
