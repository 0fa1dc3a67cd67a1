import { defineConfig } from "vite";
export default defineConfig({
  root: import.meta.dirname,
  resolve: { conditions: ["@globus-app/source", "browser", "module", "import", "default"] },
  build: { outDir: "/tmp/bundle/dist", emptyOutDir: true, minify: true, sourcemap: true, target: "es2022" },
  logLevel: "warn",
});
