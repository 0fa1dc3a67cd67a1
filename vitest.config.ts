import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";
import { emulatorCommands } from "./packages/browser/test-support/emulator-commands.ts";
import { chromiumLaunchOptions } from "./playwright.config.ts";

const sourceCondition = "@globus-app/source";

export default defineConfig({
  resolve: { conditions: [sourceCondition] },
  ssr: { resolve: { conditions: [sourceCondition] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          environment: "node",
          include: ["packages/*/src/**/*.test.ts", "packages/*/src/**/*.test.tsx", "scripts/**/*.test.ts"],
          exclude: ["**/*.browser.test.ts", "**/*.browser.test.tsx", "**/node_modules/**"],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: "browser",
          include: ["packages/*/src/**/*.browser.test.ts", "packages/*/src/**/*.browser.test.tsx"],
          testTimeout: 20_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: chromiumLaunchOptions }),
            instances: [{ browser: "chromium" }],
            // Browser tests run a Globus Auth emulator in this Node process through these.
            commands: emulatorCommands,
          },
        },
      },
    ],
  },
});
