import { describe, expect, it } from "vitest";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import { Scope } from "./scope.ts";
import { MAX_STRING_LENGTH, parseScopeGraph } from "./scope-graph.ts";

describe("parseScopeGraph", () => {
  it("orders every name once, each after all of its dependencies (what building scopes relies on)", () => {
    const graph = parseScopeGraph(["a[b[c] d] e[c] b", new Scope("f", { dependencies: [new Scope("a")] })]);
    expect(graph.order).toEqual(["c", "b", "d", "a", "e", "f"]);
    expect(new Set(graph.order).size).toBe(graph.edges.size);
    for (const [parent, children] of graph.edges) {
      for (const child of children.keys()) {
        expect(graph.order.indexOf(child)).toBeLessThan(graph.order.indexOf(parent));
      }
    }
  });
});

describe("a scope's string form is refused only beyond MAX_STRING_LENGTH", () => {
  // `*` + name + `[b c]`: 6 characters besides the name.
  const optionalWithTwo = (nameLength: number): Scope =>
    new Scope("a".repeat(nameLength), {
      optional: true,
      dependencies: [new Scope("b"), new Scope("c")],
    });

  it("prints a scope whose string is exactly the limit", () => {
    const text = String(optionalWithTwo(MAX_STRING_LENGTH - 6));
    expect(text).toHaveLength(MAX_STRING_LENGTH);
    expect(text.endsWith("a[b c]")).toBe(true);
  });

  it("refuses one character more, before building it", () => {
    expect(() => String(optionalWithTwo(MAX_STRING_LENGTH - 5))).toThrow(GlobusSDKUsageError);
    expect(() => String(optionalWithTwo(MAX_STRING_LENGTH - 5))).toThrow(
      `would serialize to more than ${MAX_STRING_LENGTH} characters`,
    );
  });

  it("counts a dependency list's brackets and spaces, and each dependency's own `*`", () => {
    // Besides x's name, `[*y[z] w]`: 9 characters.
    const build = (nameLength: number) =>
      new Scope("x".repeat(nameLength), {
        dependencies: [new Scope("y", { optional: true, dependencies: [new Scope("z")] }), new Scope("w")],
      });
    expect(String(build(1))).toBe("x[*y[z] w]");
    expect(String(build(MAX_STRING_LENGTH - 9))).toHaveLength(MAX_STRING_LENGTH);
    expect(() => String(build(MAX_STRING_LENGTH - 8))).toThrow(GlobusSDKUsageError);
  });

  it("refuses a scope without dependencies over the limit too, as serializeScopes does", () => {
    expect(String(new Scope("s".repeat(MAX_STRING_LENGTH)))).toHaveLength(MAX_STRING_LENGTH);
    expect(() => String(new Scope("s".repeat(MAX_STRING_LENGTH), { optional: true }))).toThrow(
      GlobusSDKUsageError,
    );
  });
});
