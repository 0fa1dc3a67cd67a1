#!/usr/bin/env node
// Service clients must cost nothing to an app that does not import them, and each client only its
// own cost (DESIGN.md, "Budgets"): builds bench/bundle (UserApp only) and, per client, a portal that
// imports that client alone (bench/bundle-<service>), the way measure.mjs does; fails when any
// module of packages/services is in the first build's sourcemaps, when a client's build has none,
// or when it has another client's folder; and reports what each client adds, gzip -9.
//
//   node bench/bundle/services-cost.mjs [--json]
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "vite";
import { gzipSize, gzipTool } from "../lib/gzip-size.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const { values } = parseArgs({ options: { json: { type: "boolean", default: false } } });

/** Each client's portal, and the folder of packages/services/src that holds it. */
export const CLIENTS = [
  { client: "TransferClient", folder: "transfer", root: path.join(here, "..", "bundle-transfer") },
  { client: "GroupsClient", folder: "groups", root: path.join(here, "..", "bundle-groups") },
  { client: "SearchClient", folder: "search", root: path.join(here, "..", "bundle-search") },
  { client: "FlowsClient", folder: "flows", root: path.join(here, "..", "bundle-flows") },
  { client: "TimersClient", folder: "timers", root: path.join(here, "..", "bundle-timers") },
  { client: "ComputeClientV2+V3", folder: "compute", root: path.join(here, "..", "bundle-compute") },
];

async function measure(root) {
  const result = await build({
    configFile: `${here}vite.config.ts`,
    root,
    logLevel: "warn",
    build: { write: false, sourcemap: true },
  });
  const chunks = (Array.isArray(result) ? result : [result])
    .flatMap((r) => r.output)
    .filter((o) => o.type === "chunk");
  // What a page load downloads: the entry chunk and its static imports (lazy chunks, such as ky's,
  // load on the first request).
  const entry = chunks.find((chunk) => chunk.isEntry);
  const initial = chunks.filter((chunk) => chunk === entry || entry?.imports.includes(chunk.fileName));
  const sources = new Set(
    chunks.flatMap((chunk) => chunk.map?.sources ?? []).map((s) => s.replace(/\\/g, "/")),
  );
  return {
    gzip: chunks.reduce((sum, chunk) => sum + gzipSize(Buffer.from(chunk.code)), 0),
    initialGzip: initial.reduce((sum, chunk) => sum + gzipSize(Buffer.from(chunk.code)), 0),
    minified: chunks.reduce((sum, chunk) => sum + Buffer.byteLength(chunk.code), 0),
    services: [...sources]
      .filter((s) => s.includes("packages/services/"))
      .map((s) => s.slice(s.indexOf("packages/"))),
  };
}

const userApp = await measure(here);
const problems = [];
if (userApp.services.length > 0)
  problems.push(`the UserApp-only build contains ${userApp.services.join(", ")}`);
const clients = [];
for (const { client, folder, root } of CLIENTS) {
  const built = await measure(root);
  if (built.services.length === 0)
    problems.push(`the ${client} build contains no module of packages/services`);
  const others = built.services.filter(
    (s) =>
      /packages\/services\/src\/[^/]+\//.test(s) &&
      !s.includes(`packages/services/src/${folder}/`) &&
      !s.includes("packages/services/src/paging/"),
  );
  if (others.length > 0)
    problems.push(`the ${client} build contains other clients' modules: ${others.join(", ")}`);
  clients.push({
    client,
    gzip: built.gzip,
    minified: built.minified,
    servicesModules: built.services,
    addsGzip: built.gzip - userApp.gzip,
    addsInitialGzip: built.initialGzip - userApp.initialGzip,
    addsMinified: built.minified - userApp.minified,
  });
}
const report = {
  gzipTool: gzipTool(),
  userApp: {
    gzip: userApp.gzip,
    initialGzip: userApp.initialGzip,
    minified: userApp.minified,
    servicesModules: userApp.services.length,
  },
  clients,
  problems,
};
if (values.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log(
    `UserApp alone: ${userApp.gzip} B gzip (${userApp.minified} B minified), services modules: ${userApp.services.length}`,
  );
  for (const c of clients) {
    console.log(
      `UserApp + ${c.client}: ${c.gzip} B gzip (${c.minified} B minified); ${c.client} adds ${c.addsGzip} B gzip in all chunks (${c.addsMinified} B minified; ky included, which loads on the first request) and ${c.addsInitialGzip} B gzip to a page load, by ${gzipTool()}`,
    );
  }
  for (const problem of problems) console.log(`FAIL: ${problem}`);
}
process.exitCode = problems.length === 0 ? 0 : 1;
