/**
 * What a file storage's `forGlobusApp` provider (`JSONTokenStorage`, `SQLiteTokenStorage`) needs
 * from the app that builds it. A `GlobusApp` passes it when `config.tokenStorage` is such a provider
 * class; the storage then lives at the Python SDK's default path for the app (`defaultTokenFilePath`).
 *
 * @example
 * ```ts
 * const storage = SQLiteTokenStorage.forGlobusApp({
 *   appName: "my-app", clientId: "…", namespace: "DEFAULT", config: { environment: "sandbox" },
 * });
 * ```
 */
export interface FileTokenStorageContext {
  /** The app name; its slug names the app's directory. */
  appName: string;
  /** The app's OAuth client id; it names a directory. */
  clientId: string;
  /** The app's storage namespace (`DEFAULT` unless configured). */
  namespace: string;
  /** The app's config; only `environment` is read (`"production"` when absent). */
  config?: { environment?: string | undefined } | undefined;
}
