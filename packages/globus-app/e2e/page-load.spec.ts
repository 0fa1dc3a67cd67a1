import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Emulator, SAMPLE_NATIVE_CLIENT, startEmulator } from "@globus-app/emulator";
import { expect, type Page, test } from "@playwright/test";
import { build, type PreviewServer, preview } from "vite";
import { pageLoadFiles } from "../../../bench/lib/page-load-chunks.mjs";
import { productionMessagesPlugin } from "../../../scripts/production-messages.mjs";

// The page-load budget as behaviour (DESIGN.md, "Budgets"): the minimal app, built by Vite and
// served as it ships, downloads only its page-load chunks (the entry and its static imports, read
// from Vite's manifest) on a signed-in reload and still produces a Bearer header; the login chunk
// is fetched when sign-in is clicked; a failed login-chunk load is a GlobusNetworkError that the
// next click retries. Built as a portal's production build is (short error messages), against the
// emulator over real sockets.

const here = path.dirname(fileURLToPath(import.meta.url));
const appRoot = path.join(here, "page-load-app");

let emu: Emulator;
let server: PreviewServer;
let outDir: string;
let appUrl: string;
let pageLoad: Set<string>;
let loginChunk: string;

/** A free loopback port: the emulator must know the app's origin before the app is served. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

test.beforeAll(async () => {
  const port = await freePort();
  appUrl = `http://127.0.0.1:${port}/`;
  emu = await startEmulator({
    port: 0,
    allowedOrigins: [appUrl.slice(0, -1)],
    redirectUris: [appUrl],
    autoApprove: true,
  });
  outDir = await mkdtemp(path.join(os.tmpdir(), "page-load-app-"));
  await build({
    configFile: false,
    root: appRoot,
    logLevel: "warn",
    resolve: { conditions: ["@globus-app/source", "browser", "module", "import", "default"] },
    // As a portal's production build gets it: error messages shortened (the `production` condition).
    plugins: [productionMessagesPlugin()],
    define: { __AUTH_URL__: JSON.stringify(emu.url), __CLIENT_ID__: JSON.stringify(SAMPLE_NATIVE_CLIENT.id) },
    build: { outDir, emptyOutDir: true, manifest: true, target: "es2022" },
  });
  const manifest = JSON.parse(await readFile(path.join(outDir, ".vite", "manifest.json"), "utf8"));
  pageLoad = pageLoadFiles(manifest);
  const lazy = Object.values(manifest as Record<string, { file: string; isDynamicEntry?: boolean }>).filter(
    (entry) => entry.isDynamicEntry,
  );
  expect(lazy.map((entry) => path.basename(entry.file))).toEqual([
    expect.stringMatching(/^login-machinery-/),
  ]);
  loginChunk = (lazy[0] as { file: string }).file;
  server = await preview({
    configFile: false,
    root: appRoot,
    logLevel: "warn",
    build: { outDir },
    preview: { host: "127.0.0.1", port, strictPort: true },
  });
});

test.afterAll(async () => {
  await server?.close();
  await emu?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

/** The app's JavaScript files this page fetches from now on, as manifest paths (`assets/…`). */
function recordScripts(page: Page): string[] {
  const fetched: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.origin === new URL(appUrl).origin && url.pathname.endsWith(".js")) {
      fetched.push(url.pathname.slice(1));
    }
  });
  return fetched;
}

const status = (page: Page) => page.locator("#status");

test("a signed-in reload fetches only the page-load chunks; sign-in fetches the login chunk", async ({
  page,
}) => {
  const first = recordScripts(page);
  await page.goto(appUrl);
  await expect(status(page)).toHaveText("signed-out");
  expect(first).not.toContain(loginChunk);
  expect(new Set(first)).toEqual(pageLoad);

  // Sign in: the click loads the login chunk, the redirect goes to the emulator (auto-approve) and
  // back, where the callback needs the login chunk again for the code exchange.
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(status(page)).toHaveText("bearer");
  expect(first).toContain(loginChunk);
  expect(page.url()).toBe(appUrl);

  // The signed-in reload: page-load chunks only (fresh page, so nothing comes from memory), and the
  // stored token still gives a Bearer header.
  const reload = recordScripts(page);
  await page.reload();
  await expect(status(page)).toHaveText("bearer");
  expect(new Set(reload)).toEqual(pageLoad);
  expect(reload).not.toContain(loginChunk);
});

test("a failed login-chunk load is a GlobusNetworkError, and the next sign-in loads it", async ({ page }) => {
  let refused = 0;
  // Offline for the login chunk only, once: what a redeploy that removed old chunk files looks like.
  await page.route(`**/${loginChunk}`, async (route) => {
    if (refused++ === 0) await route.abort("internetdisconnected");
    else await route.continue();
  });
  await page.goto(appUrl);
  await expect(status(page)).toHaveText("signed-out");
  await page.getByRole("button", { name: "Sign in" }).click();
  // Its message is the production build's short one (README, "Error messages in production builds").
  await expect(status(page)).toHaveText(
    /^error:GlobusNetworkError:NETWORK_ERROR:\[globus-app [0-9a-z]{6}\]$/,
  );

  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(status(page)).toHaveText("bearer");
  expect(refused).toBeGreaterThanOrEqual(2);
});
