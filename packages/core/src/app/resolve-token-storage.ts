import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import { hasMethod } from "../internal/has-method.ts";
import type { TokenStorage } from "../storage/token-storage.ts";
import type { GlobusAppPlatform, TokenStorageContext, TokenStorageProvider } from "./globus-app-contracts.ts";
import { movedNameError } from "./globus-app-platform.ts";

/** Whether `value` looks like a {@link TokenStorage} (it has the two by-resource-server methods). */
export function isTokenStorage(value: unknown): value is TokenStorage {
  return (
    hasMethod(value, "getTokenDataByResourceServer") && hasMethod(value, "storeTokenDataByResourceServer")
  );
}

/**
 * The storage an app's `config.tokenStorage` names: the storage itself when given one (the caller
 * owns it: `built` is false), else the one its provider — given, or named in the platform's
 * registry — builds for the app (`built`: the app closes it).
 *
 * @throws GlobusSDKUsageError for a name the platform does not build in (showing the import to use
 *   when it moved out), or a provider that returns no storage.
 */
export function resolveTokenStorage(
  platform: GlobusAppPlatform,
  context: TokenStorageContext,
): { storage: TokenStorage; built: boolean } {
  const value = context.config.tokenStorage;
  if (isTokenStorage(value)) return { storage: value, built: false };
  let provider: TokenStorageProvider | undefined;
  if (hasMethod(value, "forGlobusApp")) provider = value as TokenStorageProvider;
  else if (typeof value === "string" && Object.hasOwn(platform.tokenStorages, value)) {
    provider = platform.tokenStorages[value];
  }
  if (!provider) {
    const moved = movedNameError(platform, value);
    if (moved) throw moved;
    const names = Object.keys(platform.tokenStorages).map((n) => `"${n}"`);
    throw new GlobusSDKUsageError(
      `Unsupported tokenStorage value: ${typeof value === "string" ? `"${value}"` : typeof value}. Must be a TokenStorage, a TokenStorageProvider, or one of ${names.join(", ")} (${platform.name}).`,
    );
  }
  const storage = provider.forGlobusApp(context);
  if (!isTokenStorage(storage)) {
    throw new GlobusSDKUsageError("The tokenStorage provider did not return a TokenStorage.");
  }
  return { storage, built: true };
}
