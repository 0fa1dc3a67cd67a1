/**
 * `@globus-app/emulator`: a local Globus Auth emulator (and fake Transfer, Groups and Search APIs)
 * for tests, demos and offline development.
 *
 * @packageDocumentation
 * @module @globus-app/emulator
 */

export {
  type EmulatorClient,
  type EmulatorIdentity,
  RegistrationError,
} from "./client-identity-registry.ts";
export { COMPUTE_ALL_SCOPE, COMPUTE_RESOURCE_SERVER } from "./compute-routes.ts";
export { SAMPLE_COMPUTE_ENDPOINT_ID, SAMPLE_FUNCTIONS } from "./compute-store.ts";
export type { ConsentJson } from "./consent-store.ts";
export {
  ControlError,
  type EmulatorControl,
  type IssueTokensRequest,
} from "./emulator-control.ts";
export type { AutoApprove, CollectionRequirements, RevokeAllResult } from "./emulator-state.ts";
export {
  type ActiveFault,
  ENDPOINT_NAMES,
  FAULT_KINDS,
  type FaultKind,
  type FaultSpec,
  FaultSpecError,
} from "./faults.ts";
export { FLOWS_ALL_SCOPE, FLOWS_RESOURCE_SERVER, flowUserScope } from "./flows-routes.ts";
export { GROUPS_ALL_SCOPE, GROUPS_VIEW_SCOPE } from "./groups-routes.ts";
export { SAMPLE_GROUP_ID } from "./groups-store.ts";
export { ID_TOKEN_FORGERIES, type IdTokenForgery, type PublicJwk } from "./id-token-signer.ts";
export {
  CLI_USAGE,
  type CliCommand,
  CliUsageError,
  DEFAULT_CLI_PORT,
  parseCliArgs,
} from "./parse-cli-args.ts";
export { type RequestLogEntry, SECRET_PARAMETERS } from "./request-log.ts";
export { type CliEnvironment, formatBanner, runCli } from "./run-cli.ts";
export {
  CLIENT_IDENTITY_PROVIDER,
  type ClientRegistration,
  type IdentityRegistration,
  SAMPLE_CONFIDENTIAL_CLIENT,
  SAMPLE_IDENTITIES,
  SAMPLE_NATIVE_CLIENT,
} from "./sample-data.ts";
export {
  AUTH_RESOURCE_SERVER,
  dataAccessScope,
  GROUPS_RESOURCE_SERVER,
  resourceServerForScope,
  SEARCH_RESOURCE_SERVER,
  TRANSFER_ALL_SCOPE,
  TRANSFER_RESOURCE_SERVER,
} from "./scope-registry.ts";
export { parseScopeTree, type ScopeNode, ScopeSyntaxError, serializeScopeTree } from "./scope-tree.ts";
export {
  SEARCH_ALL_SCOPE,
  SEARCH_INGEST_SCOPE,
  SEARCH_SEARCH_SCOPE,
} from "./search-routes.ts";
export { SAMPLE_INDEX_ID } from "./search-store.ts";
export {
  SimulatedLoginError,
  type SimulatedLoginOptions,
  simulateBrowserLogin,
} from "./simulate-browser-login.ts";
export {
  type Emulator,
  type EmulatorOptions,
  type EmulatorServiceUrls,
  startEmulator,
} from "./start-emulator.ts";
export { StateFileError } from "./state-file.ts";
export { TIMERS_RESOURCE_SERVER, TIMERS_SCOPE } from "./timers-routes.ts";
export type { TokenLifetimes, TokenResponse, TokenResponseEntry } from "./token-store.ts";
export {
  MAPPED_COLLECTION_ID,
  MFA_COLLECTION_ID,
  PAUSED_COLLECTION_ID,
  SAMPLE_COLLECTIONS,
  type SampleCollection,
} from "./transfer-collections.ts";
