#!/usr/bin/env node
// `npm run start:server`: the server-side portal against the Globus Auth emulator (consent page
// shown), both in this process, so Ctrl+C or SIGTERM stops both.
//
// Environment:
//   PORT            the portal's port (default 5180)
//   EMULATOR_PORT   the emulator's port (default 8780)
//   DATABASE_URL    PostgreSQL for the tokens (postgres://user:password@host:5432/db); without it,
//                   SQLite in apps/server-demo/.data/tokens.db
//   SESSION_SECRETS comma-separated, newest first (default: a random one per start, so sessions
//                   end when the portal restarts)
//   GLOBUS_CLIENT_ID, GLOBUS_CLIENT_SECRET
//                   a confidential client registered with Globus (redirect URI
//                   http://localhost:<PORT>/auth/callback): no emulator, real Globus
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startPortal } from "../src/portal.mjs";

const HOST = "127.0.0.1";
const root = fileURLToPath(new URL("../../../", import.meta.url));
const port = Number(process.env.PORT ?? 5180);
const emulatorPort = Number(process.env.EMULATOR_PORT ?? 8780);
const realGlobus = Boolean(process.env.GLOBUS_CLIENT_ID?.trim());

const stoppers = [];
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, async () => {
    if (stopping) process.exit(130);
    stopping = true;
    const deadline = setTimeout(() => process.exit(1), 5000);
    deadline.unref();
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    process.exit(0);
  });
}

let clientId = process.env.GLOBUS_CLIENT_ID?.trim();
let clientSecret = process.env.GLOBUS_CLIENT_SECRET?.trim();
let authBaseUrl;
let transferBaseUrl = process.env.GLOBUS_SDK_SERVICE_URL_TRANSFER ?? "https://transfer.api.globus.org/";
if (!realGlobus) {
  const emulatorEntry = `${root}packages/emulator/dist/index.js`;
  if (!existsSync(emulatorEntry)) {
    console.error("start: build first (npm run build), or use `npm run start:server`, which does.");
    process.exit(1);
  }
  const { startEmulator, SAMPLE_CONFIDENTIAL_CLIENT } = await import(pathToFileURL(emulatorEntry).href);
  const emulator = await startEmulator({
    port: emulatorPort,
    host: HOST,
    autoApprove: false,
    redirectUris: [`http://localhost:${port}/auth/callback`],
    onLog: (message) => console.error(message),
  });
  stoppers.push(() => emulator.close());
  clientId = SAMPLE_CONFIDENTIAL_CLIENT.id;
  clientSecret = SAMPLE_CONFIDENTIAL_CLIENT.secret;
  authBaseUrl = emulator.url;
  transferBaseUrl = `${emulator.url}transfer/`;
  console.log(`Globus Auth emulator: ${emulator.url}`);
}
if (!clientId || !clientSecret) {
  console.error("start: GLOBUS_CLIENT_ID needs GLOBUS_CLIENT_SECRET (a confidential client).");
  process.exit(2);
}

const dataDir = fileURLToPath(new URL("../.data/", import.meta.url));
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
const portal = await startPortal({
  port,
  host: HOST,
  clientId,
  clientSecret,
  sessionSecrets: process.env.SESSION_SECRETS?.split(",").filter(Boolean) ?? [
    randomBytes(32).toString("base64url"),
  ],
  authBaseUrl,
  transferBaseUrl,
  databaseUrl: process.env.DATABASE_URL || undefined,
  sqliteFile: `${dataDir}tokens.db`,
});
stoppers.push(() => portal.close());
console.log(`Server-side portal: http://localhost:${port}/ (tokens in ${portal.storage})`);
