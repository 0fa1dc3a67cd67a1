import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { build } from "vite";

// A portal whose settings stop it from starting must say why on the page, not leave "Loading…"
// with the reason only in the console. This builds the portal with such a setting, as a person
// might (VITE_GLOBUS_SDK_ENVIRONMENT misspelt), and serves the build through Playwright's routing.

const appDir = fileURLToPath(new URL("../", import.meta.url));
/** Nothing listens here: Playwright answers the page's requests from the build. */
const origin = "http://127.0.0.1:5399";

test("a build with an unknown environment reports why it could not start", async ({ page }) => {
  test.setTimeout(90_000);
  const dir = await mkdtemp(path.join(tmpdir(), "react-demo-startup-"));
  try {
    const outDir = path.join(dir, "dist");
    await writeFile(
      path.join(dir, ".env"),
      "VITE_GLOBUS_CLIENT_ID=5b20fbc2-c639-4ccb-9f61-adaaa8eba170\nVITE_GLOBUS_SDK_ENVIRONMENT=prodution\n",
    );
    await build({ root: appDir, envDir: dir, logLevel: "warn", build: { outDir, emptyOutDir: true } });
    await page.route(`${origin}/**`, (route) => {
      const { pathname } = new URL(route.request().url());
      return route.fulfill({ path: path.join(outDir, pathname === "/" ? "index.html" : pathname) });
    });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));

    await page.goto(`${origin}/`);
    await expect(page.getByRole("status")).toHaveText(
      /^The portal could not start: .*Unrecognized environment "prodution"\. Known environments: production,/,
    );
    expect(errors).toEqual([expect.stringContaining('Unrecognized environment "prodution"')]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
