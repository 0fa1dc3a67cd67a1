// Which chunks of a Vite build a page load downloads: the entry chunk and every chunk it imports
// statically, transitively, read from Vite's build manifest (`build.manifest: true`). Everything
// else (chunks reached only through `import()`) is fetched later, if ever. Shared by
// bench/bundle/measure.mjs (the size check of `npm test`) and bench/bundle-size.mjs (the bench table).

/** The manifest of a build run with `write: false`: it is one of the emitted assets. */
export function manifestOf(outputs) {
  const asset = outputs.find((o) => o.type === "asset" && o.fileName.endsWith("manifest.json"));
  if (!asset) throw new Error("the build emitted no manifest: build.manifest must be true");
  return JSON.parse(typeof asset.source === "string" ? asset.source : Buffer.from(asset.source).toString());
}

/**
 * The file names of the page-load chunks: the entries' files plus their static `imports`, followed
 * transitively. `dynamicImports` are not followed: they are the lazy chunks.
 */
export function pageLoadFiles(manifest) {
  const files = new Set();
  const visit = (key) => {
    const entry = manifest[key];
    if (!entry || files.has(entry.file)) return;
    files.add(entry.file);
    for (const next of entry.imports ?? []) visit(next);
  };
  for (const [key, entry] of Object.entries(manifest)) if (entry.isEntry) visit(key);
  return files;
}

/**
 * Sizes per chunk and the two budgets' figures: page-load (entry + static imports) and total (every
 * JavaScript chunk), each the sum of the chunks' gzip sizes. `gzipSize` is bench/lib/gzip-size.mjs's.
 */
export function chunkFigures(outputs, gzipSize) {
  const onPageLoad = pageLoadFiles(manifestOf(outputs));
  const chunks = outputs
    .filter((o) => o.type === "chunk")
    .map((chunk) => {
      const code = Buffer.from(chunk.code);
      return {
        file: chunk.fileName,
        pageLoad: onPageLoad.has(chunk.fileName),
        minified: code.length,
        gzip: gzipSize(code),
      };
    });
  const sum = (list, key) => list.reduce((s, c) => s + c[key], 0);
  const pageLoad = chunks.filter((c) => c.pageLoad);
  const lazy = chunks.filter((c) => !c.pageLoad);
  return {
    chunks,
    pageLoadGzip: sum(pageLoad, "gzip"),
    pageLoadMinified: sum(pageLoad, "minified"),
    lazyGzip: sum(lazy, "gzip"),
    totalGzip: sum(chunks, "gzip"),
    totalMinified: sum(chunks, "minified"),
  };
}
