// bench/bundle's portal plus what a portal does with Timers: a nightly transfer timer, and the
// list of timers. What this build weighs beyond bench/bundle is what TimersClient costs an app
// (bench/bundle/services-cost.mjs); the TransferData body is left out, as it is Transfer's cost.
import { RecurringTimerSchedule, TimersClient, TransferTimer, UserApp } from "globus-app";

const app = new UserApp("portal", {
  clientId: "5b20fbc2-c639-4ccb-9f61-adaaa8eba170",
  config: { tokenStorage: "indexeddb", loginFlowManager: "redirect" },
});
await app.handleRedirect();
const timers = new TimersClient({ app }).addAppTransferDataAccessScope([]);
const body = {
  source_endpoint: "f6cd964d-7ab7-44cf-8a05-777a55f598ee",
  destination_endpoint: "2ddeacb8-1052-43eb-9863-d437ef0fa9c0",
  DATA: [{ DATA_TYPE: "transfer_item", source_path: "/~/", destination_path: "/~/copy/", recursive: true }],
};
document
  .querySelector("button")
  ?.addEventListener("click", () =>
    timers.createTimer(
      new TransferTimer({ name: "nightly", schedule: new RecurringTimerSchedule(86_400), body }),
    ),
  );
for (const job of (await timers.listJobs()).jobs) {
  document
    .querySelector("ul")
    ?.append(Object.assign(document.createElement("li"), { textContent: `${job.name} ${job.next_run}` }));
}
