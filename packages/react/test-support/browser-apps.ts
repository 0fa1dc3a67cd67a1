/**
 * Browser UserApps of @globus-app/react's Chromium tests: each a "tab" over the test emulator,
 * whose redirect login stays in the page. Call `closeTestApps()` in `afterEach`.
 */
import { RedirectLoginFlowManager, UserApp } from "@globus-app/browser";
import {
  callbackUrl,
  captureNavigation,
  clearPendingLogins,
  navigateInFrame,
  type TestEmulator,
  TRANSFER,
  TRANSFER_ALL,
} from "../../browser/test-support/emulator-fixture.ts";

const databases: string[] = [];
const apps: UserApp[] = [];

/** A browser UserApp of `clientId` (same client id = same login, as tabs of one portal). */
export function makeTestApp(emu: TestEmulator, clientId: string) {
  const loginClient = emu.loginClient(clientId);
  const capture = captureNavigation();
  const flow = new RedirectLoginFlowManager(loginClient, {
    redirectUri: callbackUrl(),
    navigate: capture.navigate,
    requestRefreshTokens: false,
  });
  databases.push(`globus-app:${encodeURIComponent(clientId)}`);
  const app = new UserApp("react-test", {
    loginClient,
    scopeRequirements: { [TRANSFER]: TRANSFER_ALL },
    config: { loginFlowManager: flow, tokenValidationErrorHandler: null },
  });
  apps.push(app);
  return { app, capture };
}

/** Signs a test app in by its redirect flow (the emulator approves at once). */
export async function signIn({ app, capture }: ReturnType<typeof makeTestApp>): Promise<void> {
  void app.login({ force: true }).catch(() => {});
  const result = await app.handleRedirect(await navigateInFrame(await capture.next()));
  if (!result) throw new Error("the redirect login did not complete");
}

/** Closes the apps made since the last call and deletes their IndexedDB databases. */
export async function closeTestApps(): Promise<void> {
  clearPendingLogins();
  for (const app of apps.splice(0)) await app.close();
  for (const name of databases.splice(0)) indexedDB.deleteDatabase(name);
}
