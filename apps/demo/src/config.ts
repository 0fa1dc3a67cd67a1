import { getServiceUrl } from "globus-app";

/** Where the demo signs in, and what it calls. */
export interface DemoConfig {
  /** `"globus"` with a registered client id, `"emulator"` against the local Globus Auth emulator. */
  readonly mode: "globus" | "emulator";
  readonly clientId: string;
  /** The Globus environment (`production` unless `VITE_GLOBUS_SDK_ENVIRONMENT` says otherwise). */
  readonly environment: string;
  /** Globus Auth's base URL, ending in `/`. */
  readonly authUrl: string;
  /** Transfer's base URL, ending in `/`. */
  readonly transferUrl: string;
  /** This page: the redirect URI of both login flows (register it with your client). */
  readonly redirectUri: string;
  /** A collection to list. */
  readonly lsCollection: string;
  /** A collection that needs a step-up (MFA) login; none against real Globus unless configured. */
  readonly stepUpCollection: string | undefined;
  /** What the transfer panel searches for to fill its collection pickers. */
  readonly collectionSearch: string;
  /** The collections the transfer panel opens with, left and right (none: the person picks). */
  readonly transferCollections: readonly [string | undefined, string | undefined];
  /**
   * GCSv5 mapped collections whose `data_access` consent the first login asks for, so that
   * transfers there need no consent round trip (`TransferClient.addAppDataAccessScope`).
   */
  readonly dataAccessCollections: readonly string[];
}

/** The emulator's sample native client (`SAMPLE_NATIVE_CLIENT` of `@globus-app/emulator`). */
const EMULATOR_CLIENT_ID = "5b20fbc2-c639-4ccb-9f61-adaaa8eba170";
/** Its "Emulator Tutorial Collection 1" and "Emulator High Assurance Collection" (`SAMPLE_COLLECTIONS`). */
const EMULATOR_LS_COLLECTION = "f6cd964d-7ab7-44cf-8a05-777a55f598ee";
const EMULATOR_STEP_UP_COLLECTION = "96348e9e-93dd-432f-93b9-b015d71f2fbb";
/** Its "Emulator Mapped Collection": a GCSv5 mapped collection that asks for data_access consent. */
const EMULATOR_MAPPED_COLLECTION = "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
/** Globus Tutorial Collection 1, readable by every Globus user. */
const GLOBUS_TUTORIAL_COLLECTION = "6c54cade-bde5-45c1-bdea-f4bd71dba2cc";

const withSlash = (url: string): string => (url.endsWith("/") ? url : `${url}/`);
const setting = (value: string | undefined): string | undefined => value?.trim() || undefined;
const list = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean);

/** Reads the `VITE_*` settings Vite baked into the page. */
export function readConfig(env: ImportMetaEnv = import.meta.env): DemoConfig {
  const redirectUri = `${location.origin}${location.pathname}`;
  const clientId = setting(env.VITE_GLOBUS_CLIENT_ID);
  if (clientId) {
    const environment = setting(env.VITE_GLOBUS_SDK_ENVIRONMENT) ?? "production";
    return {
      mode: "globus",
      clientId,
      environment,
      authUrl: getServiceUrl("auth", environment),
      transferUrl: getServiceUrl("transfer", environment),
      redirectUri,
      lsCollection: setting(env.VITE_DEMO_LS_COLLECTION) ?? GLOBUS_TUTORIAL_COLLECTION,
      stepUpCollection: setting(env.VITE_DEMO_MFA_COLLECTION),
      collectionSearch: setting(env.VITE_DEMO_COLLECTION_SEARCH) ?? "Tutorial",
      transferCollections: [
        setting(env.VITE_DEMO_TRANSFER_LEFT) ?? GLOBUS_TUTORIAL_COLLECTION,
        setting(env.VITE_DEMO_TRANSFER_RIGHT),
      ],
      dataAccessCollections: list(env.VITE_DEMO_DATA_ACCESS_COLLECTIONS) ?? [],
    };
  }
  const authUrl = withSlash(setting(env.VITE_GLOBUS_AUTH_URL) ?? "http://127.0.0.1:8700/");
  return {
    mode: "emulator",
    clientId: EMULATOR_CLIENT_ID,
    environment: "production",
    authUrl,
    transferUrl: `${authUrl}transfer/`,
    redirectUri,
    lsCollection: setting(env.VITE_DEMO_LS_COLLECTION) ?? EMULATOR_LS_COLLECTION,
    stepUpCollection: setting(env.VITE_DEMO_MFA_COLLECTION) ?? EMULATOR_STEP_UP_COLLECTION,
    collectionSearch: setting(env.VITE_DEMO_COLLECTION_SEARCH) ?? "Emulator",
    transferCollections: [
      setting(env.VITE_DEMO_TRANSFER_LEFT) ?? EMULATOR_LS_COLLECTION,
      setting(env.VITE_DEMO_TRANSFER_RIGHT) ?? EMULATOR_MAPPED_COLLECTION,
    ],
    dataAccessCollections: list(env.VITE_DEMO_DATA_ACCESS_COLLECTIONS) ?? [EMULATOR_MAPPED_COLLECTION],
  };
}
