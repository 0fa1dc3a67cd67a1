// @azure/msal-browser's browser login, the equivalent of bench/bundle/entry.ts: tokens cached in
// localStorage, redirect login on a click, the callback handled at start-up (MSAL needs that always).
import { PublicClientApplication } from "@azure/msal-browser";

const app = new PublicClientApplication({
  auth: {
    clientId: "5b20fbc2-c639-4ccb-9f61-adaaa8eba170",
    authority: "https://login.example.org/common",
    redirectUri: `${location.origin}/`,
  },
  cache: { cacheLocation: "localStorage" },
});
await app.initialize();
await app.handleRedirectPromise();
document
  .querySelector("button")
  ?.addEventListener("click", () =>
    app.loginRedirect({ scopes: ["urn:globus:auth:scope:transfer.api.globus.org:all"] }),
  );
