import {
  type GlobusApp,
  type GlobusAppEventMap,
  type GlobusAppPlatform,
  type GlobusAppPlatformHooks,
  MemoryTokenStorage,
  type TokenStorage,
} from "@globus-app/core";
import { CrossTabChannel, type CrossTabMessage } from "./cross-tab-channel.ts";
import { FallbackTokenStorage } from "./fallback-token-storage.ts";
import { RedirectLoginFlowManager } from "./redirect-login-flow-manager.ts";

/** The events tabs tell each other about; never `refresh` (a tokensChanged says it) or errors. */
const FORWARDED = ["login", "logout", "tokensChanged", "identityChanged"] as const;

function hasFallback(
  storage: TokenStorage,
): storage is TokenStorage & Pick<FallbackTokenStorage, "onFallback"> {
  return typeof (storage as Partial<FallbackTokenStorage>).onFallback === "function";
}

/** Re-emits another tab's event in this app, after dropping what it made stale. */
function receive(app: GlobusApp, hooks: GlobusAppPlatformHooks, message: CrossTabMessage): void {
  const { type, resourceServers = [], identityId = null } = message;
  if (type === "tokensChanged") {
    // It names what changed (possibly nothing); this tab's other caches stay valid.
    if (resourceServers.length > 0) hooks.clearCache(...resourceServers);
  } else {
    // A login, logout or identity change may change anything; for a logout the shared storage has
    // already lost the tokens, and what remains is this tab's caches.
    hooks.clearCache();
    app.tokenStorage.reloadIdentity();
  }
  const payload =
    type === "login"
      ? { identityId, resourceServers }
      : type === "identityChanged"
        ? { identityId }
        : { resourceServers };
  hooks.emit(type, { ...payload, source: "remote" } as GlobusAppEventMap[typeof type]);
}

/** Tells the other tabs about this app's local events; never a token, only what changed. */
function forward(app: GlobusApp, channel: () => CrossTabChannel | undefined): Array<() => void> {
  return FORWARDED.map((type) =>
    app.on(type, (payload) => {
      // `post` copies only `resourceServers` and `identityId` of what it is given.
      if (payload.source === "local") channel()?.post({ type, ...payload });
    }),
  );
}

/**
 * Wires browser features into a new app: the `storageFallback` event, and cross-tab events over a
 * {@link CrossTabChannel} named after the app's client id, environment and namespace.
 */
function attach(app: GlobusApp, hooks: GlobusAppPlatformHooks): () => void {
  const cleanups: Array<() => void> = [];
  const storage = app.tokenStorage.tokenStorage;
  let channel: CrossTabChannel | undefined;

  // Memory is this tab's alone: there is nothing to tell other tabs, and nothing they can change here.
  if (!(storage instanceof MemoryTokenStorage)) {
    channel = CrossTabChannel.forGlobusApp({
      clientId: app.clientId,
      namespace: app.tokenStorage.namespace,
      config: app.config,
    });
    const open = channel;
    cleanups.push(open.subscribe((message) => receive(app, hooks, message)));
    cleanups.push(...forward(app, () => channel));
    cleanups.push(() => open.close());
  }

  if (hasFallback(storage)) {
    cleanups.push(
      storage.onFallback((error) => {
        // Tokens now live in this tab's memory; other tabs' events no longer describe them.
        channel?.close();
        channel = undefined;
        app.config.logger?.warn(
          `storage fallback: tokens live in this page's memory (${(error as Error)?.name})`,
        );
        hooks.emit("storageFallback", { error });
      }),
    );
  }

  return () => {
    for (const cleanup of cleanups.reverse()) cleanup();
  };
}

/** The storage names the browser apps build in (localStorage is imported and passed). */
export type BrowserTokenStorageName = "memory" | "indexeddb";

/** The login-flow names the browser apps build in (the popup flow is imported and passed). */
export type BrowserLoginFlowName = "redirect";

/**
 * The browser platform of the apps: what the browser `UserApp` and `ClientApp` accept and do.
 *
 * - Storage names: `"indexeddb"` (the default: IndexedDB, falling back to memory with a
 *   `storageFallback` event when it cannot be opened — {@link FallbackTokenStorage}) and
 *   `"memory"` (this page only). localStorage is imported and passed:
 *   `tokenStorage: LocalStorageTokenStorage` (from `globus-app/browser`).
 * - Login-flow name: `"redirect"` (the default; {@link RedirectLoginFlowManager}). The popup flow is
 *   imported and passed: `loginFlowManager: PopupLoginFlowManager` (from `globus-app/browser`).
 *   `"popup"` and `"localstorage"` fail with a usage error that shows that import: built in by name,
 *   they would be downloaded by every app, also by those that never use them.
 * - No `ClientApp`: its client secret would ship to every visitor (constructing one throws
 *   `GlobusSDKUsageError`).
 * - Tabs: each app (unless its storage is memory) posts its `login`, `logout`, `tokensChanged`
 *   and `identityChanged` events — without tokens — on a `BroadcastChannel` named after its client
 *   id, environment and namespace; the other tabs drop their cached authorizers and identity and
 *   re-emit the events with `source: "remote"`. Refresh is single-flight across tabs through the
 *   storages' Web Locks.
 *
 * @example
 * ```ts
 * import { UserApp as CoreUserApp } from "@globus-app/core";
 * class MyApp extends CoreUserApp {
 *   static override readonly platform = browserPlatform;
 * }
 * ```
 */
export const browserPlatform: GlobusAppPlatform<BrowserTokenStorageName, BrowserLoginFlowName> = {
  name: "browser",
  tokenStorages: {
    memory: MemoryTokenStorage,
    indexeddb: FallbackTokenStorage,
  },
  loginFlowManagers: {
    redirect: RedirectLoginFlowManager,
  },
  movedNames: {
    popup:
      'import { PopupLoginFlowManager } from "globus-app/browser" and pass config: { loginFlowManager: PopupLoginFlowManager }',
    localstorage:
      'import { LocalStorageTokenStorage } from "globus-app/browser" and pass config: { tokenStorage: LocalStorageTokenStorage }',
  },
  defaultTokenStorage: "indexeddb",
  defaultLoginFlowManager: "redirect",
  allowsClientApp: false,
  attach,
};
