/**
 * This library's version, sent in `X-Globus-Client-Info` (kept equal to package.json's by
 * `scripts/sync-version.mjs`, run by `npm run release:version`, and checked by a test).
 */
export const LIBRARY_VERSION = "0.1.0";

/** Where `User-Agent` may be set and a custom header costs no extra round trip: not a browser. */
function inBrowser(): boolean {
  const g = globalThis as { document?: unknown; WorkerGlobalScope?: unknown };
  return g.document !== undefined || g.WorkerGlobalScope !== undefined;
}

/**
 * The headers that tell Globus which client calls, as the Python SDK sends them:
 * `X-Globus-Client-Info: product=globus-app-js,version=<v>` and, outside browsers (which do not
 * let a page set it), `User-Agent: globus-app-js-<v>[/<app name>]`. The app name is reduced to
 * visible ASCII (anything else becomes `_`), so that no name can break a request.
 *
 * @param kind - `"service"` for service clients (their requests carry a token, so browsers send a
 *   CORS preflight anyway); `"auth"` for the login client's OAuth requests, which stay simple CORS
 *   requests in browsers: there it sends neither header.
 */
export function clientInfoHeaders(
  appName: string | undefined,
  kind: "service" | "auth",
): Record<string, string> {
  const browser = inBrowser();
  if (browser && kind === "auth") return {};
  const headers: Record<string, string> = {
    "x-globus-client-info": `product=globus-app-js,version=${LIBRARY_VERSION}`,
  };
  if (!browser) {
    const name = appName?.replace(/[^\x20-\x7e]/g, "_").trim();
    headers["user-agent"] = `globus-app-js-${LIBRARY_VERSION}${name ? `/${name}` : ""}`;
  }
  return headers;
}
