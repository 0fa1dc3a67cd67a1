/**
 * One cookie's value from the request's Cookie header. The values the portal handlers set are JWE
 * compact strings (base64url and dots), which need no decoding; a name that appears twice counts as
 * absent rather than guessing which copy a browser meant.
 *
 * @example
 * ```ts
 * readCookie(request, "__Host-globus-session"); // the sealed session, or undefined
 * ```
 */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("Cookie");
  if (!header) return undefined;
  const found = header
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${name}=`))
    .map((part) => part.slice(name.length + 1));
  return found.length === 1 ? found[0] : undefined;
}

/**
 * A `Set-Cookie` value for the portal's cookies: Path=/, HttpOnly, SameSite=Lax, Secure when `secure`.
 *
 * @example
 * ```ts
 * headers.append("Set-Cookie", setCookie("__Host-globus-login", sealed, 600, true));
 * ```
 */
export function setCookie(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${name}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/**
 * A `Set-Cookie` value that removes a cookie set by {@link setCookie} (same attributes, Max-Age=0).
 *
 * @example
 * ```ts
 * headers.append("Set-Cookie", clearCookie("__Host-globus-session", true));
 * ```
 */
export function clearCookie(name: string, secure: boolean): string {
  return `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}
