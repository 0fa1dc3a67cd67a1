#!/usr/bin/env node
// `npm start`: the Globus Auth emulator (consent page shown) and the demo portal, in this one
// process (scripts/start-spa-demo.mjs); `npm start -- --dev` serves the demo from the Vite dev server.
// The emulator gets the services page's sample flow and group first (seed-emulator.mjs).
//
// Environment:
//   DEMO_PORT        the demo's port (default 5173)
//   EMULATOR_PORT    the emulator's port (default 8700)
//   VITE_GLOBUS_CLIENT_ID [VITE_GLOBUS_SDK_ENVIRONMENT]
//                    a native-app client registered with Globus: no emulator, the demo signs in to
//                    real Globus (register http://127.0.0.1:<DEMO_PORT>/ as its redirect URI)

import { startSpaDemo } from "../../../scripts/start-spa-demo.mjs";
import { seedEmulator } from "./seed-emulator.mjs";

await startSpaDemo({
  title: "globus-app demo portal",
  appDir: new URL("../", import.meta.url),
  port: { env: "DEMO_PORT", fallback: 5173 },
  emulatorPort: { env: "EMULATOR_PORT", fallback: 8700 },
  seed: seedEmulator,
});
