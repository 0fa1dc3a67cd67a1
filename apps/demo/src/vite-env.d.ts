/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** A native-app client id registered at https://app.globus.org/settings/developers; unset: the emulator. */
  readonly VITE_GLOBUS_CLIENT_ID?: string;
  /** `production` (default), `preview`, `sandbox`, … — with `VITE_GLOBUS_CLIENT_ID` only. */
  readonly VITE_GLOBUS_SDK_ENVIRONMENT?: string;
  /** The emulator's URL; default `http://127.0.0.1:8700/`. */
  readonly VITE_GLOBUS_AUTH_URL?: string;
  /** The collection the API panel lists. */
  readonly VITE_DEMO_LS_COLLECTION?: string;
  /** A collection that requires MFA, for the step-up button. */
  readonly VITE_DEMO_MFA_COLLECTION?: string;
  /** What the transfer panel searches for to fill its collection pickers. */
  readonly VITE_DEMO_COLLECTION_SEARCH?: string;
  /** The collections the transfer panel opens with. */
  readonly VITE_DEMO_TRANSFER_LEFT?: string;
  readonly VITE_DEMO_TRANSFER_RIGHT?: string;
  /** Comma-separated GCSv5 mapped collections whose data_access consent the first login asks for. */
  readonly VITE_DEMO_DATA_ACCESS_COLLECTIONS?: string;
  /** The Search index the services page queries (the emulator's sample index by default). */
  readonly VITE_DEMO_SEARCH_INDEX?: string;
  /** Comma-separated fields of that index to show facet counts of. */
  readonly VITE_DEMO_SEARCH_FACETS?: string;
  /** The flow the services page runs; `npm start` deploys one to the emulator and sets this. */
  readonly VITE_DEMO_FLOW_ID?: string;
  /** The input (JSON) the services page offers for a run of that flow. */
  readonly VITE_DEMO_FLOW_INPUT?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
