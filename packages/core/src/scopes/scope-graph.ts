import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import { ScopeCycleError, ScopeParseError } from "./scope-parse-error.ts";

/**
 * The structural shape of a scope tree: what {@link ScopeGraph.from} reads from a `Scope` (or any
 * equivalent object) without importing the class.
 */
export interface ScopeTreeLike {
  readonly scopeString: string;
  readonly optional: boolean;
  readonly dependencies: readonly ScopeTreeLike[];
}

/** A top-level entry of a {@link ScopeGraph}: `foo` and `*foo` are distinct entries. */
export interface ScopeGraphRoot {
  readonly name: string;
  readonly optional: boolean;
}

const SPACE = 0x20;
const STAR = 0x2a;
const OPEN = 0x5b;
const CLOSE = 0x5d;

// Globus separates scopes with ASCII spaces only; tabs and line breaks are treated the same way
// because a scope token can never contain them (RFC 6749 §3.3), so nothing valid is lost.
function isSpace(c: number): boolean {
  return c === SPACE || (c >= 0x09 && c <= 0x0d);
}

function isSpecial(c: number): boolean {
  return c === STAR || c === OPEN || c === CLOSE || isSpace(c);
}

/**
 * A parsed scope graph as plain data: what the parser needs, without {@link ScopeGraph}'s methods,
 * so parsing scopes does not bring the class (and its debug output) into every bundle.
 * @internal
 */
export interface ScopeGraphData {
  /** Top-level scopes in first-appearance order, keyed by `*name` or `name`. */
  readonly roots: Map<string, ScopeGraphRoot>;
  /** parent name → (child name → optional), both maps in first-appearance order. */
  readonly edges: Map<string, Map<string, boolean>>;
  /** Names in post-order (dependencies before dependents). */
  readonly order: string[];
}

/**
 * Parses scope strings and merges scope trees into one graph (see {@link ScopeGraph.from}).
 * @internal
 */
export function parseScopeGraph(items: Iterable<string | ScopeTreeLike>): ScopeGraphData {
  const roots = new Map<string, ScopeGraphRoot>();
  const edges = new Map<string, Map<string, boolean>>();
  const children = (name: string): Map<string, boolean> => {
    let map = edges.get(name);
    if (map === undefined) {
      map = new Map();
      edges.set(name, map);
    }
    return map;
  };
  const addRoot = (name: string, optional: boolean): void => {
    const key = optional ? `*${name}` : name;
    if (!roots.has(key)) roots.set(key, { name, optional });
    children(name);
  };
  const addEdge = (parent: string, child: string, optional: boolean): void => {
    children(child);
    const siblings = children(parent);
    const existing = siblings.get(child);
    // Map.set on an existing key keeps its position: a required edge takes over an optional one
    // without reordering.
    if (existing === undefined || (existing && !optional)) siblings.set(child, optional);
  };

  for (const item of items) {
    if (typeof item !== "string") {
      addRoot(item.scopeString, item.optional);
      // Scope objects may share sub-trees; expanding each object once keeps DAGs linear.
      const seen = new Set<ScopeTreeLike>([item]);
      const stack: ScopeTreeLike[] = [item];
      while (stack.length > 0) {
        const node = stack.pop() as ScopeTreeLike;
        for (const dep of node.dependencies) {
          addEdge(node.scopeString, dep.scopeString, dep.optional);
          if (!seen.has(dep)) {
            seen.add(dep);
            stack.push(dep);
          }
        }
      }
      continue;
    }
    const text = item;
    const n = text.length;
    const parents: string[] = [];
    let prev: "none" | "name" | "star" | "open" | "close" = "none";
    let spaceBefore = false;
    let optional = false;
    let lastName = "";
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (isSpace(c)) {
        spaceBefore = true;
        i++;
        continue;
      }
      const next = i + 1 < n ? text.charCodeAt(i + 1) : -1;
      if (c === STAR) {
        if (next === -1) throw new ScopeParseError("ended in optional marker");
        if (isSpace(next)) throw new ScopeParseError("'*' must not be followed by a space");
        if (next === STAR || next === OPEN || next === CLOSE) {
          throw new ScopeParseError("a scope string must always follow an optional marker");
        }
        // The Python SDK silently splits `foo*bar` into `foo *bar`; that is almost surely a typo.
        if (prev === "name" && !spaceBefore) {
          throw new ScopeParseError("'*' may only appear at the start of a scope string, not inside one");
        }
        optional = true;
        prev = "star";
      } else if (c === OPEN) {
        if (spaceBefore) throw new ScopeParseError("'[' cannot have a preceding space");
        if (prev !== "name") throw new ScopeParseError("found '[' without a preceding scope string");
        let j = i + 1;
        while (j < n && isSpace(text.charCodeAt(j))) j++;
        if (j === n) throw new ScopeParseError("ended in left bracket");
        if (text.charCodeAt(j) === CLOSE) throw new ScopeParseError("found empty brackets");
        if (text.charCodeAt(j) === OPEN) throw new ScopeParseError("found double left-bracket");
        parents.push(lastName);
        prev = "open";
      } else if (c === CLOSE) {
        if (parents.length === 0) throw new ScopeParseError("found ']' with no matching '[' preceding it");
        if (next !== -1 && next !== CLOSE && !isSpace(next)) {
          throw new ScopeParseError("']' may only be followed by a space or ']'");
        }
        parents.pop();
        prev = "close";
      } else {
        const start = i;
        while (i < n && !isSpecial(text.charCodeAt(i))) i++;
        const name = text.slice(start, i);
        const parent = parents[parents.length - 1];
        if (parent === undefined) addRoot(name, optional);
        else addEdge(parent, name, optional);
        optional = false;
        lastName = name;
        prev = "name";
        spaceBefore = false;
        continue;
      }
      spaceBefore = false;
      i++;
    }
    if (parents.length > 0) throw new ScopeParseError("unclosed brackets, missing ']'");
  }

  // Cycle check, an iterative three-colour depth-first search (1 = on the current path, 2 =
  // finished) that also yields the post-order `build` needs.
  const state = new Map<string, 1 | 2>();
  const order: string[] = [];
  for (const start of edges.keys()) {
    if (state.has(start)) continue;
    state.set(start, 1);
    const stack: Array<[string, Iterator<string>]> = [[start, children(start).keys()]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [string, Iterator<string>];
      const step = top[1].next();
      if (step.done) {
        state.set(top[0], 2);
        order.push(top[0]);
        stack.pop();
        continue;
      }
      const child = step.value;
      const seen = state.get(child);
      if (seen === 1) throw new ScopeCycleError(`A cycle was found involving '${child}'`);
      if (seen === undefined) {
        state.set(child, 1);
        stack.push([child, children(child).keys()]);
      }
    }
  }
  return { roots, edges, order };
}

/**
 * Builds one value per distinct (name, optional) of a graph (see {@link ScopeGraph.build}).
 * @internal
 */
export function buildFromScopeGraph<T>(
  graph: ScopeGraphData,
  make: (name: string, optional: boolean, dependencies: T[]) => T,
): T[] {
  const depsOf = new Map<string, T[]>();
  const made = new Map<string, T>();
  const get = (name: string, optional: boolean): T => {
    const key = optional ? `*${name}` : name;
    let value = made.get(key);
    if (value === undefined) {
      value = make(name, optional, depsOf.get(name) ?? []);
      made.set(key, value);
    }
    return value;
  };
  // Post-order guarantees every child's dependency list exists before its parents ask for it.
  for (const name of graph.order) {
    const deps: T[] = [];
    for (const [child, optional] of graph.edges.get(name) ?? []) deps.push(get(child, optional));
    depsOf.set(name, deps);
  }
  return [...graph.roots.values()].map((root) => get(root.name, root.optional));
}

/**
 * Parses scope strings and merges them with scope trees as Globus Auth reads one request (see
 * {@link ScopeGraph}), as plain trees: what the login code needs, without the `Scope` class.
 * @internal
 */
export function mergeScopeTrees(items: Iterable<string | ScopeTreeLike>): ScopeTreeLike[] {
  return buildFromScopeGraph<ScopeTreeLike>(
    parseScopeGraph(items),
    (scopeString, optional, dependencies) => ({
      scopeString,
      optional,
      dependencies,
    }),
  );
}

/**
 * The longest string form of a scope (or list of scopes) this library builds: far above any real
 * scope string, far below what takes seconds to build (or V8 cannot build at all).
 * @internal
 */
export const MAX_STRING_LENGTH = 4_194_304;

/**
 * The length of a scope tree's string form, each distinct node measured once (linear in the DAG);
 * pass one `memo` to measure several trees that share sub-trees.
 * @internal
 */
export function stringLength(root: ScopeTreeLike, memo = new Map<ScopeTreeLike, number>()): number {
  const stack: Array<[ScopeTreeLike, boolean]> = [[root, false]];
  while (stack.length > 0) {
    const [scope, expanded] = stack.pop() as [ScopeTreeLike, boolean];
    if (memo.has(scope)) continue;
    if (!expanded) {
      stack.push([scope, true]);
      for (const dep of scope.dependencies) if (!memo.has(dep)) stack.push([dep, false]);
      continue;
    }
    const deps = scope.dependencies;
    // `*name`, then `[`, the dependencies separated by spaces, and `]`.
    let length = scope.scopeString.length + (scope.optional ? 1 : 0);
    if (deps.length > 0) length += deps.length + 1;
    for (const dep of deps) length += memo.get(dep) as number;
    memo.set(scope, length);
  }
  return memo.get(root) as number;
}

/**
 * A scope tree's string form, `*name[dep *dep2[…]]` (what `Scope.toString` gives). Never recurses.
 *
 * @throws {GlobusSDKUsageError} the string would be longer than {@link MAX_STRING_LENGTH}: parsing
 * shares repeated sub-trees, but the string spells each one out wherever it appears, so a few
 * hundred bytes such as `x0[x1 x2] x1[x2 x3] …` double at every level.
 * @internal
 */
export function scopeTreeString(root: ScopeTreeLike): string {
  if (root.dependencies.length > 0 && stringLength(root) > MAX_STRING_LENGTH) {
    throw new GlobusSDKUsageError(
      `The scope '${root.scopeString}' would serialize to more than ${MAX_STRING_LENGTH} characters.`,
    );
  }
  const parts: string[] = [];
  const stack: Array<ScopeTreeLike | string> = [root];
  while (stack.length > 0) {
    const item = stack.pop() as ScopeTreeLike | string;
    if (typeof item === "string") {
      parts.push(item);
      continue;
    }
    parts.push(item.optional ? `*${item.scopeString}` : item.scopeString);
    const deps = item.dependencies;
    if (deps.length === 0) continue;
    parts.push("[");
    stack.push("]");
    for (let i = deps.length - 1; i >= 0; i--) {
      stack.push(deps[i] as ScopeTreeLike);
      if (i > 0) stack.push(" ");
    }
  }
  return parts.join("");
}

/**
 * The intermediate representation of parsed scopes: one node per scope name, with every occurrence
 * of a name sharing one dependency set (the union), as Globus Auth treats a request.
 *
 * - An optional edge yields to a required edge for the same parent → child (`a[b *b]` → `a[b]`).
 * - Top-level entries are distinct per (name, optional): `a *a` keeps both.
 * - Everything is kept in first-appearance order, so output is deterministic (the Python SDK's is
 *   set-ordered).
 * - Cycles are rejected with {@link ScopeCycleError}; every walk is iterative, so a chain thousands
 *   of levels deep costs linear time and no call stack.
 *
 * Mostly internal: {@link ScopeParser} builds `Scope`s from the same parse. `toString()` renders
 * Graphviz DOT for debugging, in the Python SDK's layout.
 *
 * @example
 * ```ts
 * const graph = ScopeGraph.from(["a[b *c]", "a[c]"]);
 * graph.edges.get("a"); // Map { "b" => false, "c" => false }  (child → optional)
 * ```
 */
export class ScopeGraph {
  readonly #graph: ScopeGraphData;

  private constructor(graph: ScopeGraphData) {
    this.#graph = graph;
  }

  /**
   * Parses scope strings and merges scope trees into one graph.
   *
   * @param items - scope strings (space separated, `*` optional, `[…]` dependencies) and scope
   *   trees (`Scope` objects), in order of precedence for output order.
   * @throws {ScopeParseError} a string breaks the grammar.
   * @throws {ScopeCycleError} the union of all items contains a cycle.
   * @example
   * ```ts
   * ScopeGraph.from(["foo[bar]", Scope.parse("foo[baz]")]).roots; // [{ name: "foo", optional: false }]
   * ```
   */
  static from(items: Iterable<string | ScopeTreeLike>): ScopeGraph {
    return new ScopeGraph(parseScopeGraph(items));
  }

  /** Top-level scopes in first-appearance order. */
  get roots(): readonly ScopeGraphRoot[] {
    return [...this.#graph.roots.values()];
  }

  /** Every scope name that appears anywhere, in first-appearance order. */
  get nodes(): readonly string[] {
    return [...this.#graph.edges.keys()];
  }

  /** parent name → (child name → optional); read-only views of the graph's own maps. */
  get edges(): ReadonlyMap<string, ReadonlyMap<string, boolean>> {
    return this.#graph.edges;
  }

  /**
   * Builds one value per distinct (name, optional) reachable from the roots, dependencies first,
   * and returns the roots' values in order. A value is built once and shared wherever it recurs.
   *
   * @param make - called with the scope name, its optional flag and its already-built dependencies
   *   (in first-appearance order).
   * @example
   * ```ts
   * graph.build((name, optional, deps) => new Scope(name, { optional, dependencies: deps }));
   * ```
   */
  build<T>(make: (name: string, optional: boolean, dependencies: T[]) => T): T[] {
    return buildFromScopeGraph(this.#graph, make);
  }

  /** Graphviz DOT of the graph (for debugging), in the Python SDK's layout but stable order. */
  toString(): string {
    const lines = ["digraph scopes {", '  rankdir="LR";', ""];
    for (const root of this.#graph.roots.values()) lines.push(`  ${root.optional ? "*" : ""}${root.name}`);
    lines.push("");
    for (const wantOptional of [false, true]) {
      for (const [parent, children] of this.#graph.edges) {
        for (const [child, optional] of children) {
          if (optional !== wantOptional) continue;
          lines.push(
            optional ? `  ${parent} -> ${child} [ label = "optional" ];` : `  ${parent} -> ${child};`,
          );
        }
      }
    }
    lines.push("", "}");
    return lines.join("\n");
  }
}
