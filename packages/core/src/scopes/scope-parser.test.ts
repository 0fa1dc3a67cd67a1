import { describe, expect, it } from "vitest";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import { Scope } from "./scope.ts";
import { ScopeGraph } from "./scope-graph.ts";
import { ScopeCycleError, ScopeParseError } from "./scope-parse-error.ts";
import { mergeScopes, normalizeScopes, ScopeParser, serializeScopes } from "./scope-parser.ts";

const strings = (scopes: readonly Scope[]): string[] => scopes.map(String);

function deepChain(depth: number, leaf: string): string {
  let text = "";
  for (let i = 0; i < depth; i++) text += `foo${i}[`;
  text += leaf;
  for (let i = 0; i < depth; i++) text += "]";
  return text;
}

describe("ScopeParser.parse grammar", () => {
  it("parses the empty string to []", () => {
    expect(ScopeParser.parse("")).toEqual([]);
    expect(ScopeParser.parse("   ")).toEqual([]);
  });

  it.each([
    ["foo ", "foo"],
    [" foo", "foo"],
    ["foo[ bar]", "foo[bar]"],
    ["foo[bar ]", "foo[bar]"],
    ["  foo[ bar   *baz  ]  ", "foo[bar *baz]"],
    ["foo\tbar\nbaz", "foo bar baz"],
    ["foo\vbar\fbaz\rqux", "foo bar baz qux"],
    ["foo[bar\r*baz]\r\n", "foo[bar *baz]"],
    ["foo[bar\n*baz]", "foo[bar *baz]"],
  ])("ignores non-semantic whitespace: %j", (text, expected) => {
    expect(serializeScopes(ScopeParser.parse(text))).toBe(expected);
  });

  it.each(["foo", "*foo", "foo[bar]", "foo[*bar]", "foo bar", "foo[bar[baz]]", "a[b] c"])(
    "accepts %j",
    (text) => {
      const scopes = ScopeParser.parse(text);
      expect(scopes.length).toBeGreaterThan(0);
      expect(scopes[0]).toBeInstanceOf(Scope);
    },
  );

  it("parses names with URL and URN syntax intact", () => {
    const text =
      "urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/542a86fc-1766-450d-841f-065488a2ec01/data_access]";
    const [scope] = ScopeParser.parse(text);
    expect(scope?.scopeString).toBe("urn:globus:auth:scope:transfer.api.globus.org:all");
    expect(scope?.dependencies[0]?.scopeString).toBe(
      "https://auth.globus.org/scopes/542a86fc-1766-450d-841f-065488a2ec01/data_access",
    );
    expect(scope?.dependencies[0]?.optional).toBe(true);
    expect(String(scope)).toBe(text);
  });

  it.each([
    ["foo*", "ended in optional marker"],
    ["foo *", "ended in optional marker"],
    ["*", "ended in optional marker"],
    ["foo*[bar]", "a scope string must always follow an optional marker"],
    ["foo *[bar]", "a scope string must always follow an optional marker"],
    ["**foo", "a scope string must always follow an optional marker"],
    ["foo[*]", "a scope string must always follow an optional marker"],
    ["foo [bar*]", "'[' cannot have a preceding space"],
    ["foo * ", "'*' must not be followed by a space"],
    ["* foo", "'*' must not be followed by a space"],
    ["foo*bar", "'*' may only appear at the start of a scope string"],
    ["foo[bar*baz]", "'*' may only appear at the start of a scope string"],
    ["foo[]", "found empty brackets"],
    ["foo[  ]", "found empty brackets"],
    ["[foo]", "found '[' without a preceding scope string"],
    ["*[foo]", "a scope string must always follow an optional marker"],
    ["foo[[bar]]", "found double left-bracket"],
    ["foo[", "ended in left bracket"],
    ["foo[  ", "ended in left bracket"],
    ["foo[bar", "unclosed brackets, missing ']'"],
    ["foo[bar[baz]", "unclosed brackets, missing ']'"],
    ["foo]", "found ']' with no matching '[' preceding it"],
    ["foo bar]", "found ']' with no matching '[' preceding it"],
    ["foo[bar]]", "found ']' with no matching '[' preceding it"],
    ["foo[bar] baz]", "found ']' with no matching '[' preceding it"],
    ["]", "found ']' with no matching '[' preceding it"],
    ["foo [bar]", "'[' cannot have a preceding space"],
    [" [bar]", "'[' cannot have a preceding space"],
    ["foo[bar]baz", "']' may only be followed by a space or ']'"],
    ["foo[bar][baz]", "']' may only be followed by a space or ']'"],
    ["foo[bar]*baz", "']' may only be followed by a space or ']'"],
  ])("rejects %j: %s", (text, message) => {
    expect(() => ScopeParser.parse(text)).toThrow(ScopeParseError);
    expect(() => ScopeParser.parse(text)).toThrow(message);
    try {
      ScopeParser.parse(text);
    } catch (e) {
      expect(e).not.toBeInstanceOf(ScopeCycleError);
      expect((e as ScopeParseError).code).toBe("SCOPE_PARSE_ERROR");
    }
  });

  it("keeps each scope's optional marker to itself", () => {
    expect(strings(ScopeParser.parse("*a *b"))).toEqual(["*a", "*b"]);
    expect(strings(ScopeParser.parse("*a b"))).toEqual(["*a", "b"]);
    expect(strings(ScopeParser.parse("a *b"))).toEqual(["a", "*b"]);
    expect(strings(ScopeParser.parse("a[*b c] *d[e]"))).toEqual(["a[*b c]", "*d[e]"]);
  });

  it("rejects non-string input with a usage error", () => {
    expect(() => ScopeParser.parse(42 as unknown as string)).toThrow(GlobusSDKUsageError);
    expect(() => ScopeParser.parse(42 as unknown as string)).toThrow(
      "Scope strings must be strings; got 'number'",
    );
  });
});

describe("ScopeParser.parse graph semantics", () => {
  it.each([
    ["foo[bar *bar]", ["foo[bar]"]],
    ["foo[*bar bar]", ["foo[bar]"]],
    ["foo[bar[baz]] bar[*baz]", ["foo[bar[baz]]", "bar[baz]"]],
    ["foo[bar[*baz]] bar[baz]", ["foo[bar[baz]]", "bar[baz]"]],
    ["foo[*bar[baz]] foo[bar]", ["foo[bar[baz]]"]],
  ])("an optional edge yields to a required one: %j", (text, expected) => {
    expect(strings(ScopeParser.parse(text))).toEqual(expected);
  });

  it("keeps a required dependency's position when it replaces an optional one", () => {
    expect(strings(ScopeParser.parse("foo[*a b a]"))).toEqual(["foo[a b]"]);
  });

  it("keeps an optional edge when only optional edges exist", () => {
    expect(strings(ScopeParser.parse("foo[*bar] foo[*bar]"))).toEqual(["foo[*bar]"]);
  });

  it("unions dependencies across occurrences of the same scope, anywhere in the string", () => {
    expect(strings(ScopeParser.parse("foo[bar] foo[baz]"))).toEqual(["foo[bar baz]"]);
    expect(strings(ScopeParser.parse("top[foo[a]] foo[b]"))).toEqual(["top[foo[a b]]", "foo[a b]"]);
    expect(strings(ScopeParser.parse("x[foo[a]] y[foo[b]]"))).toEqual(["x[foo[a b]]", "y[foo[a b]]"]);
  });

  it("dedupes top-level scopes per (name, optional)", () => {
    expect(strings(ScopeParser.parse("foo foo foo[bar]"))).toEqual(["foo[bar]"]);
    expect(strings(ScopeParser.parse("foo *foo"))).toEqual(["foo", "*foo"]);
    expect(strings(ScopeParser.parse("*foo[a] foo[b]"))).toEqual(["*foo[a b]", "foo[a b]"]);
  });

  it("shares one Scope object per distinct (name, optional)", () => {
    const [x, y] = ScopeParser.parse("x[foo[a]] y[foo[a]]");
    expect(x?.dependencies[0]).toBe(y?.dependencies[0]);
  });

  it("is deterministic: first-appearance order for top-level scopes and dependencies", () => {
    const text = "zeta alpha[m z a] mid[q] alpha[b] beta *zeta gamma[mid]";
    const expected = ["zeta", "alpha[m z a b]", "mid[q]", "beta", "*zeta", "gamma[mid[q]]"];
    for (let i = 0; i < 5; i++) expect(strings(ScopeParser.parse(text))).toEqual(expected);
    const names = Array.from({ length: 200 }, (_, i) => `s${(i * 7919) % 200}`);
    expect(strings(ScopeParser.parse(names.join(" ")))).toEqual(names);
  });

  it.each([
    "foo[foo]",
    "foo[*foo]",
    "foo[bar[foo]]",
    "foo[bar[baz[bar]]]",
    "foo[bar[*baz[bar]]]",
    "foo[bar[*baz[*bar]]]",
    "a[b] b[a]",
    "a[b] c[d] d[b[a]]",
  ])("rejects the cycle in %j", (text) => {
    expect(() => ScopeParser.parse(text)).toThrow(ScopeCycleError);
    try {
      ScopeParser.parse(text);
    } catch (e) {
      expect((e as ScopeCycleError).code).toBe("SCOPE_CYCLE_ERROR");
      expect((e as Error).message).toMatch(/^A cycle was found involving '\w+'$/);
    }
  });

  it("accepts diamonds (shared dependencies are not cycles)", () => {
    expect(strings(ScopeParser.parse("a[b[d] c[d]]"))).toEqual(["a[b[d] c[d]]"]);
  });
});

describe("deep inputs", () => {
  it("parses a 1000-deep dependency chain", () => {
    const text = deepChain(1000, "bar");
    const [scope] = ScopeParser.parse(text);
    expect(String(scope)).toBe(text);
    let depth = 0;
    for (let s: Scope | undefined = scope; s; s = s.dependencies[0]) depth++;
    expect(depth).toBe(1001);
  });

  it("detects a 1000-deep cycle quickly", () => {
    const text = deepChain(1000, " foo10");
    expect(() => ScopeParser.parse(text)).toThrow(ScopeCycleError);
    expect(() => ScopeParser.parse(text)).toThrow("A cycle was found involving 'foo10'");
  });

  it("handles a 1000-deep cycle back to the root", () => {
    expect(() => ScopeParser.parse(deepChain(1000, "foo0"))).toThrow(ScopeCycleError);
  });

  it("handles 100 000-deep chains and cycles without overflowing the stack", () => {
    const text = deepChain(100_000, "bar");
    const [scope] = ScopeParser.parse(text);
    expect(String(scope).length).toBe(text.length);
    expect(() => ScopeParser.parse(deepChain(100_000, "foo5"))).toThrow(ScopeCycleError);
    expect(() => mergeScopes([scope as Scope], "bar[foo0]")).toThrow(ScopeCycleError);
  });

  it("handles wide inputs", () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `foo${i}`);
    expect(ScopeParser.parse(names.join(" "))).toHaveLength(10_000);
  });

  it("normalizes a string of 150 000 scopes (fuzz: spreading them into push overflowed the stack)", () => {
    const text = Array.from({ length: 150_000 }, (_, i) => `s${i}`).join(" ");
    expect(normalizeScopes(text)).toHaveLength(150_000);
  });

  it("refuses to serialize a dependency DAG whose tree form explodes (fuzz: 300 bytes → 2^40 characters)", () => {
    // Each scope depends on the next two: parsing shares the sub-trees, but the string form repeats
    // them, doubling at every level; it used to hang, then fail with a plain RangeError.
    const text = Array.from({ length: 40 }, (_, i) => `x${i}[x${i + 1} x${i + 2}]`).join(" ");
    const scopes = ScopeParser.parse(text);
    expect(() => serializeScopes(scopes)).toThrow(GlobusSDKUsageError);
    expect(() => String(scopes[0])).toThrow(/more than 4194304 characters/);
    // Many scopes sharing one large sub-tree: each prints alone, the list together would not.
    const shared = Array.from({ length: 40 }, (_, i) => `r${i}[x19]`).join(" ");
    const many = ScopeParser.parse(`${text} ${shared}`).filter((s) => s.scopeString.startsWith("r"));
    expect(String(many[0]).length).toBeGreaterThan(100_000);
    expect(() => serializeScopes(many)).toThrow(/more than 4194304 characters/);
    // Small sub-trees still print.
    expect(String(scopes[38])).toBe("x38[x39[x40 x41] x40]");
  });

  it("stays linear on diamond ladders", () => {
    // Each level depends twice on the next: naive path enumeration would be 2^60.
    let text = "";
    for (let i = 0; i < 60; i++) text += `l${i}[m${i} `;
    const parts: string[] = [];
    for (let i = 0; i < 60; i++) parts.push(`m${i}[l${i + 1}]`);
    text = `${text}x${"]".repeat(60)} ${parts.join(" ")}`;
    const scopes = ScopeParser.parse(text);
    expect(scopes[0]?.scopeString).toBe("l0");
  });
});

describe("mergeScopes", () => {
  it("unions base scopes", () => {
    const merged = ScopeParser.merge(
      [new Scope("foo"), new Scope("bar")],
      [new Scope("foo"), new Scope("baz")],
    );
    expect(strings(merged)).toEqual(["foo", "bar", "baz"]);
  });

  it("keeps *foo and foo", () => {
    expect(strings(mergeScopes([new Scope("foo", { optional: true })], [new Scope("foo")]))).toEqual([
      "*foo",
      "foo",
    ]);
  });

  it("unions dependencies", () => {
    const merged = mergeScopes([Scope.parse("foo[bar]")], [Scope.parse("foo[baz]")]);
    expect(merged).toHaveLength(1);
    expect(strings(merged[0]?.dependencies ?? [])).toEqual(["bar", "baz"]);
  });

  it("collapses an optional dependency into a required one", () => {
    expect(strings(mergeScopes([Scope.parse("foo[bar]")], [Scope.parse("foo[*bar]")]))).toEqual(["foo[bar]"]);
    expect(strings(mergeScopes([Scope.parse("foo[*bar]")], [Scope.parse("foo[bar]")]))).toEqual(["foo[bar]"]);
  });

  it("keeps both mixed-optional bases, each with the union of dependencies", () => {
    const merged = mergeScopes([Scope.parse("foo[bar]")], [Scope.parse("*foo[baz]")]);
    expect(strings(merged)).toEqual(["foo[bar baz]", "*foo[bar baz]"]);
  });

  it("unions recursively", () => {
    expect(strings(mergeScopes("a[b[c]]", "a[b[d] e]"))).toEqual(["a[b[c d] e]"]);
  });

  it("accepts any number of strings, Scopes and iterables, keeping first-appearance order", () => {
    const merged = mergeScopes(
      "openid profile",
      [new Scope("email"), "openid"],
      new Set([Scope.parse("x[y]")]),
    );
    expect(strings(merged)).toEqual(["openid", "profile", "email", "x[y]"]);
    expect(mergeScopes()).toEqual([]);
    expect(mergeScopes([], "")).toEqual([]);
  });

  it("matches the app's use: foo:all[bar:all] + foo:all[baz:all]", () => {
    expect(
      strings(mergeScopes([Scope.parse("foo:all[bar:all]")], normalizeScopes("foo:all[baz:all]"))),
    ).toEqual(["foo:all[bar:all baz:all]"]);
  });

  it("rejects cycles formed by merging", () => {
    expect(() => mergeScopes("a[b]", "b[a]")).toThrow(ScopeCycleError);
  });

  it("does not blow up on Scope objects that share sub-trees", () => {
    let s = new Scope("leaf");
    for (let i = 0; i < 40; i++)
      s = new Scope(`n${i}`, { dependencies: [s, new Scope(`k${i}`, { dependencies: [s] })] });
    const [merged] = mergeScopes([s]);
    expect(merged?.scopeString).toBe("n39");
  });

  it("rejects invalid items", () => {
    expect(() => mergeScopes([1 as unknown as string])).toThrow("at position 0, got 'number'");
    expect(() => mergeScopes(null as unknown as string)).toThrow(GlobusSDKUsageError);
  });
});

describe("serializeScopes", () => {
  it.each(["foo", "*foo", "foo[bar] baz", " foo  ", "foo[bar] bar[foo]"])(
    "passes %j through exactly",
    (text) => {
      expect(ScopeParser.serialize(text)).toBe(text);
    },
  );

  it("renders Scope objects", () => {
    expect(serializeScopes(new Scope("scope1"))).toBe("scope1");
    expect(serializeScopes(Scope.parse("foo[bar *baz]"))).toBe("foo[bar *baz]");
  });

  it.each([
    [["scope1"]],
    [new Set(["scope1"])],
    [
      (function* () {
        yield "scope1";
      })(),
    ],
  ])("accepts collections: %o", (input) => {
    expect(serializeScopes(input)).toBe("scope1");
  });

  it.each([
    [["scope1", new Scope("scope2")], "scope1 scope2"],
    [[new Scope("scope1"), new Scope("scope2"), "scope3"], "scope1 scope2 scope3"],
    [[new Scope("scope1"), "scope2", "scope3 scope4"], "scope1 scope2 scope3 scope4"],
  ])("handles mixed data", (input, expected) => {
    expect(serializeScopes(input)).toBe(expected);
  });

  it.each([[""], [[]], [new Set<string>()]])("rejects empty input by default: %o", (input) => {
    expect(() => serializeScopes(input)).toThrow(GlobusSDKUsageError);
    expect(() => serializeScopes(input)).toThrow("'scopes' cannot be the empty string or empty collection.");
    expect(serializeScopes(input, { rejectEmpty: false })).toBe("");
  });
});

describe("normalizeScopes", () => {
  it("parses strings, keeps Scope objects, keeps order and does not merge", () => {
    const transfer = new Scope("transfer:all");
    const out = normalizeScopes(["openid profile", transfer, "x[y] x[z]", "openid"]);
    expect(strings(out)).toEqual(["openid", "profile", "transfer:all", "x[y z]", "openid"]);
    expect(out[2]).toBe(transfer);
    expect(strings(normalizeScopes("a b[c]"))).toEqual(["a", "b[c]"]);
    expect(normalizeScopes(transfer)).toEqual([transfer]);
    expect(normalizeScopes([])).toEqual([]);
    expect(normalizeScopes("")).toEqual([]);
  });

  it("propagates parse errors and rejects other values", () => {
    expect(() => normalizeScopes(["ok", "bad["])).toThrow(ScopeParseError);
    expect(() => normalizeScopes([{}] as unknown as string[])).toThrow(GlobusSDKUsageError);
    expect(() => normalizeScopes(5 as unknown as string)).toThrow(GlobusSDKUsageError);
  });
});

describe("ScopeGraph", () => {
  it("exposes roots, nodes and edges in first-appearance order", () => {
    const graph = ScopeGraph.from(["a[b *c] *a", Scope.parse("a[c d]")]);
    expect(graph.roots).toEqual([
      { name: "a", optional: false },
      { name: "a", optional: true },
    ]);
    expect(graph.nodes).toEqual(["a", "b", "c", "d"]);
    expect([...(graph.edges.get("a") ?? [])]).toEqual([
      ["b", false],
      ["c", false],
      ["d", false],
    ]);
  });

  it("renders DOT like the Python SDK", () => {
    expect(String(ScopeGraph.from(["foo"]))).toBe('digraph scopes {\n  rankdir="LR";\n\n  foo\n\n\n}');
    expect(String(ScopeGraph.from(["*foo"]))).toBe('digraph scopes {\n  rankdir="LR";\n\n  *foo\n\n\n}');
    expect(String(ScopeGraph.from(["foo[*bar baz]"]))).toBe(
      'digraph scopes {\n  rankdir="LR";\n\n  foo\n\n  foo -> baz;\n  foo -> bar [ label = "optional" ];\n\n}',
    );
  });
});
