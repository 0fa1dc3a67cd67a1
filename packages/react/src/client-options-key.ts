import type { GlobusClientOptions, ScopeLike, ScopesInput } from "@globus-app/core";

/** Options of `useGlobusClient`: a service client's, less the provider's `app` (and `authorizer`, which excludes it). */
export type UseGlobusClientOptions = Omit<GlobusClientOptions, "app" | "authorizer">;

const identities = new WeakMap<object, number>();
let lastIdentity = 0;

/** A number per object or function, so values compared by identity fit in a string key. */
function identityOf(value: object): string {
  let id = identities.get(value);
  if (id === undefined) {
    id = ++lastIdentity;
    identities.set(value, id);
  }
  return `#${id}`;
}

/** Scopes as a list once (an iterable may be a one-shot generator), each in its wire form. */
function scopesList(input: ScopesInput): ScopeLike[] {
  if (typeof input === "string") return [input];
  const iterable = input as Iterable<ScopeLike> | ScopeLike;
  return typeof (iterable as Iterable<ScopeLike>)[Symbol.iterator] === "function"
    ? Array.from(iterable as Iterable<ScopeLike>)
    : [iterable as ScopeLike];
}

/**
 * The options with `appScopes` read once into a list, and a key equal for equal option values:
 * strings, numbers, booleans and `null` by value, scopes by their wire form (`String(scope)`),
 * functions and other objects (`fetch`) by identity. Unset options are left out.
 */
export function keyedOptions(options: UseGlobusClientOptions): {
  options: UseGlobusClientOptions;
  key: string;
} {
  const scopes = options.appScopes === undefined ? undefined : scopesList(options.appScopes);
  const normalized: UseGlobusClientOptions = scopes ? { ...options, appScopes: scopes } : options;
  const parts: [string, unknown][] = [];
  for (const [name, value] of Object.entries(normalized).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (value === undefined) continue;
    if (name === "appScopes") parts.push([name, (value as ScopeLike[]).map(String)]);
    else if ((typeof value === "object" && value !== null) || typeof value === "function") {
      parts.push([name, identityOf(value)]);
    } else parts.push([name, value]);
  }
  return { options: normalized, key: JSON.stringify(parts) };
}
