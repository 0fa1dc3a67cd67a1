import type { BaseLoginFlowManager } from "@globus-app/core";

/**
 * @internal What `runLoginFlow` receives (`GlobusAuthorizationParameters`), taken from the contract
 * so the Node login flows do not depend on where core exports the GARE types from.
 */
export type LoginAuthParams = Parameters<BaseLoginFlowManager["runLoginFlow"]>[0];
