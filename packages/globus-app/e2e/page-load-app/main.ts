// The minimal app of the bundle budget (bench/bundle/entry.ts: UserApp, IndexedDB, redirect, a
// button calling login()), pointed at a local emulator, with its state written to #status for
// page-load.spec.ts. Built and served as it would ship (vite build + vite preview).
import { isGlobusError, NativeAppAuthClient, UserApp } from "globus-app";

declare const __AUTH_URL__: string;
declare const __CLIENT_ID__: string;

const status = document.querySelector("#status") as HTMLOutputElement;
const show = (text: string) => {
  status.textContent = text;
};
const showError = (error: unknown) =>
  show(
    isGlobusError(error) ? `error:${error.name}:${error.code}:${error.message}` : `error:${String(error)}`,
  );

const app = new UserApp("portal", {
  loginClient: new NativeAppAuthClient({ clientId: __CLIENT_ID__, baseUrl: __AUTH_URL__ }),
  scopeRequirements: { "transfer.api.globus.org": "urn:globus:auth:scope:transfer.api.globus.org:all" },
  config: { tokenStorage: "indexeddb", loginFlowManager: "redirect" },
});
document.querySelector("button")?.addEventListener("click", () => {
  show("signing-in");
  app.login().catch(showError);
});
try {
  const handled = await app.handleRedirect();
  if (handled) history.replaceState(null, "", handled.returnUrl);
  if (await app.loginRequired()) show("signed-out");
  else {
    const authorizer = await app.getAuthorizer("transfer.api.globus.org");
    const header = await authorizer.getAuthorizationHeader();
    // Never the token itself: only that a Bearer header came out.
    show(header?.startsWith("Bearer ") ? "bearer" : "no-header");
  }
} catch (error) {
  showError(error);
}
