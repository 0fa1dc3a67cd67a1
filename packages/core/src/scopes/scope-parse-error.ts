import { errorGuard, GlobusError, type GlobusErrorOptions } from "../errors/globus-error.ts";

/**
 * A scope string does not follow the Globus scope grammar: unbalanced or empty brackets, a `*` with
 * no scope after it, a space before `[`, or (from {@link Scope.parse}) not exactly one scope.
 * The message names the rule that was broken; fix the scope string, retrying will not help.
 *
 * @example
 * ```ts
 * try { ScopeParser.parse("foo[bar"); }
 * catch (e) { if (isScopeParseError(e)) console.error(e.code, e.message); } // unclosed brackets
 * ```
 */
export class ScopeParseError extends GlobusError {
  override readonly name: string = "ScopeParseError";
  constructor(message: string, options: GlobusErrorOptions = {}) {
    super(message, "SCOPE_PARSE_ERROR", options);
  }
}

/**
 * A scope string makes a scope depend on itself, directly (`a[a]`) or through others
 * (`a[b[c[a]]]`, or `a[b] b[a]` once occurrences of the same scope are unioned). Globus Auth cannot
 * grant such a request. A {@link ScopeParseError} with code `SCOPE_CYCLE_ERROR`.
 *
 * @example
 * ```ts
 * try { ScopeParser.parse("a[b[a]]"); }
 * catch (e) { if (isScopeCycleError(e)) console.error(e.message); } // A cycle was found involving 'a'
 * ```
 */
export class ScopeCycleError extends ScopeParseError {
  override readonly name = "ScopeCycleError";
  // Subclass field: redefined after GlobusError's constructor has set the parse-error code.
  override readonly code = "SCOPE_CYCLE_ERROR" as const;
}

/** True for a {@link ScopeParseError} (including a {@link ScopeCycleError}), from any realm. */
export const isScopeParseError: (value: unknown) => value is ScopeParseError = errorGuard(ScopeParseError, [
  "ScopeParseError",
  "ScopeCycleError",
]);

/** True for a {@link ScopeCycleError}, from any realm. */
export const isScopeCycleError: (value: unknown) => value is ScopeCycleError = errorGuard(ScopeCycleError, [
  "ScopeCycleError",
]);
