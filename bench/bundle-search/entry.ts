// bench/bundle's portal plus what a portal does with Search: a faceted query of an index.
// What this build weighs beyond bench/bundle is what SearchClient costs an app (bench/bundle/services-cost.mjs).
import { SearchClient, SearchQuery, UserApp } from "globus-app";

const app = new UserApp("portal", {
  clientId: "5b20fbc2-c639-4ccb-9f61-adaaa8eba170",
  scopeRequirements: { "search.api.globus.org": "urn:globus:auth:scope:search.api.globus.org:all" },
  config: { tokenStorage: "indexeddb", loginFlowManager: "redirect" },
});
await app.handleRedirect();
document.querySelector("button")?.addEventListener("click", () => app.login());
const search = new SearchClient({ app });
const query = new SearchQuery("protein", { limit: 20 }).addFacet("Instruments", "instrument");
for await (const result of search.paginated
  .postSearch("6e1d3b5a-0c7f-4a2e-9b8d-2f4c6a8e0b13", query)
  .items()) {
  document
    .querySelector("ul")
    ?.append(Object.assign(document.createElement("li"), { textContent: result.subject }));
}
