import { portalHelpers } from "../../demo/e2e/helpers.ts";

// The React demo portal (apps/react-demo: globus-app/react's hooks) against its own Globus Auth
// emulator, both started by `npm run start:react`'s script on the ports of playwright.config.ts's
// second webServer. It shows what apps/demo shows, in the same words, so the demo's helpers walk it.

/** The portal's address. */
export const portalUrl = `http://127.0.0.1:${process.env.REACT_DEMO_PORT ?? "5274"}/`;
/** Its emulator's address. */
export const emulatorUrl = `http://127.0.0.1:${process.env.REACT_EMULATOR_PORT ?? "8771"}/`;

/** apps/demo's helpers, bound to this portal and its emulator. */
export const { answerConsent, control, open, requestCounts, resetEmulator, signInWithRedirect } =
  portalHelpers(portalUrl, emulatorUrl);
