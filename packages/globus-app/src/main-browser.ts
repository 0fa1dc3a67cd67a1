/**
 * The `globus-app` entry for browsers and bundlers: the core plus the browser `UserApp` and
 * `ClientApp` (IndexedDB storage and redirect login by default; ClientApp refuses to run).
 *
 * @packageDocumentation
 */

export { ClientApp, UserApp } from "@globus-app/browser";
export * from "./core.ts";
export * from "./services.ts";
