import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Emulator, SAMPLE_CONFIDENTIAL_CLIENT, startEmulator } from "@globus-app/emulator";
import { SQLiteTokenStorage } from "@globus-app/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ExampleRuntime, README_EMULATOR_URL, readmeExamples } from "../test-support/readme-examples.ts";

// What users get: the packed tarballs installed into a fresh project, imported through package
// exports (never source paths), under each runtime.
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "..", "..", "..");
const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);
// The emulator too: README examples import it.
const PACKAGES = ["core", "browser", "node", "services", "react", "emulator", "globus-app"];

let project: string;
let emu: Emulator;

// Asynchronous on purpose: the emulator runs in this process and must keep answering meanwhile.
async function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  const [code] = await once(child, "close");
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} failed (${code}):\n${stdout}\n${stderr}`);
  return stdout;
}

let tarballs: string[];

beforeAll(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), "globus-app-packed-"));
  // What `npm run pack` does (build, then every publishable package into one folder), here into the
  // temporary project.
  const packs = path.join(project, "packs");
  tarballs = (await run(process.execPath, [path.join(repoRoot, "scripts", "pack.mjs"), packs], repoRoot))
    .trim()
    .split("\n");
  expect(tarballs.map((file) => path.basename(file)).sort()).toEqual(
    PACKAGES.map((name) =>
      name === "globus-app" ? "globus-app-0.1.0.tgz" : `globus-app-${name}-0.1.0.tgz`,
    ).sort(),
  );
  await writeFile(
    path.join(project, "package.json"),
    JSON.stringify({ name: "smoke", private: true, type: "module" }),
  );
  // The tarballs alone: the @globus-app/* dependencies resolve to them, never to a registry (where
  // they may not be published yet); third-party ones come from npm's cache when it has them.
  await run(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", "--no-package-lock", ...tarballs],
    project,
  );
  // Auto-approving, for README examples that log a person in (EmulatorAutoApproveLoginFlow).
  emu = await startEmulator({ port: 0, autoApprove: true });
}, 240_000);

afterAll(async () => {
  await emu?.close();
  if (project) await rm(project, { recursive: true, force: true });
});

// Every supported Node major, each a pinned build from the npm registry (scripts/install-node.mjs,
// cached after the first run), whatever Node runs this test.
const NODE_MAJORS = ["22", "24"];
const nodeBinaries = Object.fromEntries(
  NODE_MAJORS.map((major) => [
    major,
    path.join(
      execFileSync(process.execPath, [path.join(repoRoot, "scripts", "install-node.mjs"), major], {
        encoding: "utf8",
      }).trim(),
      "node",
    ),
  ]),
);

// [label, runtime, command, arguments, whether imports use `npm:` specifiers (Deno's own way)]
const runtimes: Array<[string, string, string, string[], boolean]> = [
  ...NODE_MAJORS.map((major): [string, string, string, string[], boolean] => [
    `node ${major}`,
    "node",
    nodeBinaries[major] as string,
    [],
    false,
  ]),
  ["deno", "deno", bin("deno"), ["run", "--allow-all"], false],
  ["deno with npm: specifiers", "deno", bin("deno"), ["run", "--allow-all"], true],
  ["bun", "bun", bin("bun"), ["run"], false],
];

/** The smoke script, its bare imports turned into `npm:` specifiers when asked. */
async function smokeScript(npmSpecifiers: boolean): Promise<string> {
  const source = await readFile(path.join(here, "..", "test-support", "runtime-smoke.mjs"), "utf8");
  return npmSpecifiers ? source.replace(/from "(globus-app[^"]*|oauth4webapi)"/g, 'from "npm:$1"') : source;
}

describe("the packed globus-app under each runtime", () => {
  it.each(runtimes)(
    "%s imports it through package exports and gets tokens",
    async (label, runtime, command, args, npmSpecifiers) => {
      const name = label.replace(/\W+/g, "-");
      const script = path.join(project, `smoke-${name}.mjs`);
      const database = path.join(project, `${name}-tokens.db`);
      const source = await smokeScript(npmSpecifiers);
      if (npmSpecifiers) expect(source).toContain('from "npm:globus-app"');
      await writeFile(script, source);
      const out = await run(command, [...args, script], project, {
        SMOKE_AUTH_URL: emu.url,
        SMOKE_TRANSFER_URL: emu.serviceUrls.transfer,
        SMOKE_CLIENT_ID: SAMPLE_CONFIDENTIAL_CLIENT.id,
        SMOKE_CLIENT_SECRET: SAMPLE_CONFIDENTIAL_CLIENT.secret,
        SMOKE_TOKEN_FILE: path.join(project, `${name}-tokens.json`),
        SMOKE_DATABASE_FILE: database,
        NO_COLOR: "1",
      });
      const line = out.trim().split("\n").pop() as string;
      expect(JSON.parse(line)).toEqual({
        runtime,
        memory: true,
        json: true,
        // Every runtime here has its own SQLite (node:sqlite since Node 22.5, Deno's, bun:sqlite).
        sqlite: true,
        subclassGrant: true,
        userAppIsNodeBuild: "node",
        transfer: true,
      });
      // The database another runtime wrote reads here (this Node, through its SQLite driver).
      const storage = new SQLiteTokenStorage(database);
      const record = await storage.getTokenData("transfer.api.globus.org");
      await storage.close();
      expect(record?.scope).toBe("urn:globus:auth:scope:transfer.api.globus.org:all");
      expect(record?.access_token).toMatch(/\S/);
    },
    60_000,
  );
});

// The commands the README gives for Deno and Bun: examples run with exactly these, so the
// permissions it tells readers to grant are enough.
const DENO_RUN = ["run", "--allow-net", "--allow-env", "--allow-read", "--allow-write"];
const BUN_RUN = ["run"];

describe("README examples marked runnable", () => {
  const examples = readmeExamples(repoRoot);

  it("are found (a lost marker would silently stop testing one)", async () => {
    expect(examples.map((example) => `${example.file} ${example.runtime}`)).toEqual([
      "README.md node",
      "README.md deno",
      "README.md bun",
      "packages/emulator/README.md node",
    ]);
    const readme = await readFile(path.join(repoRoot, "README.md"), "utf8");
    expect(readme).toContain(`deno ${DENO_RUN.join(" ")} service.ts`);
    expect(readme).toContain(`bun ${BUN_RUN.join(" ")} service.ts`);
  });

  // Node examples run under the lowest supported Node (22, which has no `await using`), as plain
  // TypeScript (Node strips the types), importing the packed packages.
  const commands: Record<ExampleRuntime, () => [string, string[]]> = {
    node: () => [nodeBinaries["22"] as string, []],
    deno: () => [bin("deno"), DENO_RUN],
    bun: () => [bin("bun"), BUN_RUN],
  };

  it.each(
    examples.map((example) => [`${example.file}:${example.line} (${example.runtime})`, example] as const),
  )(
    "%s runs against the emulator",
    async (_label, example) => {
      const script = path.join(
        project,
        `example-${example.file.replace(/\W+/g, "-")}-${example.line}-${example.runtime}.ts`,
      );
      await writeFile(script, example.code.replaceAll(README_EMULATOR_URL, emu.url));
      const [command, args] = commands[example.runtime]();
      const out = await run(command, [...args, script], project, { NO_COLOR: "1" });
      // The Deno and Bun examples say whether they got a token; a "no token" must fail.
      expect(out).not.toContain("no token");
    },
    60_000,
  );
});

describe("every published package", () => {
  it.each(PACKAGES)(
    "%s passes npm publish --dry-run with its licence, changelog and provenance",
    async (name) => {
      const tarball = tarballs.find((file) =>
        path.basename(file).startsWith(name === "globus-app" ? "globus-app-0" : `globus-app-${name}-0`),
      ) as string;
      const out = await run("npm", ["publish", "--dry-run", "--json", tarball], project);
      const [report] = Object.values(JSON.parse(out.slice(out.indexOf("{")))) as Array<{
        name: string;
        files: Array<{ path: string }>;
      }>;
      const files = report?.files.map((file) => file.path) ?? [];
      expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "LICENSE", "CHANGELOG.md"]));
      // Only build output and those: no sources, tests, fixtures or build caches.
      expect(
        files.filter(
          (file) => !/^(dist|bin)\//.test(file) && !/^[A-Z-]+\.md$|^LICENSE$|^package\.json$/.test(file),
        ),
      ).toEqual([]);
      expect(files.filter((file) => /\.test\.|tsbuildinfo|test-fixtures/.test(file))).toEqual([]);
      const manifest = JSON.parse(
        await readFile(path.join(project, "node_modules", report?.name as string, "package.json"), "utf8"),
      );
      expect(manifest.publishConfig).toEqual({ access: "public", provenance: true });
      expect(manifest.engines).toEqual({ node: ">=22" });
    },
    60_000,
  );
});
