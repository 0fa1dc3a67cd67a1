import os from "node:os";

/**
 * The grant name Globus shows on its consent page (and in the person's list of apps) for a login
 * from this machine: `"<appName> on <hostname>"`, with a trailing `.local` (macOS) dropped, or just
 * `appName` when the host has no name. Matches the Python SDK, so both name their grants alike. Both
 * Node login flows' `forGlobusApp` use it.
 *
 * @example
 * ```ts
 * defaultNamedGrant("my-app"); // "my-app on my-laptop"
 * ```
 */
export function defaultNamedGrant(appName: string): string {
  let host = "";
  try {
    host = os.hostname();
  } catch {
    // Sandboxed runtimes (Deno without --allow-sys) refuse; the app name alone is still a fine label.
  }
  host = host.replace(/\.local$/, "");
  return host ? `${appName} on ${host}` : appName;
}
