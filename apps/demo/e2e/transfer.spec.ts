import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, type Locator, type Page, test } from "@playwright/test";
import {
  answerConsent,
  control,
  expectSignedIn,
  expectSignedOut,
  expectTransferPanelReady,
  openDemo,
  resetEmulator,
  signInWithRedirect,
  skipWhenConsented,
} from "./helpers.ts";

// The demo's transfer panel against the emulator's Transfer (started by `npm start`'s script, see
// playwright.config.ts). The emulator's file trees outlive a test (and a reused server outlives a
// run), so every folder a test makes has a name of its own.

const README_SCREENSHOT = fileURLToPath(new URL("../screenshot.png", import.meta.url));

/** The emulator's sample collections (`SAMPLE_COLLECTIONS`). */
const TUTORIAL_1 = "Emulator Tutorial Collection 1";
const TUTORIAL_2 = "Emulator Tutorial Collection 2";
const TUTORIAL_2_ID = "2ddeacb8-1052-43eb-9863-d437ef0fa9c0";
const MAPPED = "Emulator Mapped Collection";
const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";

const unique = (prefix: string): string => `${prefix}-${Date.now().toString(36)}`;

/**
 * Whether the emulator already holds this identity's data_access consent for a collection under
 * Transfer itself (what the panel's consent step gives; one under a flow's scope does not count).
 * Consents outlive `revoke-all`, so a server reused from an earlier run (outside CI) has it, and a
 * test of the consent step there has nothing to show.
 */
async function consented(identity: string, collectionId: string): Promise<boolean> {
  const { consents } = await control<{
    consents: { id: number; scope_name: string; dependency_path: number[] }[];
  }>("GET", `consents?identity=${encodeURIComponent(identity)}`);
  const transfer = new Set(
    consents.filter((c) => c.scope_name === TRANSFER_ALL && c.dependency_path.length === 1).map((c) => c.id),
  );
  return consents.some(
    (c) =>
      c.scope_name.includes(collectionId) &&
      c.dependency_path.length === 2 &&
      transfer.has(c.dependency_path[0] as number),
  );
}

test.beforeEach(async () => {
  await resetEmulator();
});

test.afterEach(async () => {
  // Only this spec adds it; the other specs list Tutorial Collection 2 without a consent step.
  await control("DELETE", `requirements?collectionId=${TUTORIAL_2_ID}`);
});

const panes = (page: Page): { left: Locator; right: Locator } => ({
  left: page.locator("#pane-left"),
  right: page.locator("#pane-right"),
});

/** Picks a collection on one side and waits for its listing under its display name. */
async function pick(pane: Locator, side: "Left" | "Right", name: string): Promise<void> {
  await pane.getByLabel(`${side} collection`).selectOption({ label: name });
  await expect(pane.getByRole("heading", { level: 3 })).toHaveText(name);
  await expect(pane).toHaveAttribute("aria-busy", "false");
}

test("transfer panel: make a folder, rename it, transfer a file into it, watch it to SUCCEEDED", async ({
  page,
}, testInfo) => {
  const started = Date.now();
  await openDemo(page);
  await signInWithRedirect(page);
  const { left, right } = panes(page);

  // The pickers come from endpoint_search; the headings name the collections, never by UUID.
  await pick(left, "Left", TUTORIAL_1);
  await pick(right, "Right", MAPPED);
  await expect(left.getByRole("checkbox", { name: "Select README.txt" })).toBeVisible();

  // New folder on the mapped collection (its data_access consent came with the first login).
  const folder = unique("incoming");
  await right.getByRole("button", { name: "New folder" }).click();
  await right.getByLabel("New folder name").fill(folder);
  await right.getByRole("button", { name: "Create" }).click();
  await expect(right.getByRole("button", { name: `${folder}/` })).toBeVisible();
  await expect(right.locator(".pane-note")).toHaveText(`Made folder ${folder}.`);

  // Rename it: one ticked entry, a new name.
  const renamed = unique("inbox");
  await right.getByRole("checkbox", { name: `Select ${folder}` }).check();
  await right.getByRole("button", { name: "Rename" }).click();
  await right.getByLabel(`New name for ${folder}`).fill(renamed);
  await right.getByRole("button", { name: "Save" }).click();
  await expect(right.getByRole("button", { name: `${renamed}/` })).toBeVisible();
  await expect(right.getByRole("button", { name: `${folder}/` })).toHaveCount(0);

  // Into the folder; path navigation shows where we are.
  await right.getByRole("button", { name: `${renamed}/` }).click();
  await expect(right.getByLabel("Path")).toHaveValue(`/~/${renamed}/`);
  await expect(right).toContainText("This folder is empty.");

  // Select a file on the left and transfer it right.
  const transferButton = page.getByRole("button", { name: "Transfer →" });
  await expect(transferButton).toBeDisabled(); // nothing selected yet
  await left.getByRole("checkbox", { name: "Select README.txt" }).check();
  await transferButton.click();

  const task = page.getByRole("region", { name: "Task: Demo portal copy of README.txt" });
  await expect(task).toBeVisible();
  await expect(page.locator("#task-status")).toContainText("SUCCEEDED", { timeout: 20_000 });
  await expect(task).toContainText("1 of 1 transferred");
  await expect(task).toContainText(`From${TUTORIAL_1}`);
  await expect(task).toContainText(`To${MAPPED}`);
  await expect(page.locator('#task-events li[data-code="STARTED"]')).toBeVisible();
  await expect(page.locator('#task-events li[data-code="SUCCEEDED"]')).toBeVisible();

  // The task heads the history, and the file is in the destination folder.
  const newest = page.locator("#task-history-table tbody tr").first();
  await expect(newest).toContainText("Demo portal copy of README.txt");
  await expect(newest).toContainText("SUCCEEDED");
  await expect(newest).toContainText(`${TUTORIAL_1} → ${MAPPED}`);
  await expect(right.locator('tr[data-name="README.txt"]')).toBeVisible();

  // Pre-registered data_access: no consent step, no ConsentRequired round trip.
  await expect(page.locator("#transfer-consent")).toBeHidden();
  await expect(page.getByRole("alert")).toBeHidden();
  testInfo.annotations.push({ type: "walk", description: `${Date.now() - started} ms` });

  await page.screenshot({ path: testInfo.outputPath("transferred.png"), fullPage: true });
  // The README's picture: refreshed on request, or when missing.
  if (process.env.UPDATE_DEMO_SCREENSHOT || !existsSync(README_SCREENSHOT)) {
    // The page down to the end of the transfer panel: who is signed in, both listings, the task, the history.
    await page.setViewportSize({ width: 1000, height: 900 });
    await page.evaluate(() => window.scrollTo(0, 0)); // bounding boxes are relative to the viewport
    const panel = await page.locator("#transfer-panel").boundingBox();
    const height = Math.ceil((panel?.y ?? 0) + (panel?.height ?? 900) + 16);
    await page.screenshot({
      path: README_SCREENSHOT,
      fullPage: true,
      clip: { x: 0, y: 0, width: 1000, height },
    });
    expect(statSync(README_SCREENSHOT).size).toBeLessThan(200_000);
  }
});

test("the history pages with More, and Show opens a past task", async ({ page }) => {
  await openDemo(page);
  await signInWithRedirect(page);
  const { left, right } = panes(page);
  await pick(left, "Left", TUTORIAL_1);
  await pick(right, "Right", MAPPED);
  const folder = unique("history");
  await right.getByRole("button", { name: "New folder" }).click();
  await right.getByLabel("New folder name").fill(folder);
  await right.getByRole("button", { name: "Create" }).click();
  await right.getByRole("button", { name: `${folder}/` }).click();
  await expect(right.getByLabel("Path")).toHaveValue(`/~/${folder}/`);

  // Six tasks: more than one page of five.
  for (const name of [
    "README.txt",
    "results.csv",
    "README.txt",
    "results.csv",
    "README.txt",
    "results.csv",
  ]) {
    const box = left.getByRole("checkbox", { name: `Select ${name}` });
    await box.check();
    await page.getByRole("button", { name: "Transfer →" }).click();
    await expect(page.locator("#transfer-note")).toHaveText(/^Transfer submitted/);
    await box.uncheck();
  }
  const rows = page.locator("#task-history-table tbody tr");
  await expect(rows).toHaveCount(5);
  await page.getByRole("button", { name: "More", exact: true }).click();
  await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(6);

  await rows
    .nth(5)
    .getByRole("button", { name: /^Show task/ })
    .click();
  await expect(page.getByRole("region", { name: /^Task: Demo portal copy of / })).toBeVisible();
  await expect(page.locator("#task-status")).toContainText(/SUCCEEDED|ACTIVE/);
});

test("a collection that asks for data_access consent mid-session: the panel says why, and the transfer is retried after a popup consent", async ({
  page,
}) => {
  skipWhenConsented(await consented("ada@example.org", TUTORIAL_2_ID));
  await openDemo(page);
  await signInWithRedirect(page);
  const { left, right } = panes(page);
  await pick(left, "Left", TUTORIAL_2);
  await pick(right, "Right", TUTORIAL_1);
  const folder = unique("from-two");
  await right.getByRole("button", { name: "New folder" }).click();
  await right.getByLabel("New folder name").fill(folder);
  await right.getByRole("button", { name: "Create" }).click();
  await right.getByRole("button", { name: `${folder}/` }).click();
  await expect(right.getByLabel("Path")).toHaveValue(`/~/${folder}/`);

  // From now on Tutorial Collection 2 wants data_access consent, which the first login did not give.
  await control("POST", "requirements/data-access", { collectionId: TUTORIAL_2_ID });
  await left.getByRole("checkbox", { name: "Select results.csv" }).check();
  await page.getByRole("button", { name: "Transfer →" }).click();

  const consent = page.getByRole("region", {
    name: `${TUTORIAL_2} needs more before this portal can use it`,
  });
  await expect(consent).toBeVisible();
  await expect(consent).toContainText("Missing required data_access consent");
  await expect(consent).toContainText(`your consent to let this portal reach the files of ${TUTORIAL_2}`);
  await expect(page.locator("#task")).toBeHidden();

  const popupPromise = page.waitForEvent("popup");
  await consent.getByRole("button", { name: "Continue in a popup" }).click();
  const popup = await popupPromise;
  await answerConsent(popup);
  await expect.poll(() => popup.isClosed()).toBe(true);

  // Retried by itself: the task runs to the end and the file arrives.
  await expect(consent).toBeHidden();
  await expect(page.locator("#task-status")).toContainText("SUCCEEDED", { timeout: 20_000 });
  await expect(right.locator('tr[data-name="results.csv"]')).toBeVisible();
});

test("a consent step by redirect comes back to the panel and submits the waiting transfer", async ({
  page,
}) => {
  // Grace, not Ada: the popup test above gave Ada's consent for Tutorial Collection 2.
  skipWhenConsented(await consented("grace@example.org", TUTORIAL_2_ID));
  await openDemo(page);
  await page.getByRole("button", { name: "Sign in with Globus" }).click();
  await answerConsent(page, "Allow", /Grace Hopper/);
  await expectSignedIn(page, "Grace Hopper");
  const { left, right } = panes(page);
  await pick(left, "Left", TUTORIAL_2);
  await pick(right, "Right", MAPPED);
  const folder = unique("redirected");
  await right.getByRole("button", { name: "New folder" }).click();
  await right.getByLabel("New folder name").fill(folder);
  await right.getByRole("button", { name: "Create" }).click();
  await right.getByRole("button", { name: `${folder}/` }).click();
  await expect(right.getByLabel("Path")).toHaveValue(`/~/${folder}/`);

  await control("POST", "requirements/data-access", { collectionId: TUTORIAL_2_ID });
  await left.getByRole("checkbox", { name: "Select README.txt" }).check();
  await page.getByRole("button", { name: "Transfer →" }).click();
  const consent = page.getByRole("region", {
    name: `${TUTORIAL_2} needs more before this portal can use it`,
  });
  await consent.getByRole("button", { name: "Continue with Globus" }).click();
  await answerConsent(page, "Allow", /Grace Hopper/);

  // Back: the same collections and folder, and the transfer went ahead.
  await expect(left.getByRole("heading", { level: 3 })).toHaveText(TUTORIAL_2);
  await expect(right.getByLabel("Path")).toHaveValue(`/~/${folder}/`);
  await expect(page.locator("#task-status")).toContainText("SUCCEEDED", { timeout: 20_000 });
  await expect(right.locator('tr[data-name="README.txt"]')).toBeVisible();
  // Submitted once: the waiting transfer is not sent twice (Grace's first task).
  await expect(page.locator("#task-history-table tbody tr")).toHaveCount(1);
});

test("errors in words: an existing folder name, and a read-only collection", async ({ page }) => {
  await openDemo(page);
  await signInWithRedirect(page);
  const { left } = panes(page);
  await pick(left, "Left", TUTORIAL_2);
  await left.getByRole("button", { name: "New folder" }).click();
  await left.getByLabel("New folder name").fill("data");
  await left.getByRole("button", { name: "Create" }).click();
  const problem = page.locator("#transfer-problem");
  await expect(problem).toContainText("This collection does not let you do that here.");
  await expect(problem).toContainText("Pick a folder you may write to, or another collection.");
  await problem.getByRole("button", { name: "Dismiss" }).click();

  await pick(left, "Left", TUTORIAL_1);
  await left.getByRole("button", { name: "New folder" }).click();
  await left.getByLabel("New folder name").fill("data");
  await left.getByRole("button", { name: "Create" }).click();
  await expect(problem).toContainText("There is already a file or folder with that name here.");
});

test("a sign-in ended elsewhere, met by the panel, is said once, by the page, and the panel is cleared", async ({
  page,
}) => {
  await openDemo(page);
  await signInWithRedirect(page);
  await expectTransferPanelReady(page);

  await control("POST", "revoke-all");
  await page.getByRole("button", { name: "Find", exact: true }).click();
  // One alert (strict: a second one fails the locator), the page's, with its ways back in.
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Your Globus session has expired or was ended elsewhere.");
  await expect(alert).toHaveAttribute("id", "error");
  await expectSignedOut(page);
  await expect(page.locator("#transfer-problem")).toBeHidden();
  await expect(page.locator("#pane-left tbody tr")).toHaveCount(0);
});

test("at 390 px the listing keeps its last column on screen, and nothing scrolls sideways", async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openDemo(page);
  await signInWithRedirect(page);
  const { left, right } = panes(page);
  await pick(left, "Left", TUTORIAL_1);
  await pick(right, "Right", MAPPED);

  for (const pane of [left, right]) {
    const modified = pane.locator('tr[data-name="README.txt"] td.modified');
    await expect(modified).toBeVisible();
    await expect(modified).not.toBeEmpty();
    const box = await modified.boundingBox();
    expect(box).not.toBeNull();
    expect((box?.x ?? -1) >= 0).toBe(true);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
  }
  const history = page.locator("#task-history");
  await expect(history).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: test.info().outputPath("narrow.png"), fullPage: true });
});
