import { defaultClientConditions, defineConfig } from "vite";

// Workspace packages resolve to their TypeScript sources (`@globus-app/source`), so the demo runs
// against the code being edited, with no build of the libraries first. A portal that installs
// `globus-app` from npm needs none of this: Vite picks the package's browser build by itself.
export default defineConfig({
  resolve: { conditions: ["@globus-app/source", ...defaultClientConditions] },
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  preview: { host: "127.0.0.1", port: 5173, strictPort: true },
  build: { target: "es2022" },
});
