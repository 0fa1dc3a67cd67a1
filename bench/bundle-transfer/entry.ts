// bench/bundle's portal plus what a portal does with Transfer: list the active tasks. What this
// build weighs beyond bench/bundle is what TransferClient costs an app (bench/bundle/services-cost.mjs).
import { TransferClient, UserApp } from "globus-app";

const app = new UserApp("portal", {
  clientId: "5b20fbc2-c639-4ccb-9f61-adaaa8eba170",
  scopeRequirements: { "transfer.api.globus.org": "urn:globus:auth:scope:transfer.api.globus.org:all" },
  config: { tokenStorage: "indexeddb", loginFlowManager: "redirect" },
});
await app.handleRedirect();
document.querySelector("button")?.addEventListener("click", () => app.login());
const transfer = new TransferClient({ app });
if (!(await app.loginRequired())) {
  for await (const task of transfer.paginated.taskList({ filter: { status: "ACTIVE" } }).items()) {
    document
      .querySelector("ul")
      ?.append(Object.assign(document.createElement("li"), { textContent: task.label }));
  }
}
