/**
 * `@globus-app/core/testing/emulator`: helpers for testing apps against the local Globus Auth
 * emulator. Kept apart from `./testing` (whose conformance suites need vitest) and from the main
 * entry (nothing here belongs in a production app).
 *
 * @packageDocumentation
 */
export { EmulatorAutoApproveLoginFlow } from "./emulator-auto-approve-login-flow.ts";
