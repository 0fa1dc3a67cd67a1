/** One node of a parsed Globus scope string: a scope, whether it is optional, and what it depends on. */
export interface ScopeNode {
  /** The scope string itself, e.g. `urn:globus:auth:scope:transfer.api.globus.org:all`. */
  readonly scope: string;
  /** `true` when written with a leading `*` (an optional dependency). */
  readonly optional: boolean;
  /** Dependent scopes, written inside `[…]` after the scope. */
  readonly dependencies: readonly ScopeNode[];
}

/** Thrown by {@link parseScopeTree} for a scope string that is not valid Globus scope syntax. */
export class ScopeSyntaxError extends Error {
  override readonly name = "ScopeSyntaxError";
}

// Hostile input must not blow the stack or the CPU: nobody writes scopes this deep or this wide.
const MAX_DEPTH = 32;
const MAX_NODES = 2000;
const MAX_SCOPE_LENGTH = 1024;

const isSpace = (ch: string | undefined): boolean =>
  ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "\f" || ch === "\v";
const isSpecial = (ch: string | undefined): boolean => ch === "[" || ch === "]" || ch === "*";

/**
 * Parses a Globus scope string with dependencies, e.g.
 * `openid transfer:all[*https://auth.globus.org/scopes/<collection>/data_access]`.
 *
 * Whitespace separates scopes, `*` marks an optional scope and `[…]` holds a scope's dependencies,
 * nesting freely. Repeated top-level or sibling scopes are merged (their dependencies united, and a
 * required occurrence wins over an optional one); a scope that depends on itself is an error.
 *
 * @throws {ScopeSyntaxError} on malformed input (`foo [bar]`, `foo[]`, `[foo]`, `foo[bar]baz`, a
 *   dangling `*`, unbalanced brackets, cycles, or absurd sizes).
 * @example
 * parseScopeTree("a[b *c[d]]");
 * // [{ scope: "a", optional: false, dependencies: [{ scope: "b", … }, { scope: "c", optional: true, … }] }]
 */
export function parseScopeTree(input: string): ScopeNode[] {
  let pos = 0;
  let nodes = 0;

  const fail = (message: string): never => {
    throw new ScopeSyntaxError(`${message} (at character ${pos})`);
  };

  const parseList = (depth: number, ancestors: readonly string[]): ScopeNode[] => {
    if (depth > MAX_DEPTH) fail("scope dependencies are nested too deeply");
    const list: ScopeNode[] = [];
    for (;;) {
      while (isSpace(input[pos])) pos++;
      const ch = input[pos];
      if (ch === undefined) {
        if (depth > 0) fail("unclosed '['");
        return list;
      }
      if (ch === "]") {
        if (depth === 0) fail("unmatched ']'");
        if (list.length === 0) fail("empty dependency list '[]'");
        pos++;
        return list;
      }
      if (ch === "[") fail("'[' must directly follow a scope");
      let optional = false;
      if (ch === "*") {
        optional = true;
        pos++;
        const next = input[pos];
        if (next === undefined || isSpace(next) || isSpecial(next)) fail("'*' must directly precede a scope");
      }
      const start = pos;
      while (pos < input.length && !isSpace(input[pos]) && !isSpecial(input[pos])) pos++;
      const scope = input.slice(start, pos);
      if (scope.length > MAX_SCOPE_LENGTH) fail("scope string is too long");
      if (input[pos] === "*") fail("'*' must follow whitespace or '['");
      if (ancestors.includes(scope)) fail(`scope '${scope}' depends on itself`);
      if (++nodes > MAX_NODES) fail("too many scopes");
      let dependencies: ScopeNode[] = [];
      if (input[pos] === "[") {
        pos++;
        dependencies = parseList(depth + 1, [...ancestors, scope]);
        const after = input[pos];
        if (after !== undefined && !isSpace(after) && after !== "]")
          fail("']' must be followed by whitespace");
      }
      list.push({ scope, optional, dependencies });
    }
  };

  return mergeScopeNodes(parseList(0, []));
}

/**
 * Merges repeated scopes in a list: one node per scope string, dependencies united recursively,
 * optional only when every occurrence was optional.
 *
 * @example
 * mergeScopeNodes(parseScopeTree("a[b] a[c]")); // one "a" depending on b and c
 */
export function mergeScopeNodes(nodes: readonly ScopeNode[]): ScopeNode[] {
  const order: string[] = [];
  const byScope = new Map<string, { optional: boolean; dependencies: ScopeNode[] }>();
  for (const node of nodes) {
    const seen = byScope.get(node.scope);
    if (seen) {
      seen.optional &&= node.optional;
      seen.dependencies.push(...node.dependencies);
    } else {
      order.push(node.scope);
      byScope.set(node.scope, { optional: node.optional, dependencies: [...node.dependencies] });
    }
  }
  return order.map((scope) => {
    const merged = byScope.get(scope) as { optional: boolean; dependencies: ScopeNode[] };
    return { scope, optional: merged.optional, dependencies: mergeScopeNodes(merged.dependencies) };
  });
}

/**
 * Writes scope nodes back in Globus syntax (`a[b *c[d]]`), the inverse of {@link parseScopeTree}.
 *
 * @example
 * serializeScopeTree([{ scope: "a", optional: false, dependencies: [] }]); // "a"
 */
export function serializeScopeTree(nodes: readonly ScopeNode[]): string {
  return nodes
    .map((node) => {
      const deps = node.dependencies.length > 0 ? `[${serializeScopeTree(node.dependencies)}]` : "";
      return `${node.optional ? "*" : ""}${node.scope}${deps}`;
    })
    .join(" ");
}

/**
 * Calls `visit` for every node of a forest, depth first, with the path of scope strings from the
 * root down to and including the node.
 */
export function walkScopeTree(
  nodes: readonly ScopeNode[],
  visit: (node: ScopeNode, path: readonly string[]) => void,
  prefix: readonly string[] = [],
): void {
  for (const node of nodes) {
    const path = [...prefix, node.scope];
    visit(node, path);
    walkScopeTree(node.dependencies, visit, path);
  }
}
