// Where and how the tests and benchmarks launch Chromium: one list for playwright.config.ts (and so
// vitest's browser mode) and bench/browser.mjs. Plain JavaScript so Node 20 can import it as is.
import { existsSync } from "node:fs";

/** Headless flags that keep Chromium off the (closed) network of these machines. */
export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * The Chromium to drive: `$CHROMIUM_PATH`, then Debian's `/usr/bin/chromium`, then Playwright's own
 * (undefined lets Playwright pick its downloaded build).
 */
export function findChromium() {
  return [process.env.CHROMIUM_PATH, "/usr/bin/chromium"].find((path) => Boolean(path && existsSync(path)));
}
