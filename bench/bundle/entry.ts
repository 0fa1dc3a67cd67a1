import { UserApp } from "globus-app";

const app = new UserApp("portal", {
  clientId: "5b20fbc2-c639-4ccb-9f61-adaaa8eba170",
  scopeRequirements: { "transfer.api.globus.org": "urn:globus:auth:scope:transfer.api.globus.org:all" },
  config: { tokenStorage: "indexeddb", loginFlowManager: "redirect" },
});
void app.handleRedirect();
document.querySelector("button")?.addEventListener("click", () => app.login());
