export { ClientApp } from "./app/client-app.ts";
export { GlobusApp } from "./app/globus-app.ts";
export { resolveByLogin, resolveGlobusAppConfig } from "./app/globus-app-config.ts";
export type {
  GlobusAppConfig,
  GlobusAppConfigInput,
  GlobusAppHandle,
  GlobusAppOptions,
  GlobusAppPlatform,
  GlobusAppPlatformHooks,
  IdTokenDecoderContext,
  IdTokenDecoderProvider,
  LoginFlowManagerContext,
  LoginFlowManagerProvider,
  LoginFlowName,
  LoginOptions,
  LogoutOptions,
  ScopeRequirementsInput,
  TokenStorageContext,
  TokenStorageName,
  TokenStorageProvider,
  TokenValidationErrorHandler,
} from "./app/globus-app-contracts.ts";
export type { GlobusAppEventMap, GlobusAppEventSource, GlobusAppListener } from "./app/globus-app-events.ts";
export { GlobusAppEvents } from "./app/globus-app-events.ts";
export { corePlatform } from "./app/globus-app-platform.ts";
export type { GlobusLogger } from "./app/globus-logger.ts";
export { loggerFromEnvironment } from "./app/globus-logger.ts";
export { UserApp } from "./app/user-app.ts";
export type {
  AuthCallOptions,
  AuthLoginClientOptions,
  AuthorizationRequest,
  AuthorizationRequestOptions,
  OpenIdConfiguration,
  TokenRequestSender,
  TokenResponseProcessor,
} from "./auth/auth-login-client.ts";
export { AuthLoginClient } from "./auth/auth-login-client.ts";
export type { ConfidentialAppAuthClientOptions } from "./auth/confidential-app-auth-client.ts";
export { ConfidentialAppAuthClient } from "./auth/confidential-app-auth-client.ts";
export type { GlobusLogoutUrlOptions } from "./auth/globus-logout-url.ts";
export { globusLogoutUrl } from "./auth/globus-logout-url.ts";
export type { IdTokenClaims, IdTokenDecoder } from "./auth/id-token-decoder.ts";
export { loadLoginMachinery } from "./auth/load-login-machinery.ts";
export { NativeAppAuthClient } from "./auth/native-app-auth-client.ts";
export { AccessTokenAuthorizer } from "./authorizers/access-token-authorizer.ts";
export { BasicAuthorizer } from "./authorizers/basic-authorizer.ts";
export { ClientCredentialsAuthorizer } from "./authorizers/client-credentials-authorizer.ts";
export type { GlobusAuthorizer } from "./authorizers/globus-authorizer.ts";
export { NullAuthorizer } from "./authorizers/null-authorizer.ts";
export { RefreshTokenAuthorizer } from "./authorizers/refresh-token-authorizer.ts";
export type { RenewingAuthorizerOptions } from "./authorizers/renewing-authorizer.ts";
export { EXPIRES_ADJUST_SECONDS, RenewingAuthorizer } from "./authorizers/renewing-authorizer.ts";
export { StaticGlobusGenericAuthorizer } from "./authorizers/static-globus-generic-authorizer.ts";
export type { EnvironmentConfig } from "./config/environment.ts";
export {
  DEFAULT_HTTP_TIMEOUT_MS,
  GLOBUS_ENVIRONMENTS,
  getHttpTimeoutMs,
  getServiceUrl,
  readEnvironmentVariable,
  registerEnvironment,
  resolveEnvironment,
} from "./config/environment.ts";
export type { GlobusAPIErrorInit } from "./errors/api-error.ts";
export { GlobusAPIError, globusAPIErrorFromBody, isGlobusAPIError } from "./errors/api-error.ts";
export type { GlobusErrorCode, GlobusErrorOptions } from "./errors/globus-error.ts";
export { errorGuard, GlobusError } from "./errors/globus-error.ts";
export { isGlobusError } from "./errors/is-globus-error.ts";
export { isLoginFlowError, LoginFlowError } from "./errors/login-flow-error.ts";
export {
  CommandLineEOFError,
  isCommandLineEOFError,
  isLocalServerError,
  isLoginCancelledError,
  isLoginDeniedError,
  isLoginIssuerMismatchError,
  isLoginStateMismatchError,
  isLoginTimeoutError,
  isPopupBlockedError,
  isPopupClosedError,
  LocalServerError,
  LoginCancelledError,
  LoginDeniedError,
  LoginIssuerMismatchError,
  LoginStateMismatchError,
  LoginTimeoutError,
  PopupBlockedError,
  PopupClosedError,
} from "./errors/login-flow-errors.ts";
export type { GlobusNetworkErrorCode } from "./errors/network-error.ts";
export { GlobusNetworkError, isGlobusNetworkError } from "./errors/network-error.ts";
export { isTokenStorageError, TokenStorageError } from "./errors/token-storage-error.ts";
export {
  ExpiredTokenError,
  IdentityMismatchError,
  IdentityValidationError,
  isExpiredTokenError,
  isIdentityMismatchError,
  isIdentityValidationError,
  isMissingIdentityError,
  isMissingTokenError,
  isTokenValidationError,
  isUnmetScopeRequirementsError,
  MissingIdentityError,
  MissingTokenError,
  TokenValidationError,
  UnmetScopeRequirementsError,
} from "./errors/token-validation-errors.ts";
export { GlobusSDKUsageError, isGlobusSDKUsageError } from "./errors/usage-error.ts";
export { formatAuthorizationParameters, formatGare } from "./gare/format-gare.ts";
export type { GARE } from "./gare/gare.ts";
export type { GareToJSONOptions } from "./gare/gare-to-json.ts";
export { authorizationParametersToJSON, gareToJSON } from "./gare/gare-to-json.ts";
export type { GlobusAuthorizationParameters } from "./gare/globus-authorization-parameters.ts";
export { toAuthorizeQuery } from "./gare/to-authorize-query.ts";
export { hasGares, isGare, toGare, toGares } from "./gare/to-gare.ts";
export type { GlobusIdentity } from "./http/auth-client.ts";
export { AuthClient } from "./http/auth-client.ts";
export type { GlobusClientOptions, GlobusRequestOptions, GlobusServiceInfo } from "./http/globus-client.ts";
export { GlobusClient } from "./http/globus-client.ts";
export type { KeyedMutexRunOptions } from "./internal/keyed-mutex.ts";
export { KeyedMutex } from "./internal/keyed-mutex.ts";
export type { BaseLoginFlowManagerOptions } from "./login/base-login-flow-manager.ts";
export { BaseLoginFlowManager } from "./login/base-login-flow-manager.ts";
export type { LoginCallbackInput } from "./login/login-callback-state.ts";
export { isLoginCallback, loginCallbackState } from "./login/login-callback-state.ts";
export type {
  LoginFlowManager,
  LoginFlowOptions,
  RedirectCompletingLoginFlow,
} from "./login/login-flow-manager.ts";
export { isRedirectCompletingFlow } from "./login/login-flow-manager.ts";
export type { LoginCallbackExpectation } from "./login/parse-login-callback.ts";
export { parseLoginCallback } from "./login/parse-login-callback.ts";
export type { PendingLogin, PendingLoginStore } from "./login/pending-login.ts";
export { PENDING_LOGIN_KEY_PREFIX, parsePendingLogin, readPendingLogin } from "./login/pending-login.ts";
export type { Consent } from "./scopes/consent.ts";
export { ConsentSchema, parseConsent } from "./scopes/consent.ts";
export { ConsentForest, ConsentTree } from "./scopes/consent-forest.ts";
export {
  ConsentParseError,
  ConsentTreeConstructionError,
  isConsentParseError,
  isConsentTreeConstructionError,
} from "./scopes/consent-parse-error.ts";
export type { ScopeLike, ScopeOptions } from "./scopes/scope.ts";
export { parseScopes, Scope } from "./scopes/scope.ts";
export type { IdOrIds } from "./scopes/scope-builders.ts";
export {
  collectionDataAccessScope,
  flowUserWithTransferDataAccess,
  gcsCollectionScopes,
  gcsEndpointScopes,
  specificFlowScopes,
  timerWithFlowUser,
  timerWithTransferDataAccess,
  transferWithDataAccess,
} from "./scopes/scope-builders.ts";
export type { ScopeCollection } from "./scopes/scope-collections.ts";
export {
  AuthScopes,
  ComputeScopes,
  defineScopeCollection,
  FlowsScopes,
  GroupsScopes,
  SearchScopes,
  TimersScopes,
  TransferScopes,
  urlScope,
  urnScope,
} from "./scopes/scope-collections.ts";
export type { ScopeGraphRoot, ScopeTreeLike } from "./scopes/scope-graph.ts";
export { ScopeGraph } from "./scopes/scope-graph.ts";
export {
  isScopeCycleError,
  isScopeParseError,
  ScopeCycleError,
  ScopeParseError,
} from "./scopes/scope-parse-error.ts";
export type { ScopesInput, SerializeScopesOptions } from "./scopes/scope-parser.ts";
export { mergeScopes, normalizeScopes, ScopeParser, serializeScopes } from "./scopes/scope-parser.ts";
export type { GlobusLinkedIdentity, GlobusUser } from "./storage/globus-user.ts";
export { toGlobusUser, userRecordNamespace } from "./storage/globus-user.ts";
export type { MemoryTokenStorageOptions } from "./storage/memory-token-storage.ts";
export { MemoryTokenStorage } from "./storage/memory-token-storage.ts";
export type {
  ConsentChecker,
  TokenDataValidator,
  TokenValidationContext,
} from "./storage/token-data-validators.ts";
export {
  HasRefreshTokensValidator,
  NotExpiredValidator,
  ScopeRequirementsValidator,
  UnchangingIdentityIDValidator,
} from "./storage/token-data-validators.ts";
export type {
  GlobusTokenResponseBody,
  TokenGrantType,
  TokenResponse,
  TokenResponseOptions,
} from "./storage/token-response.ts";
export {
  GlobusTokenResponseSchema,
  GlobusTokenSchema,
  tokenResponseFromBody,
} from "./storage/token-response.ts";
export { byScopes, formatTokenResponse } from "./storage/token-response-lookup.ts";
export type { TokenStorage } from "./storage/token-storage.ts";
export { BaseTokenStorage, DEFAULT_NAMESPACE } from "./storage/token-storage.ts";
export type { TokenStorageData } from "./storage/token-storage-data.ts";
export {
  assertStorableTokenData,
  copyTokenStorageData,
  parseTokenStorageData,
  tokenStorageDataToJSON,
} from "./storage/token-storage-data.ts";
export { TokenStorageDataSchema } from "./storage/token-storage-data-schema.ts";
export { ValidatingTokenStorage } from "./storage/validating-token-storage.ts";
