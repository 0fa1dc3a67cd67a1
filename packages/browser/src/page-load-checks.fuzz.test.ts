import { parsePendingLogin } from "@globus-app/core";
import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { parseCrossTabMessage } from "./cross-tab-channel.ts";
import { CrossTabMessageSchema } from "./cross-tab-message-schema.ts";

// The checks a page load runs (a cross-tab message, a pending redirect login) are written by hand
// to keep valibot off the page-load path; each must accept exactly what the valibot schema it
// replaced accepts, and give the same output.

const scalar = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ minLength: 500, maxLength: 600 }),
  fc.constantFrom("", "login", "logout", "tokensChanged", "identityChanged", "refresh", "__proto__"),
  fc.double(),
  fc.integer(),
  fc.constantFrom(null, undefined, true, 0, 1, -0, Number.NaN, Number.POSITIVE_INFINITY),
);
const value = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 4 }),
  fc.array(fc.string({ maxLength: 3 }), { minLength: 995, maxLength: 1005 }),
  fc.sparseArray(fc.string({ maxLength: 3 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 3 }), scalar, { maxKeys: 2 }),
);

function message(keys: string[]) {
  return fc.oneof(fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: keys.length }), value);
}

describe("parseCrossTabMessage", () => {
  it("accepts exactly what CrossTabMessageSchema accepts, with the same message", () => {
    const keys = ["type", "resourceServers", "identityId", "senderId", "other"];
    const plausible = fc.record(
      {
        type: fc.constantFrom("login", "logout", "tokensChanged", "identityChanged", "nope"),
        senderId: fc.oneof(fc.string({ maxLength: 8 }), fc.constant("x".repeat(513))),
        resourceServers: fc.oneof(value, fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 })),
        identityId: fc.oneof(value, fc.constant(null), fc.string({ maxLength: 8 })),
      },
      { requiredKeys: ["type", "senderId"] },
    );
    fc.assert(
      fc.property(fc.oneof(message(keys), plausible), (data) => {
        const reference = v.safeParse(CrossTabMessageSchema, data);
        const hand = parseCrossTabMessage(data);
        if (!reference.success) expect(hand).toBeUndefined();
        else {
          // The schema keeps an explicitly undefined optional key; the channel never passed it on.
          const expected = Object.fromEntries(
            Object.entries(reference.output).filter(([, x]) => x !== undefined),
          );
          expect(hand).toEqual(expected);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

const PendingLoginSchema = v.object({
  v: v.pipe(
    v.number(),
    v.check((version) => version === 1),
  ),
  clientId: v.string(),
  state: v.string(),
  codeVerifier: v.nullable(v.string()),
  redirectUri: v.string(),
  returnUrl: v.string(),
  createdAt: v.number(),
});

describe("parsePendingLogin", () => {
  it("accepts exactly what the valibot schema it replaced accepted, with the same output", () => {
    const keys = ["v", "clientId", "state", "codeVerifier", "redirectUri", "returnUrl", "createdAt", "x"];
    const plausible = fc.record({
      v: fc.oneof(fc.constant(1), value),
      clientId: fc.oneof(fc.string(), value),
      state: fc.oneof(fc.string(), value),
      codeVerifier: fc.oneof(fc.string(), fc.constant(null), value),
      redirectUri: fc.oneof(fc.string(), value),
      returnUrl: fc.oneof(fc.string(), value),
      createdAt: fc.oneof(fc.integer(), value),
      x: value,
    });
    fc.assert(
      fc.property(fc.oneof(message(keys), plausible), (data) => {
        const reference = v.safeParse(PendingLoginSchema, data);
        expect(parsePendingLogin(data)).toEqual(reference.success ? reference.output : undefined);
      }),
      { numRuns: 3000 },
    );
  });
});
