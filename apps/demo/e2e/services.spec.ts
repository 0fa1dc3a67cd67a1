import { expect, type Page, test } from "@playwright/test";
import {
  answerConsent,
  control,
  demoUrl,
  expectSignedIn,
  openDemo,
  resetEmulator,
  signInWithRedirect,
  skipWhenConsented,
} from "./helpers.ts";

// The demo's services page (#/services) against the emulator's Groups, Search and Flows, started by
// `npm start`'s script (see playwright.config.ts), which also deploys the sample flow and the demo's
// group (scripts/seed-emulator.mjs). The sample group and Search index are the emulator's own.

test.beforeEach(async () => {
  await resetEmulator();
});

const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
/** The emulator's sample native client, which the demo signs in with. */
const DEMO_CLIENT_ID = "5b20fbc2-c639-4ccb-9f61-adaaa8eba170";

/** A collection a test made demand data_access consent: the requirement goes when the test ends. */
let dataAccessRequired: string | undefined;
test.afterEach(async () => {
  if (dataAccessRequired) await control("DELETE", `requirements?collectionId=${dataAccessRequired}`);
  dataAccessRequired = undefined;
});

/**
 * Whether the emulator already holds this identity's consent to Transfer under the flow's own scope.
 * Consents outlive `revoke-all`, so a server reused from an earlier run (outside CI) has it, and a
 * test of the consent step there has nothing to show.
 */
async function consentedToFlow(identity: string, flowId: string): Promise<boolean> {
  const { consents } = await control<{
    consents: { id: number; scope_name: string; dependency_path: number[] }[];
  }>("GET", `consents?identity=${encodeURIComponent(identity)}`);
  const flowConsents = new Set(
    consents.filter((consent) => consent.scope_name.includes(flowId)).map((consent) => consent.id),
  );
  return consents.some(
    (consent) =>
      consent.scope_name === TRANSFER_ALL && consent.dependency_path.some((id) => flowConsents.has(id)),
  );
}

/** Goes to the services page by its link in the header. */
async function openServicesPage(page: Page): Promise<void> {
  await page.getByRole("link", { name: "Services" }).click();
  await expect(page).toHaveURL(`${demoUrl}#/services`);
  await expect(page.getByRole("link", { name: "Services" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("heading", { name: "Your groups" })).toBeVisible();
  // The home page's panels are not on this page.
  await expect(page.getByRole("heading", { name: "Transfer files" })).toBeHidden();
}

/** The flow id the page runs (deployed by the start script: new in every emulator). */
async function sampleFlowId(page: Page): Promise<string> {
  const flowId = (await page.locator("#flow-id").textContent()) ?? "";
  expect(flowId).toMatch(/^[0-9a-f-]{36}$/);
  return flowId;
}

test("services page: the person's groups, and a Search query with facet counts that narrow it", async ({
  page,
}, testInfo) => {
  await openDemo(page);
  await signInWithRedirect(page);
  await openServicesPage(page);

  // getMyGroups: the emulator's sample group (Ada administers it) and the start script's group.
  const groups = page.locator("#groups-table tbody tr");
  await expect(groups).toHaveCount(2);
  await expect(page.locator("#groups-note")).toHaveText("You are in 2 groups.");
  await expect(groups.filter({ hasText: "Emulator sample group" }).locator("td").first()).toHaveText("admin");
  await expect(groups.filter({ hasText: "globus-app demo portal users" }).locator("td").first()).toHaveText(
    "member",
  );

  // The page opens with "*": every entry Ada may see, the group's and her own among them.
  const note = page.locator("#index-search-note");
  const results = page.locator("#index-results li");
  await expect(note).toHaveText("Showing 10 of 12 results for “*”.");
  await expect(results).toHaveCount(10);
  await page.getByRole("button", { name: "More results" }).click();
  await expect(results).toHaveCount(12);
  await expect(page.getByRole("button", { name: "More results" })).toBeHidden();
  await expect(results.filter({ hasText: "Sample dataset 12" })).toHaveCount(1); // visible to Ada only

  // A query, with the count of each instrument among its results.
  await page.getByLabel("Search the index").fill("protein");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(note).toHaveText("Showing 6 of 6 results for “protein”.");
  await expect(results).toHaveCount(6);
  await expect(results.first()).toContainText("Sample dataset");
  const instruments = page.locator('[data-facet="instrument"]');
  await expect(instruments.getByRole("button")).toHaveText([
    "beamline-7 (2)",
    "cryo-em (2)",
    "mass-spec (2)",
  ]);
  await expect(page.locator('[data-facet="year"]').getByRole("button")).toHaveText(["2020 (3)", "2022 (3)"]);

  // A value narrows the results to it, and again widens them.
  await instruments.getByRole("button", { name: /^cryo-em/ }).click();
  await expect(note).toHaveText("Showing 2 of 2 results for “protein”.");
  await expect(results.locator("strong")).toHaveText(["Sample dataset 5", "Sample dataset 11"]);
  await expect(instruments.getByRole("button", { name: /^cryo-em/ })).toHaveAttribute("aria-pressed", "true");
  await instruments.getByRole("button", { name: /^cryo-em/ }).click();
  await expect(note).toHaveText("Showing 6 of 6 results for “protein”.");
  await expect(page.getByRole("alert")).toBeHidden();
  await page.screenshot({ path: testInfo.outputPath("services-search.png"), fullPage: true });
});

test("a flow run: Flows asks for consent (a GARE), a redirect sign-in gives it, the run goes on to SUCCEEDED", async ({
  page,
}, testInfo) => {
  await openDemo(page);
  await signInWithRedirect(page);
  await openServicesPage(page);
  const flowId = await sampleFlowId(page);
  skipWhenConsented(await consentedToFlow("ada@example.org", flowId));
  await expect(page.locator("#flow-title")).toHaveText("globus-app demo: copy with Transfer");

  // The first login asked for the flow's own scope, but not for Transfer under it: Flows refuses.
  await page.getByRole("button", { name: "Run the flow" }).click();
  const consent = page.getByRole("region", {
    name: "The flow “globus-app demo: copy with Transfer” needs your consent",
  });
  await expect(consent).toBeVisible();
  await expect(consent).toContainText("This flow needs your consent to act through Globus Transfer");
  await expect(consent).toContainText("your consent to more access");
  await expect(page.locator("#run")).toBeHidden(); // no run started
  await page.screenshot({ path: testInfo.outputPath("flow-consent.png"), fullPage: true });

  await consent.getByRole("button", { name: "Continue with Globus" }).click();
  await answerConsent(page);

  // Back on the services page, signed in as before; the run starts by itself and is followed.
  await expect(page).toHaveURL(`${demoUrl}#/services`);
  await expectSignedIn(page);
  await expect(page.locator("#run-status")).toContainText("SUCCEEDED", { timeout: 20_000 });
  await expect(consent).toBeHidden();
  const log = page.locator("#run-log li");
  await expect(log.first()).toHaveAttribute("data-code", "FlowStarted");
  await expect(log.last()).toHaveAttribute("data-code", "FlowSucceeded");
  await expect(page.locator('#run-log li[data-code="ActionCompleted"]')).toContainText(
    "State CopyFiles completed",
  );
  await expect(page.locator('#run-log li[data-code="ActionCompleted"]')).toContainText("Transfer task");
  await expect(page.locator("#flow-note")).toHaveText("Run globus-app demo run: SUCCEEDED.");
  await expect(page.getByRole("alert")).toBeHidden();
  await page.screenshot({ path: testInfo.outputPath("flow-succeeded.png"), fullPage: true });

  // The consent lasts: a second run starts at once.
  await page.getByRole("button", { name: "Run the flow" }).click();
  await expect(page.locator("#flow-note")).toHaveText(/^Run started: /);
  await expect(consent).toBeHidden();
  await expect(page.locator("#run-status")).toContainText("SUCCEEDED", { timeout: 20_000 });
});

test("a flow run's consent step in a popup: the page stays, and the run is started again at once", async ({
  page,
}) => {
  // Alan, not Ada: the redirect test above gave Ada's consent.
  await openDemo(page);
  await signInWithRedirect(page, "Alan Turing");
  await openServicesPage(page);
  const flowId = await sampleFlowId(page);
  skipWhenConsented(await consentedToFlow("alan@example.net", flowId));

  // Alan is only invited to the sample group.
  const groups = page.locator("#groups-table tbody tr");
  await expect(groups).toHaveCount(1);
  await expect(groups.locator("th")).toContainText("Emulator sample group");
  await expect(groups.locator("td")).toHaveText(["member", "invited"]);

  await page.getByRole("button", { name: "Run the flow" }).click();
  const consent = page.getByRole("region", { name: /needs your consent$/ });
  const popupOpened = page.waitForEvent("popup");
  await consent.getByRole("button", { name: "Continue in a popup" }).click();
  const popup = await popupOpened;
  await answerConsent(popup, "Allow", /Alan Turing/);
  await expect.poll(() => popup.isClosed()).toBe(true); // the popup closes itself

  await expect(consent).toBeHidden();
  await expect(page.locator("#run-status")).toContainText("SUCCEEDED", { timeout: 20_000 });
  await expect(page.locator("#run-log li").last()).toHaveAttribute("data-code", "FlowSucceeded");
  await expect(page).toHaveURL(`${demoUrl}#/services`);
});

/**
 * Signs Alan in, gives him consent to Transfer under the sample flow (as meeting Flows' first GARE
 * would), makes the sample input's `which` collection demand data_access consent (which no login of
 * the page asks for: the app asks up front only for the mapped collection's) and runs the flow. The
 * run stops INACTIVE at its Transfer step, and the panel shows the consent step its details ask for.
 */
async function runThatStops(page: Page, which: "source_endpoint" | "destination_endpoint") {
  await openDemo(page);
  // Alan: a login's scopes are merged (Transfer's requirements go under the flow's Transfer too, and
  // back), so this consent also lands under Transfer itself, where the transfer panel's tests of
  // Ada and Grace must not find it.
  await signInWithRedirect(page, "Alan Turing");
  await openServicesPage(page);
  const flowId = await sampleFlowId(page);
  const collection = JSON.parse(await page.locator("#flow-input").inputValue())[which] as string;
  // Only a consent under the flow's scope lets the run through (one under Transfer alone does not).
  const { consents } = await control<{ consents: { scope_name: string; dependency_path: number[] }[] }>(
    "GET",
    "consents?identity=alan%40example.net",
  );
  skipWhenConsented(
    consents.some(
      (consent) =>
        consent.scope_name.includes(`${collection}/data_access`) && consent.dependency_path.length === 3,
    ),
  );
  const flowScope = `https://auth.globus.org/scopes/${flowId}/flow_${flowId.replaceAll("-", "_")}_user`;
  await control("POST", "tokens", {
    clientId: DEMO_CLIENT_ID,
    identity: "alan@example.net",
    scope: `${flowScope}[${TRANSFER_ALL}]`,
  });
  dataAccessRequired = collection;
  await control("POST", "requirements/data-access", { collectionId: collection });

  await page.getByRole("button", { name: "Run the flow" }).click();
  await expect(page.locator("#run-status")).toContainText("INACTIVE", { timeout: 20_000 });
  await expect(page.locator('#run-log li[data-code="FlowInactive"]')).toContainText(collection);
  const consent = page.getByRole("region", { name: "The run globus-app demo run needs your consent" });
  await expect(consent).toContainText(`needs consent to access collection ${collection}`);
  return consent;
}

/** Waits for the resumed run to end, and checks its log: stopped, resumed, then every state. */
async function expectResumedToTheEnd(page: Page): Promise<void> {
  await expect(page.locator("#run-status")).toContainText("SUCCEEDED", { timeout: 20_000 });
  const codes = await page.locator("#run-log li").evaluateAll((items) => items.map((li) => li.dataset.code));
  expect(codes).toEqual([
    "FlowStarted",
    "FlowInactive",
    "FlowResumed",
    "ActionStarted",
    "ActionCompleted",
    "PassStarted",
    "PassCompleted",
    "FlowSucceeded",
  ]);
  await expect(page.getByRole("alert")).toBeHidden();
}

test("a run stopped INACTIVE for a collection's data_access consent: a popup gives it, and the run is resumed", async ({
  page,
}, testInfo) => {
  const consent = await runThatStops(page, "destination_endpoint");
  await page.screenshot({ path: testInfo.outputPath("flow-inactive.png"), fullPage: true });
  const popupOpened = page.waitForEvent("popup");
  await consent.getByRole("button", { name: "Continue in a popup" }).click();
  const popup = await popupOpened;
  await answerConsent(popup, "Allow", /Alan Turing/);
  await expect.poll(() => popup.isClosed()).toBe(true);
  await expect(consent).toBeHidden();
  await expectResumedToTheEnd(page);
});

test("an INACTIVE run's consent by redirect: the page comes back to the services page and resumes the run", async ({
  page,
}) => {
  const consent = await runThatStops(page, "source_endpoint");
  await consent.getByRole("button", { name: "Continue with Globus" }).click();
  await answerConsent(page, "Allow", /Alan Turing/);
  await expect(page).toHaveURL(`${demoUrl}#/services`);
  await expectSignedIn(page, "Alan Turing");
  await expectResumedToTheEnd(page);
  await expect(page.locator("#flow-note")).toHaveText("Run globus-app demo run: SUCCEEDED.");
});

test("a run's input: not JSON is refused on the page before any request, and Flows' refusal is worded", async ({
  page,
}) => {
  await openDemo(page);
  await signInWithRedirect(page);
  await openServicesPage(page);
  await expect(page.locator("#flow-title")).not.toBeEmpty(); // the page's own Flows call is done
  await control("DELETE", "requests");
  await page.getByLabel("Input (JSON)").fill("{ not json");
  await page.getByRole("button", { name: "Run the flow" }).click();
  await expect(page.locator("#flow-input-problem")).toHaveText(/^The input is not JSON: /);
  await page.getByLabel("Input (JSON)").fill("[1, 2]");
  await page.getByRole("button", { name: "Run the flow" }).click();
  await expect(page.locator("#flow-input-problem")).toHaveText("The input must be a JSON object ({ … }).");
  const { counts } = await control<{ counts: Record<string, number> }>("GET", "requests?limit=0");
  expect(counts.flows ?? 0).toBe(0);

  // JSON the flow's input schema refuses: Flows answers, and the panel says so in words.
  await page.getByLabel("Input (JSON)").fill("{}");
  await page.getByRole("button", { name: "Run the flow" }).click();
  const problem = page.locator("#flow-problem");
  await expect(problem).toContainText("The flow refused this input.");
  await problem.locator("summary").click();
  await expect(problem).toContainText("missing required properties: source_endpoint");
  await expect(page.locator("#flow-input-problem")).toBeEmpty();
  await expect(page.locator("#run")).toBeHidden();
});
