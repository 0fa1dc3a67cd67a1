import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  expectTypedOutcome,
  fuzzParams,
  hostileValue,
  LONG_STRING,
  mutated,
  trickyString,
} from "../../test-support/fuzz.ts";
import { ConsentForest } from "./consent-forest.ts";
import { Scope } from "./scope.ts";
import { ScopeParser } from "./scope-parser.ts";

/** Scope strings from the grammar's own alphabet, so most inputs get deep into the parser. */
const scopeText = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(
        fc.oneof(
          fc.constantFrom("a", "b", "c", "urn:globus:auth:scope:transfer.api.globus.org:all", "*", "[", "]"),
          fc.constantFrom(" ", "  ", "\t", "\n", "__proto__", "constructor", "é", "🦆", "\u0000"),
        ),
        { maxLength: 24 },
      )
      .map((parts) => parts.join("")),
  },
  { weight: 1, arbitrary: trickyString },
  { weight: 1, arbitrary: fc.constantFrom(LONG_STRING, `${"s[".repeat(3000)}t${"]".repeat(3000)}`) },
);

const isScopeList = (list: unknown) => Array.isArray(list) && list.every((s) => s instanceof Scope);

describe("scope parsing under fuzzing", () => {
  it("ScopeParser.parse: Scopes that serialize and re-parse to equal Scopes, or a typed error", () => {
    fc.assert(
      fc.property(scopeText, (text) => {
        const parsed = expectTypedOutcome(() => ScopeParser.parse(text), isScopeList);
        if (!parsed.ok) return;
        const text2 = expectTypedOutcome(() => ScopeParser.serialize(parsed.value, { rejectEmpty: false }));
        if (!text2.ok) return;
        const again = ScopeParser.parse(text2.value);
        expect(again.length).toBe(parsed.value.length);
        again.forEach((scope, i) => {
          expect(scope.equals(parsed.value[i] as Scope)).toBe(true);
        });
        // Deterministic: the same input always gives the same string.
        expect(ScopeParser.serialize(ScopeParser.parse(text), { rejectEmpty: false })).toBe(text2.value);
      }),
      fuzzParams(200),
    );
  });

  it("Scope.parse and new Scope: a Scope or a typed error, whatever the arguments", () => {
    fc.assert(
      fc.property(
        fc.oneof(scopeText, hostileValue),
        fc.oneof(
          hostileValue,
          fc.record(
            { optional: hostileValue, dependencies: fc.oneof(hostileValue, fc.constant([new Scope("d")])) },
            { requiredKeys: [] },
          ),
        ),
        (text, options) => {
          expectTypedOutcome(
            () => Scope.parse(text as string),
            (s) => s instanceof Scope,
          );
          expectTypedOutcome(
            () => new Scope(text as string, options as never),
            (s) => s instanceof Scope && String(s) === s.toString(),
          );
        },
      ),
      fuzzParams(200),
    );
  });

  it("merge and serialize: any mix of strings, Scopes and junk gives Scopes/a string or a typed error", () => {
    const item = fc.oneof(
      scopeText,
      scopeText.map((t) => {
        try {
          return Scope.parse(t);
        } catch {
          return t;
        }
      }),
      hostileValue,
    );
    const input = fc.oneof(item, fc.array(item, { maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(input, { maxLength: 3 }), fc.boolean(), (inputs, rejectEmpty) => {
        const merged = expectTypedOutcome(() => ScopeParser.merge(...(inputs as never[])), isScopeList);
        if (merged.ok) {
          // Merging is deterministic and idempotent.
          const again = ScopeParser.merge(...(inputs as never[]));
          expect(again.map(String)).toEqual(merged.value.map(String));
          expect(ScopeParser.merge(merged.value).map(String)).toEqual(merged.value.map(String));
        }
        for (const one of inputs) {
          expectTypedOutcome(
            () => ScopeParser.serialize(one as never, { rejectEmpty }),
            (s) => typeof s === "string",
          );
          expectTypedOutcome(() => ScopeParser.normalize(one as never), isScopeList);
        }
      }),
      fuzzParams(150),
    );
  });
});

const consent = fc.record({
  id: fc.integer({ min: 1, max: 6 }),
  client: trickyString,
  scope: trickyString,
  scope_name: fc.constantFrom("a", "b", "c", "__proto__"),
  effective_identity: trickyString,
  dependency_path: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
  created: trickyString,
  updated: trickyString,
  last_used: fc.option(trickyString),
  status: fc.constantFrom("approved", "revoked"),
  allows_refresh: fc.boolean(),
  auto_approved: fc.boolean(),
  atomically_revocable: fc.boolean(),
});

const consentsBody = fc.array(consent, { maxLength: 6 }).map((consents) => ({ consents }));

describe("ConsentForest.fromConsentsResponse under fuzzing", () => {
  it("a forest (whose trees answer scope checks) or a typed error, for any body", () => {
    const requirement = fc.constantFrom("a", "a[b]", "a[b[c]] c", "a[*b c]", "__proto__[a]", "b[a[b]]");
    fc.assert(
      fc.property(
        fc.oneof(consentsBody, mutated(consentsBody), hostileValue),
        fc.oneof(requirement, scopeText),
        (body, scopes) => {
          const forest = expectTypedOutcome(
            () => ConsentForest.fromConsentsResponse(body),
            (f) => f instanceof ConsentForest,
          );
          if (!forest.ok) return;
          // Cyclic or self-referencing dependency paths must not make these loop.
          expectTypedOutcome(
            () => forest.value.meetsScopeRequirements(scopes),
            (met) => typeof met === "boolean",
          );
          for (const tree of forest.value.trees) {
            expectTypedOutcome(
              () => tree.maxDepth,
              (depth) => Number.isInteger(depth) && depth >= 1,
            );
          }
        },
      ),
      fuzzParams(150),
    );
  });
});
