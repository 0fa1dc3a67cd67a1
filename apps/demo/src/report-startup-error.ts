// Imported first by main.ts, so that a mistake that stops the demo from starting (an unknown
// VITE_GLOBUS_SDK_ENVIRONMENT, a malformed URL) is shown on the page, not only in the console.
window.addEventListener("error", (event) => {
  const status = document.getElementById("status");
  if (status?.textContent === "Loading…") status.textContent = `The demo could not start: ${event.message}`;
});
