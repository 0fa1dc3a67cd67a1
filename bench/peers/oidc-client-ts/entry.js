// oidc-client-ts's browser login, the equivalent of bench/bundle/entry.ts: the user (tokens) kept in
// localStorage, redirect login on a click, the callback handled at start-up.
import { UserManager, WebStorageStateStore } from "oidc-client-ts";

const manager = new UserManager({
  authority: "https://auth.globus.org",
  client_id: "5b20fbc2-c639-4ccb-9f61-adaaa8eba170",
  redirect_uri: `${location.origin}/`,
  scope: "openid urn:globus:auth:scope:transfer.api.globus.org:all",
  userStore: new WebStorageStateStore({ store: localStorage }),
});
if (new URLSearchParams(location.search).has("code")) await manager.signinRedirectCallback();
document.querySelector("button")?.addEventListener("click", () => manager.signinRedirect());
