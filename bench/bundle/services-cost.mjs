#!/usr/bin/env node
// Service clients must cost nothing to an app that does not import them (DESIGN.md, "Budgets"):
// builds bench/bundle (UserApp only) and bench/bundle-transfer (UserApp + TransferClient) the way
// measure.mjs does, fails when any module of packages/services is in the first build's sourcemaps
// (or none is in the second's), and reports what TransferClient adds, gzip -9.
//
//   node bench/bundle/services-cost.mjs [--json]
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "vite";
import { gzipSize, gzipTool } from "../lib/gzip-size.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const { values } = parseArgs({ options: { json: { type: "boolean", default: false } } });

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
const withTransfer = await measure(path.join(here, "..", "bundle-transfer"));
const problems = [];
if (userApp.services.length > 0)
  problems.push(`the UserApp-only build contains ${userApp.services.join(", ")}`);
if (withTransfer.services.length === 0)
  problems.push("the TransferClient build contains no module of packages/services");
const report = {
  gzipTool: gzipTool(),
  userApp: {
    gzip: userApp.gzip,
    initialGzip: userApp.initialGzip,
    minified: userApp.minified,
    servicesModules: userApp.services.length,
  },
  userAppWithTransfer: {
    gzip: withTransfer.gzip,
    minified: withTransfer.minified,
    servicesModules: withTransfer.services,
  },
  transferClientGzip: withTransfer.gzip - userApp.gzip,
  transferClientInitialGzip: withTransfer.initialGzip - userApp.initialGzip,
  transferClientMinified: withTransfer.minified - userApp.minified,
  problems,
};
if (values.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log(
    `UserApp alone: ${userApp.gzip} B gzip (${userApp.minified} B minified), services modules: ${userApp.services.length}`,
  );
  console.log(`UserApp + TransferClient: ${withTransfer.gzip} B gzip (${withTransfer.minified} B minified)`);
  console.log(
    `TransferClient adds ${report.transferClientGzip} B gzip in all chunks (${report.transferClientMinified} B minified; ky included, which loads on the first request) and ${report.transferClientInitialGzip} B gzip to a page load (the entry chunk and its static imports), by ${gzipTool()}`,
  );
  for (const problem of problems) console.log(`FAIL: ${problem}`);
}
process.exitCode = problems.length === 0 ? 0 : 1;
