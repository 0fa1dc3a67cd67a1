/**
 * React bindings of globus-app: a provider and hooks over an app. Imports nothing browser-only,
 * so server components and SSR builds can import it.
 *
 * @packageDocumentation
 */

export type { UseGlobusClientOptions } from "./client-options-key.ts";
export type { GlobusAppProviderProps } from "./globus-app-provider.tsx";
export { GlobusAppProvider, useGlobusApp } from "./globus-app-provider.tsx";
export type { UseAuthorizerResult } from "./use-authorizer.ts";
export { useAuthorizer } from "./use-authorizer.ts";
export type { GlobusClientClass } from "./use-globus-client.ts";
export { useGlobusClient } from "./use-globus-client.ts";
export type { UseLoginResult, UseLogoutResult } from "./use-login.ts";
export { useLogin, useLogout } from "./use-login.ts";
export { useLoginRequired, useUser } from "./use-user.ts";
