import type { AuthLoginClient } from "../auth/auth-login-client.ts";
import type { ConfidentialAppAuthClientOptions } from "../auth/confidential-app-auth-client.ts";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import { MemoryTokenStorage } from "../storage/memory-token-storage.ts";
import type { GlobusAppPlatform } from "./globus-app-contracts.ts";

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
