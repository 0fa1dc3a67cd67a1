import { expect, type Page, type TestInfo, test } from "@playwright/test";
import {
  answerConsent,
  control,
  demoUrl,
  emulatorUrl,
  expectSignedIn,
  expectSignedOut,
  expectTransferPanelReady,
  openDemo,
  requestCounts,
  resetEmulator,
  signInWithRedirect,
} from "./helpers.ts";

// The demo portal against the Globus Auth emulator, both started by `npm start`'s script (see
// playwright.config.ts's webServer). Each test gets a fresh browser context (empty IndexedDB and
// sessionStorage) and a reset emulator, so the tests do not depend on one another.

test.beforeEach(async () => {
  await resetEmulator();
});

const shots = new WeakMap<TestInfo, number>();
/** Keeps a picture of each state among the test's artifacts (test-results/<test>/NN-name.png). */
async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const shot = (shots.get(testInfo) ?? 0) + 1;
  shots.set(testInfo, shot);
  await page.screenshot({
    path: testInfo.outputPath(`${String(shot).padStart(2, "0")}-${name}.png`),
    fullPage: true,
  });
}

test("redirect login through the consent page; the session survives a reload", async ({ page }, testInfo) => {
  await openDemo(page);
  await expectSignedOut(page);
  await expect(page.getByRole("status")).toHaveText("You are signed out.");
  await snap(page, testInfo, "signed-out");

  await page.getByRole("button", { name: "Sign in with Globus" }).click();
  await expect(page.getByRole("heading", { name: "Sign in with Globus" })).toBeVisible();
  await snap(page, testInfo, "consent-page");
  await answerConsent(page);

  await expectSignedIn(page);
  expect(page.url()).toBe(demoUrl); // code and state are gone from the address bar
  await expect(page.locator("#user-username")).toHaveText("ada@example.org");
  await expect(page.locator("#user-idp")).toHaveText("Example University");
  await expect(page.locator("#user-id")).toHaveText("e97b81af-bba5-4d10-849c-0b40ea5084c1");

  // One row per resource server, with scopes and time left but never a token: Auth and Transfer for
  // the home page; Groups, Search, Flows and the sample flow (its id) for the services page.
  const rows = page.locator("#tokens tbody tr");
  await expect(rows).toHaveCount(6);
  const tokenRow = (resourceServer: string) =>
    page.locator(`#tokens tr[data-resource-server="${resourceServer}"]`);
  const authRow = tokenRow("auth.globus.org");
  const transferRow = tokenRow("transfer.api.globus.org");
  await expect(authRow).toContainText("openid");
  await expect(authRow).toContainText("email");
  await expect(transferRow).toContainText("urn:globus:auth:scope:transfer.api.globus.org:all");
  await expect(tokenRow("groups.api.globus.org")).toContainText(
    "urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships",
  );
  await expect(tokenRow("search.api.globus.org")).toContainText(
    "urn:globus:auth:scope:search.api.globus.org:search",
  );
  await expect(tokenRow("flows.globus.org")).toContainText("/run_status");
  await expect(rows.filter({ hasText: /\/flow_[0-9a-f_]{36}_user/ })).toHaveCount(1);
  for (const row of await rows.all()) {
    await expect(row.locator("td").nth(1)).toHaveText(/^4[78] h \d+ min$/);
    await expect(row.locator("td").nth(2)).toHaveText("Yes");
  }
  await snap(page, testInfo, "signed-in");

  // IndexedDB keeps the tokens: a reload is signed in without going back to Globus Auth.
  const before = await requestCounts();
  await page.reload();
  await expectSignedIn(page);
  await expect(rows).toHaveCount(6);
  const after = await requestCounts();
  expect(after.authorize ?? 0).toBe(before.authorize ?? 0);
  expect(after.token ?? 0).toBe(before.token ?? 0);
});

test("the API panel searches and lists collections through TransferClient", async ({ page }, testInfo) => {
  await openDemo(page);
  await signInWithRedirect(page);
  // The transfer panel's own calls (endpoint search, two listings, the history) are not counted.
  await expectTransferPanelReady(page);
  await control("DELETE", "requests");

  await page.getByLabel("Search collections").fill("Tutorial");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  const results = page.locator("#search-results li");
  await expect(results).toHaveCount(2);
  await expect(results.first()).toContainText("Emulator Tutorial Collection 1");
  await snap(page, testInfo, "search");

  await page.getByRole("button", { name: "List files of Emulator Tutorial Collection 2" }).click();
  await expect(page.locator("#listing")).toContainText("README.txt");
  await expect(page.getByRole("status")).toHaveText(/^Listed 6 entries of collection 2ddeacb8-/);

  // Headed by the collection's name (from the search result), its UUID beside it.
  await expect(page.locator("#api-result h3")).toContainText("Files in Emulator Tutorial Collection 2");

  await page.getByRole("button", { name: "List the sample collection" }).click();
  await expect(page.locator("#api-result h3")).toContainText("Files in Emulator Tutorial Collection 1");
  await expect(page.locator("#api-result h3")).toContainText("f6cd964d-7ab7-44cf-8a05-777a55f598ee");
  await expect(page.locator("#listing")).toContainText("results.csv");
  await snap(page, testInfo, "listing");

  // The search, two listings, and the sample collection's document for its name.
  const counts = await requestCounts();
  expect(counts.transfer).toBe(4);

  // Two days later at Globus the access token has expired: Transfer answers 401, the app renews the
  // token with its refresh token (once) and the call goes through.
  await control("POST", "clock/advance", { seconds: 49 * 3600 });
  await page.getByRole("button", { name: "List the sample collection" }).click();
  await expect(page.getByRole("status")).toHaveText(/^Listed 6 entries of collection f6cd964d-/);
  await expect(page.getByRole("alert")).toBeHidden();
  expect((await requestCounts())["token:refresh_token"]).toBe(1);
});

test("step-up: an MFA requirement (GARE) is met by a new login, then the listing is redriven", async ({
  page,
}, testInfo) => {
  await openDemo(page);
  await signInWithRedirect(page);

  await page.getByRole("button", { name: "List the high-assurance collection (needs MFA)" }).click();
  const gare = page.getByRole("region", { name: "Globus needs more before it lets you in" });
  await expect(gare).toBeVisible();
  await expect(gare).toContainText("requires a multi-factor authentication session");
  await expect(gare).toContainText("a sign-in with multi-factor authentication");
  await snap(page, testInfo, "gare");

  await gare.getByRole("button", { name: "Continue with Globus" }).click();
  await expect(page.getByText("This app requires multi-factor authentication")).toBeVisible();
  await snap(page, testInfo, "consent-mfa");
  await answerConsent(page);

  // Back in the demo: the same identity, and the listing that failed is retried by itself.
  await expect(page.locator("#listing")).toContainText("README.txt");
  await expect(page.locator("#api-result h3")).toContainText("96348e9e-93dd-432f-93b9-b015d71f2fbb");
  await expect(page.locator("#user-name")).toHaveText("Ada Lovelace");
  await expect(gare).toBeHidden();
  await snap(page, testInfo, "stepped-up");
});

test("step-up in a popup keeps the page and redrives the listing", async ({ page }) => {
  await openDemo(page);
  await signInWithRedirect(page);
  await page.getByRole("button", { name: "List the high-assurance collection (needs MFA)" }).click();
  const popupPromise = page.waitForEvent("popup");
  await page.getByRole("button", { name: "Continue in a popup" }).click();
  const popup = await popupPromise;
  await answerConsent(popup);
  await expect.poll(() => popup.isClosed()).toBe(true); // the popup closes itself
  await expect(page.locator("#listing")).toContainText("README.txt");
  await expect(page.locator("#api-result h3")).toContainText("96348e9e-93dd-432f-93b9-b015d71f2fbb");
});

test("denied consent shows the error, and signing in again works", async ({ page }, testInfo) => {
  await openDemo(page);
  await page.getByRole("button", { name: "Sign in with Globus" }).click();
  await answerConsent(page, "Deny");

  const alert = page.getByRole("alert");
  await expect(alert).toContainText("The sign-in was not approved at Globus.");
  await expect(alert).toContainText("You chose Deny on the consent page.");
  await expectSignedOut(page);
  expect(page.url()).toBe(demoUrl);
  await snap(page, testInfo, "denied");

  // Both ways back in, each saying which it is; the popup one works from the alert too.
  await expect(alert.getByRole("button", { name: "Sign in again in a popup" })).toBeVisible();
  await alert.getByRole("button", { name: "Sign in again with Globus" }).click();
  await answerConsent(page);
  await expectSignedIn(page);
  await expect(page.getByRole("alert")).toBeHidden();
});

test("popup login: the page stays put and shows the sign-in", async ({ page }, testInfo) => {
  await openDemo(page);
  const popupPromise = page.waitForEvent("popup");
  await page.getByRole("button", { name: "Sign in with a popup" }).click();
  const popup = await popupPromise;
  await expect(page.getByRole("status")).toHaveText("Finish signing in in the popup window…");
  await answerConsent(popup, "Allow", /Grace Hopper/);
  await expect.poll(() => popup.isClosed()).toBe(true); // the popup closes itself
  await expectSignedIn(page, "Grace Hopper");
  await snap(page, testInfo, "popup-signed-in");
});

test("a closed or blocked popup is reported", async ({ page }) => {
  await openDemo(page);
  const popupPromise = page.waitForEvent("popup");
  await page.getByRole("button", { name: "Sign in with a popup" }).click();
  const popup = await popupPromise;
  await popup.close();
  await expect(page.getByRole("alert")).toContainText(
    "The sign-in popup was closed before the sign-in finished.",
  );
  await expectSignedOut(page);

  // A browser that refuses popups: window.open returns null.
  await page.evaluate(() => {
    window.open = () => null;
  });
  await page.getByRole("button", { name: "Sign in with a popup" }).click();
  await expect(page.getByRole("alert")).toContainText("The browser blocked the sign-in popup.");
});

test("two tabs share the sign-in; a logout in one signs out both and revokes at Globus", async ({
  context,
}, testInfo) => {
  const first = await context.newPage();
  const second = await context.newPage();
  await openDemo(first);
  await openDemo(second);
  await expectSignedOut(second);

  await signInWithRedirect(first);
  await expect(second.locator("#remote")).toContainText("Another tab signed in");
  await expectSignedIn(second);
  await snap(second, testInfo, "second-tab-signed-in");

  await control("DELETE", "requests");
  await second.getByRole("button", { name: "Log out" }).click();
  await expect(second.getByRole("status")).toHaveText("You are signed out. Your tokens were revoked.");
  await expectSignedOut(second);
  await expect(first.locator("#remote")).toContainText("Another tab signed out");
  await expectSignedOut(first);
  await snap(first, testInfo, "first-tab-signed-out");

  // An access and a refresh token for each of the six resource servers: auth.globus.org,
  // transfer.api.globus.org, and the services page's groups, search, flows and sample flow.
  expect((await requestCounts()).revoke).toBe(12);

  await first.reload();
  await expectSignedOut(first);
});

test("ending the Globus session: revoked, signed out of Globus, and the logout page links back", async ({
  page,
}, testInfo) => {
  await openDemo(page);
  await signInWithRedirect(page);
  // The claims of the id_token, kept by the app: the name needs no userinfo request.
  await control("DELETE", "requests");
  await page.reload();
  await expectSignedIn(page);
  expect((await requestCounts()).userinfo ?? 0).toBe(0);

  await control("DELETE", "requests");
  await page.getByRole("button", { name: "End Globus session" }).click();
  await expect(page.getByRole("heading", { name: "You have logged out of Globus" })).toBeVisible();
  expect(page.url().startsWith(`${emulatorUrl}v2/web/logout?`)).toBe(true);
  const counts = await requestCounts();
  expect(counts.revoke).toBe(12); // access and refresh token of six resource servers
  expect(counts["web-logout"]).toBe(1);
  await snap(page, testInfo, "globus-logout-page");

  // The emulated browser's Globus session is over; the link goes back to the demo, signed out.
  expect((await control<{ sessions: number }>("POST", "revoke-all")).sessions).toBe(0);
  await page.getByRole("link", { name: "Return to globus-app demo" }).click();
  await expectSignedOut(page);
  expect(page.url()).toBe(demoUrl);
});

test("network down and an ended session get clear messages", async ({ page }, testInfo) => {
  await openDemo(page);
  await signInWithRedirect(page);

  // The emulator is unreachable (as when `npm start` was stopped).
  await page.route(`${emulatorUrl}**`, (route) => route.abort("connectionrefused"));
  await page.getByRole("button", { name: "List the sample collection" }).click();
  // The page-wide banner: the Transfer panel, refreshing meanwhile, may raise an alert of its own.
  const alert = page.locator("#error");
  await expect(alert).toContainText(`Cannot reach Globus (${new URL(emulatorUrl).host}).`, {
    timeout: 15_000,
  });
  await expect(alert).toContainText("Is the emulator still running?");
  await snap(page, testInfo, "network-down");
  await page.unroute(`${emulatorUrl}**`);

  // Every token revoked at Globus (as by a logout elsewhere): the refresh fails, the page says so.
  await control("POST", "revoke-all");
  await page.getByRole("button", { name: "List the sample collection" }).click();
  await expect(alert).toContainText("Your Globus session has expired or was ended elsewhere.");
  await snap(page, testInfo, "session-ended");

  await alert.getByRole("button", { name: "Sign in again with Globus" }).click();
  await answerConsent(page);
  await expectSignedIn(page);
  await page.getByRole("button", { name: "List the sample collection" }).click();
  await expect(page.locator("#listing")).toContainText("README.txt");

  // A logout while Globus cannot be reached still removes the tokens here, and says what it could not do.
  await page.route(`${emulatorUrl}v2/oauth2/token/revoke`, (route) => route.abort("connectionrefused"));
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(alert).toContainText("You are signed out here, but Globus could not revoke the tokens.");
  await expectSignedOut(page);
  await snap(page, testInfo, "logout-offline");
});

test("revoked everywhere: the page stops saying Signed in and forgets the dead tokens", async ({ page }) => {
  await openDemo(page);
  await signInWithRedirect(page);
  await expect(page.locator("#tokens tbody tr")).toHaveCount(6);

  await control("POST", "revoke-all");
  await page.getByRole("button", { name: "List the sample collection" }).click();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Your Globus session has expired or was ended elsewhere.");
  await expectSignedOut(page);
  await expect(page.locator("#tokens")).toBeHidden();
  // Nothing of the dead sign-in is left: a reload is plainly signed out.
  await page.reload();
  await expectSignedOut(page);
  await expect(page.getByRole("status")).toHaveText("You are signed out.");
});

test("a notice about another tab goes away once this tab does something", async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  await openDemo(first);
  await openDemo(second);
  await signInWithRedirect(first);
  await expect(second.locator("#remote")).toContainText("Another tab signed in");
  await expectSignedIn(second);

  await second.getByRole("button", { name: "List the sample collection" }).click();
  await expect(second.locator("#listing")).toContainText("results.csv");
  await expect(second.locator("#remote")).toBeHidden();
});

test("a step-up after switching identity asks Globus for the identity signed in now (Grace, not Ada)", async ({
  page,
}) => {
  await openDemo(page);
  await signInWithRedirect(page);
  await page.getByRole("button", { name: "Log out" }).click();
  await expectSignedOut(page);
  await page.getByRole("button", { name: "Sign in with Globus" }).click();
  await answerConsent(page, "Allow", /Grace Hopper/);
  await expectSignedIn(page, "Grace Hopper");

  await page.getByRole("button", { name: "List the high-assurance collection (needs MFA)" }).click();
  await page.getByRole("button", { name: "Continue with Globus" }).click();
  await expect(page.getByText("This app requires multi-factor authentication")).toBeVisible();
  // session_required_identities names Grace: the only identity offered, and already chosen.
  await expect(page.getByRole("radio", { name: /Grace Hopper/ })).toBeChecked();
  await expect(page.getByRole("radio", { name: /Ada Lovelace/ })).toHaveCount(0);
  await page.getByRole("button", { name: "Allow" }).click();

  await expect(page.locator("#listing")).toContainText("README.txt");
  await expect(page.locator("#api-result h3")).toContainText("Emulator High Assurance Collection");
  await expect(page.locator("#user-name")).toHaveText("Grace Hopper");
  await expect(page.getByRole("alert")).toBeHidden();
});

test("while the sign-in popup is open, the other ways in are disabled", async ({ page }) => {
  await openDemo(page);
  const popupPromise = page.waitForEvent("popup");
  await page.getByRole("button", { name: "Sign in with a popup" }).click();
  const popup = await popupPromise;
  await expect(page.getByRole("button", { name: "Sign in with Globus" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Sign in with a popup" })).toBeDisabled();
  await popup.close();
  await expect(page.getByRole("alert")).toContainText("closed before the sign-in finished");
  await expect(page.getByRole("button", { name: "Sign in with Globus" })).toBeEnabled();
  await expect(page.getByRole("button", { name: "Sign in with a popup" })).toBeEnabled();
});

test("at 390 px the tokens table and the API listing keep their right columns on screen", async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openDemo(page);
  await signInWithRedirect(page);
  await page.getByRole("button", { name: "List the sample collection" }).click();
  await expect(page.locator("#listing")).toContainText("results.csv");

  const rightEdges = [
    page.locator('#tokens tr[data-resource-server="transfer.api.globus.org"] td').last(),
    page.locator("#listing tbody tr").first().locator("td").last(),
  ];
  for (const cell of rightEdges) {
    await cell.scrollIntoViewIfNeeded();
    await expect(cell).toBeVisible();
    const box = await cell.boundingBox();
    expect(box).not.toBeNull();
    expect(box?.x ?? -1).toBeGreaterThanOrEqual(0);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
