// bench/bundle's portal plus what a portal does with Compute: an endpoint's status, a batch of
// tasks and their results. What this build weighs beyond bench/bundle is what the Compute clients
// cost an app (bench/bundle/services-cost.mjs).
import { ComputeClientV2, ComputeClientV3, UserApp } from "globus-app";

const endpointId = "5c0b3d42-7a1e-4f6b-9e2d-8c4a1f0b7e63";
const functionId = "0f9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c";
const app = new UserApp("portal", {
  clientId: "5b20fbc2-c639-4ccb-9f61-adaaa8eba170",
  config: { tokenStorage: "indexeddb", loginFlowManager: "redirect" },
});
await app.handleRedirect();
const v2 = new ComputeClientV2({ app });
const v3 = new ComputeClientV3({ app });
const list = document.querySelector("ul");
list?.append(
  Object.assign(document.createElement("li"), {
    textContent: (await v2.getEndpointStatus(endpointId)).status,
  }),
);
document.querySelector("button")?.addEventListener("click", async () => {
  const { tasks } = await v3.submit(endpointId, { tasks: { [functionId]: ["[1, 2]"] } });
  const { results } = await v2.getTaskBatch(tasks[functionId] ?? []);
  for (const task of Object.values(results)) {
    list?.append(
      Object.assign(document.createElement("li"), { textContent: `${task.status} ${task.result}` }),
    );
  }
});
