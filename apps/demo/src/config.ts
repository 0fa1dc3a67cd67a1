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
  /** Groups' base URL, ending in `/` (the services page). */
  readonly groupsUrl: string;
  /** Search's base URL, ending in `/` (the services page). */
  readonly searchUrl: string;
  /** Flows' base URL, ending in `/` (the services page). */
  readonly flowsUrl: string;
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
  /** The Search index the services page queries; none against real Globus unless configured. */
  readonly searchIndex: string | undefined;
  /** The fields of that index the services page shows facet counts of (terms facets). */
  readonly searchFacets: readonly string[];
  /** The flow the services page runs (a `SpecificFlowClient`); none unless configured or seeded. */
  readonly flowId: string | undefined;
  /** The input the services page offers for a run of that flow, as JSON text. */
  readonly flowInput: string;
}

/** The emulator's sample native client (`SAMPLE_NATIVE_CLIENT` of `@globus-app/emulator`). */
const EMULATOR_CLIENT_ID = "5b20fbc2-c639-4ccb-9f61-adaaa8eba170";
/** Its "Emulator Tutorial Collection 1" and "Emulator High Assurance Collection" (`SAMPLE_COLLECTIONS`). */
const EMULATOR_LS_COLLECTION = "f6cd964d-7ab7-44cf-8a05-777a55f598ee";
const EMULATOR_STEP_UP_COLLECTION = "96348e9e-93dd-432f-93b9-b015d71f2fbb";
/** Its "Emulator Mapped Collection": a GCSv5 mapped collection that asks for data_access consent. */
const EMULATOR_MAPPED_COLLECTION = "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
/** Its sample Search index (`SAMPLE_INDEX_ID`): twelve datasets with an instrument and a year each. */
const EMULATOR_SEARCH_INDEX = "6e1d3b5a-0c7f-4a2e-9b8d-2f4c6a8e0b13";
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
/** A flow's input as the page offers it: indented JSON when it parses, else as given. */
const flowInput = (value: string | undefined): string => {
  const text = setting(value) ?? "{}";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text; // the page says what is wrong with it when a run is started
  }
};

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
      groupsUrl: getServiceUrl("groups", environment),
      searchUrl: getServiceUrl("search", environment),
      flowsUrl: getServiceUrl("flows", environment),
      redirectUri,
      lsCollection: setting(env.VITE_DEMO_LS_COLLECTION) ?? GLOBUS_TUTORIAL_COLLECTION,
      stepUpCollection: setting(env.VITE_DEMO_MFA_COLLECTION),
      collectionSearch: setting(env.VITE_DEMO_COLLECTION_SEARCH) ?? "Tutorial",
      transferCollections: [
        setting(env.VITE_DEMO_TRANSFER_LEFT) ?? GLOBUS_TUTORIAL_COLLECTION,
        setting(env.VITE_DEMO_TRANSFER_RIGHT),
      ],
      dataAccessCollections: list(env.VITE_DEMO_DATA_ACCESS_COLLECTIONS) ?? [],
      searchIndex: setting(env.VITE_DEMO_SEARCH_INDEX),
      searchFacets: list(env.VITE_DEMO_SEARCH_FACETS) ?? [],
      flowId: setting(env.VITE_DEMO_FLOW_ID),
      flowInput: flowInput(env.VITE_DEMO_FLOW_INPUT),
    };
  }
  const authUrl = withSlash(setting(env.VITE_GLOBUS_AUTH_URL) ?? "http://127.0.0.1:8700/");
  return {
    mode: "emulator",
    clientId: EMULATOR_CLIENT_ID,
    environment: "production",
    authUrl,
    // The emulator mounts each fake service under its own path (and also serves it on a port of its own).
    transferUrl: `${authUrl}transfer/`,
    groupsUrl: `${authUrl}groups/`,
    searchUrl: `${authUrl}search/`,
    flowsUrl: `${authUrl}flows/`,
    redirectUri,
    lsCollection: setting(env.VITE_DEMO_LS_COLLECTION) ?? EMULATOR_LS_COLLECTION,
    stepUpCollection: setting(env.VITE_DEMO_MFA_COLLECTION) ?? EMULATOR_STEP_UP_COLLECTION,
    collectionSearch: setting(env.VITE_DEMO_COLLECTION_SEARCH) ?? "Emulator",
    transferCollections: [
      setting(env.VITE_DEMO_TRANSFER_LEFT) ?? EMULATOR_LS_COLLECTION,
      setting(env.VITE_DEMO_TRANSFER_RIGHT) ?? EMULATOR_MAPPED_COLLECTION,
    ],
    dataAccessCollections: list(env.VITE_DEMO_DATA_ACCESS_COLLECTIONS) ?? [EMULATOR_MAPPED_COLLECTION],
    searchIndex: setting(env.VITE_DEMO_SEARCH_INDEX) ?? EMULATOR_SEARCH_INDEX,
    searchFacets: list(env.VITE_DEMO_SEARCH_FACETS) ?? ["instrument", "year"],
    // Deployed by `npm start` (scripts/seed-emulator.mjs): the flow's id is new in every emulator.
    flowId: setting(env.VITE_DEMO_FLOW_ID),
    flowInput: flowInput(env.VITE_DEMO_FLOW_INPUT),
  };
}
