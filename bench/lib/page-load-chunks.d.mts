/** One entry of Vite's build manifest (the fields read here). */
export interface ManifestEntry {
  file: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
/** The file names of the page-load chunks: the entries' files and their static imports, transitively. */
export function pageLoadFiles(manifest: Record<string, ManifestEntry>): Set<string>;
export function manifestOf(outputs: readonly unknown[]): Record<string, ManifestEntry>;
export function chunkFigures(
  outputs: readonly unknown[],
  gzipSize: (data: Uint8Array) => number,
): {
  chunks: Array<{ file: string; pageLoad: boolean; minified: number; gzip: number }>;
  pageLoadGzip: number;
  pageLoadMinified: number;
  lazyGzip: number;
  totalGzip: number;
  totalMinified: number;
};
