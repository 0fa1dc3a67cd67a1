import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { sampleTokenData } from "@globus-app/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JSONTokenStorage } from "./json-token-storage.ts";
import { SQLiteTokenStorage } from "./sqlite-token-storage.ts";

// These tests run the real storages in several Node processes at once. Node 20 cannot import the
// TypeScript sources, so beforeAll builds the package (tsc -b builds core too) and the children
// import dist/. The parent checks the results through the sources.
const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(here, "..");
const repoRoot = path.resolve(packageDir, "..", "..");
const childScript = path.join(here, "test-fixtures", "storage-child.mjs");

// The modules the child processes load, directly or through imports.
const CHILD_MODULES = [
  "default-token-path",
  "file-lock",
  "json-token-storage",
  "private-files",
  "sqlite-driver",
  "sqlite-token-storage",
  "token-record-json",
  "writer-version",
];

/** Fails unless each module the children load is built and current (tsc -b skips up-to-date projects). */
async function assertBuilt(buildOutput: string): Promise<void> {
  for (const name of CHILD_MODULES) {
    const [source, built] = await Promise.all([
      stat(path.join(here, `${name}.ts`)),
      stat(path.join(packageDir, "dist", `${name}.js`)).catch(() => null),
    ]);
    if (!built || built.mtimeMs < source.mtimeMs) {
      throw new Error(`tsc -b packages/node did not build ${name}.ts:\n${buildOutput}`);
    }
  }
}

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function startChild(args: string[]): { child: ChildProcess; result: Promise<ChildResult> } {
  // Node 22 warns on stderr that node:sqlite is experimental; the children's stderr must otherwise
  // stay empty, so only that one warning kind is silenced.
  const child = spawn(process.execPath, ["--disable-warning=ExperimentalWarning", childScript, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // "close" fires after the pipes are drained, so output written before a kill is all there.
  const result = once(child, "close").then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    stdout,
    stderr,
  }));
  return { child, result };
}

/** Resolves when the child first writes to stdout (or exits). */
function firstOutput(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.stdout?.once("data", () => resolve());
    child.once("close", () => resolve());
  });
}

async function runChildren(argsList: string[][]): Promise<void> {
  const results = await Promise.all(argsList.map((args) => startChild(args).result));
  for (const result of results) {
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  }
}

describe("several processes sharing one token store", () => {
  let dir: string;

  beforeAll(async () => {
    const build = spawnSync(
      process.execPath,
      [path.join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-b", "packages/node"],
      {
        cwd: repoRoot,
        encoding: "utf8",
      },
    );
    // Type errors elsewhere in the workspace do not stop tsc -b from emitting; what matters is
    // that this package's JavaScript is current.
    await assertBuilt(`${build.stdout}${build.stderr}`);
    dir = await mkdtemp(path.join(os.tmpdir(), "globus-multi-process-"));
  }, 120_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(["json", "sqlite"])(
    "%s: 4 processes × 200 stores lose no update",
    async (kind) => {
      const file = path.join(dir, `many.${kind === "json" ? "json" : "db"}`);
      await runChildren([0, 1, 2, 3].map((p) => [kind, "store-many", file, `p${p}`, "200"]));
      const storage = kind === "json" ? new JSONTokenStorage(file) : new SQLiteTokenStorage(file);
      const all = await storage.getTokenDataByResourceServer();
      await storage.close();
      expect(Object.keys(all)).toHaveLength(800);
      for (let p = 0; p < 4; p++) {
        for (let i = 0; i < 200; i++) expect(all).toHaveProperty([`p${p}-${i}.example.org`, "access_token"]);
      }
      if (kind === "json") {
        // No lock directory or temporary file is left behind.
        expect((await readdir(dir)).filter((name) => name.startsWith("many.json"))).toEqual(["many.json"]);
      }
      // 800 durable, locked, checked writes: seconds alone, much longer on a busy 2-core machine.
    },
    90_000,
  );

  it.each(["json", "sqlite"])(
    "%s: withLock serialises 4 processes × 25 read-increment-writes",
    async (kind) => {
      const file = path.join(dir, `counter.${kind === "json" ? "json" : "db"}`);
      await runChildren([0, 1, 2, 3].map(() => [kind, "increment", file, "25"]));
      const storage = kind === "json" ? new JSONTokenStorage(file) : new SQLiteTokenStorage(file);
      const counter = await storage.getTokenData("counter.example.org");
      await storage.close();
      expect(counter?.extra).toEqual({ count: 100 });
    },
  );

  it("json: a writer killed at random moments leaves the old or the new file, never a broken one", async () => {
    const file = path.join(dir, "crash.json");
    const records = 50;
    const initial = Object.fromEntries(
      Array.from({ length: records }, (_, j) => {
        const rs = `rs-${j}.example.org`;
        return [rs, sampleTokenData(rs, { access_token: `access-0-${j}`, extra: { generation: 0 } })];
      }),
    );
    await new JSONTokenStorage(file).storeTokenDataByResourceServer(initial);

    let previous = 0;
    let roundsWithLeftovers = 0;
    const kills = 30;
    for (let round = 0; round < kills; round++) {
      const { child, result } = startChild(["json", "rewrite-forever", file, String(records)]);
      // Let it start writing, then kill it at a random point of its write loop.
      await firstOutput(child);
      await sleep(Math.random() * 150);
      child.kill("SIGKILL");
      const { signal, stdout, stderr } = await result;
      expect(stderr).toBe("");
      expect(signal).toBe("SIGKILL");

      const lines = stdout.trim().split("\n");
      const last = (word: string) =>
        Math.max(
          previous,
          ...lines.filter((l) => l.startsWith(`${word} `)).map((l) => Number(l.split(" ")[1])),
        );
      const started = last("start");
      const done = last("done");

      // Read the raw file, not through the storage: it must parse on its own.
      const document = JSON.parse(await readFile(file, "utf8"));
      expect(document.format_version).toBe("2.0");
      const stored = Object.values(document.data.DEFAULT) as { access_token: string; generation: number }[];
      expect(stored).toHaveLength(records);
      const generations = new Set(stored.map((r) => r.generation));
      expect(generations.size).toBe(1);
      const generation = [...generations][0] as number;
      // Old data (the last completed write) or new data (the one in flight), nothing in between.
      expect(generation).toBeGreaterThanOrEqual(done);
      expect(generation).toBeLessThanOrEqual(started);
      stored.forEach((r, j) => {
        expect(r.access_token).toBe(`access-${generation}-${j}`);
      });
      previous = generation;

      if ((await readdir(dir)).some((name) => /^crash\.json\.\d+$/.test(name))) roundsWithLeftovers++;
      // The killed writer may have held the lock; it would be taken over after the 10 s stale
      // period (tested in json-token-storage.test.ts). Remove it so the next round starts at once.
      await rm(`${file}.lock`, { recursive: true, force: true });
    }
    expect(previous).toBeGreaterThan(0);

    // The next write removes the torn temporary files killed writers left; a writer killed between
    // its fsync and its rename leaves a complete one, which is kept (it may be a backup).
    await new JSONTokenStorage(file).storeTokenDataByResourceServer(initial);
    for (const name of await readdir(dir)) {
      if (/^crash\.json\.\d+$/.test(name))
        expect(() => JSON.parse(readFileSync(path.join(dir, name), "utf8"))).not.toThrow();
    }
    console.info(
      `crash test: ${kills} kills, ${previous} generations written, ${roundsWithLeftovers} kills landed mid-write`,
    );
  }, 60_000);
});
