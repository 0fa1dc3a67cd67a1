// @globus/sdk's browser login, the equivalent of bench/bundle/entry.ts: tokens kept in localStorage
// (it has no IndexedDB storage), redirect login on a click, the callback handled at start-up.
import { authorization } from "@globus/sdk";

const manager = authorization.create({
  client: "5b20fbc2-c639-4ccb-9f61-adaaa8eba170",
  redirect: `${location.origin}/`,
  scopes: "urn:globus:auth:scope:transfer.api.globus.org:all",
  storage: localStorage,
});
if (new URLSearchParams(location.search).has("code")) await manager.handleCodeRedirect();
document.querySelector("button")?.addEventListener("click", () => manager.login());
