import { expect, test } from "@playwright/test";
import { expectSignedIn, expectSignedOut } from "../../demo/e2e/helpers.ts";
import {
  answerConsent,
  control,
  open,
  portalUrl,
  requestCounts,
  resetEmulator,
  signInWithRedirect,
} from "./react-portal.ts";

// The React demo portal against its own emulator (react-portal.ts). Each test gets a fresh browser
// context (empty IndexedDB and sessionStorage) and a reset emulator.

const SAMPLE_COLLECTION = "f6cd964d-7ab7-44cf-8a05-777a55f598ee";
const MFA_COLLECTION = "96348e9e-93dd-432f-93b9-b015d71f2fbb";

test.beforeEach(async () => {
  await resetEmulator();
});

test("redirect sign-in through the consent page; who am I; a reload stays signed in", async ({ page }) => {
  await open(page);
  await expectSignedOut(page);
  await expect(page.getByRole("status")).toHaveText("You are signed out.");

  await page.getByRole("button", { name: "Sign in with Globus" }).click();
  await answerConsent(page);
  await expectSignedIn(page);
  expect(page.url()).toBe(portalUrl); // code and state are gone from the address bar
  // The provider completed the callback once (StrictMode mounts it twice under `--dev`).
  expect((await requestCounts())["token:authorization_code"]).toBe(1);
  const identity = page.getByRole("region", { name: "Signed in" });
  await expect(identity).toContainText("ada@example.org");
  await expect(identity).toContainText("Example University");
  await expect(identity).toContainText("e97b81af-bba5-4d10-849c-0b40ea5084c1");

  // The tokens and the id_token's claims are in IndexedDB: nothing is asked of Globus Auth again.
  await control("DELETE", "requests");
  await page.reload();
  await expectSignedIn(page);
  const counts = await requestCounts();
  expect(counts.authorize ?? 0).toBe(0);
  expect(counts.token ?? 0).toBe(0);
  expect(counts.userinfo ?? 0).toBe(0);
});

test("the Transfer listing shows the sample collection's files", async ({ page }) => {
  await open(page);
  await signInWithRedirect(page);
  await page.getByRole("button", { name: "List the sample collection" }).click();
  const listing = page.getByRole("table", { name: "Files in Emulator Tutorial Collection 1" });
  await expect(listing).toContainText("results.csv");
  await expect(listing).toContainText("README.txt");
  const heading = page.getByRole("heading", { name: /^Files in / });
  await expect(heading).toContainText("Emulator Tutorial Collection 1");
  await expect(heading).toContainText(SAMPLE_COLLECTION);
});

test("MFA step-up by redirect: the collection's GARE is met by a new sign-in, then it is listed", async ({
  page,
}) => {
  await open(page);
  await signInWithRedirect(page);

  await page.getByRole("button", { name: "List the high-assurance collection (needs MFA)" }).click();
  const gare = page.getByRole("region", { name: "Globus needs more before it lets you in" });
  await expect(gare).toContainText("requires a multi-factor authentication session");
  await expect(gare).toContainText("It needs a sign-in with multi-factor authentication.");

  await gare.getByRole("button", { name: "Continue with Globus" }).click();
  await expect(page.getByText("This app requires multi-factor authentication")).toBeVisible();
  // Asked for the identity signed in: the only one offered, and already chosen.
  await expect(page.getByRole("radio", { name: /Ada Lovelace/ })).toBeChecked();
  await expect(page.getByRole("radio", { name: /Grace Hopper/ })).toHaveCount(0);
  await answerConsent(page);

  // Back on a new page, signed in as the same person, and the listing is retried by itself.
  await expectSignedIn(page);
  await expect(page.getByRole("table", { name: /^Files in Emulator High Assurance/ })).toContainText(
    "README.txt",
  );
  await expect(page.getByRole("heading", { name: /^Files in / })).toContainText(MFA_COLLECTION);
  await expect(gare).toBeHidden();
});

test("MFA step-up in a popup keeps the page and lists the collection", async ({ page }) => {
  await open(page);
  await signInWithRedirect(page);
  await page.getByRole("button", { name: "List the high-assurance collection (needs MFA)" }).click();
  const gare = page.getByRole("region", { name: "Globus needs more before it lets you in" });

  const popupPromise = page.waitForEvent("popup");
  await gare.getByRole("button", { name: "Continue in a popup" }).click();
  const popup = await popupPromise;
  await expect(gare.getByRole("button", { name: "Continue with Globus" })).toBeDisabled();
  await answerConsent(popup);
  await expect.poll(() => popup.isClosed()).toBe(true); // the popup closes itself
  await expect(page.getByRole("table", { name: /^Files in Emulator High Assurance/ })).toContainText(
    "README.txt",
  );
  await expect(gare).toBeHidden();
});

test("logout revokes the tokens at Globus and shows the signed-out page", async ({ page }) => {
  await open(page);
  await signInWithRedirect(page);
  await control("DELETE", "requests");

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("status")).toHaveText("You are signed out. Your tokens were revoked.");
  await expectSignedOut(page);
  // An access and a refresh token for each of auth.globus.org and transfer.api.globus.org.
  expect((await requestCounts()).revoke).toBe(4);

  await page.reload();
  await expectSignedOut(page);
  await expect(page.getByRole("status")).toHaveText("You are signed out.");
});

test("popup sign-in: the page stays, its sign-in buttons wait for the popup", async ({ page }) => {
  await open(page);
  const redirectButton = page.getByRole("button", { name: "Sign in with Globus" });
  const popupButton = page.getByRole("button", { name: "Sign in with a popup" });

  const popupPromise = page.waitForEvent("popup");
  await popupButton.click();
  const popup = await popupPromise;
  await expect(page.getByRole("status")).toHaveText("Finish signing in in the popup window…");
  await expect(popupButton).toBeDisabled();
  await expect(redirectButton).toBeDisabled();

  await answerConsent(popup, "Allow", /Grace Hopper/);
  await expect.poll(() => popup.isClosed()).toBe(true);
  await expectSignedIn(page, "Grace Hopper");
  expect(page.url()).toBe(portalUrl);
});

test("a closed popup and a denied consent are reported, and signing in again works", async ({ page }) => {
  await open(page);
  const popupPromise = page.waitForEvent("popup");
  await page.getByRole("button", { name: "Sign in with a popup" }).click();
  await (await popupPromise).close();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("The sign-in popup was closed before the sign-in finished.");
  await expect(page.getByRole("button", { name: "Sign in with a popup" })).toBeEnabled();
  await expectSignedOut(page);

  await page.getByRole("button", { name: "Sign in with Globus" }).click();
  await answerConsent(page, "Deny");
  await expect(alert).toContainText("The sign-in was not approved at Globus.");
  await expectSignedOut(page);

  await alert.getByRole("button", { name: "Sign in again with Globus" }).click();
  await answerConsent(page);
  await expectSignedIn(page);
  await expect(page.getByRole("alert")).toBeHidden();
});

test("two tabs: a sign-out and a sign-in in one show in the other", async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  await open(first);
  await open(second);
  await expectSignedOut(second);

  await signInWithRedirect(first);
  await expectSignedIn(second);
  await expect(second.getByText("Another tab signed in")).toBeVisible();

  await second.getByRole("button", { name: "Log out" }).click();
  await expectSignedOut(second);
  await expectSignedOut(first);
  await expect(first.getByText("Another tab signed out")).toBeVisible();

  const popupPromise = first.waitForEvent("popup");
  await first.getByRole("button", { name: "Sign in with a popup" }).click();
  await answerConsent(await popupPromise, "Allow", /Grace Hopper/);
  await expectSignedIn(first, "Grace Hopper");
  await expectSignedIn(second, "Grace Hopper");
});
