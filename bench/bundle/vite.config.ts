import { defineConfig } from "vite";
import { productionMessagesPlugin } from "../../scripts/production-messages.mjs";

// The minimal app as a portal's production build gets it: the `production` export condition picks
// each package's `dist/prod/`, whose error messages are codes; over the sources, the same transform.
export default defineConfig({
  root: import.meta.dirname,
  resolve: { conditions: ["@globus-app/source", "browser", "module", "import", "default"] },
  plugins: [productionMessagesPlugin()],
  build: { outDir: "/tmp/bundle/dist", emptyOutDir: true, minify: true, sourcemap: true, target: "es2022" },
  logLevel: "warn",
});
