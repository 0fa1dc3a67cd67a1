/** One linked identity of a {@link GlobusUser} (an entry of the id_token's `identity_set`). */
export interface GlobusLinkedIdentity {
  /** The identity id. */
  sub: string;
  /** The identity's username, e.g. `jdoe@uchicago.edu`. */
  username?: string;
  /** Display name. */
  name?: string;
  /** Email address, when the person shared it. */
  email?: string;
  /** The identity provider's id. */
  identity_provider?: string;
  /** The identity provider's display name. */
  identity_provider_display_name?: string;
  /** Organization. */
  organization?: string;
}

/**
 * The signed-in person, from the verified id_token's claims (the wire's snake_case names, as
 * Globus Auth sends them). Never holds a token.
 */
export interface GlobusUser {
  /** The primary identity id (the id_token's `sub`). */
  sub: string;
  /** Display name. */
  name?: string;
  /** The primary identity's username, e.g. `jdoe@uchicago.edu`. */
  preferred_username?: string;
  /** Email address, when the person shared it. */
  email?: string;
  /** The identity provider's id. */
  identity_provider?: string;
  /** The identity provider's display name. */
  identity_provider_display_name?: string;
  /** Organization. */
  organization?: string;
  /** Every identity linked to this one, when the id_token lists them. */
  identity_set?: GlobusLinkedIdentity[];
}

/**
 * The storage namespace that holds the user record of namespace `namespace`:
 * `<namespace>::globus-app:user`. The Python SDK reads and writes only its own namespace (e.g.
 * `DEFAULT`), so a record here never appears among its tokens.
 */
export function userRecordNamespace(namespace: string): string {
  return `${namespace}::globus-app:user`;
}

// The text claims kept; the last, `username`, only on linked identities.
const TEXT_CLAIMS =
  "name preferred_username email identity_provider identity_provider_display_name organization username".split(
    " ",
  );

function pick(source: unknown, last: number): Record<string, unknown> | null {
  const from = source as Record<string, unknown> | null;
  if (typeof from?.sub !== "string" || !from.sub) return null;
  const out: Record<string, unknown> = { sub: from.sub };
  for (const key of TEXT_CLAIMS.slice(0, last)) if (typeof from[key] === "string") out[key] = from[key];
  return out;
}

/**
 * The {@link GlobusUser} of id_token claims or of a stored record — only the known fields, of the
 * right types — or null when there is no usable `sub`. Stored records come from outside (another
 * tab, a file), so they pass through here too.
 */
export function toGlobusUser(claims: unknown): GlobusUser | null {
  const user = pick(claims, 6);
  const linked = (claims as { identity_set?: unknown } | null)?.identity_set;
  if (user && Array.isArray(linked))
    user.identity_set = linked.map((entry) => pick(entry, 7)).filter(Boolean);
  return user as GlobusUser | null;
}
