import { resolveEnvironment, resolveTimeoutMs } from "../config/environment.ts";
import { isIdentityMismatchError } from "../errors/token-validation-errors.ts";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import { hasMethod } from "../internal/has-method.ts";
import type {
  GlobusAppConfig,
  GlobusAppConfigInput,
  TokenValidationErrorHandler,
} from "./globus-app-contracts.ts";
import type { GlobusLogger } from "./globus-logger.ts";

/**
 * The default {@link TokenValidationErrorHandler}: log in again (forced), except that an
 * `IdentityMismatchError` is re-thrown, since a login cannot fix it.
 */
export const resolveByLogin: TokenValidationErrorHandler = async (app, error) => {
  if (isIdentityMismatchError(error)) throw error;
  await app.login({ force: true });
};

const CONFIG_KEYS = new Set<keyof GlobusAppConfig>([
  "loginFlowManager",
  "loginRedirectUri",
  "tokenStorage",
  "requestRefreshTokens",
  "autoRedriveGares",
  "tokenValidationErrorHandler",
  "idTokenDecoder",
  "environment",
  "httpTimeoutMs",
  "logger",
]);

/** What each option may be, beyond undefined: checked where the app is built, not at first use. */
const CONFIG_SHAPES: ReadonlyArray<[keyof GlobusAppConfig, (value: unknown) => boolean, string]> = [
  ["requestRefreshTokens", (value) => typeof value === "boolean", "a boolean"],
  ["autoRedriveGares", (value) => typeof value === "boolean", "a boolean"],
  ["environment", (value) => typeof value === "string", "a string"],
  ["loginRedirectUri", (value) => typeof value === "string", "a string"],
  [
    "loginFlowManager",
    (value) =>
      typeof value === "string" || hasMethod(value, "runLoginFlow") || hasMethod(value, "forGlobusApp"),
    "a name, a LoginFlowManager or a provider",
  ],
  [
    "tokenStorage",
    (value) =>
      typeof value === "string" ||
      hasMethod(value, "getTokenDataByResourceServer") ||
      hasMethod(value, "forGlobusApp"),
    "a name, a TokenStorage or a provider",
  ],
  [
    "tokenValidationErrorHandler",
    (value) => value === null || typeof value === "function",
    "a function or null",
  ],
  [
    "idTokenDecoder",
    (value) => hasMethod(value, "decode") || hasMethod(value, "forGlobusApp"),
    "an IdTokenDecoder or a provider",
  ],
  [
    "logger",
    (value) => ["debug", "info", "warn", "error"].every((level) => hasMethod(value, level)),
    "console-like (debug, info, warn, error)",
  ],
];

/**
 * Fills defaults into a config and freezes it.
 *
 * @throws GlobusSDKUsageError for an unknown key or environment, or a value of the wrong type.
 */
export function resolveGlobusAppConfig(
  input: GlobusAppConfigInput = {},
  defaultTokenStorage = "memory",
  defaultLogger?: GlobusLogger,
): GlobusAppConfig {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new GlobusSDKUsageError("config must be an object.");
  }
  for (const key of Object.keys(input)) {
    if (!CONFIG_KEYS.has(key as keyof GlobusAppConfig)) {
      throw new GlobusSDKUsageError(`Unknown GlobusAppConfig option "${key}".`);
    }
  }
  for (const [key, accepts, expected] of CONFIG_SHAPES) {
    if (input[key] !== undefined && !accepts(input[key])) {
      throw new GlobusSDKUsageError(`GlobusAppConfig.${key} must be ${expected}.`);
    }
  }
  if (input.loginRedirectUri !== undefined) {
    try {
      new URL(input.loginRedirectUri);
    } catch {
      throw new GlobusSDKUsageError("GlobusAppConfig.loginRedirectUri must be an absolute URL.");
    }
  }
  return Object.freeze({
    loginFlowManager: input.loginFlowManager,
    loginRedirectUri: input.loginRedirectUri,
    tokenStorage: input.tokenStorage ?? defaultTokenStorage,
    requestRefreshTokens: input.requestRefreshTokens ?? false,
    autoRedriveGares: input.autoRedriveGares ?? false,
    tokenValidationErrorHandler:
      input.tokenValidationErrorHandler === undefined ? resolveByLogin : input.tokenValidationErrorHandler,
    idTokenDecoder: input.idTokenDecoder,
    environment: resolveEnvironment(input.environment),
    httpTimeoutMs: resolveTimeoutMs(input.httpTimeoutMs, "GlobusAppConfig.httpTimeoutMs"),
    logger: input.logger ?? defaultLogger,
  });
}
