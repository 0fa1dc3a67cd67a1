import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  expectTypedOutcome,
  fuzzParams,
  hostileValue,
  mutated,
  trickyString,
  withOwnProto,
} from "../../test-support/fuzz.ts";
import type { GARE } from "./gare.ts";
import { gareToJSON } from "./gare-to-json.ts";
import { AUTHORIZATION_PARAMETER_KEYS } from "./globus-authorization-parameters.ts";
import { toAuthorizeQuery } from "./to-authorize-query.ts";
import { hasGares, isGare, toGare, toGares } from "./to-gare.ts";

// toGare, toGares, isGare and hasGares are documented never to throw.
const NEVER_THROWS = () => false;

const strings = fc.array(trickyString, { maxLength: 3 });
const listOrCommas = fc.oneof(strings, trickyString);
const paramKey = fc.constantFrom(...AUTHORIZATION_PARAMETER_KEYS);

const canonicalParams = fc.record(
  {
    session_message: fc.option(trickyString),
    session_required_identities: fc.option(strings),
    session_required_policies: fc.option(strings),
    session_required_single_domain: fc.option(strings),
    session_required_mfa: fc.option(fc.boolean()),
    required_scopes: fc.option(strings),
    prompt: fc.option(fc.constantFrom("login", "none")),
    unknown_field: hostileValue,
  },
  { requiredKeys: [] },
);

/** Valid GARE bodies in every form toGare knows, and inside an `errors` array. */
const validBody: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ code: trickyString, authorization_parameters: canonicalParams, request_id: trickyString }),
  fc.record(
    {
      authorization_parameters: fc.record(
        {
          session_message: trickyString,
          session_required_policies: listOrCommas,
          session_required_single_domain: listOrCommas,
          prompt: fc.constant("login"),
          required_scopes: listOrCommas,
        },
        { requiredKeys: [] },
      ),
      error: trickyString,
    },
    { requiredKeys: ["authorization_parameters"] },
  ),
  fc.record({ code: fc.constant("ConsentRequired"), required_scopes: strings, message: trickyString }),
  fc.record(
    {
      code: fc.constant("ConsentRequired"),
      required_scope: trickyString,
      description: trickyString,
      authorization_parameters: fc.oneof(canonicalParams, hostileValue),
    },
    { requiredKeys: ["code", "required_scope"] },
  ),
  fc.record({
    error: fc.constant("dependent_consent_required"),
    errors: fc.tuple(fc.record({ code: trickyString, unapproved_scopes: strings })),
  }),
);

const body = fc.oneof(
  validBody,
  validBody.map((doc) => ({ errors: [{ code: "NotAGare" }, doc] })),
  mutated(validBody),
  mutated(validBody.map((doc) => ({ errors: [doc] }))),
  hostileValue,
);

const isStringList = (value: unknown) => Array.isArray(value) && value.every((s) => typeof s === "string");
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** What every GARE that toGare returns must look like, and what consumers must be able to do with it. */
function isValidGare(gare: GARE | null): boolean {
  if (gare === null) return true;
  const params = gare.authorization_parameters as Record<string, unknown>;
  const ok =
    typeof gare.code === "string" &&
    isPlainObject(gare.extra) &&
    isPlainObject(params) &&
    isPlainObject(params.extra) &&
    ["session_message", "prompt"].every((k) => params[k] === undefined || typeof params[k] === "string") &&
    (params.session_required_mfa === undefined || typeof params.session_required_mfa === "boolean") &&
    [
      "session_required_identities",
      "session_required_policies",
      "session_required_single_domain",
      "required_scopes",
    ].every((k) => params[k] === undefined || isStringList(params[k]));
  if (!ok) return false;
  // Consumers build authorize URLs and JSON from it: neither may throw.
  const query = toAuthorizeQuery(gare.authorization_parameters);
  return Object.values(query).every((value) => typeof value === "string") && gareToJSON(gare) !== null;
}

/** The known (live) parameters of a GARE, the way an authorize request would see them. */
function liveParams(gare: GARE): Record<string, unknown> {
  const { extra: _, ...known } = gare.authorization_parameters;
  return known;
}

describe("GARE parsers under fuzzing", () => {
  it("toGare returns null or a well-formed GARE, never throws", () => {
    fc.assert(
      fc.property(body, (doc) => {
        expectTypedOutcome(() => toGare(doc), isValidGare, NEVER_THROWS);
      }),
      fuzzParams(250),
    );
  });

  it("toGares, isGare and hasGares agree with toGare and never throw", () => {
    fc.assert(
      fc.property(fc.array(body, { maxLength: 3 }), (docs) => {
        const gares = expectTypedOutcome(
          () => toGares(docs),
          (list) => list.every(isValidGare),
          NEVER_THROWS,
        );
        const flags = docs.map((doc) => expectTypedOutcome(() => isGare(doc), undefined, NEVER_THROWS));
        const any = expectTypedOutcome(() => hasGares(docs), undefined, NEVER_THROWS);
        const some = flags.some((f) => f.ok && f.value);
        expect(any.ok && any.value).toBe(some);
        for (const [i, doc] of docs.entries())
          expect(flags[i]?.ok && flags[i].value).toBe(toGare(doc) !== null);
        // Every body that is a GARE contributes at least one to toGares.
        if (gares.ok) expect(gares.value.length >= flags.filter((f) => f.ok && f.value).length).toBe(true);
      }),
      fuzzParams(150),
    );
    // Not an array: treated as a list of one.
    expectTypedOutcome(() => toGares("x" as never), undefined, NEVER_THROWS);
    expectTypedOutcome(() => hasGares(null as never), undefined, NEVER_THROWS);
  });

  it("gareToJSON takes any value: a JSON object or a usage error", () => {
    const gareLike = fc.oneof(
      hostileValue,
      fc.record(
        { code: hostileValue, authorization_parameters: hostileValue, extra: hostileValue },
        { requiredKeys: [] },
      ),
      fc.record({
        code: trickyString,
        authorization_parameters: fc.oneof(
          canonicalParams,
          canonicalParams.map((p) => ({ ...p, extra: withOwnProto({ prompt: "login" }) })),
        ),
        extra: fc.oneof(hostileValue, fc.constant(withOwnProto())),
      }),
    );
    fc.assert(
      fc.property(gareLike, fc.boolean(), (gare, includeExtra) => {
        expectTypedOutcome(() => gareToJSON(gare as GARE, { includeExtra }), isPlainObject);
      }),
      fuzzParams(200),
    );
  });

  it("extra stays inert through any number of gareToJSON(includeExtra) → toGare round trips", () => {
    // The extra keys most likely to be mistaken for live parameters: known names, and `extra`.
    const sneakyExtra = fc.dictionary(
      fc.oneof(paramKey, fc.constantFrom("extra", "code", "authorization_parameters"), trickyString),
      fc.oneof(strings, fc.boolean(), trickyString, fc.constant("login")),
      { maxKeys: 4 },
    );
    const gare = fc.oneof(
      body.map((doc) => toGare(doc)).filter((g): g is GARE => g !== null),
      fc
        .record({ code: trickyString, params: canonicalParams, extra: sneakyExtra, top: sneakyExtra })
        .map(({ code, params, extra, top }) => {
          const parsed = toGare({ code, authorization_parameters: params }) as GARE;
          return {
            ...parsed,
            authorization_parameters: { ...parsed.authorization_parameters, extra },
            extra: top,
          };
        }),
    );
    fc.assert(
      fc.property(gare, fc.integer({ min: 1, max: 3 }), (original, trips) => {
        let current = original;
        for (let i = 0; i < trips; i++) {
          const json = expectTypedOutcome(() => gareToJSON(current, { includeExtra: true }));
          if (!json.ok) return;
          const back = toGare(JSON.parse(JSON.stringify(json.value)));
          expect(back).not.toBeNull();
          current = back as GARE;
          expect(current.code).toBe(original.code);
          expect(liveParams(current)).toEqual(liveParams(original));
          expect(toAuthorizeQuery(current.authorization_parameters)).toEqual(
            toAuthorizeQuery(original.authorization_parameters),
          );
        }
      }),
      fuzzParams(200),
    );
  });
});
