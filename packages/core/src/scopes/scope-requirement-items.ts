// The page-load side of an app's scope requirements. A signed-in page load only has to check that
// stored tokens carry the required top-level scopes, which needs their names, not a parse: the
// scope parser (and the merge Globus Auth's request needs) stays in the login chunk. Nothing here
// imports `Scope` at run time.
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { ScopeLike } from "./scope.ts";
import type { ScopesInput } from "./scope-parser.ts";

function describe(value: unknown): string {
  return value === null ? "null" : typeof value;
}

/** A `Scope`, recognised by shape so that this module need not load the class. */
function isScopeObject(value: unknown): value is Exclude<ScopeLike, string> {
  const scope = value as { scopeString?: unknown; dependencies?: unknown } | null;
  return typeof scope?.scopeString === "string" && Array.isArray(scope.dependencies);
}

/**
 * The items of a scope requirement as given (a scope string, a `Scope`, or an iterable of them),
 * checked for type only: strings are parsed when a login or a consents check needs them.
 *
 * @throws {GlobusSDKUsageError} the input or one of its items is neither a string nor a `Scope`.
 * @internal
 */
export function scopeRequirementItems(input: ScopesInput): ScopeLike[] {
  if (typeof input === "string" || isScopeObject(input)) return [input];
  if (
    typeof (input as Iterable<unknown> | null)?.[Symbol.iterator] !== "function" ||
    typeof input !== "object"
  ) {
    throw new GlobusSDKUsageError(
      `Scopes must be a scope string, a Scope, or an iterable of them; got '${describe(input)}'`,
    );
  }
  const items: ScopeLike[] = [];
  for (const item of input) {
    if (typeof item !== "string" && !isScopeObject(item)) {
      throw new GlobusSDKUsageError(
        `Scopes must be scope strings or Scope objects; at position ${items.length}, got '${describe(item)}'`,
      );
    }
    items.push(item);
  }
  return items;
}

// A scope name is a run of anything but `*`, brackets and the separators the parser accepts.
const TOKENS = /[^*[\]\t-\r ]+|[[\]]/g;

/**
 * The top-level scope names of requirement items (optional markers dropped), and whether any of
 * them has dependencies. For a valid scope string these are exactly the roots the parser gives.
 * @internal
 */
export function requiredRootScopes(items: readonly ScopeLike[]): { names: Set<string>; dependent: boolean } {
  const names = new Set<string>();
  let dependent = false;
  for (const item of items) {
    if (typeof item !== "string") {
      names.add(item.scopeString);
      dependent ||= item.dependencies.length > 0;
      continue;
    }
    let depth = 0;
    for (const token of item.match(TOKENS) ?? []) {
      if (token === "[") {
        depth++;
        dependent = true;
      } else if (token === "]") depth--;
      else if (depth === 0) names.add(token);
    }
  }
  return { names, dependent };
}
