// gzip -9 sizes for the bundle measurements (bench/bundle/measure.mjs, bench/bundle-size.mjs).
import { spawnSync } from "node:child_process";
import { gzipSync } from "node:zlib";

let tool = "gzip -9";

/**
 * The gzip -9 size of `data`: the `gzip` command's (fed on stdin, so no file name in its header),
 * or zlib's at level 9 where the command is missing (about 0.5 % larger here).
 */
export function gzipSize(data) {
  if (tool === "gzip -9") {
    const run = spawnSync("gzip", ["-9", "-c"], { input: data, maxBuffer: 64 * 1024 * 1024 });
    if (run.status === 0) return run.stdout.length;
    tool = "zlib level 9";
  }
  return gzipSync(data, { level: 9 }).length;
}

/** Which of the two {@link gzipSize} has used: "gzip -9" or "zlib level 9". */
export function gzipTool() {
  return tool;
}
