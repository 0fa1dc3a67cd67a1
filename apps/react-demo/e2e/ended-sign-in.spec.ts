import { expect, type Page, test } from "@playwright/test";
import { expectSignedIn, expectSignedOut } from "../../demo/e2e/helpers.ts";
import { answerConsent, control, open, resetEmulator, signInWithRedirect } from "./react-portal.ts";

// Sign-ins that ended while their tokens stayed in the browser: revoked at Globus (the page finds
// out on its next call and forgets them), or expired with nothing to renew them (the page offers to
// forget them). Each test gets a fresh browser context and a reset emulator.

test.beforeEach(async () => {
  await resetEmulator();
});

/**
 * Turns the stored sign-in into one that expired and cannot be renewed, as one made before the
 * portal asked for refresh tokens looks two days later: the access tokens' time is up and no
 * refresh token is kept. Edits the IndexedDB records (`TokenStorageData`) in place.
 */
async function expireStoredSignIn(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const done = (request: IDBRequest | IDBTransaction) =>
      new Promise<void>((resolve, reject) => {
        request.addEventListener(request instanceof IDBTransaction ? "complete" : "success", () => resolve());
        request.addEventListener("error", () => reject(request.error));
      });
    for (const { name } of await indexedDB.databases()) {
      if (!name?.startsWith("globus-app:")) continue;
      const opening = indexedDB.open(name);
      await done(opening);
      const db = opening.result;
      const tx = db.transaction("tokens", "readwrite");
      const cursorRequest = tx.objectStore("tokens").openCursor();
      cursorRequest.addEventListener("success", () => {
        const cursor = cursorRequest.result;
        if (!cursor) return;
        const record = cursor.value as Record<string, unknown>;
        if (typeof record.resource_server === "string") {
          const { refresh_token: _dropped, ...rest } = record;
          cursor.update({ ...rest, expires_at_seconds: Math.floor(Date.now() / 1000) - 60 });
        }
        cursor.continue();
      });
      await done(tx);
      db.close();
    }
  });
}

test("revoked everywhere: the page stops saying Signed in, forgets the dead tokens, and signs in again", async ({
  page,
}) => {
  await open(page);
  await signInWithRedirect(page);
  const list = page.getByRole("button", { name: "List the sample collection" });

  // Every token revoked at Globus (as by a logout elsewhere): the next call's renewal is refused.
  await control("POST", "revoke-all");
  await list.click();
  await expectSignedOut(page);
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Your Globus session has expired or was ended elsewhere.");
  // The dead tokens are gone, not kept as an expired sign-in to forget.
  await expect(page.getByRole("button", { name: "Forget the expired sign-in" })).toHaveCount(0);

  await alert.getByRole("button", { name: "Sign in again with Globus" }).click();
  await answerConsent(page);
  await expectSignedIn(page);
  await list.click();
  await expect(page.getByRole("table", { name: "Files in Emulator Tutorial Collection 1" })).toContainText(
    "results.csv",
  );

  // Nothing of a dead sign-in outlives the page either: a reload is plainly signed out.
  await control("POST", "revoke-all");
  await list.click();
  await expectSignedOut(page);
  await page.reload();
  await expectSignedOut(page);
  await expect(page.getByRole("status")).toHaveText("You are signed out.");
  await expect(alert).toHaveCount(0);
});

test("an expired sign-in that cannot be renewed is said so, and forgetting it lets someone else sign in", async ({
  page,
}) => {
  await open(page);
  await signInWithRedirect(page);
  await expireStoredSignIn(page);
  await page.reload();
  await expectSignedOut(page);
  await expect(page.getByRole("status")).toHaveText("Your sign-in has expired. Sign in again.");
  const forget = page.getByRole("button", { name: "Forget the expired sign-in" });

  // While Ada's expired sign-in is kept, signing in as Grace is refused: it would mix two people.
  const popupPromise = page.waitForEvent("popup");
  await page.getByRole("button", { name: "Sign in with a popup" }).click();
  await answerConsent(await popupPromise, "Allow", /Grace Hopper/);
  await expect(page.getByRole("alert")).toContainText("You signed in as another Globus identity");
  await expect(page.getByRole("heading", { name: "Sign in to the portal" })).toBeVisible();
  await expect(forget).toBeVisible();

  await forget.click();
  await expect(page.getByRole("status")).toHaveText("You are signed out. Your tokens were revoked.");
  await expect(forget).toHaveCount(0);
  await expect(page.getByRole("alert")).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("status")).toHaveText("You are signed out.");
  await expect(forget).toHaveCount(0);

  const secondPopup = page.waitForEvent("popup");
  await page.getByRole("button", { name: "Sign in with a popup" }).click();
  await answerConsent(await secondPopup, "Allow", /Grace Hopper/);
  await expectSignedIn(page, "Grace Hopper");
});
