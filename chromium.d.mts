/** Headless flags that keep Chromium off the (closed) network of these machines. */
export declare const chromiumArgs: readonly string[];
/** `$CHROMIUM_PATH`, then `/usr/bin/chromium`; undefined lets Playwright use its own build. */
export declare function findChromium(): string | undefined;
