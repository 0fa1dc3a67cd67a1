/**
 * What a browser storage's `forGlobusApp` provider (and `CrossTabChannel.forGlobusApp`) needs from
 * the app that builds it: the app's client id, namespace and (optional) environment. A `GlobusApp`
 * passes core's `TokenStorageContext`, a wider shape, when `config.tokenStorage` is a provider class
 * such as `IndexedDBTokenStorage`; this narrower one lets a storage be built without an app.
 *
 * @example
 * ```ts
 * const storage = IndexedDBTokenStorage.forGlobusApp({
 *   clientId: "…", namespace: "DEFAULT", config: { environment: "sandbox" },
 * });
 * ```
 */
export interface BrowserTokenStorageContext {
  /** The app's OAuth client id; storages are scoped to it. */
  clientId: string;
  /** The app's storage namespace (`DEFAULT` unless configured). */
  namespace: string;
  /** The app's config; only `environment` is read (`"production"` when absent). */
  config?: { environment?: string | undefined } | undefined;
}
