import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzParams } from "../../test-support/fuzz.ts";
import { Scope } from "./scope.ts";
import { ScopeParser } from "./scope-parser.ts";
import { requiredRootScopes, scopeRequirementItems } from "./scope-requirement-items.ts";

/** Scope strings built from the grammar's alphabet: many parse, many do not. */
const scopeText = fc
  .array(fc.constantFrom("a", "b", "urn:x:all", "*", "[", "]", " ", "\t", "\n", "é", "\u00a0"), {
    maxLength: 20,
  })
  .map((parts) => parts.join(""));

describe("requiredRootScopes (the page load's check, without the parser)", () => {
  it("gives exactly the parser's top-level names and dependency flag for every string the parser accepts", () => {
    fc.assert(
      fc.property(fc.array(scopeText, { maxLength: 3 }), (texts) => {
        let parsed: Scope[];
        try {
          parsed = ScopeParser.merge(texts);
        } catch {
          return; // a malformed string is left to the parser, which a login runs
        }
        const { names, dependent } = requiredRootScopes(texts);
        expect([...names].sort()).toEqual([...new Set(parsed.map((s) => s.scopeString))].sort());
        expect(dependent).toBe(parsed.some((s) => s.dependencies.length > 0));
      }),
      fuzzParams(500),
    );
  });

  it("reads Scope objects by their fields, and mixes them with strings", () => {
    const tree = Scope.parse("t[*d]");
    expect(requiredRootScopes([tree, "*o p[q] "])).toEqual({
      names: new Set(["t", "o", "p"]),
      dependent: true,
    });
    expect(requiredRootScopes(["openid profile"])).toEqual({
      names: new Set(["openid", "profile"]),
      dependent: false,
    });
  });
});

describe("scopeRequirementItems", () => {
  it("keeps strings and Scopes as given, from one item or any iterable", () => {
    const scope = new Scope("s");
    expect(scopeRequirementItems("a[b] c")).toEqual(["a[b] c"]);
    expect(scopeRequirementItems(scope)).toEqual([scope]);
    expect(scopeRequirementItems(new Set(["x", scope]))).toEqual(["x", scope]);
  });

  it("refuses anything else with a usage error that names the position", () => {
    expect(() => scopeRequirementItems(42 as never)).toThrow(
      expect.objectContaining({ code: "USAGE_ERROR", message: expect.stringContaining("'number'") }),
    );
    expect(() => scopeRequirementItems(["ok", null] as never)).toThrow(
      expect.objectContaining({
        code: "USAGE_ERROR",
        message: expect.stringContaining("at position 1, got 'null'"),
      }),
    );
    expect(() => scopeRequirementItems({ scopeString: "x" } as never)).toThrow(
      expect.objectContaining({ code: "USAGE_ERROR" }),
    );
  });
});
