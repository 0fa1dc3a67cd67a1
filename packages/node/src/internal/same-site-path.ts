import { UnsafeReturnUrlError } from "../server-session-errors.ts";

/**
 * The `returnTo` query parameter of `request` as a same-site path, or `fallback` when absent.
 *
 * @throws UnsafeReturnUrlError for a `returnTo` that leads off `origin`.
 * @example
 * ```ts
 * returnPath(new Request("https://portal.example.org/login?returnTo=/files"), "https://portal.example.org", "/"); // "/files"
 * ```
 */
export function returnPath(request: Request, origin: string, fallback: string): string {
  const value = new URL(request.url).searchParams.get("returnTo");
  return value === null ? fallback : sameSitePath(value, origin);
}

/**
 * `value` as a path (with query and fragment) on `origin`: what the portal handlers redirect to.
 *
 * @throws UnsafeReturnUrlError for anything that leads elsewhere (another origin, `//host`,
 *   `/\host`, control characters, backslashes).
 * @example
 * ```ts
 * sameSitePath("/files?x=1#top", "https://portal.example.org"); // "/files?x=1#top"
 * ```
 */
export function sameSitePath(value: string, origin: string): string {
  // Only a path: "//host" and "/\host" are other sites to browsers, control characters hide tricks.
  if (
    !value.startsWith("/") ||
    value.startsWith("//") ||
    value.startsWith("/\\") ||
    [...value].some((char) => char < " " || char === "\\")
  ) {
    throw new UnsafeReturnUrlError();
  }
  const url = new URL(value, origin);
  if (url.origin !== origin) throw new UnsafeReturnUrlError();
  return `${url.pathname}${url.search}${url.hash}`;
}
