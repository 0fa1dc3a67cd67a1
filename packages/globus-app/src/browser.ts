/**
 * `globus-app/browser`: everything of the browser build, with its platform-only classes (IndexedDB
 * and localStorage storage, redirect and popup login, cross-tab channel, Web Locks).
 *
 * @packageDocumentation
 * @module globus-app/browser
 */
export * from "@globus-app/browser";
export { ClientApp, UserApp } from "@globus-app/browser";
export * from "./core.ts";
