#!/usr/bin/env node
// `npm run start:react`: the Globus Auth emulator (consent page shown) and the React demo portal, in
// this one process (scripts/start-spa-demo.mjs, as `npm start` runs apps/demo); `-- --dev` serves the
// portal from the Vite dev server.
//
// Environment:
//   REACT_DEMO_PORT      the portal's port (default 5174)
//   REACT_EMULATOR_PORT  the emulator's port (default 8701)
//   VITE_GLOBUS_CLIENT_ID [VITE_GLOBUS_SDK_ENVIRONMENT]
//                        a native-app client registered with Globus: no emulator, real Globus
//                        (register http://127.0.0.1:<REACT_DEMO_PORT>/ as its redirect URI)

import { startSpaDemo } from "../../../scripts/start-spa-demo.mjs";

await startSpaDemo({
  title: "globus-app React demo portal",
  appDir: new URL("../", import.meta.url),
  port: { env: "REACT_DEMO_PORT", fallback: 5174 },
  emulatorPort: { env: "REACT_EMULATOR_PORT", fallback: 8701 },
});
