import { NativeAppAuthClient, UserApp } from "globus-app";
import { PopupLoginFlowManager } from "globus-app/browser";
import type { UseGlobusClientOptions } from "globus-app/react";
import { readConfig } from "./config.ts";

// The portal's one app, built once when the page loads (never inside a component, so StrictMode's
// double renders and every hook share it), and what the components need beside it.

/** The portal's settings (`VITE_*`): the emulator, or real Globus with a registered client. */
export const portalConfig = readConfig();

const { clientId, authUrl, environment, redirectUri } = portalConfig;
const loginClient = new NativeAppAuthClient({ clientId, baseUrl: authUrl, environment });

/**
 * The signed-in person's app: tokens in IndexedDB, shared by every tab, login by redirect (both
 * browser defaults). `tokenValidationErrorHandler: null`: a call that needs a login fails with an
 * error the page words, instead of navigating to Globus by itself.
 */
export const portalApp = new UserApp("globus-app React demo", {
  loginClient,
  config: {
    environment,
    loginRedirectUri: redirectUri,
    // Lets a session outlive the 48-hour access tokens; see packages/browser/README.md before copying.
    requestRefreshTokens: true,
    tokenValidationErrorHandler: null,
  },
});

/** The second way in, for `login({ loginFlowManager: popupLogin })`: the page stays put. */
export const popupLogin = new PopupLoginFlowManager(loginClient, {
  redirectUri,
  requestRefreshTokens: true,
  prefillNamedGrant: portalApp.appName,
});

/**
 * The options of the portal's `TransferClient`, `useGlobusClient(TransferClient, transferOptions)`:
 * the portal's Transfer (the emulator's fake one, or Globus's). Every component gets one client.
 */
export const transferOptions: UseGlobusClientOptions = { baseUrl: portalConfig.transferUrl };
