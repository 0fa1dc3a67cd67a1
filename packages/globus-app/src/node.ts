/**
 * `globus-app/node`: everything of the Node build, with its platform-only classes (JSON and SQLite
 * storage, command-line and loopback login, file locks).
 *
 * @packageDocumentation
 * @module globus-app/node
 */
export * from "@globus-app/node";
export { ClientApp, UserApp } from "@globus-app/node";
export * from "./core.ts";
