import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import { type Consent, parseConsentsResponse } from "./consent.ts";
import { ConsentTreeConstructionError } from "./consent-parse-error.ts";
import type { Scope } from "./scope.ts";
import type { ScopeTreeLike } from "./scope-graph.ts";
import { normalizeScopes, type ScopesInput } from "./scope-parser.ts";

/**
 * A person's consents as plain data — ids, parent → children edges and roots — so apps can check
 * scopes against consents without bringing {@link ConsentForest}'s and {@link ConsentTree}'s
 * methods into every bundle.
 * @internal
 */
export interface ConsentGraph {
  /** consent id → consent (the last one given wins for a duplicated id). */
  readonly byId: ReadonlyMap<number, Consent>;
  /** consent id → child consent ids (every consent has an entry, possibly empty). */
  readonly edges: ReadonlyMap<number, ReadonlySet<number>>;
  /** The root consents (`dependency_path` of length 1), in the order given. */
  readonly roots: readonly Consent[];
}

/**
 * Links consents through their `dependency_path` parents.
 *
 * @throws {ConsentTreeConstructionError} a consent's parent is not in `consents`.
 * @internal
 */
export function consentGraph(consents: readonly Consent[]): ConsentGraph {
  const byId = new Map<number, Consent>();
  const edges = new Map<number, Set<number>>();
  for (const node of consents) {
    byId.set(node.id, node);
    if (!edges.has(node.id)) edges.set(node.id, new Set());
  }
  for (const node of consents) {
    const path = node.dependency_path;
    if (path.length < 2) continue;
    const parentId = path[path.length - 2] as number;
    const siblings = edges.get(parentId);
    if (siblings === undefined) throw new ConsentTreeConstructionError(node.id, parentId);
    siblings.add(node.id);
  }
  return { byId, edges, roots: consents.filter((node) => node.dependency_path.length === 1) };
}

/**
 * Whether the consent tree under `root` grants `scope` (see {@link ConsentTree.meetsScopeRequirements}).
 * @internal
 */
export function consentTreeMeets(graph: ConsentGraph, root: Consent, scope: ScopeTreeLike): boolean {
  // An explicit stack instead of recursion: a scope thousands of levels deep must not overflow.
  interface Frame {
    node: Consent;
    scope: ScopeTreeLike;
    children: Consent[];
    dep: number;
    child: number;
  }
  const memo = new Map<Consent, Map<ScopeTreeLike, boolean>>();
  const remember = (node: Consent, s: ScopeTreeLike, value: boolean): boolean => {
    let byScope = memo.get(node);
    if (byScope === undefined) {
      byScope = new Map();
      memo.set(node, byScope);
    }
    byScope.set(s, value);
    return value;
  };
  const childrenOf = (node: Consent): Consent[] => {
    const out: Consent[] = [];
    for (const id of graph.edges.get(node.id) ?? []) {
      const child = graph.byId.get(id);
      if (child !== undefined) out.push(child);
    }
    return out;
  };
  const stack: Frame[] = [];
  let last: boolean | undefined;
  const enter = (node: Consent, s: ScopeTreeLike): void => {
    const cached = memo.get(node)?.get(s);
    if (cached !== undefined) last = cached;
    else if (node.scope_name !== s.scopeString) last = remember(node, s, false);
    else stack.push({ node, scope: s, children: childrenOf(node), dep: 0, child: 0 });
  };
  enter(root, scope);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    if (last !== undefined) {
      // The answer for (children[child], dependencies[dep]) just came back.
      if (last) {
        frame.dep++;
        frame.child = 0;
      } else {
        frame.child++;
      }
      last = undefined;
    }
    if (frame.dep >= frame.scope.dependencies.length) {
      stack.pop();
      last = remember(frame.node, frame.scope, true);
    } else if (frame.child >= frame.children.length) {
      stack.pop();
      last = remember(frame.node, frame.scope, false);
    } else {
      enter(frame.children[frame.child] as Consent, frame.scope.dependencies[frame.dep] as ScopeTreeLike);
    }
  }
  return last === true;
}

/**
 * Whether every scope is granted by at least one consent tree (see
 * {@link ConsentForest.meetsScopeRequirements}).
 * @internal
 */
export function consentGraphMeets(graph: ConsentGraph, scopes: readonly ScopeTreeLike[]): boolean {
  return scopes.every((scope) => graph.roots.some((root) => consentTreeMeets(graph, root, scope)));
}

/**
 * A tree of consents under one root consent: the consents reachable from it through
 * `dependency_path` parent links.
 *
 * @example
 * ```ts
 * const tree = forest.trees[0];
 * tree.root.scope_name; tree.maxDepth; tree.edges.get(tree.root.id); // Set of child ids
 * ```
 */
export class ConsentTree {
  /** The root consent (its `dependency_path` has length 1). */
  readonly root: Consent;
  /** Every consent reachable from the root, root first, breadth-first. */
  readonly nodes: readonly Consent[];
  /** parent consent id → child consent ids, for the nodes of this tree. */
  readonly edges: ReadonlyMap<number, ReadonlySet<number>>;
  readonly #byId = new Map<number, Consent>();
  readonly #graph: ConsentGraph;

  /**
   * @throws {GlobusSDKUsageError} `rootId` is not a consent of `forest`.
   */
  constructor(rootId: number, forest: ConsentForest) {
    const root = forest.getNode(rootId);
    if (root === undefined) throw new GlobusSDKUsageError(`Consent ${rootId} is not part of the forest.`);
    this.root = root;
    const nodes: Consent[] = [root];
    const edges = new Map<number, ReadonlySet<number>>();
    this.#byId.set(root.id, root);
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i] as Consent;
      const children = forest.edges.get(node.id) ?? new Set<number>();
      edges.set(node.id, children);
      for (const childId of children) {
        const child = forest.getNode(childId);
        if (child !== undefined && !this.#byId.has(childId)) {
          this.#byId.set(childId, child);
          nodes.push(child);
        }
      }
    }
    this.nodes = Object.freeze(nodes);
    this.edges = edges;
    this.#graph = { byId: this.#byId, edges, roots: [root] };
  }

  /** The consent with this id, if it is in this tree. */
  getNode(consentId: number): Consent | undefined {
    return this.#byId.get(consentId);
  }

  /** The number of consents on the longest root-to-leaf path (a lone root has depth 1). */
  get maxDepth(): number {
    let max = 0;
    const seen = new Set<number>([this.root.id]);
    const stack: Array<[number, number]> = [[this.root.id, 1]];
    while (stack.length > 0) {
      const [id, depth] = stack.pop() as [number, number];
      if (depth > max) max = depth;
      for (const child of this.edges.get(id) ?? []) {
        if (!seen.has(child)) {
          seen.add(child);
          stack.push([child, depth + 1]);
        }
      }
    }
    return max;
  }

  /**
   * Whether this tree grants `scope`: the root's `scope_name` equals the scope string and, for
   * every dependency, some child consent grants that dependency (recursively). Optional markers and
   * client ids are ignored, as in the Python SDK: whether an optional dependency was granted
   * atomically revocable is Globus Auth's concern, so `a[*b]` is met exactly when `a[b]` is.
   *
   * @example
   * ```ts
   * tree.meetsScopeRequirements(Scope.parse("transfer:all[*coll:data_access]"));
   * ```
   */
  meetsScopeRequirements(scope: Scope): boolean {
    return consentTreeMeets(this.#graph, this.root, scope);
  }
}

/**
 * All of a person's consents for one client, as a forest of {@link ConsentTree}s: each consent's
 * parent is the next-to-last id of its `dependency_path`, each root (path of length 1) starts a tree.
 * Answers "would a token request for these scopes need new consent?" without asking Auth again.
 *
 * Consents whose path is empty belong to no tree (as in the Python SDK). A consent whose parent is
 * missing from the list makes construction fail with {@link ConsentTreeConstructionError}, as in the
 * Python SDK: a partial list cannot answer the question reliably.
 *
 * @example
 * ```ts
 * const body = await (await fetch(`${auth}v2/api/identities/${id}/consents`, { headers })).json();
 * const forest = ConsentForest.fromConsentsResponse(body);
 * forest.meetsScopeRequirements(transferWithDataAccess(collectionId)); // true or false
 * ```
 */
export class ConsentForest {
  /** Every consent, in the order given. */
  readonly nodes: readonly Consent[];
  /** consent id → child consent ids (every consent has an entry, possibly empty). */
  readonly edges: ReadonlyMap<number, ReadonlySet<number>>;
  /** One tree per root consent, in the order the roots were given. */
  readonly trees: readonly ConsentTree[];
  readonly #byId: ReadonlyMap<number, Consent>;

  /**
   * @param consents - already validated consents (see {@link parseConsent} and
   *   {@link ConsentForest.fromConsentsResponse}).
   * @throws {ConsentTreeConstructionError} a consent's parent is not in `consents`.
   */
  constructor(consents: Iterable<Consent>) {
    const nodes = [...consents];
    const graph = consentGraph(nodes);
    this.#byId = graph.byId;
    this.nodes = Object.freeze(nodes);
    this.edges = graph.edges;
    this.trees = Object.freeze(graph.roots.map((root) => new ConsentTree(root.id, this)));
  }

  /**
   * Builds a forest from the body of `GET /v2/api/identities/<identity id>/consents`
   * (`{"consents": [...]}`), validating every consent.
   *
   * @throws {ConsentParseError} the body has no `consents` array, or a consent is malformed.
   * @throws {ConsentTreeConstructionError} a consent's parent is missing.
   * @example
   * ```ts
   * ConsentForest.fromConsentsResponse({ consents: [] }).trees.length; // 0
   * ```
   */
  static fromConsentsResponse(body: unknown): ConsentForest {
    return new ConsentForest(parseConsentsResponse(body));
  }

  /** The consent with this id, if any (the last one given wins for a duplicated id). */
  getNode(consentId: number): Consent | undefined {
    return this.#byId.get(consentId);
  }

  /**
   * Whether every given scope is granted by at least one tree (see
   * {@link ConsentTree.meetsScopeRequirements}: optional markers are ignored). An empty list is met.
   *
   * @param scopes - a scope string (zero or more scopes), a `Scope`, or an iterable of them.
   * @throws {ScopeParseError} a scope string is malformed.
   * @example
   * ```ts
   * forest.meetsScopeRequirements("urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/<id>/data_access]");
   * ```
   */
  meetsScopeRequirements(scopes: ScopesInput): boolean {
    return normalizeScopes(scopes).every((scope) =>
      this.trees.some((tree) => tree.meetsScopeRequirements(scope)),
    );
  }
}
