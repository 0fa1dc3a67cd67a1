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
import { LocalStorageTokenStorage } from "./local-storage-token-storage.ts";
import { PopupLoginFlowManager } from "./popup-login-flow-manager.ts";
import { RedirectLoginFlowManager } from "./redirect-login-flow-manager.ts";

type ForwardedEvent = "login" | "logout" | "tokensChanged" | "identityChanged";

function hasFallback(
  storage: TokenStorage,
): storage is TokenStorage & Pick<FallbackTokenStorage, "onFallback"> {
  return typeof (storage as Partial<FallbackTokenStorage>).onFallback === "function";
}

/** Forgets what this tab cached about the stored tokens, so the next read sees another tab's change. */
function forgetCachedState(
  app: GlobusApp,
  hooks: GlobusAppPlatformHooks,
  resourceServers?: readonly string[],
): void {
  // A tokensChanged without resource servers changes none; an absent list means "everything".
  if (resourceServers === undefined) {
    hooks.clearCache();
    app.tokenStorage.reloadIdentity();
  } else if (resourceServers.length > 0) {
    hooks.clearCache(...resourceServers);
  }
}

/** Re-emits another tab's event in this app, after dropping what it made stale. */
function receive(app: GlobusApp, hooks: GlobusAppPlatformHooks, message: CrossTabMessage): void {
  const resourceServers = message.resourceServers ?? [];
  switch (message.type) {
    case "login":
      forgetCachedState(app, hooks);
      hooks.emit("login", { identityId: message.identityId ?? null, resourceServers, source: "remote" });
      break;
    case "logout":
      // The storage is shared, so the tokens are already gone; what remains is this tab's caches.
      forgetCachedState(app, hooks);
      hooks.emit("logout", { resourceServers, source: "remote" });
      break;
    case "tokensChanged":
      forgetCachedState(app, hooks, resourceServers);
      hooks.emit("tokensChanged", { resourceServers, source: "remote" });
      break;
    case "identityChanged":
      forgetCachedState(app, hooks);
      hooks.emit("identityChanged", { identityId: message.identityId ?? null, source: "remote" });
      break;
  }
}

/** Tells the other tabs about this app's local events; never a token, only what changed. */
function forward(app: GlobusApp, channel: () => CrossTabChannel | undefined): Array<() => void> {
  const post = <K extends ForwardedEvent>(
    event: K,
    toMessage: (payload: GlobusAppEventMap[K]) => Parameters<CrossTabChannel["post"]>[0],
  ) =>
    app.on(event, (payload) => {
      if (payload.source === "local") channel()?.post(toMessage(payload));
    });
  return [
    post("login", (e) => ({ type: "login", identityId: e.identityId, resourceServers: e.resourceServers })),
    post("logout", (e) => ({ type: "logout", resourceServers: e.resourceServers })),
    post("tokensChanged", (e) => ({ type: "tokensChanged", resourceServers: e.resourceServers })),
    post("identityChanged", (e) => ({ type: "identityChanged", identityId: e.identityId })),
  ];
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
        hooks.emit("storageFallback", { error });
      }),
    );
  }

  return () => {
    for (const cleanup of cleanups.reverse()) cleanup();
  };
}

/**
 * The browser platform of the apps: what the browser `UserApp` and `ClientApp` accept and do.
 *
 * - Storage names: `"indexeddb"` (the default: IndexedDB, falling back to memory with a
 *   `storageFallback` event when it cannot be opened — {@link FallbackTokenStorage}),
 *   `"localstorage"` ({@link LocalStorageTokenStorage}) and `"memory"` (this page only).
 * - Login-flow names: `"redirect"` (the default; {@link RedirectLoginFlowManager}) and `"popup"`
 *   ({@link PopupLoginFlowManager}).
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
export const browserPlatform: GlobusAppPlatform = {
  name: "browser",
  tokenStorages: {
    memory: MemoryTokenStorage,
    indexeddb: FallbackTokenStorage,
    localstorage: LocalStorageTokenStorage,
  },
  loginFlowManagers: {
    redirect: RedirectLoginFlowManager,
    popup: PopupLoginFlowManager,
  },
  defaultTokenStorage: "indexeddb",
  defaultLoginFlowManager: "redirect",
  allowsClientApp: false,
  attach,
};
