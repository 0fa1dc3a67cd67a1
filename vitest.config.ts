import { createRequire } from "node:module";
import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";
import { emulatorCommands } from "./packages/browser/test-support/emulator-commands.ts";
import { chromiumLaunchOptions } from "./playwright.config.ts";

const sourceCondition = "@globus-app/source";

declare module "vitest" {
  export interface ProvidedContext {
    /** The React major version a project's tests must run on (`React.version` is checked). */
    reactMajor: number;
  }
}

// The React of @globus-app/react's tests (19, hoisted) and React 18, which lives in the
// test-deps/react-18 workspace because react-dom 18's peer cannot sit beside React 19.
const fromReactPackage = createRequire(new URL("./packages/react/package.json", import.meta.url));
const fromReact18 = createRequire(new URL("./test-deps/react-18/package.json", import.meta.url));
const majorOf = (resolveFrom: NodeJS.Require): number =>
  Number((resolveFrom("react/package.json") as { version: string }).version.split(".")[0]);

/** The entry points React tests import, aliased to React 18's (Vite pre-bundles aliased deps too). */
const react18Aliases = [
  "react",
  "react/jsx-runtime",
  "react/jsx-dev-runtime",
  "react-dom",
  "react-dom/client",
  "react-dom/server",
  "react-dom/test-utils",
].map((name) => ({ find: new RegExp(`^${name}$`), replacement: fromReact18.resolve(name) }));

/** @globus-app/react's tests, run a second time on React 18 (its lowest supported version). */
const reactTests = "packages/react/src/**/*.test.tsx";
const reactBrowserTests = "packages/react/src/**/*.browser.test.tsx";

/** Headless Chromium, one provider per project. */
const chromium = () => ({
  enabled: true,
  headless: true,
  provider: playwright({ launchOptions: chromiumLaunchOptions }),
  instances: [{ browser: "chromium" as const }],
  // Browser tests run a Globus Auth emulator in this Node process through these.
  commands: emulatorCommands,
});

export default defineConfig({
  resolve: { conditions: [sourceCondition] },
  ssr: { resolve: { conditions: [sourceCondition] } },
  test: {
    provide: { reactMajor: majorOf(fromReactPackage) },
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
          browser: chromium(),
        },
      },
      {
        extends: true,
        resolve: { alias: react18Aliases },
        test: {
          name: "node-react-18",
          environment: "node",
          include: [reactTests],
          exclude: [reactBrowserTests],
          provide: { reactMajor: majorOf(fromReact18) },
        },
      },
      {
        extends: true,
        resolve: { alias: react18Aliases },
        test: {
          name: "browser-react-18",
          include: [reactBrowserTests],
          testTimeout: 20_000,
          provide: { reactMajor: majorOf(fromReact18) },
          browser: chromium(),
        },
      },
    ],
  },
});
