import { expect, type Page, test } from "@playwright/test";

// The same ports as playwright.config.ts's webServer (which runs `npm start`'s script with them).
export const demoUrl = `http://127.0.0.1:${process.env.DEMO_PORT ?? "5273"}/`;
export const emulatorUrl = `http://127.0.0.1:${process.env.EMULATOR_PORT ?? "8770"}/`;

/** Helpers bound to one portal and its emulator: apps/demo's below, apps/react-demo's on its own ports. */
export interface PortalHelpers {
  /** Calls the emulator's HTTP control API (`/_emulator/…`) and returns its JSON answer. */
  control<T = Record<string, unknown>>(
    method: "GET" | "POST" | "DELETE",
    path: string,
    body?: unknown,
  ): Promise<T>;
  /** Requests per endpoint since the last reset, e.g. `revoke`, `authorize`, `token:refresh_token`. */
  requestCounts(): Promise<Record<string, number>>;
  /** Every token, code and session revoked, counts and faults cleared, the consent page shown. */
  resetEmulator(): Promise<void>;
  /** On the emulator's consent page: choose the identity and click Allow (or Deny). */
  answerConsent(page: Page, decision?: "Allow" | "Deny", identity?: RegExp): Promise<void>;
  /** Opens the portal and waits until it has decided whether someone is signed in. */
  open(page: Page): Promise<void>;
  /**
   * The whole redirect login: the button, the consent page (as `name`, Ada Lovelace by default), and
   * back in the portal, signed in.
   */
  signInWithRedirect(page: Page, name?: string): Promise<void>;
}

/** The {@link PortalHelpers} of the portal at `portalUrl` whose emulator is at `emulatorUrl`. */
export function portalHelpers(portalUrl: string, emulatorUrl: string): PortalHelpers {
  const control = async <T = Record<string, unknown>>(
    method: "GET" | "POST" | "DELETE",
    path: string,
    body?: unknown,
  ): Promise<T> => {
    const response = await fetch(new URL(`_emulator/${path}`, emulatorUrl), {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    if (!response.ok)
      throw new Error(`${method} /_emulator/${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const answerConsent = async (
    page: Page,
    decision: "Allow" | "Deny" = "Allow",
    identity: RegExp = /Ada Lovelace/,
  ): Promise<void> => {
    await expect(page.getByRole("heading", { name: "Sign in with Globus" })).toBeVisible();
    expect(page.url().startsWith(emulatorUrl)).toBe(true);
    if (decision === "Allow") await page.getByRole("radio", { name: identity }).check();
    await page.getByRole("button", { name: decision }).click();
  };
  return {
    control,
    async requestCounts() {
      return (await control<{ counts: Record<string, number> }>("GET", "requests?limit=0")).counts;
    },
    async resetEmulator() {
      await control("POST", "revoke-all");
      await control("DELETE", "faults");
      await control("POST", "clock/reset");
      await control("POST", "auto-approve", { autoApprove: false });
      await control("DELETE", "requests");
    },
    answerConsent,
    async open(page) {
      await page.goto(portalUrl);
      await expect(page.getByRole("status")).not.toHaveText("Loading…");
    },
    async signInWithRedirect(page, name = "Ada Lovelace") {
      await page.getByRole("button", { name: "Sign in with Globus" }).click();
      await answerConsent(page, "Allow", new RegExp(name));
      await expectSignedIn(page, name);
    },
  };
}

export const {
  control,
  requestCounts,
  resetEmulator,
  answerConsent,
  open: openDemo,
  signInWithRedirect,
} = portalHelpers(demoUrl, emulatorUrl);

export async function expectSignedIn(page: Page, name = "Ada Lovelace"): Promise<void> {
  await expect(page.getByRole("heading", { name: "Signed in" })).toBeVisible();
  await expect(page.locator("#user-name")).toHaveText(name);
  await expect(page.getByRole("status")).toHaveText(`Signed in as ${name}.`);
}

export async function expectSignedOut(page: Page): Promise<void> {
  await expect(page.getByRole("heading", { name: "Sign in to the portal" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Signed in" })).toBeHidden();
}

/** Waits until the transfer panel has listed both collections and loaded the task history. */
export async function expectTransferPanelReady(page: Page): Promise<void> {
  for (const side of ["left", "right"]) {
    await expect(page.locator(`#pane-${side} tbody tr`).first()).toBeVisible();
    await expect(page.locator(`#pane-${side}`)).toHaveAttribute("aria-busy", "false");
  }
  await expect(page.locator("#task-history > p")).not.toBeEmpty();
}

/**
 * Skips a test of a consent step when the emulator already holds that consent: outside CI the
 * servers are reused, and consents outlive `revoke-all`. In CI (a fresh emulator per run) it fails
 * instead: another test of the run gave the consent, and this one would silently test nothing.
 */
export function skipWhenConsented(consented: boolean): void {
  if (!consented) return;
  if (process.env.CI) {
    throw new Error("An earlier test of this run already gave the consent this test is about.");
  }
  test.skip(true, "consent given in an earlier run; use CI=1");
}
