import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import { buildFromScopeGraph, parseScopeGraph, type ScopeGraphData, scopeTreeString } from "./scope-graph.ts";
import { ScopeParseError } from "./scope-parse-error.ts";

/** A scope given either as a scope string (parsed when needed) or as a {@link Scope}. */
export type ScopeLike = string | Scope;

/** Options of the {@link Scope} constructor. */
export interface ScopeOptions {
  /** Marks the scope optional (`*name`): the person may decline it alone. Default `false`. */
  optional?: boolean;
  /** Scopes this one depends on (`name[dep …]`), kept in the given order. Default none. */
  dependencies?: Iterable<Scope>;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return (value as object).constructor?.name ?? "object";
  return typeof value;
}

function checkDependencies(values: Iterable<unknown>, method: string): Scope[] {
  if (typeof (values as Iterable<unknown> | null)?.[Symbol.iterator] !== "function") {
    throw new GlobusSDKUsageError(
      `${method} takes an iterable of Scopes as its input; got: '${typeName(values)}'`,
    );
  }
  const list = [...values];
  list.forEach((item, i) => {
    if (!(item instanceof Scope)) {
      throw new GlobusSDKUsageError(
        `${method} takes an iterable of Scopes as its input. At position ${i}, got: '${typeName(item)}'`,
      );
    }
  });
  return list as Scope[];
}

/**
 * An immutable Globus scope: a scope string, an optional flag and the scopes it depends on.
 * `toString()` gives the wire form (`*name[dep *optionalDep[...]]`), so a `Scope` can be used
 * wherever a scope string is expected. The `with…` methods return new scopes.
 *
 * @example
 * ```ts
 * const transfer = new Scope("urn:globus:auth:scope:transfer.api.globus.org:all");
 * const data = new Scope("https://auth.globus.org/scopes/<collection id>/data_access", { optional: true });
 * String(transfer.withDependency(data));
 * // "urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/<collection id>/data_access]"
 * ```
 */
export class Scope {
  /** The scope string itself, without `*` or dependencies. */
  readonly scopeString: string;
  /** Whether the scope is optional (`*`). */
  readonly optional: boolean;
  /** The scopes this one depends on, in order. */
  readonly dependencies: readonly Scope[];

  /**
   * @param scopeString - one scope name: non-empty, without spaces, `[`, `]` or `*` (use
   *   {@link Scope.parse} for scope strings with that syntax).
   * @throws {GlobusSDKUsageError} the name is empty or contains those characters, or a dependency
   *   is not a `Scope`.
   */
  constructor(scopeString: string, options: ScopeOptions | null = {}) {
    if (typeof scopeString !== "string" || scopeString === "" || /[[\]* \t\n\v\f\r]/.test(scopeString)) {
      throw new GlobusSDKUsageError(
        "Scope instances must be non-empty and may not contain the special characters '[]* ' or whitespace. " +
          "Use Scope.parse instead.",
      );
    }
    this.scopeString = scopeString;
    this.optional = options?.optional === true;
    this.dependencies = Object.freeze(checkDependencies(options?.dependencies ?? [], "Scope()"));
    Object.freeze(this);
  }

  /**
   * Parses a scope string that holds exactly one top-level scope (with any dependencies).
   *
   * @throws {ScopeParseError} the string breaks the grammar, or holds zero or several scopes.
   * @throws {ScopeCycleError} the string contains a dependency cycle.
   * @example
   * ```ts
   * Scope.parse("foo[bar *baz]").dependencies.length; // 2
   * ```
   */
  static parse(scopeString: string): Scope {
    const scopes = parseScopes(scopeString);
    if (scopes.length !== 1) {
      throw new ScopeParseError(
        `Scope.parse() did not get exactly one scope; got ${scopes.length}: '${scopeString}'. ` +
          "Use ScopeParser.parse for several scopes.",
      );
    }
    return scopes[0] as Scope;
  }

  /**
   * A copy with one more dependency (appended).
   *
   * @throws {GlobusSDKUsageError} `scope` is not a `Scope` (parse strings first).
   * @example
   * ```ts
   * String(new Scope("a").withDependency(new Scope("b"))); // "a[b]"
   * ```
   */
  withDependency(scope: Scope): Scope {
    if (!(scope instanceof Scope)) {
      throw new GlobusSDKUsageError(
        `Scope.withDependency() takes a Scope as its input. Got: '${typeName(scope as unknown)}'`,
      );
    }
    return new Scope(this.scopeString, {
      optional: this.optional,
      dependencies: [...this.dependencies, scope],
    });
  }

  /**
   * A copy with more dependencies (appended, in order).
   *
   * @throws {GlobusSDKUsageError} an item is not a `Scope`; the message gives its position.
   * @example
   * ```ts
   * String(new Scope("a").withDependencies([new Scope("b"), new Scope("c", { optional: true })])); // "a[b *c]"
   * ```
   */
  withDependencies(scopes: Iterable<Scope>): Scope {
    const added = checkDependencies(scopes, "Scope.withDependencies()");
    return new Scope(this.scopeString, {
      optional: this.optional,
      dependencies: [...this.dependencies, ...added],
    });
  }

  /**
   * A copy with a different optional flag.
   *
   * @example
   * ```ts
   * String(new Scope("a").withOptional(true)); // "*a"
   * ```
   */
  withOptional(optional: boolean): Scope {
    return new Scope(this.scopeString, { optional, dependencies: this.dependencies });
  }

  /**
   * Semantic equality: same scope string, same optional flag and the same set of dependencies,
   * recursively (dependency order and exact duplicates do not matter).
   *
   * @example
   * ```ts
   * Scope.parse("a[b c]").equals(Scope.parse("a[c b]")); // true
   * Scope.parse("a[b]").equals(Scope.parse("a[*b]")); // false
   * ```
   */
  equals(other: Scope): boolean {
    if (!(other instanceof Scope)) return false;
    const table = new Map<string, number>();
    return canonicalId(this, table) === canonicalId(other, table);
  }

  /**
   * The scope string with `*` and dependencies, e.g. `a[*b c[d]]`. Never recurses (deep trees are
   * safe).
   *
   * @throws {GlobusSDKUsageError} the string form would be longer than 4 194 304 characters. Parsing
   * shares repeated sub-trees, but the string form spells each one out wherever it appears, so a
   * few hundred bytes such as `x0[x1 x2] x1[x2 x3] …` double at every level.
   */
  toString(): string {
    return scopeTreeString(this);
  }

  /** `JSON.stringify(scope)` gives the scope string. */
  toJSON(): string {
    return this.toString();
  }
}

/**
 * Numbers each distinct canonical sub-tree (hash-consing): two scopes are equal exactly when they
 * get the same number from the same table. Keys stay short (child numbers, not child strings), so
 * deep scopes cost linear time, and no recursion is used.
 */
function canonicalId(root: Scope, table: Map<string, number>): number {
  const memo = new Map<Scope, number>();
  const stack: Array<[Scope, boolean]> = [[root, false]];
  while (stack.length > 0) {
    const [scope, expanded] = stack.pop() as [Scope, boolean];
    // Stryker disable next-line ConditionalExpression: memoising saves work only; a scope numbered twice gets the same number from the table
    if (memo.has(scope)) continue;
    if (!expanded) {
      stack.push([scope, true]);
      // Stryker disable next-line ConditionalExpression: as above, a numbered dependency pushed again is skipped when popped
      for (const dep of scope.dependencies) if (!memo.has(dep)) stack.push([dep, false]);
      continue;
    }
    const deps = [...new Set(scope.dependencies.map((dep) => memo.get(dep) as number))].sort((a, b) => a - b);
    const name = scope.optional ? `*${scope.scopeString}` : scope.scopeString;
    const key = `${name}[${deps.join(" ")}]`;
    let id = table.get(key);
    if (id === undefined) {
      id = table.size;
      table.set(key, id);
    }
    memo.set(scope, id);
  }
  return memo.get(root) as number;
}

/**
 * Builds `Scope`s from a graph; each distinct (name, optional) becomes one shared object.
 * @internal
 */
export function scopesFromGraph(graph: ScopeGraphData): Scope[] {
  return buildFromScopeGraph(
    graph,
    (name, optional, dependencies) => new Scope(name, { optional, dependencies }),
  );
}

/**
 * Parses a string of zero or more space-separated scopes into `Scope`s, with Globus's graph
 * semantics: repeated occurrences of a scope share the union of their dependencies, an optional
 * dependency yields to a required one on the same parent, `a` and `*a` stay distinct at the top
 * level. Output keeps first-appearance order. The empty string gives `[]`.
 *
 * @throws {ScopeParseError} the string breaks the grammar.
 * @throws {ScopeCycleError} a scope depends on itself.
 * @throws {GlobusSDKUsageError} the argument is not a string.
 * @example
 * ```ts
 * parseScopes("foo[bar] baz foo[*qux]").map(String); // ["foo[bar *qux]", "baz"]
 * ```
 */
export function parseScopes(scopeString: string): Scope[] {
  if (typeof scopeString !== "string") {
    throw new GlobusSDKUsageError(`Scope strings must be strings; got '${typeName(scopeString as unknown)}'`);
  }
  return scopesFromGraph(parseScopeGraph([scopeString]));
}
