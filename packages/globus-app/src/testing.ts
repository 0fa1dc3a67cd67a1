/**
 * `globus-app/testing`: helpers for testing an app offline against the local Globus Auth emulator
 * (`npx globus-auth-emulator --auto-approve`). Nothing here belongs in a production app, so none of
 * it is on the main entry.
 *
 * @packageDocumentation
 * @module globus-app/testing
 */
export { EmulatorAutoApproveLoginFlow } from "@globus-app/core/testing/emulator";
