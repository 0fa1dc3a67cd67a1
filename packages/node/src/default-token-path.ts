import os from "node:os";
import path from "node:path";
import { GlobusSDKUsageError } from "@globus-app/core";

// The characters Windows forbids in file names; the Python SDK maps each to "+".
const RESERVED_CHARACTERS = /[<>:"/\\|?*]/g;
// Python's str.isprintable() is false for Unicode "Other" (C*) and "Separator" (Z*) characters
// except the ASCII space, which is already a "-" by the time this runs.
const NON_PRINTABLE = /[\p{C}\p{Z}]/gu;
// Python's `\d` matches any Unicode decimal digit, hence \p{Nd} rather than [0-9].
const RESERVED_NAMES = /^(?:con|prn|aux|nul|com\p{Nd}|lpt\p{Nd})$/u;

/**
 * Turns an app name into the directory name the Python SDK uses for it, so both SDKs find the same
 * token file: each of `< > : " / \ | ? *` becomes `+`, `.` and space become `-`, non-printable
 * characters are dropped, and the result is lower-cased.
 *
 * @throws GlobusSDKUsageError when the result is empty or a reserved Windows file name (`con`,
 *   `prn`, `aux`, `nul`, `com0`–`com9`, `lpt0`–`lpt9`).
 *
 * @example
 * ```ts
 * slugifyAppName("Globus CLI v3.30.0"); // "globus-cli-v3-30-0"
 * ```
 */
export function slugifyAppName(appName: string): string {
  const slug = appName
    .replace(RESERVED_CHARACTERS, "+")
    .replace(/[. ]/g, "-")
    .replace(NON_PRINTABLE, "")
    .toLowerCase();
  if (RESERVED_NAMES.test(slug)) {
    throw new GlobusSDKUsageError(
      `App name results in a reserved filename ("${slug}"). Please choose a different name.`,
    );
  }
  if (slug === "") {
    throw new GlobusSDKUsageError("App name results in the empty string. Please choose a different name.");
  }
  return slug;
}

/** The file formats with a default path: `json` for `JSONTokenStorage`, `db` for `SQLiteTokenStorage`. */
export type TokenFileFormat = "json" | "db";

/** Options of {@link defaultTokenFilePath}. */
export interface DefaultTokenFilePathOptions {
  /** The app's OAuth client id (a UUID); it names a directory. */
  clientId: string;
  /** The app name, slugified with {@link slugifyAppName}. */
  appName: string;
  /** The Globus environment; files outside `production` get an `<environment>-` prefix. @default "production" */
  environment?: string | undefined;
  /** The file extension. */
  format: TokenFileFormat;
  /** The platform whose rules apply. @default process.platform */
  platform?: string | undefined;
  /** The home directory. @default os.homedir() */
  homeDir?: string | undefined;
  /** Environment variables (`LOCALAPPDATA`, `APPDATA` on Windows). @default process.env */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

/**
 * Where the Python SDK's `GlobusApp` keeps an app's tokens, so a Python script and a Node script of
 * the same app share one login:
 * - Linux, macOS: `~/.globus/app/<client_id>/<slug>/tokens.<format>`
 * - Windows: `<LOCALAPPDATA, else APPDATA, else ~\AppData\Local>\globus\app\<client_id>\<slug>\tokens.<format>`
 *
 * Outside `production` the file is `<environment>-tokens.<format>`. Nothing is created.
 *
 * @throws GlobusSDKUsageError for an app name that slugifies to nothing or a reserved name, or a
 *   client id that is empty or would escape its directory.
 *
 * @example
 * ```ts
 * defaultTokenFilePath({ clientId: "6b5e…", appName: "My App", environment: "preview", format: "json" });
 * // "/home/me/.globus/app/6b5e…/my-app/preview-tokens.json"
 * ```
 */
export function defaultTokenFilePath(options: DefaultTokenFilePathOptions): string {
  const { clientId, format } = options;
  if (clientId === "" || clientId === "." || clientId === ".." || /[/\\]/.test(clientId)) {
    throw new GlobusSDKUsageError(`Invalid client id "${clientId}" for a token file path.`);
  }
  const environment = options.environment ?? "production";
  const filename = `${environment === "production" ? "" : `${environment}-`}tokens.${format}`;
  const slug = slugifyAppName(options.appName);
  const platform = options.platform ?? process.platform;
  const homeDir = options.homeDir ?? os.homedir();

  if (platform === "win32") {
    const env = options.env ?? process.env;
    // As Python's os.getenv("LOCALAPPDATA", os.getenv("APPDATA")): an empty LOCALAPPDATA does not
    // fall through to APPDATA, only to the home directory.
    const dataDir =
      (env.LOCALAPPDATA !== undefined ? env.LOCALAPPDATA : env.APPDATA) ||
      path.win32.join(homeDir, "AppData", "Local");
    return path.win32.join(dataDir, "globus", "app", clientId, slug, filename);
  }
  return path.posix.join(homeDir, ".globus", "app", clientId, slug, filename);
}
