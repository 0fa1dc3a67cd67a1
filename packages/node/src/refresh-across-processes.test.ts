import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { type Emulator, SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT, startEmulator } from "@globus-app/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildNodePackage } from "../test-support/build-node-package.ts";
import { JSONTokenStorage } from "./json-token-storage.ts";

// Several real Node processes share one JSON token file with an expired access token. Node 20 cannot
// import TypeScript, so the package is built first and the children run dist/.
const here = path.dirname(fileURLToPath(import.meta.url));
const child = path.join(here, "test-fixtures", "refresh-child.mjs");
const TRANSFER = "transfer.api.globus.org";
const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";

let emu: Emulator;
let dir: string;
beforeAll(async () => {
  buildNodePackage();
  emu = await startEmulator({ port: 0 });
  dir = await mkdtemp(path.join(os.tmpdir(), "globus-app-refresh-"));
}, 120_000);
afterAll(async () => {
  await emu?.close();
  await rm(dir, { recursive: true, force: true });
});

async function runChild(file: string): Promise<string> {
  const proc = spawn(
    process.execPath,
    [child, file, emu.url, SAMPLE_NATIVE_CLIENT.id, TRANSFER, TRANSFER_ALL],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  proc.stdout.on("data", (chunk: Buffer) => {
    out += chunk;
  });
  proc.stderr.on("data", (chunk: Buffer) => {
    out += chunk;
  });
  const [code] = await once(proc, "close");
  if (code !== 0) throw new Error(`child exited with ${code}:\n${out}`);
  return out.trim();
}

describe("refresh across processes", () => {
  it("4 processes that start with the same expired token make exactly one refresh request", async () => {
    const issued = emu.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: `openid ${TRANSFER_ALL}`,
      refreshTokens: true,
    });
    const tokens = [issued, ...issued.other_tokens];
    const file = path.join(dir, "tokens.json");
    const storage = new JSONTokenStorage(file);
    const expired = Math.floor(Date.now() / 1000) - 60;
    await storage.storeTokenDataByResourceServer(
      Object.fromEntries(
        tokens.map((token) => [
          token.resource_server,
          {
            resource_server: token.resource_server,
            identity_id: SAMPLE_IDENTITIES[0].id,
            scope: token.scope,
            access_token: token.access_token,
            refresh_token: token.refresh_token ?? null,
            expires_at_seconds: expired,
            token_type: "Bearer",
          },
        ]),
      ),
    );
    emu.control.resetCounts();
    const results = await Promise.all([file, file, file, file].map(runChild));
    expect(results).toEqual(["header", "header", "header", "header"]);
    expect(emu.control.requestCounts()["token:refresh_token"]).toBe(1);
    const renewed = await storage.getTokenData(TRANSFER);
    expect(renewed?.expires_at_seconds).toBeGreaterThan(Date.now() / 1000);
    expect(renewed?.identity_id).toBe(SAMPLE_IDENTITIES[0].id);
  }, 60_000);
});
