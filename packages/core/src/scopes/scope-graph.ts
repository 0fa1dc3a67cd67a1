import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import { parseScopeText } from "./parse-scope-text.ts";
import { ScopeCycleError } from "./scope-parse-error.ts";

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

/** The graph being built: its roots, and parent → child edges (true for an optional child). */
class GraphBuilder {
  readonly roots = new Map<string, ScopeGraphRoot>();
  readonly edges = new Map<string, Map<string, boolean>>();

  children(name: string): Map<string, boolean> {
    let map = this.edges.get(name);
    if (map === undefined) {
      map = new Map();
      this.edges.set(name, map);
    }
    return map;
  }

  addRoot(name: string, optional: boolean): void {
    const key = optional ? `*${name}` : name;
    // Stryker disable next-line ConditionalExpression: setting a key again keeps its position, and the value is equal
    if (!this.roots.has(key)) this.roots.set(key, { name, optional });
    this.children(name);
  }

  addEdge(parent: string, child: string, optional: boolean): void {
    this.children(child);
    const siblings = this.children(parent);
    // Optional only while every edge parent → child is: a required edge takes over an optional one.
    // Map.set on an existing key keeps its position, so nothing is reordered.
    siblings.set(child, optional && siblings.get(child) !== false);
  }
}

/** Adds a scope object and its dependencies; objects may share sub-trees, each is expanded once. */
function addScopeTree(graph: GraphBuilder, item: ScopeTreeLike): void {
  graph.addRoot(item.scopeString, item.optional);
  // Stryker disable next-line ArrayDeclaration: only a cycle leads back to the root; expanding it once more adds the same edges, and postOrder refuses the cycle either way
  const seen = new Set<ScopeTreeLike>([item]);
  const stack: ScopeTreeLike[] = [item];
  while (stack.length > 0) {
    const node = stack.pop() as ScopeTreeLike;
    for (const dep of node.dependencies) {
      graph.addEdge(node.scopeString, dep.scopeString, dep.optional);
      if (!seen.has(dep)) {
        seen.add(dep);
        stack.push(dep);
      }
    }
  }
}

/**
 * The names in post-order (dependencies first), by an iterative three-colour depth-first search
 * (1 = on the current path, 2 = finished) that also finds cycles.
 *
 * @throws ScopeCycleError when a scope depends on itself, directly or not.
 */
function postOrder(graph: GraphBuilder): string[] {
  const state = new Map<string, 1 | 2>();
  const order: string[] = [];
  for (const start of graph.edges.keys()) {
    if (state.has(start)) continue;
    state.set(start, 1);
    const stack: Array<[string, Iterator<string>]> = [[start, graph.children(start).keys()]];
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
        stack.push([child, graph.children(child).keys()]);
      }
    }
  }
  return order;
}

/**
 * Parses scope strings and merges scope trees into one graph (see {@link ScopeGraph.from}).
 * @internal
 */
export function parseScopeGraph(items: Iterable<string | ScopeTreeLike>): ScopeGraphData {
  const graph = new GraphBuilder();
  for (const item of items) {
    if (typeof item === "string") parseScopeText(graph, item);
    else addScopeTree(graph, item);
  }
  return { roots: graph.roots, edges: graph.edges, order: postOrder(graph) };
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
    // Stryker disable next-line ConditionalExpression: memoising saves work only; a scope measured again gets the same length
    if (memo.has(scope)) continue;
    if (!expanded) {
      stack.push([scope, true]);
      // Stryker disable next-line ConditionalExpression: as above, a measured dependency pushed again is skipped when popped
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
  if (stringLength(root) > MAX_STRING_LENGTH) {
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
