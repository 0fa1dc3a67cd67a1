// Module hooks (registered by count-modules-register.mjs) that list every module file Node loads, one
// URL a line, in $BENCH_MODULE_LIST. Used by bench/cold-start.mjs to count the files an import pulls in.
import { appendFileSync } from "node:fs";

export async function load(url, context, nextLoad) {
  if (url.startsWith("file:") && process.env.BENCH_MODULE_LIST) {
    appendFileSync(process.env.BENCH_MODULE_LIST, `${url}\n`);
  }
  return nextLoad(url, context);
}
