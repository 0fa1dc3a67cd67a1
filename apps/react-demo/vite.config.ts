import { defaultClientConditions, defineConfig } from "vite";

// Workspace packages resolve to their TypeScript sources (`@globus-app/source`), so the portal runs
// against the code being edited. A portal that installs `globus-app` from npm needs none of this.
// Vite compiles the TSX itself (React's automatic JSX runtime); no React plugin is needed for a build.
export default defineConfig({
  resolve: { conditions: ["@globus-app/source", ...defaultClientConditions] },
  oxc: { jsx: { runtime: "automatic" } },
  server: { host: "127.0.0.1", port: 5174, strictPort: true },
  preview: { host: "127.0.0.1", port: 5174, strictPort: true },
  build: { target: "es2022" },
});
