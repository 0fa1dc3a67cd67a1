import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { type Emulator, SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT, startEmulator } from "../src/index.ts";

// The consent page in a real Chromium: pick an identity, Allow or Deny, land on the app's callback.

const [, GRACE] = SAMPLE_IDENTITIES;
const TRANSFER = "urn:globus:auth:scope:transfer.api.globus.org:all";

let emu: Emulator;
let app: Server;
let callback: string;

test.beforeAll(async () => {
  emu = await startEmulator();
  // A stand-in for the app's loopback redirect target.
  app = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end("<!doctype html><title>App callback</title><h1>Back in the app</h1>");
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  callback = `http://127.0.0.1:${(app.address() as AddressInfo).port}/callback`;
});

test.afterAll(async () => {
  await emu.close();
  app.closeAllConnections();
  await new Promise((resolve) => app.close(resolve));
});

function authorizeUrl(redirectUri: string, verifier: string, extra: Record<string, string> = {}): string {
  const url = new URL("v2/oauth2/authorize", emu.url);
  url.search = new URLSearchParams({
    client_id: SAMPLE_NATIVE_CLIENT.id,
    redirect_uri: redirectUri,
    scope: `openid profile ${TRANSFER}[*https://auth.globus.org/scopes/96348e9e-93dd-432f-93b9-b015d71f2fbb/data_access]`,
    state: "e2e-state",
    response_type: "code",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    access_type: "offline",
    ...extra,
  }).toString();
  return url.href;
}

test("Allow as the chosen identity lands on the callback with a code", async ({ page }, testInfo) => {
  const verifier = randomBytes(32).toString("base64url");
  await page.goto(authorizeUrl(callback, verifier, { session_message: "Sign in to list your files" }));
  await expect(page.getByRole("heading", { name: "Sign in with Globus" })).toBeVisible();
  await expect(page.getByText("Sign in to list your files")).toBeVisible();
  // Dependent scopes are nested lists under their parent.
  await expect(page.locator("#scopes > li > ul > li")).toContainText("data_access");
  const grace = page.getByRole("radio", { name: /Grace Hopper/ });
  await grace.check();
  await expect(grace).toBeChecked();
  await page.screenshot({ path: testInfo.outputPath("consent-page.png"), fullPage: true });

  await page.getByRole("button", { name: "Allow" }).click();
  await page.waitForURL((url) => url.href.startsWith(callback));
  await expect(page.getByRole("heading", { name: "Back in the app" })).toBeVisible();
  const landed = new URL(page.url());
  expect(landed.searchParams.get("state")).toBe("e2e-state");
  const code = landed.searchParams.get("code");
  expect(code).toBeTruthy();

  // The code is Grace's.
  const response = await fetch(new URL("v2/oauth2/token", emu.url), {
    method: "POST",
    body: new URLSearchParams({
      client_id: SAMPLE_NATIVE_CLIENT.id,
      grant_type: "authorization_code",
      code: code as string,
      code_verifier: verifier,
      redirect_uri: callback,
    }),
  });
  const tokens = (await response.json()) as { id_token: string };
  const claims = JSON.parse(Buffer.from(tokens.id_token.split(".")[1] as string, "base64url").toString()) as {
    sub: string;
  };
  expect(claims.sub).toBe(GRACE.id);
});

test("Deny lands on the callback with access_denied", async ({ page }) => {
  await page.goto(authorizeUrl(callback, randomBytes(32).toString("base64url")));
  await page.getByRole("button", { name: "Deny" }).click();
  await page.waitForURL((url) => url.href.startsWith(callback));
  const landed = new URL(page.url());
  expect(landed.searchParams.get("error")).toBe("access_denied");
  expect(landed.searchParams.get("state")).toBe("e2e-state");
  expect(landed.searchParams.has("code")).toBe(false);
});

test("the auth-code page shows the code for copy and paste", async ({ page }, testInfo) => {
  await page.goto(authorizeUrl(`${emu.url}v2/web/auth-code`, randomBytes(32).toString("base64url")));
  await page.getByRole("button", { name: "Allow" }).click();
  await page.waitForURL(/\/v2\/web\/auth-code\?code=/);
  const code = new URL(page.url()).searchParams.get("code");
  await expect(page.getByLabel("Authorization code")).toHaveValue(code as string);
  await page.screenshot({ path: testInfo.outputPath("auth-code-page.png") });
});
