/**
 * The `globus-app` entry for Node, Deno and Bun: the core plus the Node `UserApp` and `ClientApp`
 * (JSON file storage shared with the Python SDK and command-line login by default).
 *
 * @packageDocumentation
 */

export { ClientApp, UserApp } from "@globus-app/node";
export * from "./core.ts";
export * from "./services.ts";
