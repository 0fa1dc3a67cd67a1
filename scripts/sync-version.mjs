#!/usr/bin/env node
// Writes @globus-app/core's package.json version into LIBRARY_VERSION (packages/core/src/http/client-info.ts),
// the version sent in X-Globus-Client-Info and User-Agent. `npm run release:version` runs it after
// `changeset version`; a test in client-info.test.ts fails when the two differ.
import { readFileSync, writeFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../packages/core/package.json", import.meta.url), "utf8"));
const file = new URL("../packages/core/src/http/client-info.ts", import.meta.url);
const source = readFileSync(file, "utf8");
const updated = source.replace(
  /export const LIBRARY_VERSION = "[^"]*";/,
  `export const LIBRARY_VERSION = "${pkg.version}";`,
);
if (!updated.includes(`LIBRARY_VERSION = "${pkg.version}"`)) {
  console.error("sync-version: LIBRARY_VERSION not found in client-info.ts");
  process.exit(1);
}
if (updated !== source) writeFileSync(file, updated);
console.log(`LIBRARY_VERSION = "${pkg.version}"`);
