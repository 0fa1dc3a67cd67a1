// Imported first by main.tsx, so that a mistake that stops the portal from starting (an unknown
// VITE_GLOBUS_SDK_ENVIRONMENT, a malformed URL: portal-app.ts throws while the modules load, before
// React renders anything) is shown on the page, not only in the console. It only replaces the
// "Loading…" of index.html, never what React rendered.
window.addEventListener("error", (event) => {
  const status = document.getElementById("startup-status");
  if (status?.textContent === "Loading…") status.textContent = `The portal could not start: ${event.message}`;
});
