/// <reference types="vite/client" />

// The settings `npm run start:react` (scripts/start-spa-demo.mjs) or an `.env` file hand the page.
interface ImportMetaEnv {
  /** Real Globus: a native-app client id (https://app.globus.org/settings/developers). Unset: the emulator. */
  readonly VITE_GLOBUS_CLIENT_ID?: string;
  /** With a client id: `production` (the default), `preview`, `sandbox`, … */
  readonly VITE_GLOBUS_SDK_ENVIRONMENT?: string;
  /** Without a client id: the emulator's address (default `http://127.0.0.1:8701/`). */
  readonly VITE_GLOBUS_AUTH_URL?: string;
  /** What "List the sample collection" lists. */
  readonly VITE_DEMO_LS_COLLECTION?: string;
  /** What "List the high-assurance collection" lists: a collection that demands MFA. */
  readonly VITE_DEMO_MFA_COLLECTION?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
