// bench/bundle's portal plus what a portal does with Groups: list the signed-in person's groups.
// What this build weighs beyond bench/bundle is what GroupsClient costs an app (bench/bundle/services-cost.mjs).
import { GroupsClient, UserApp } from "globus-app";

const app = new UserApp("portal", {
  clientId: "5b20fbc2-c639-4ccb-9f61-adaaa8eba170",
  scopeRequirements: { "groups.api.globus.org": "urn:globus:auth:scope:groups.api.globus.org:all" },
  config: { tokenStorage: "indexeddb", loginFlowManager: "redirect" },
});
await app.handleRedirect();
document.querySelector("button")?.addEventListener("click", () => app.login());
const groups = new GroupsClient({ app });
if (!(await app.loginRequired())) {
  for (const group of await groups.getMyGroups({ statuses: ["active", "invited"] })) {
    document
      .querySelector("ul")
      ?.append(Object.assign(document.createElement("li"), { textContent: group.name }));
  }
}
