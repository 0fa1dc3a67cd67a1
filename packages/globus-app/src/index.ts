/**
 * `globus-app`: what every runtime entry exports, with one set of types. Bundlers get the browser
 * build (IndexedDB + redirect defaults), Node, Deno and Bun the Node build (JSON file +
 * command-line defaults); `UserApp` and `ClientApp` are the platform's subclasses of these.
 * Platform-only classes are on `globus-app/browser` and `globus-app/node`.
 *
 * @packageDocumentation
 * @module globus-app
 */
export * from "./core.ts";
export * from "./services.ts";
