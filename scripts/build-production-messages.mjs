#!/usr/bin/env node
// Writes `dist/prod/` of the packages that browsers download (core, browser, services): tsc's
// `dist/` with every long error message replaced by a short code (production-messages.mjs), and
// `dist/prod/messages.json`, each code's full text. Bundlers pick `dist/prod/` through the
// `production` export condition (Vite and webpack in production builds); everything else (Node,
// Deno, Bun, development builds) keeps the full text of `dist/`. Run by `npm run build`, `npm run
// pack`, the packages' `prepack` and the packaging check, after `tsc -b`.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { shortenMessages } from "./production-messages.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The packages with a `production` export condition. */
const PRODUCTION_PACKAGES = ["core", "browser", "services"];

/** The JavaScript files of a tsc output folder, relative to it, without tests and without prod/. */
function emittedModules(dist) {
  return readdirSync(dist, { recursive: true, encoding: "utf8" }).filter(
    (file) => file.endsWith(".js") && !file.includes(".test.") && !file.startsWith(`prod${path.sep}`),
  );
}

for (const name of PRODUCTION_PACKAGES) {
  const dist = path.join(root, "packages", name, "dist");
  const prod = path.join(dist, "prod");
  rmSync(prod, { recursive: true, force: true });
  const catalogue = new Map();
  const files = emittedModules(dist);
  if (!files.includes("index.js")) throw new Error(`${dist} has no index.js: run tsc -b first`);
  for (const file of files) {
    // The sourcemap describes dist/, not the rewritten copy: its comment is dropped.
    const source = readFileSync(path.join(dist, file), "utf8").replace(
      /\n\/\/# sourceMappingURL=.*\s*$/,
      "\n",
    );
    const { code, messages } = shortenMessages(source);
    for (const [id, text] of messages) {
      if (catalogue.has(id) && catalogue.get(id) !== text)
        throw new Error(`Two messages share the code ${id}`);
      catalogue.set(id, text);
    }
    mkdirSync(path.dirname(path.join(prod, file)), { recursive: true });
    writeFileSync(path.join(prod, file), code);
  }
  const sorted = Object.fromEntries([...catalogue].sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(path.join(prod, "messages.json"), `${JSON.stringify(sorted, null, 2)}\n`);
  console.log(`${name}: dist/prod/ (${files.length} modules, ${catalogue.size} coded messages)`);
}
