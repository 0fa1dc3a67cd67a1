#!/usr/bin/env node
// The browser bundle budget (DESIGN.md, "Budgets"): builds bench/bundle (a browser `UserApp` with
// IndexedDB + redirect login, as an app would import it) with Vite, sums the gzip -9 size of every
// JavaScript chunk, and attributes the minified bytes to source modules through the sourcemaps.
//
//   node bench/bundle/measure.mjs [--max-bytes <n>] [--top <n>] [--json] [--marginal] [--out-dir <dir>]
//
// --max-bytes  exit 1 when the gzip total is above n (the size check of `npm test`)
// --top        how many modules the table lists (default 15; --json lists every module)
// --json       print one JSON object instead of the table (for `npm run bench`)
// --marginal   also give each module's marginal gzip bytes: how much smaller the gzipped chunks get
//              when that module's minified code is cut out of them (what dropping it would save)
// --out-dir    also write the build there (default: nothing is written)
//
// Also reported: the gzip size of the third-party modules' minified code alone (oauth4webapi,
// valibot, idb-keyval: the floor under our own code) and what our code adds on top of it.
//
// Gzip sizes come from the `gzip -9` command where there is one (fed on stdin, so its header holds
// no file name: `gzip -9 -c file | wc -c` reads about 20 bytes more per chunk), else from zlib at
// level 9, whose deflate differs slightly (about 0.5 % larger here); the output says which.

import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "vite";
import { gzipSize, gzipTool } from "../lib/gzip-size.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

const { values } = parseArgs({
  options: {
    "max-bytes": { type: "string" },
    top: { type: "string", default: "15" },
    json: { type: "boolean", default: false },
    marginal: { type: "boolean", default: false },
    "out-dir": { type: "string" },
  },
});
const maxBytes = values["max-bytes"] === undefined ? undefined : Number(values["max-bytes"]);
if (maxBytes !== undefined && !(Number.isFinite(maxBytes) && maxBytes > 0)) {
  console.error("--max-bytes needs a positive number of bytes");
  process.exit(2);
}
const top = Number(values.top);

const result = await build({
  configFile: `${here}vite.config.ts`,
  logLevel: "warn",
  build: {
    write: values["out-dir"] !== undefined,
    ...(values["out-dir"] !== undefined ? { outDir: values["out-dir"] } : {}),
    sourcemap: true,
  },
});
const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
const chunks = outputs.filter((o) => o.type === "chunk");

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** Decodes a sourcemap's `mappings` into, per generated line, [column, source index] pairs. */
function decodeMappings(mappings) {
  const lines = [];
  let source = 0;
  for (const line of mappings.split(";")) {
    const segments = [];
    let column = 0;
    for (const segment of line.split(",")) {
      if (segment === "") continue;
      const fields = [];
      let value = 0;
      let shift = 0;
      for (const char of segment) {
        const digit = DIGIT.get(char);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0];
      if (fields.length > 1) source += fields[1];
      segments.push([column, fields.length > 1 ? source : -1]);
    }
    lines.push(segments);
  }
  return lines;
}

/** A readable module name: a package for node_modules, a repository path for our sources. */
function moduleName(source) {
  const path = source.replace(/\\/g, "/");
  const inModules = path.lastIndexOf("node_modules/");
  if (inModules >= 0) {
    const parts = path.slice(inModules + "node_modules/".length).split("/");
    return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const inRepo = path.indexOf("packages/");
  if (inRepo >= 0) return path.slice(inRepo);
  return path.replace(/^(\.\.\/)+/, "/").replace(repoRoot, "");
}

const bytesByModule = new Map();
// The minified text of third-party modules alone, gzipped below: the floor our own code sits on.
const thirdPartyText = [];
let totalGzip = 0;
let totalMinified = 0;
const chunkSizes = [];
// Per chunk, its mapped code as [module, text] pieces in order (for --marginal).
const chunkPieces = [];
for (const chunk of chunks) {
  const code = Buffer.from(chunk.code);
  const gzip = gzipSize(code);
  totalGzip += gzip;
  totalMinified += code.length;
  chunkSizes.push({ file: chunk.fileName, minified: code.length, gzip });
  if (!chunk.map) continue;
  const sources = chunk.map.sources.map(moduleName);
  const lines = chunk.code.split("\n");
  const pieces = [];
  chunkPieces.push({ gzip, pieces });
  decodeMappings(chunk.map.mappings).forEach((segments, lineIndex) => {
    const lineLength = lines[lineIndex]?.length ?? 0;
    segments.forEach(([column, source], i) => {
      const end = i + 1 < segments.length ? segments[i + 1][0] : lineLength;
      const name = source >= 0 ? sources[source] : "(no source)";
      bytesByModule.set(name, (bytesByModule.get(name) ?? 0) + Math.max(0, end - column));
      pieces.push([name, lines[lineIndex].slice(column, end)]);
      if (source >= 0 && chunk.map.sources[source].includes("node_modules/")) {
        thirdPartyText.push(lines[lineIndex].slice(column, end));
      }
    });
  });
}

const thirdPartyGzip = gzipSize(Buffer.from(thirdPartyText.join("")));
/** How many gzip bytes the chunks lose when `module`'s code is cut out of them. */
function marginalGzip(module) {
  let saved = 0;
  for (const { gzip, pieces } of chunkPieces) {
    if (!pieces.some(([name]) => name === module)) continue;
    const rest = pieces.filter(([name]) => name !== module).map(([, text]) => text);
    saved += gzip - gzipSize(Buffer.from(rest.join("")));
  }
  return saved;
}

const modules = [...bytesByModule]
  .map(([module, minified]) => ({
    module,
    minified,
    ...(values.marginal ? { marginalGzip: marginalGzip(module) } : {}),
  }))
  .sort((a, b) => b.minified - a.minified);
const withinBudget = maxBytes === undefined || totalGzip <= maxBytes;

if (values.json) {
  console.log(
    JSON.stringify(
      {
        gzip: totalGzip,
        gzipTool: gzipTool(),
        minified: totalMinified,
        thirdPartyGzip,
        maxBytes,
        chunks: chunkSizes,
        modules,
      },
      null,
      2,
    ),
  );
} else {
  for (const chunk of chunkSizes) {
    console.log(`${chunk.file}: ${chunk.minified} B minified, ${chunk.gzip} B gzip`);
  }
  console.log(`\nTop ${Math.min(top, modules.length)} modules by minified bytes (of ${totalMinified}):`);
  if (values.marginal) console.log("minified  marginal gzip  module");
  for (const { module, minified, marginalGzip: marginal } of modules.slice(0, top)) {
    const extra = marginal === undefined ? "" : `${String(marginal).padStart(15)}`;
    console.log(`${String(minified).padStart(8)}${extra}  ${module}`);
  }
  console.log(
    `\nTotal: ${totalGzip} B gzip -9 (${(totalGzip / 1024).toFixed(1)} KiB) in ${chunks.length} chunk(s), by ${gzipTool()}`,
  );
  console.log(
    `Third-party modules alone: ${thirdPartyGzip} B gzip; our code adds ${totalGzip - thirdPartyGzip} B.`,
  );
  if (maxBytes !== undefined) {
    console.log(withinBudget ? `Within the ceiling of ${maxBytes} B.` : `Over the ceiling of ${maxBytes} B.`);
  }
}
// exitCode, not exit(): a piped --json report must be flushed whole.
process.exitCode = withinBudget ? 0 : 1;
