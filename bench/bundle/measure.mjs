#!/usr/bin/env node
// The browser bundle budgets (DESIGN.md, "Budgets"): builds bench/bundle (a browser `UserApp` with
// IndexedDB + redirect login, as an app would import it) with Vite, and gives the gzip -9 size of
// what a page load downloads (the entry chunk and the chunks it imports statically, read from Vite's
// build manifest) and of every JavaScript chunk together; attributes the minified bytes to source
// modules through the sourcemaps.
//
//   node bench/bundle/measure.mjs [--max-bytes <n>] [--max-page-load-bytes <n>] [--top <n>] [--json]
//                                 [--marginal] [--single-chunk] [--out-dir <dir>]
//
// --max-bytes            exit 1 when the gzip total of all chunks is above n (a size check of `npm test`)
// --max-page-load-bytes  exit 1 when the page-load gzip bytes are above n (the other size check)
// --top        how many modules the table lists (default 15; --json lists every module)
// --json       print one JSON object instead of the table (for `npm run bench`)
// --marginal   also give each module's marginal gzip bytes: how much smaller the gzipped chunks get
//              when that module's minified code is cut out of them (what dropping it would save)
// --single-chunk  build with the login chunk's dynamic import made static, so that everything is in
//              one chunk: the total then shows what the library's code weighs without the split, and
//              the difference from the usual total what the split costs (Vite's preload helper, and a
//              second gzip stream that cannot reuse the first's text)
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
import { chunkFigures } from "../lib/page-load-chunks.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

const { values } = parseArgs({
  options: {
    "max-bytes": { type: "string" },
    "max-page-load-bytes": { type: "string" },
    top: { type: "string", default: "15" },
    json: { type: "boolean", default: false },
    marginal: { type: "boolean", default: false },
    "single-chunk": { type: "boolean", default: false },
    "out-dir": { type: "string" },
  },
});
/** A positive byte count from an option, or undefined when the option is not given. */
function byteOption(name) {
  const value = values[name] === undefined ? undefined : Number(values[name]);
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    console.error(`--${name} needs a positive number of bytes`);
    process.exit(2);
  }
  return value;
}
const maxBytes = byteOption("max-bytes");
const maxPageLoadBytes = byteOption("max-page-load-bytes");
const top = Number(values.top);

/** For --single-chunk: loadLoginMachinery's `import()` becomes a static import of the same module. */
const staticLoginChunk = {
  name: "single-chunk",
  enforce: "pre",
  transform(code, id) {
    if (!id.endsWith("/auth/load-login-machinery.ts") && !id.endsWith("/auth/load-login-machinery.js"))
      return;
    // The runtime import(), not the `typeof import(…)` of the module's type.
    const dynamic = /(?<!typeof )import\(("\.\/login-machinery\.[jt]s")\)/;
    const match = dynamic.exec(code);
    if (!match) throw new Error(`--single-chunk: no import() of the login chunk in ${id}`);
    return `import * as loginMachinery from ${match[1]};\n${code.replace(dynamic, "Promise.resolve(loginMachinery)")}`;
  },
};

const result = await build({
  configFile: `${here}vite.config.ts`,
  logLevel: "warn",
  ...(values["single-chunk"] ? { plugins: [staticLoginChunk] } : {}),
  build: {
    write: values["out-dir"] !== undefined,
    ...(values["out-dir"] !== undefined ? { outDir: values["out-dir"] } : {}),
    sourcemap: true,
    manifest: true,
  },
});
const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
const chunks = outputs.filter((o) => o.type === "chunk");
const figures = chunkFigures(outputs, gzipSize);
const onPageLoad = new Set(figures.chunks.filter((c) => c.pageLoad).map((c) => c.file));

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
// Modules with code in a page-load chunk; the others are only in lazy chunks.
const pageLoadModules = new Set();
// The minified text of third-party modules alone, gzipped below: the floor our own code sits on.
const thirdPartyText = [];
const totalGzip = figures.totalGzip;
const totalMinified = figures.totalMinified;
const chunkSizes = figures.chunks;
// Per chunk, its mapped code as [module, text] pieces in order (for --marginal).
const chunkPieces = [];
for (const chunk of chunks) {
  const { gzip } = chunkSizes.find((c) => c.file === chunk.fileName);
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
      if (onPageLoad.has(chunk.fileName) && end > column) pageLoadModules.add(name);
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
    pageLoad: pageLoadModules.has(module),
    ...(values.marginal ? { marginalGzip: marginalGzip(module) } : {}),
  }))
  .sort((a, b) => b.minified - a.minified);
const withinTotal = maxBytes === undefined || totalGzip <= maxBytes;
const withinPageLoad = maxPageLoadBytes === undefined || figures.pageLoadGzip <= maxPageLoadBytes;

if (values.json) {
  console.log(
    JSON.stringify(
      {
        gzip: totalGzip,
        pageLoadGzip: figures.pageLoadGzip,
        pageLoadMinified: figures.pageLoadMinified,
        lazyGzip: figures.lazyGzip,
        gzipTool: gzipTool(),
        minified: totalMinified,
        thirdPartyGzip,
        maxBytes,
        maxPageLoadBytes,
        chunks: chunkSizes,
        modules,
      },
      null,
      2,
    ),
  );
} else {
  for (const chunk of chunkSizes) {
    const when = chunk.pageLoad ? "page load" : "lazy";
    console.log(`${chunk.file} (${when}): ${chunk.minified} B minified, ${chunk.gzip} B gzip`);
  }
  console.log(`\nTop ${Math.min(top, modules.length)} modules by minified bytes (of ${totalMinified}):`);
  console.log(values.marginal ? "minified  marginal gzip  chunk      module" : "minified  chunk      module");
  for (const { module, minified, pageLoad, marginalGzip: marginal } of modules.slice(0, top)) {
    const extra = marginal === undefined ? "" : `${String(marginal).padStart(15)}`;
    console.log(
      `${String(minified).padStart(8)}${extra}  ${(pageLoad ? "page load" : "lazy").padEnd(9)}  ${module}`,
    );
  }
  const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log(
    `\nPage load: ${figures.pageLoadGzip} B gzip -9 (${kib(figures.pageLoadGzip)}): the entry chunk and its static imports.`,
  );
  console.log(`Lazy chunks: ${figures.lazyGzip} B gzip -9 (${kib(figures.lazyGzip)}).`);
  console.log(
    `Total: ${totalGzip} B gzip -9 (${kib(totalGzip)}) in ${chunks.length} chunk(s), by ${gzipTool()}`,
  );
  console.log(
    `Third-party modules alone: ${thirdPartyGzip} B gzip; our code adds ${totalGzip - thirdPartyGzip} B.`,
  );
  if (maxPageLoadBytes !== undefined) {
    console.log(`Page load ${withinPageLoad ? "within" : "OVER"} the ceiling of ${maxPageLoadBytes} B.`);
  }
  if (maxBytes !== undefined) {
    console.log(`Total ${withinTotal ? "within" : "OVER"} the ceiling of ${maxBytes} B.`);
  }
}
// exitCode, not exit(): a piped --json report must be flushed whole.
process.exitCode = withinTotal && withinPageLoad ? 0 : 1;
