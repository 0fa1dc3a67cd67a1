import { getServiceUrl } from "globus-app";

/** Where the portal signs in, and which collections it lists. */
export interface PortalConfig {
  /** Real Globus (`"globus"`, with a registered client) or the local emulator (`"emulator"`). */
  readonly mode: "globus" | "emulator";
  /** The native app's client id: the emulator's sample client, or `VITE_GLOBUS_CLIENT_ID`. */
  readonly clientId: string;
  /** `VITE_GLOBUS_SDK_ENVIRONMENT`, else `production`. */
  readonly environment: string;
  /** Where the tokens come from (Globus Auth or the emulator); ends in `/`. */
  readonly authUrl: string;
  /** Where Transfer answers (the emulator's under `transfer/`); ends in `/`. */
  readonly transferUrl: string;
  /** The address of this page, where both login flows come back: register it with the client. */
  readonly redirectUri: string;
  /** The collection of "List the sample collection". */
  readonly lsCollection: string;
  /** A collection that needs an MFA sign-in; none against real Globus unless configured. */
  readonly stepUpCollection: string | undefined;
}

/**
 * The emulator's sample native client, "Emulator Tutorial Collection 1" and "Emulator High Assurance
 * Collection" (`SAMPLE_NATIVE_CLIENT` and `SAMPLE_COLLECTIONS` of `@globus-app/emulator`).
 */
const EMULATOR = {
  clientId: "5b20fbc2-c639-4ccb-9f61-adaaa8eba170",
  lsCollection: "f6cd964d-7ab7-44cf-8a05-777a55f598ee",
  stepUpCollection: "96348e9e-93dd-432f-93b9-b015d71f2fbb",
} as const;
/** Globus Tutorial Collection 1, readable by every Globus user. */
const TUTORIAL_COLLECTION = "6c54cade-bde5-45c1-bdea-f4bd71dba2cc";

/**
 * Reads the `VITE_*` settings Vite baked into the page: with `VITE_GLOBUS_CLIENT_ID`, real Globus;
 * without, the emulator that `npm run start:react` starts.
 *
 * @throws GlobusSDKUsageError for an unknown `VITE_GLOBUS_SDK_ENVIRONMENT`.
 */
export function readConfig(env: ImportMetaEnv = import.meta.env): PortalConfig {
  const setting = (name: keyof ImportMetaEnv): string | undefined => env[name]?.trim() || undefined;
  const clientId = setting("VITE_GLOBUS_CLIENT_ID");
  const redirectUri = `${location.origin}${location.pathname}`;
  const lsCollection = setting("VITE_DEMO_LS_COLLECTION");
  const stepUpCollection = setting("VITE_DEMO_MFA_COLLECTION");
  if (clientId) {
    const environment = setting("VITE_GLOBUS_SDK_ENVIRONMENT") ?? "production";
    return {
      mode: "globus",
      redirectUri,
      clientId,
      environment,
      authUrl: getServiceUrl("auth", environment),
      transferUrl: getServiceUrl("transfer", environment),
      lsCollection: lsCollection ?? TUTORIAL_COLLECTION,
      stepUpCollection,
    };
  }
  const emulatorUrl = setting("VITE_GLOBUS_AUTH_URL") ?? "http://127.0.0.1:8701/";
  const authUrl = emulatorUrl.endsWith("/") ? emulatorUrl : `${emulatorUrl}/`;
  return {
    mode: "emulator",
    clientId: EMULATOR.clientId,
    environment: "production",
    authUrl,
    transferUrl: `${authUrl}transfer/`,
    redirectUri,
    lsCollection: lsCollection ?? EMULATOR.lsCollection,
    stepUpCollection: stepUpCollection ?? EMULATOR.stepUpCollection,
  };
}
