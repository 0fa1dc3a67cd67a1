#!/usr/bin/env node
// Checks the production builds' short error messages (build-production-messages.mjs) as a user
// meets them: the same mistakes made through `@globus-app/core` and `@globus-app/services` in a
// Node process resolving the `production` export condition and in one resolving the default give
// errors of the same class, the first with a short message and the second with the full text, and
// `globus-app-explain` turns the first into the second. Run by `npm run test:packaging`.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { explainMessage, installedCatalogue } from "../packages/globus-app/bin/explain-message.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cwd = path.join(root, "packages", "globus-app");

// Each mistake runs in its own try; the messages go out as JSON.
const mistakes = `
import { Scope, UserApp, MemoryTokenStorage } from "@globus-app/core";
import { TransferClient } from "@globus-app/services";
const out = [];
const attempt = (what) => { try { what(); out.push(null); } catch (e) { out.push({ name: e.name, message: e.message }); } };
attempt(() => new Scope(""));
attempt(() => Scope.parse("a[b"));
attempt(() => new UserApp("demo", { clientId: "not a uuid", config: { environment: "nowhere" } }));
attempt(() => new UserApp("demo", { clientId: "5b20fbc2-c639-4ccb-9f61-adaaa8eba170", config: { tokenStorage: 42 } }));
attempt(() => new TransferClient({ environment: "nowhere" }));
console.log(JSON.stringify(out));
`;
const run = (conditions) =>
  JSON.parse(
    execFileSync(process.execPath, [...conditions, "--input-type=module", "-e", mistakes], {
      cwd,
      encoding: "utf8",
    }),
  );
const production = run(["--conditions=production"]);
const development = run([]);
const catalogue = installedCatalogue();
let failed = 0;
for (const [i, full] of development.entries()) {
  const short = production[i];
  const problems = [];
  if (full === null || short === null) problems.push("no error was thrown");
  else {
    if (short.name !== full.name) problems.push(`${short.name} instead of ${full.name}`);
    if (!short.message.startsWith("[globus-app ")) problems.push(`not shortened: ${short.message}`);
    if (explainMessage(short.message, catalogue) !== full.message)
      problems.push(`explained wrongly: ${short.message}`);
  }
  if (problems.length) failed++;
  console.log(
    `${problems.length ? "FAIL" : "ok  "} mistake ${i + 1}: ${full?.message ?? ""}${problems.map((p) => `\n     ${p}`).join("")}`,
  );
}
console.log(`production messages: ${development.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
