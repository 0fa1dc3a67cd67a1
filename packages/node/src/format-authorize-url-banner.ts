const RULE = "-".repeat(37);

/**
 * The banner both Node login flows print around an authorize URL, as the Python SDK prints it: a
 * blank line, `Please authenticate with Globus here:`, 37 dashes, the URL, 37 dashes, a blank line.
 *
 * @example
 * ```ts
 * process.stderr.write(formatAuthorizeUrlBanner("https://auth.globus.org/v2/oauth2/authorize?…"));
 * ```
 */
export function formatAuthorizeUrlBanner(url: string): string {
  return `\nPlease authenticate with Globus here:\n${RULE}\n${url}\n${RULE}\n\n`;
}
