import type { AuthLoginClient } from "../auth/auth-login-client.ts";
import type { ConfidentialAppAuthClientOptions } from "../auth/confidential-app-auth-client.ts";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { LoginFlowManagerProvider } from "../login/login-flow-manager.ts";
import { MemoryTokenStorage } from "../storage/memory-token-storage.ts";
import type { GlobusApp } from "./globus-app.ts";
import type { TokenStorageProvider } from "./globus-app-config.ts";
import type { GlobusAppEventMap } from "./globus-app-events.ts";
import type { GlobusLogger } from "./globus-logger.ts";

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
  /** The logger of apps configured without one (Node: `GLOBUS_SDK_LOG`'s); none when absent. */
  readonly defaultLogger?: () => GlobusLogger | undefined;
  /** Default storage name of UserApp and ClientApp. */
  readonly defaultTokenStorage: string;
  /** Default login-flow name of UserApp, if the platform has one. */
  readonly defaultLoginFlowManager: string | undefined;
  /** Whether client secrets may be used here: a ClientApp, or a UserApp with a confidential client. */
  readonly allowsClientApp: boolean;
  /**
   * Builds the login client of an app given a `clientSecret` (a `ConfidentialAppAuthClient`).
   * Only platforms where secrets may live have one (Node); without it, an app given a secret fails
   * with a usage error. A hook rather than an import in core so that the confidential client never
   * reaches a browser bundle.
   */
  /**
   * Names this platform no longer builds in, each with what to do instead (the import to use), for
   * the usage error an app given one throws. Names are left out when building them in would make
   * every app download code that few use (the browser's popup flow and localStorage storage).
   */
  readonly movedNames?: Readonly<Record<string, string>>;
  /**
   * Builds the login client of an app given a `clientSecret` (Node's platform only: a browser must
   * never hold a secret, and leaving the confidential client out keeps it out of browser bundles).
   */
  readonly confidentialLoginClient?: (options: ConfidentialAppAuthClientOptions) => AuthLoginClient;
  /** Wires platform features into a new app; returns a function run by `close()`. */
  attach?(app: GlobusApp, hooks: GlobusAppPlatformHooks): (() => void | Promise<void>) | undefined;
}

/**
 * The platform-free defaults: memory storage only, no interactive login flow, no confidential
 * client built from a `clientSecret` (pass `loginClient: new ConfidentialAppAuthClient(…)`, or use
 * the Node apps).
 */
export const corePlatform: GlobusAppPlatform = {
  name: "core",
  tokenStorages: { memory: MemoryTokenStorage },
  loginFlowManagers: {},
  defaultTokenStorage: "memory",
  defaultLoginFlowManager: undefined,
  allowsClientApp: true,
};

/**
 * The confidential login client of an app given a `clientSecret`, from its platform.
 *
 * @throws GlobusSDKUsageError when the platform builds none (browsers, the bare core).
 * @internal
 */
export function confidentialLoginClient(
  platform: GlobusAppPlatform,
  options: ConfidentialAppAuthClientOptions,
): AuthLoginClient {
  if (!platform.confidentialLoginClient) {
    throw new GlobusSDKUsageError(
      `The ${platform.name} platform builds no login client from a clientSecret; pass loginClient: new ConfidentialAppAuthClient({ clientId, clientSecret }), or use the Node apps.`,
    );
  }
  return platform.confidentialLoginClient(options);
}

/**
 * The usage error for a storage or login-flow name the platform no longer builds in, showing the
 * import to use instead; undefined for any other value.
 * @internal
 */
export function movedNameError(platform: GlobusAppPlatform, value: unknown): GlobusSDKUsageError | undefined {
  const moved = platform.movedNames;
  if (typeof value !== "string" || !moved || !Object.hasOwn(moved, value)) return undefined;
  return new GlobusSDKUsageError(
    `"${value}" is not a built-in name of the ${platform.name} apps (apps that do not use it should not download it): ${moved[value]}.`,
  );
}
