import "./report-startup-error.ts";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { AppRoot } from "./app-root.tsx";
import "./styles.css";

const element = document.getElementById("root");
if (!element) throw new Error('index.html has no element with id "root".');

// StrictMode mounts every component twice in development: the provider still completes a redirect
// login only once, and the hooks' subscriptions are undone and made again.
createRoot(element).render(
  <StrictMode>
    <AppRoot />
  </StrictMode>,
);
