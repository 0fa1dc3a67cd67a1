import { defineConfig } from "@playwright/test";
import { chromiumArgs, findChromium } from "./chromium.mjs";

const executablePath = findChromium();

/** Ports of the demo and emulator that `npm start` runs for apps/demo's end-to-end tests. */
const demoPort = process.env.DEMO_PORT ?? "5273";
const emulatorPort = process.env.EMULATOR_PORT ?? "8770";
/** Ports of the React demo and its emulator (`npm run start:react`) for apps/react-demo's. */
const reactDemoPort = process.env.REACT_DEMO_PORT ?? "5274";
const reactEmulatorPort = process.env.REACT_EMULATOR_PORT ?? "8771";

/** How each portal's start script is run, waited for and stopped. */
const serverOptions = {
  reuseExistingServer: !process.env.CI,
  gracefulShutdown: { signal: "SIGTERM", timeout: 5000 },
  timeout: 120_000,
} as const;

/** Launch options shared by Playwright and vitest's browser mode. */
export const chromiumLaunchOptions = {
  ...(executablePath ? { executablePath } : {}),
  args: [...chromiumArgs],
};

export default defineConfig({
  testDir: ".",
  testMatch: ["apps/*/e2e/**/*.spec.ts", "packages/*/e2e/**/*.spec.ts"],
  workers: 1,
  reporter: [["list"]],
  outputDir: "test-results",
  use: { browserName: "chromium", launchOptions: chromiumLaunchOptions, trace: "off" },
  webServer: [
    {
      command: "node apps/demo/scripts/start.mjs",
      url: `http://127.0.0.1:${demoPort}/`,
      env: { DEMO_PORT: demoPort, EMULATOR_PORT: emulatorPort },
      ...serverOptions,
    },
    {
      command: "node apps/react-demo/scripts/start.mjs",
      url: `http://127.0.0.1:${reactDemoPort}/`,
      env: { REACT_DEMO_PORT: reactDemoPort, REACT_EMULATOR_PORT: reactEmulatorPort },
      ...serverOptions,
    },
  ],
});
