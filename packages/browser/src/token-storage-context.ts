/**
 * What a browser storage's `forGlobusApp` provider needs from the app that builds it: the app's
 * client id, namespace and (optional) environment. A `GlobusApp` passes itself-shaped context when
 * `config.tokenStorage` is a provider class such as `IndexedDBTokenStorage`.
 *
 * @example
 * ```ts
 * const storage = IndexedDBTokenStorage.forGlobusApp({
 *   clientId: "…", namespace: "DEFAULT", config: { environment: "sandbox" },
 * });
 * ```
 */
export interface TokenStorageContext {
  /** The app's OAuth client id; storages are scoped to it. */
  clientId: string;
  /** The app's storage namespace (`DEFAULT` unless configured). */
  namespace: string;
  /** The app's config; only `environment` is read (`"production"` when absent). */
  config?: { environment?: string | undefined } | undefined;
}
