import { describe, expect, it } from "vitest";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import { Scope } from "./scope.ts";
import {
  isScopeCycleError,
  isScopeParseError,
  ScopeCycleError,
  ScopeParseError,
} from "./scope-parse-error.ts";

describe("Scope", () => {
  it("renders simple, optional, dependent, nested and optional-dependency scopes", () => {
    expect(String(new Scope("simple"))).toBe("simple");
    expect(String(new Scope("simple", { optional: true }))).toBe("*simple");
    let top = new Scope("top").withDependency(new Scope("foo"));
    expect(String(top)).toBe("top[foo]");
    top = top.withDependency(new Scope("bar"));
    expect(String(top)).toBe("top[foo bar]");
    const bottom = new Scope("bottom");
    const mid = new Scope("mid", { dependencies: [bottom] });
    expect(String(new Scope("top", { dependencies: [mid] }))).toBe("top[mid[bottom]]");
    expect(String(new Scope("top").withDependency(new Scope("sub", { optional: true })))).toBe("top[*sub]");
    expect(
      `${new Scope("a", { optional: true, dependencies: [new Scope("b"), Scope.parse("*c[d]")] })}`,
    ).toBe("*a[b *c[d]]");
  });

  it("has defaults and is frozen", () => {
    const s = new Scope("x");
    expect(s.scopeString).toBe("x");
    expect(s.optional).toBe(false);
    expect(s.dependencies).toEqual([]);
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.dependencies)).toBe(true);
    expect(() => {
      (s as { optional: boolean }).optional = true;
    }).toThrow(TypeError);
  });

  it("copies the dependencies it is given", () => {
    const deps = [new Scope("b")];
    const s = new Scope("a", { dependencies: deps });
    deps.push(new Scope("c"));
    expect(String(s)).toBe("a[b]");
  });

  it("serialises to its scope string in JSON", () => {
    expect(JSON.stringify({ s: Scope.parse("a[*b]") })).toBe('{"s":"a[*b]"}');
  });

  it.each(["*foo", "foo[bar]", "foo[", "foo]", "foo bar", "", "a\tb", "a\nb", "a\vb", "a\fb", "a\rb"])(
    "constructor rejects special characters in %j",
    (bad) => {
      expect(() => new Scope(bad)).toThrow(GlobusSDKUsageError);
      expect(() => new Scope(bad)).toThrow(/Use Scope\.parse instead/);
    },
  );

  it.each([42, null, undefined, ["a"], { toString: () => "a" }])(
    "constructor rejects a scope string that is not a string: %j",
    (bad) => {
      expect(() => new Scope(bad as unknown as string)).toThrow(GlobusSDKUsageError);
      expect(() => new Scope(bad as unknown as string)).toThrow(/must be non-empty/);
    },
  );

  it("with* methods leave the original unchanged", () => {
    const s1 = new Scope("s1");
    const s3 = s1.withDependency(new Scope("s2"));
    expect(s1.dependencies).toHaveLength(0);
    expect(s3.dependencies).toHaveLength(1);
    expect(s3.scopeString).toBe("s1");
    const s4 = s1.withDependencies([new Scope("s2"), new Scope("s3")]);
    expect(s1.dependencies).toHaveLength(0);
    expect(s4.dependencies).toHaveLength(2);
    const opt = s1.withOptional(true);
    expect(s1.optional).toBe(false);
    expect(opt.optional).toBe(true);
    expect(opt.withOptional(false).optional).toBe(false);
    expect(s3.withOptional(true).toString()).toBe("*s1[s2]");
  });

  it("withDependencies accepts any iterable", () => {
    function* gen() {
      yield new Scope("b");
      yield new Scope("c");
    }
    expect(String(new Scope("a").withDependencies(gen()))).toBe("a[b c]");
    expect(String(new Scope("a").withDependencies(new Set([new Scope("b")])))).toBe("a[b]");
  });

  it("rejects non-Scope dependencies with Python's messages", () => {
    const s = new Scope("x");
    expect(() => s.withDependency("y" as unknown as Scope)).toThrow(
      "Scope.withDependency() takes a Scope as its input. Got: 'string'",
    );
    expect(() => s.withDependencies(["y"] as unknown as Scope[])).toThrow(
      "Scope.withDependencies() takes an iterable of Scopes as its input. At position 0, got: 'string'",
    );
    expect(() => s.withDependencies([new Scope("y"), "z"] as unknown as Scope[])).toThrow(
      "Scope.withDependencies() takes an iterable of Scopes as its input. At position 1, got: 'string'",
    );
    expect(() => s.withDependency({} as Scope)).toThrow(
      "Scope.withDependency() takes a Scope as its input. Got: 'Object'",
    );
    expect(() => s.withDependency(Object.create(null) as Scope)).toThrow(
      "Scope.withDependency() takes a Scope as its input. Got: 'object'",
    );
    expect(() => s.withDependency(null as unknown as Scope)).toThrow(
      "Scope.withDependency() takes a Scope as its input. Got: 'null'",
    );
    expect(() => s.withDependencies(null as unknown as Scope[])).toThrow(
      "Scope.withDependencies() takes an iterable of Scopes as its input; got: 'null'",
    );
    // Not iterable at all: a usage error too, not a TypeError.
    for (const make of [
      () => s.withDependencies(null as unknown as Scope[]),
      () => new Scope("a", { dependencies: 5 as unknown as Scope[] }),
    ]) {
      expect(make).toThrow(expect.objectContaining({ name: "GlobusSDKUsageError" }));
    }
    expect(String(new Scope("a", null))).toBe("a");
  });

  describe("parse", () => {
    it("parses exactly one scope", () => {
      expect(String(Scope.parse("foo"))).toBe("foo");
      const s = Scope.parse("foo[ bar   *baz  ]");
      expect(String(s)).toBe("foo[bar *baz]");
      expect(s.dependencies.map((d) => d.optional)).toEqual([false, true]);
    });

    it.each(["", "  ", "foo bar"])("rejects %j (not exactly one scope)", (text) => {
      expect(() => Scope.parse(text)).toThrow(ScopeParseError);
      expect(() => Scope.parse(text)).toThrow(
        /did not get exactly one scope; got \d+: '.*'\. Use ScopeParser\.parse for several scopes\./,
      );
    });

    it("propagates grammar and cycle errors", () => {
      expect(() => Scope.parse("foo[")).toThrow(ScopeParseError);
      expect(() => Scope.parse("foo[foo]")).toThrow(ScopeCycleError);
    });
  });

  describe("equals", () => {
    it("compares name, optional and dependency sets recursively", () => {
      expect(Scope.parse("a[b c[d]]").equals(Scope.parse("a[c[d] b]"))).toBe(true);
      expect(Scope.parse("a").equals(new Scope("a"))).toBe(true);
      expect(Scope.parse("a[b]").equals(Scope.parse("a[*b]"))).toBe(false);
      expect(Scope.parse("*a").equals(Scope.parse("a"))).toBe(false);
      expect(Scope.parse("*a").equals(Scope.parse("*b"))).toBe(false);
      expect(Scope.parse("x[*a]").equals(Scope.parse("x[*b]"))).toBe(false);
      expect(Scope.parse("a[b]").equals(Scope.parse("a[b c]"))).toBe(false);
      expect(Scope.parse("a[b[c]]").equals(Scope.parse("a[b[d]]"))).toBe(false);
      expect(
        new Scope("a", { dependencies: [new Scope("b"), new Scope("b")] }).equals(Scope.parse("a[b]")),
      ).toBe(true);
      expect(new Scope("a").equals("a" as unknown as Scope)).toBe(false);
    });

    it("tells apart every pair of scopes that differ in their dependencies, among many sub-scopes", () => {
      // Sub-scopes are numbered while comparing: with 13 of them, no dependency list may read the same
      // as another (x[the leaf numbered 12] against x[those numbered 1 and 2]).
      const leaves = Array.from({ length: 13 }, (_, i) => new Scope(`leaf${i}`));
      const wide = new Scope("wide", { dependencies: leaves });
      const variants: Scope[] = [];
      for (const [i, first] of leaves.entries()) {
        variants.push(new Scope("x", { dependencies: [first] }));
        for (const second of leaves.slice(i + 1)) {
          variants.push(new Scope("x", { dependencies: [first, second] }));
        }
      }
      const tops = variants.map((variant) => new Scope("top", { dependencies: [variant, wide] }));
      const wrong: string[] = [];
      for (const [i, a] of tops.entries()) {
        if (!a.equals(new Scope("top", { dependencies: [variants[i] as Scope, wide] }))) wrong.push(`${a}`);
        for (const b of tops.slice(i + 1)) if (a.equals(b) || b.equals(a)) wrong.push(`${a} = ${b}`);
      }
      expect(wrong).toEqual([]);
    });

    it("handles very deep scopes without recursion", () => {
      let deep = new Scope("leaf");
      let deep2 = new Scope("leaf");
      for (let i = 0; i < 20_000; i++) {
        deep = new Scope(`n${i}`, { dependencies: [deep] });
        deep2 = new Scope(`n${i}`, { dependencies: [deep2] });
      }
      expect(deep.equals(deep2)).toBe(true);
      const text = deep.toString();
      expect(text.startsWith("n19999[n19998[")).toBe(true);
      expect(text.endsWith("leaf".concat("]".repeat(20_000)))).toBe(true);
    });
  });

  describe("errors", () => {
    it("have stable names, codes and guards", () => {
      const parse = new ScopeParseError("x");
      const cycle = new ScopeCycleError("y");
      expect(parse.code).toBe("SCOPE_PARSE_ERROR");
      expect(parse.name).toBe("ScopeParseError");
      expect(cycle.code).toBe("SCOPE_CYCLE_ERROR");
      expect(cycle.name).toBe("ScopeCycleError");
      expect(cycle).toBeInstanceOf(ScopeParseError);
      expect(isScopeParseError(parse)).toBe(true);
      expect(isScopeParseError(cycle)).toBe(true);
      expect(isScopeCycleError(parse)).toBe(false);
      expect(isScopeCycleError({ name: "ScopeCycleError", code: "SCOPE_CYCLE_ERROR", message: "" })).toBe(
        true,
      );
      expect(JSON.parse(JSON.stringify(cycle))).toEqual({
        name: "ScopeCycleError",
        code: "SCOPE_CYCLE_ERROR",
        message: "y",
      });
    });
  });
});
