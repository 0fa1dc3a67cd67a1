// Helpers shared by the benchmark sections (see bench/run.mjs): statistics, timing, fixtures and the
// way a section hands its result back to the runner.

import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
export const REPO_ROOT = path.resolve(BENCH_DIR, "..");
/** Scratch space; `bench/tmp/` is in .gitignore. */
export const TMP_DIR = path.join(BENCH_DIR, "tmp");

export const TRANSFER_RS = "transfer.api.globus.org";
export const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";

/** `--quick` (or BENCH_QUICK=1) cuts repetitions, for trying the bench out; never for published numbers. */
export const QUICK = process.argv.includes("--quick") || process.env.BENCH_QUICK === "1";

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values, p) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function round(value, digits = 1) {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A number with thousands separators ("1 234 567" style is ambiguous in tables; use commas). */
export function fmtInt(value) {
  if (!Number.isFinite(value)) return "n/a";
  return Math.round(value).toLocaleString("en-US");
}

/** Significant-figure formatting for timings: 3 significant digits, no exponent. */
export function fmt(value, digits = 3) {
  if (!Number.isFinite(value)) return "n/a";
  if (value === 0) return "0";
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return value.toFixed(Math.min(decimals, 3));
}

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? "unknown",
    cores: cpus.length,
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString(),
    loadavg: os.loadavg().map((v) => round(v, 2)),
  };
}

/**
 * Hands a section's result to the runner: written to $BENCH_RESULT_FILE when the runner started this
 * section, printed otherwise (running a section by hand: `node bench/hot-path.mjs --quick`).
 */
export function report(result) {
  const file = process.env.BENCH_RESULT_FILE;
  const text = JSON.stringify(result, null, 2);
  if (file) writeFileSync(file, text);
  else console.log(text);
}

/** Runs `fn` and returns its result, or `{ error }` (message and first stack lines) when it throws. */
export async function attempt(fn) {
  try {
    return await fn();
  } catch (error) {
    return { error: describeError(error) };
  }
}

export function describeError(error) {
  if (error instanceof Error) {
    const stack = (error.stack ?? "").split("\n").slice(1, 4).join("\n");
    return `${error.name}: ${error.message}${stack ? `\n${stack}` : ""}`;
  }
  return String(error);
}

export function log(...args) {
  console.error(`[bench] ${args.join(" ")}`);
}

/** A run of `fn` bounded in count and time: stops at `maxIterations` or after `maxMs`. */
export async function boundedLoop(maxIterations, maxMs, fn) {
  const start = performance.now();
  let i = 0;
  for (; i < maxIterations; i++) {
    await fn(i);
    if ((i & 255) === 255 && performance.now() - start > maxMs) {
      i++;
      break;
    }
  }
  return { iterations: i, ms: performance.now() - start };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Token records of the emulator's sample identity for `auth.globus.org` and `transfer.api.globus.org`,
 * minted by the emulator (so a refresh token really works), valid for two days or already expired.
 */
export function issuedRecords(emulator, { refreshTokens = false, expired = false } = {}) {
  const { control } = emulator.emu;
  const issued = control.issueTokens({
    clientId: emulator.SAMPLE_NATIVE_CLIENT.id,
    scope: `openid ${TRANSFER_ALL}`,
    refreshTokens,
  });
  const identity = emulator.SAMPLE_IDENTITIES[0].id;
  const tokens = [issued, ...(issued.other_tokens ?? [])];
  return Object.fromEntries(
    tokens.map((token) => [
      token.resource_server,
      {
        resource_server: token.resource_server,
        identity_id: identity,
        scope: token.scope,
        access_token: token.access_token,
        refresh_token: token.refresh_token ?? null,
        expires_at_seconds: expired ? nowSeconds() - 60 : nowSeconds() + (token.expires_in ?? 172800),
        token_type: "Bearer",
      },
    ]),
  );
}

/** A synthetic, valid-looking record (for storage throughput, where no server is involved). */
export function syntheticRecord(resourceServer, identityId = "ae341a98-d274-11e5-b888-dbae3a8ba545") {
  const rand = () => Math.random().toString(36).slice(2);
  return {
    resource_server: resourceServer,
    identity_id: identityId,
    scope: `urn:globus:auth:scope:${resourceServer}:all`,
    access_token: `Ag${rand()}${rand()}${rand()}${rand()}`.slice(0, 72),
    refresh_token: `Ag${rand()}${rand()}${rand()}${rand()}`.slice(0, 72),
    expires_at_seconds: nowSeconds() + 172800,
    token_type: "Bearer",
  };
}

/** Starts the emulator on 127.0.0.1 with a free port; returns it with the sample data. */
export async function startBenchEmulator() {
  const mod = await import("@globus-app/emulator");
  const emu = await mod.startEmulator({ port: 0, host: "127.0.0.1" });
  if (!new URL(emu.url).hostname.startsWith("127.")) {
    await emu.close();
    throw new Error(`emulator is not on 127.0.0.1: ${emu.url}`);
  }
  return { emu, SAMPLE_NATIVE_CLIENT: mod.SAMPLE_NATIVE_CLIENT, SAMPLE_IDENTITIES: mod.SAMPLE_IDENTITIES };
}

/** Sum of an emulator's request counts, without the `token` aggregate (each token request counts twice). */
export function totalRequests(counts) {
  return Object.entries(counts)
    .filter(([name]) => name !== "token")
    .reduce((sum, [, n]) => sum + n, 0);
}
