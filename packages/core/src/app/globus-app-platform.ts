import type { LoginFlowManagerProvider } from "../login/login-flow-manager.ts";
import { MemoryTokenStorage } from "../storage/memory-token-storage.ts";
import type { GlobusApp } from "./globus-app.ts";
import type { TokenStorageProvider } from "./globus-app-config.ts";
import type { GlobusAppEventMap } from "./globus-app-events.ts";

/** What a platform's `attach` hook may do to an app it wires up. */
export interface GlobusAppPlatformHooks {
  /** Emits an app event (e.g. one received from another tab). */
  emit<K extends keyof GlobusAppEventMap>(event: K, payload: GlobusAppEventMap[K]): void;
  /**
   * Forgets what the app cached about stored tokens — authorizers (all, or those of the given
   * resource servers) and consents — after another tab or process changed them.
   */
  clearCache(...resourceServers: string[]): void;
}

/**
 * What a platform package (browser, Node) adds to the apps: storage and login-flow names, defaults,
 * and a hook to wire platform features (cross-tab events, storage fallback) into each app. Platform
 * packages subclass `UserApp`/`ClientApp` with `static platform = …`.
 */
export interface GlobusAppPlatform {
  /** A name for messages, e.g. "browser". */
  readonly name: string;
  /** Storage names this platform accepts. */
  readonly tokenStorages: Readonly<Record<string, TokenStorageProvider>>;
  /** Login-flow names this platform accepts. */
  readonly loginFlowManagers: Readonly<Record<string, LoginFlowManagerProvider>>;
  /** Default storage name of UserApp and ClientApp. */
  readonly defaultTokenStorage: string;
  /** Default login-flow name of UserApp, if the platform has one. */
  readonly defaultLoginFlowManager: string | undefined;
  /** Whether client secrets may be used here: a ClientApp, or a UserApp with a confidential client. */
  readonly allowsClientApp: boolean;
  /** Wires platform features into a new app; returns a function run by `close()`. */
  attach?(app: GlobusApp, hooks: GlobusAppPlatformHooks): (() => void | Promise<void>) | undefined;
}

/** The platform-free defaults: memory storage only, no interactive login flow. */
export const corePlatform: GlobusAppPlatform = {
  name: "core",
  tokenStorages: { memory: MemoryTokenStorage },
  loginFlowManagers: {},
  defaultTokenStorage: "memory",
  defaultLoginFlowManager: undefined,
  allowsClientApp: true,
};
