import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import { parseScopes, Scope, type ScopeLike, scopesFromGraph } from "./scope.ts";
import { MAX_STRING_LENGTH, parseScopeGraph, type ScopeTreeLike, stringLength } from "./scope-graph.ts";

/** One scope, or any iterable (array, set, generator) of scope strings and `Scope`s. */
export type ScopesInput = ScopeLike | Iterable<ScopeLike>;

/** Options of {@link serializeScopes}. */
export interface SerializeScopesOptions {
  /** Throw when the result is the empty string. Default `true`. */
  rejectEmpty?: boolean;
}

function describe(value: unknown): string {
  return value === null ? "null" : typeof value === "object" ? "object" : typeof value;
}

function* items(input: ScopesInput): Generator<ScopeLike> {
  if (typeof input === "string" || input instanceof Scope) {
    yield input;
    return;
  }
  if (input === null || typeof input !== "object" || !(Symbol.iterator in input)) {
    throw new GlobusSDKUsageError(
      `Scopes must be a scope string, a Scope, or an iterable of them; got '${describe(input)}'`,
    );
  }
  let i = 0;
  for (const item of input) {
    if (typeof item !== "string" && !(item instanceof Scope)) {
      throw new GlobusSDKUsageError(
        `Scopes must be scope strings or Scope objects; at position ${i}, got '${describe(item)}'`,
      );
    }
    yield item;
    i++;
  }
}

/**
 * Normalises scopes given in any accepted form to a list of `Scope`s: strings are parsed (each may
 * hold zero or more scopes), `Scope`s are kept as they are, order is kept. Nothing is merged; use
 * {@link mergeScopes} for that.
 *
 * @throws {ScopeParseError} a string breaks the grammar ({@link ScopeCycleError} for a cycle).
 * @throws {GlobusSDKUsageError} an item is neither a string nor a `Scope`.
 * @example
 * ```ts
 * normalizeScopes(["openid profile", TransferScopes.all]).map(String);
 * // ["openid", "profile", "urn:globus:auth:scope:transfer.api.globus.org:all"]
 * ```
 */
export function normalizeScopes(input: ScopesInput): Scope[] {
  const out: Scope[] = [];
  for (const item of items(input)) {
    // A loop, not push(...list): spreading a string's 100 000+ scopes as arguments overflows the stack.
    if (typeof item === "string") for (const scope of parseScopes(item)) out.push(scope);
    else out.push(item);
  }
  return out;
}

/**
 * Merges scopes as Globus Auth would read them in one request (the Python SDK's `merge_scopes`):
 * one entry per (scope string, optional) — so `a` and `*a` both stay — with dependencies unioned
 * recursively across every occurrence, and an optional dependency yielding to a required one.
 * Output keeps first-appearance order.
 *
 * @param inputs - any number of scope strings, `Scope`s or iterables of them.
 * @throws {ScopeParseError} a string breaks the grammar.
 * @throws {ScopeCycleError} the merged scopes contain a cycle (`a[b]` merged with `b[a]`).
 * @throws {GlobusSDKUsageError} an item is neither a string nor a `Scope`.
 * @example
 * ```ts
 * mergeScopes(["foo[bar]"], [Scope.parse("foo[*baz]"), "qux"]).map(String); // ["foo[bar *baz]", "qux"]
 * ```
 */
export function mergeScopes(...inputs: ScopesInput[]): Scope[] {
  const all: ScopeLike[] = [];
  for (const input of inputs) for (const item of items(input)) all.push(item);
  return scopesFromGraph(parseScopeGraph(all));
}

/**
 * Joins scopes into one space-separated scope string for Globus Auth, without parsing or merging
 * (strings pass through exactly, `Scope`s are rendered with `toString()`).
 *
 * @param options - `rejectEmpty` (default `true`).
 * @throws {GlobusSDKUsageError} the result is empty and `rejectEmpty` is true, an item is
 *   neither a string nor a `Scope`, or the `Scope`s would serialize to more than 4 194 304
 *   characters (see `Scope.toString`).
 * @example
 * ```ts
 * serializeScopes([new Scope("foo"), "bar baz[qux]"]); // "foo bar baz[qux]"
 * ```
 */
export function serializeScopes(input: ScopesInput, options: SerializeScopesOptions = {}): string {
  const list = [...items(input)];
  // Each scope's string form is capped (see Scope.toString), but many scopes sharing one large
  // sub-tree would still add up to gigabytes: measure the whole list before building any of it.
  const memo = new Map<ScopeTreeLike, number>();
  let total = 0;
  for (const item of list) if (typeof item !== "string") total += stringLength(item, memo) + 1;
  if (total > MAX_STRING_LENGTH) {
    throw new GlobusSDKUsageError(`The scopes would serialize to more than ${MAX_STRING_LENGTH} characters.`);
  }
  const parts: string[] = [];
  for (const item of list) parts.push(typeof item === "string" ? item : item.toString());
  const result = parts.join(" ");
  if (result === "" && options.rejectEmpty !== false) {
    throw new GlobusSDKUsageError("'scopes' cannot be the empty string or empty collection.");
  }
  return result;
}

/**
 * The scope-string toolkit, mirroring the Python SDK's `ScopeParser`:
 * - `parse(str)` → `Scope[]` ({@link parseScopes}): graph semantics, deterministic order.
 * - `merge(...inputs)` → `Scope[]` ({@link mergeScopes}): dedupe and union dependencies.
 * - `serialize(input, options)` → `string` ({@link serializeScopes}): space-joined, no parsing.
 * - `normalize(input)` → `Scope[]` ({@link normalizeScopes}): parse strings, keep `Scope`s.
 *
 * Errors: {@link ScopeParseError}, {@link ScopeCycleError}, {@link GlobusSDKUsageError}.
 *
 * @example
 * ```ts
 * const scopes = ScopeParser.parse("openid transfer:all[*coll:data_access]");
 * ScopeParser.serialize(ScopeParser.merge(scopes, "email")); // "openid transfer:all[*coll:data_access] email"
 * ```
 */
export const ScopeParser: Readonly<{
  parse: typeof parseScopes;
  merge: typeof mergeScopes;
  serialize: typeof serializeScopes;
  normalize: typeof normalizeScopes;
}> = /* @__PURE__ */ Object.freeze({
  parse: parseScopes,
  merge: mergeScopes,
  serialize: serializeScopes,
  normalize: normalizeScopes,
});
