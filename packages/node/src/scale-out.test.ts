import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { Agent, createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { type Emulator, SAMPLE_CONFIDENTIAL_CLIENT, startEmulator } from "@globus-app/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildNodePackage } from "../test-support/build-node-package.ts";
import { storeExpiredTokens } from "../test-support/store-expired-tokens.ts";
import { dropTestData, testPostgres, testRedis, uniqueName } from "../test-support/test-servers.ts";
import { CookieSealer } from "./cookie-sealer.ts";
import { PostgresTokenStorage } from "./postgres-token-storage.ts";
import { RedisTokenStorage } from "./redis-token-storage.ts";

// A portal scaled out: 4 replica processes (the login handlers over one PostgreSQL or Redis token
// store) behind a round-robin proxy, 1,000 concurrent requests for 50 people whose access tokens
// have all expired. Each person's token must be refreshed exactly once however many replicas and
// requests want it: 50 refresh requests at the emulator, every request answered with the new token.
const here = path.dirname(fileURLToPath(import.meta.url));
const replicaScript = path.join(here, "test-fixtures", "portal-replica.mjs");
const TRANSFER = "transfer.api.globus.org";
const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
const SESSION_SECRET = "scale-out-session-secret-0123456789abcdef";
const REPLICAS = 4;
const PEOPLE = 50;
const REQUESTS = 1000;

const postgres = testPostgres();
const redis = testRedis();

let emu: Emulator | undefined;
let people: string[] = [];
beforeAll(async () => {
  if (postgres.skip && redis.skip) return;
  buildNodePackage();
  emu = await startEmulator({ port: 0 });
  const control = emu.control;
  people = Array.from(
    { length: PEOPLE },
    (_, i) =>
      control.registerIdentity({
        username: `person${i}@example.org`,
        name: `Person ${i}`,
        email: `person${i}@example.org`,
      }).id,
  );
}, 120_000);
afterAll(async () => {
  await emu?.close();
});

interface Replica {
  child: ChildProcess;
  port: number;
}

async function startReplica(args: string[]): Promise<Replica> {
  const child = spawn(process.execPath, [replicaScript, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      GLOBUS_APP_TEST_CLIENT_SECRET: SAMPLE_CONFIDENTIAL_CLIENT.secret,
      GLOBUS_APP_TEST_SESSION_SECRET: SESSION_SECRET,
    },
  });
  let out = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    out += chunk;
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk;
      const match = /listening (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`replica exited with ${code}:\n${out}`)));
  });
  return { child, port };
}

/** The tiny load balancer: each request goes to the next replica in turn. */
async function startProxy(ports: number[]): Promise<Server> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  const server = createServer((req, res) => {
    const port = ports[next++ % ports.length];
    const upstream = httpRequest(
      { host: "127.0.0.1", port, path: req.url, method: req.method, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  // Idle keep-alive sockets must outlive the pause between rounds: a server closing one just as
  // the client reuses it is a reset that belongs to neither the portal nor the storage.
  server.keepAliveTimeout = 120_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return server;
}

for (const [kind, server] of [
  ["postgres", postgres],
  ["redis", redis],
] as const) {
  if (server.url === undefined) {
    it.skip(`${kind} scale-out: ${server.skip}`, () => undefined);
    continue;
  }
  const url = server.url;
  describe(`${kind}: ${REPLICAS} replicas behind a round-robin proxy`, () => {
    const where = kind === "postgres" ? uniqueName("scale").toLowerCase() : `${uniqueName("scale")}:`;
    afterAll(async () => {
      await dropTestData(kind, url, where);
    });

    it(`${REQUESTS} concurrent requests for ${PEOPLE} people with expired tokens make exactly ${PEOPLE} refreshes`, async () => {
      if (!emu) throw new Error("no emulator");
      const control = emu.control;
      const root =
        kind === "postgres"
          ? new PostgresTokenStorage({ connectionString: url, table: where })
          : new RedisTokenStorage({ url, keyPrefix: where });
      await Promise.all(
        people.map((identityId) => storeExpiredTokens(control, root.forNamespace(identityId), identityId)),
      );
      // The session cookies the people's browsers would hold, sealed as the handlers seal them.
      const sealer = new CookieSealer([SESSION_SECRET]);
      const cookies = await Promise.all(
        people.map(async (identityId) => sealer.seal({ sub: identityId }, "globus-app:session", 3600)),
      );

      const replicas = await Promise.all(
        Array.from({ length: REPLICAS }, () =>
          startReplica([
            kind,
            url,
            where,
            emu?.url ?? "",
            SAMPLE_CONFIDENTIAL_CLIENT.id,
            TRANSFER,
            TRANSFER_ALL,
          ]),
        ),
      );
      const proxy = await startProxy(replicas.map((r) => r.port));
      const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/header`;
      try {
        const round = async (label: string) => {
          const started = performance.now();
          const answers = await Promise.all(
            Array.from({ length: REQUESTS }, async (_, i) => {
              const person = i % PEOPLE;
              const response = await fetch(proxyUrl, {
                headers: { Cookie: `__Host-globus-session=${cookies[person]}` },
              });
              return { person, status: response.status, digest: await response.text() };
            }),
          );
          const seconds = (performance.now() - started) / 1000;
          console.log(
            `${kind} (${label}): ${REQUESTS} concurrent requests through ${REPLICAS} replicas in ${seconds.toFixed(2)} s (${Math.round(REQUESTS / seconds)} requests/s)`,
          );
          return answers;
        };
        control.resetCounts();
        const answers = await round("all tokens expired");
        // None lost: every request got a header.
        expect(answers.filter((a) => a.status !== 200).map((a) => a.digest)).toEqual([]);
        // One refresh per person: every request of a person carries the same new token.
        const digests = new Map<number, Set<string>>();
        for (const answer of answers) {
          const set = digests.get(answer.person) ?? new Set();
          set.add(answer.digest);
          digests.set(answer.person, set);
        }
        expect([...digests.values()].map((set) => set.size)).toEqual(Array(PEOPLE).fill(1));
        expect(control.requestCounts()["token:refresh_token"]).toBe(PEOPLE);
        // Warm: the same requests again cost no refresh and give the same tokens.
        const again = await round("warm tokens");
        expect(again.every((a) => a.status === 200 && digests.get(a.person)?.has(a.digest))).toBe(true);
        expect(control.requestCounts()["token:refresh_token"]).toBe(PEOPLE);
        for (const identityId of people) {
          const renewed = await root.forNamespace(identityId).getTokenData(TRANSFER);
          expect(renewed?.expires_at_seconds).toBeGreaterThan(Date.now() / 1000);
          expect(renewed?.identity_id).toBe(identityId);
        }
      } finally {
        proxy.closeAllConnections();
        proxy.close();
        await Promise.all(
          replicas.map(async ({ child }) => {
            const exited = once(child, "exit");
            child.kill("SIGTERM");
            await exited;
          }),
        );
        await root.close();
      }
    }, 120_000);
  });
}
