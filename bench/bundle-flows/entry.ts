// bench/bundle's portal plus what a portal does with Flows: run a flow and list its runs.
// What this build weighs beyond bench/bundle is what FlowsClient and SpecificFlowClient cost an app
// (bench/bundle/services-cost.mjs).
import { FlowsClient, SpecificFlowClient, UserApp } from "globus-app";

const flowId = "00000000-ec3c-427d-bfb5-51049530122b";
const app = new UserApp("portal", {
  clientId: "5b20fbc2-c639-4ccb-9f61-adaaa8eba170",
  config: { tokenStorage: "indexeddb", loginFlowManager: "redirect" },
});
await app.handleRedirect();
const flows = new FlowsClient({ app });
const flow = new SpecificFlowClient(flowId, { app });
document.querySelector("button")?.addEventListener("click", () => flow.runFlow({ message: "hello" }));
for await (const run of flows.paginated.listRuns({ filterFlowId: flowId }).items()) {
  document
    .querySelector("ul")
    ?.append(Object.assign(document.createElement("li"), { textContent: `${run.label} ${run.status}` }));
}
