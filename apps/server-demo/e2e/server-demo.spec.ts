import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { testPostgres } from "../../../packages/node/test-support/test-servers.ts";

// The server-side portal (apps/server-demo) in its own process against the emulator's consent page,
// driven by Chromium: sign in, reload, call Transfer, sign out; and every refusal a 400 with its
// typed error. Ports apart from the SPA demo's (5273/8770). Tokens in PostgreSQL when the tests have
// one (always in CI), else SQLite.
const root = fileURLToPath(new URL("../../../", import.meta.url));
const PORT = Number(process.env.SERVER_DEMO_PORT ?? 5291);
const EMULATOR_PORT = Number(process.env.SERVER_DEMO_EMULATOR_PORT ?? 8791);
const portal = `http://localhost:${PORT}`;
const OLD = "e2e-old-secret-0123456789abcdefghijklmnop";
const NEW = "e2e-new-secret-0123456789abcdefghijklmnop";
const postgres = testPostgres();

let server: ChildProcess | undefined;
let log = "";

/** Newest modification time under a folder of sources. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full));
    else if (entry.name.endsWith(".ts")) latest = Math.max(latest, statSync(full).mtimeMs);
  }
  return latest;
}

function ensureBuilt(): void {
  const bundle = path.join(root, "packages/globus-app/dist/node/server.js");
  let built = 0;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {}
  const sources = Math.max(
    ...["core", "node", "emulator"].map((p) => newest(path.join(root, "packages", p, "src"))),
  );
  if (built > sources) return;
  const build = spawnSync("npm", ["run", "build"], { cwd: root, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
}

async function startPortal(secrets: string[]): Promise<void> {
  await stopPortal();
  log = "";
  server = spawn(process.execPath, ["apps/server-demo/scripts/start.mjs"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(PORT),
      EMULATOR_PORT: String(EMULATOR_PORT),
      SESSION_SECRETS: secrets.join(","),
      DATABASE_URL: postgres.url ?? "",
    },
  });
  server.stdout?.on("data", (chunk: Buffer) => {
    log += chunk;
  });
  server.stderr?.on("data", (chunk: Buffer) => {
    log += chunk;
  });
  const deadline = Date.now() + 30_000;
  while (!log.includes("Server-side portal:")) {
    if (Date.now() > deadline || server.exitCode !== null)
      throw new Error(`the portal did not start:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopPortal(): Promise<void> {
  if (!server || server.exitCode !== null) return;
  const closed = once(server, "close");
  server.kill("SIGTERM");
  await closed;
}

async function signIn(page: Page): Promise<string> {
  let callback = "";
  page.on("request", (request) => {
    if (request.url().startsWith(`${portal}/auth/callback`)) callback = request.url();
  });
  await page.goto(`${portal}/`);
  await page.getByRole("link", { name: "Sign in with Globus" }).click();
  await expect(page.getByRole("heading", { name: "Sign in with Globus" })).toBeVisible();
  await page.getByRole("radio", { name: /Ada Lovelace/ }).check();
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page).toHaveURL(`${portal}/whoami`);
  await expect(page.locator("#name")).toHaveText("Ada Lovelace");
  return callback;
}

async function sessionCookie(context: BrowserContext) {
  const cookie = (await context.cookies(portal)).find((c) => c.name === "__Host-globus-session");
  if (!cookie) throw new Error("no session cookie");
  return cookie;
}

/** Loads a URL and returns the status and the typed error of the JSON answer. */
async function refused(page: Page, url: string): Promise<{ status: number; error: unknown }> {
  const response = await page.goto(url);
  const body = JSON.parse((await response?.text()) ?? "{}") as { error?: unknown };
  return { status: response?.status() ?? 0, error: body.error };
}

test.describe.configure({ mode: "serial" });
test.beforeAll(async () => {
  test.setTimeout(240_000);
  ensureBuilt();
  await startPortal([OLD]);
});
test.afterAll(stopPortal);

test("sign in on the consent page, reload, list Transfer collections, sign out", async ({
  page,
  context,
}) => {
  await signIn(page);
  const cookie = await sessionCookie(context);
  expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });
  // Only a sealed cookie reaches the browser: no token in it, and none in page storage.
  expect(await page.evaluate(() => document.cookie)).toBe("");
  await page.reload();
  await expect(page.locator("#signed-in-as")).toHaveText("Signed in as Ada Lovelace");
  await page.getByRole("link", { name: "Transfer" }).click();
  await expect(page.locator("#collection-count")).toHaveText(/^[1-9]\d* collection\(s\)$/);
  await expect(page.locator(".collection").first()).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in with Globus" })).toBeVisible();
  expect((await context.cookies(portal)).map((c) => c.name)).not.toContain("__Host-globus-session");
  // Signed out: the Transfer page sends the person to sign in again.
  await page.goto(`${portal}/transfer`);
  await expect(page.getByRole("heading", { name: "Sign in with Globus" })).toBeVisible();
});

test("refuses a forged and a replayed callback with LoginStateMismatchError and a 400", async ({ page }) => {
  const callback = await signIn(page);
  expect(callback).toContain("state=");
  expect(await refused(page, callback)).toEqual({ status: 400, error: "LoginStateMismatchError" });
  expect(await refused(page, `${portal}/auth/callback?code=forged&state=${"x".repeat(43)}`)).toEqual({
    status: 400,
    error: "LoginStateMismatchError",
  });
});

test("refuses a tampered session cookie with SessionCookieError and a 400", async ({ page, context }) => {
  await signIn(page);
  const cookie = await sessionCookie(context);
  const parts = cookie.value.split(".");
  parts[3] = `${(parts[3] ?? "").slice(0, -2)}${(parts[3] ?? "").endsWith("AA") ? "BB" : "AA"}`;
  await context.addCookies([{ ...cookie, value: parts.join(".") }]);
  expect(await refused(page, `${portal}/whoami`)).toEqual({ status: 400, error: "SessionCookieError" });
  // The 400 cleared the bad cookie: the next page is signed out, not stuck.
  await page.goto(`${portal}/`);
  await expect(page.getByRole("link", { name: "Sign in with Globus" })).toBeVisible();
});

test("refuses an off-site return URL with UnsafeReturnUrlError and a 400", async ({ page }) => {
  for (const target of ["https://evil.example/", "//evil.example/", "/\\evil.example"]) {
    expect(await refused(page, `${portal}/auth/login?returnTo=${encodeURIComponent(target)}`)).toEqual({
      status: 400,
      error: "UnsafeReturnUrlError",
    });
  }
});

test("rotates the session key: old cookies work while the old secret is listed, then get a 400", async ({
  page,
}) => {
  await signIn(page);
  await startPortal([NEW, OLD]);
  await page.goto(`${portal}/whoami`);
  await expect(page.locator("#name")).toHaveText("Ada Lovelace");
  await startPortal([NEW]);
  expect(await refused(page, `${portal}/whoami`)).toEqual({ status: 400, error: "SessionCookieError" });
  await startPortal([OLD]);
});
