import { request } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sendJson } from "../test-support/service-call.ts";
import { formatBanner } from "./run-cli.ts";
import { SAMPLE_NATIVE_CLIENT } from "./sample-data.ts";
import { type Emulator, startEmulator } from "./start-emulator.ts";

// One suite for every fake service with its own port (Transfer has its own, older file): the
// port's root, the mount under the Auth URL, the Host check, CORS, bodies, tokens and faults.

interface ServiceCase {
  readonly service: "groups" | "search" | "flows" | "timer" | "compute";
  readonly scope: string;
  /** A GET that needs a token and answers 200 with it. */
  readonly read: string;
  /** A POST taking a JSON object body, and a valid body for it. */
  readonly write: string;
  readonly body: Record<string, unknown>;
  /** Where the service's error code is in its error body. */
  readonly code: (body: Record<string, unknown>) => unknown;
}

const CASES: readonly ServiceCase[] = [
  {
    service: "groups",
    scope: "urn:globus:auth:scope:groups.api.globus.org:all",
    read: "v2/groups/my_groups",
    write: "v2/groups",
    body: { name: "a group" },
    code: (body) => body.code,
  },
  {
    service: "search",
    scope: "urn:globus:auth:scope:search.api.globus.org:all",
    read: "v1/index_list",
    write: "v1/index",
    body: { display_name: "an index" },
    code: (body) => body["@datatype"] === "GError" && body.code,
  },
  {
    service: "flows",
    scope: "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all",
    read: "flows",
    write: "flows/validate",
    body: { definition: { StartAt: "A", States: { A: { Type: "Pass", End: true } } } },
    code: (body) => (body.error as { code?: unknown } | undefined)?.code,
  },
  {
    service: "timer",
    scope: "https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer",
    read: "jobs/",
    write: "v2/timer",
    body: { timer: {} },
    code: (body) =>
      (body.error as { code?: unknown } | undefined)?.code ??
      (Array.isArray(body.detail) ? "ValidationError" : undefined),
  },
  {
    service: "compute",
    scope: "https://auth.globus.org/scopes/facd7ccc-c5f4-42aa-916b-a0e270e2c2a9/all",
    read: "v2/endpoints",
    write: "v3/functions",
    body: { function_name: "hello_world", function_code: "def hello_world(): ..." },
    code: (body) => body.code,
  },
];

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.control.resetClock();
  emu.control.clearFaults();
});

const tokenFor = (scope: string): string =>
  emu.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope }).access_token;

function rawStatus(port: string, path: string, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

describe.each(CASES)("the fake $service's own port", (c) => {
  const at = (path: string) => new URL(path, emu.serviceUrls[c.service]);

  it("answers at its root and under <auth url><service>/, nothing else there, and is in the banner", async () => {
    const token = tokenFor(c.scope);
    expect(emu.serviceUrls[c.service]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(new Set(Object.values(emu.serviceUrls)).size).toBe(Object.keys(emu.serviceUrls).length);
    const root = await sendJson(at(c.read), { token });
    const mounted = await sendJson(new URL(`${c.service}/${c.read}`, emu.url), { token });
    expect(root.status).toBe(200);
    expect(mounted.body).toEqual(root.body);
    expect((await sendJson(at("_emulator/state"))).status).toBe(404);
    expect((await sendJson(at(".well-known/openid-configuration"))).status).toBe(404);
    expect(formatBanner(emu, false)).toContain(
      `GLOBUS_SDK_SERVICE_URL_${c.service.toUpperCase()}=${emu.serviceUrls[c.service]}\n`,
    );
  });

  it("checks the Host header against its own port, and answers CORS like the OAuth endpoints", async () => {
    const port = new URL(emu.serviceUrls[c.service]).port;
    expect(await rawStatus(port, `/${c.read}`, "evil.example:80")).toBe(403);
    // The Auth port's number is not this port's.
    expect(await rawStatus(port, `/${c.read}`, `127.0.0.1:${new URL(emu.url).port}`)).toBe(403);
    const token = tokenFor(c.scope);
    const allowed = await sendJson(at(c.read), { token, headers: { Origin: "http://localhost:5173" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    const refused = await sendJson(at(c.read), { token, headers: { Origin: "https://evil.example" } });
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await fetch(at(c.write), {
      method: "OPTIONS",
      headers: {
        Origin: "http://localhost:5173",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Authorization");
    const evil = await fetch(at(c.write), {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
    });
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses bodies that are not JSON objects, unknown methods and unknown paths", async () => {
    const token = tokenFor(c.scope);
    for (const body of ["{oops", [1], "null"]) {
      const answer = await sendJson(at(c.write), { method: "POST", token, body });
      expect(answer.status, String(body)).toBe(400);
      expect(typeof c.code(answer.body)).toBe("string");
    }
    const form = await sendJson(at(c.write), {
      method: "POST",
      token,
      body: "name=x",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(400);
    expect((await sendJson(at(c.read), { method: "PATCH", token })).status).toBe(405);
    const nowhere = await sendJson(at("v9/nowhere"), { token });
    expect(nowhere.status).toBe(404);
    expect(typeof c.code(nowhere.body)).toBe("string");
  });

  it("wants a live token of its own resource server", async () => {
    const missing = await sendJson(at(c.read), { token: null });
    expect(missing.status).toBe(401);
    expect(typeof c.code(missing.body)).toBe("string");
    expect((await sendJson(at(c.read), { token: "not-a-token" })).status).toBe(401);
    const other = tokenFor("urn:globus:auth:scope:transfer.api.globus.org:all");
    expect((await sendJson(at(c.read), { token: other })).status).toBe(401);
    const token = tokenFor(c.scope);
    expect((await sendJson(at(c.read), { token })).status).toBe(200);
    emu.control.advanceClock(172_801);
    expect((await sendJson(at(c.read), { token })).status).toBe(401);
    emu.control.resetClock();
    emu.control.revokeAll();
    expect((await sendJson(at(c.read), { token })).status).toBe(401);
  });

  it("applies injected faults to its requests, named after the service", async () => {
    const token = tokenFor(c.scope);
    // In the service's own error shape, as its other errors, so its clients read them the same way.
    const upper = c.service !== "search";
    emu.control.injectFault({ endpoint: c.service, kind: "server-error", status: 502 });
    const failed = await sendJson(at(c.read), { token });
    expect([failed.status, c.code(failed.body)]).toEqual([502, upper ? "INTERNAL_ERROR" : "InternalError"]);
    emu.control.injectFault({ endpoint: c.service, kind: "server-error", status: 503 });
    const unavailable = await sendJson(at(c.read), { token });
    expect(c.code(unavailable.body)).toBe(upper ? "SERVICE_UNAVAILABLE" : "ServiceUnavailable");
    emu.control.injectFault({ endpoint: c.service, kind: "rate-limit", retryAfter: 3 });
    const limited = await sendJson(at(c.read), { token });
    expect([limited.status, limited.headers.get("retry-after"), c.code(limited.body)]).toEqual([
      429,
      "3",
      upper ? "TOO_MANY_REQUESTS" : "TooManyRequests",
    ]);
    emu.control.injectFault({ endpoint: c.service, kind: "malformed-json" });
    await expect(sendJson(at(c.read), { token })).rejects.toThrow(SyntaxError);
    emu.control.injectFault({ endpoint: c.service, kind: "drop-response" });
    await expect(sendJson(at(c.write), { method: "POST", token, body: c.body })).rejects.toThrow();
    expect(emu.control.requestLog(1)[0]).toMatchObject({
      endpoint: c.service,
      fault: "drop-response",
      method: "POST",
    });
    // Another service's fault leaves this one alone.
    emu.control.injectFault({ endpoint: "transfer", kind: "server-error" });
    expect((await sendJson(at(c.read), { token })).status).toBe(200);
    expect(emu.control.requestCounts()[c.service]).toBeGreaterThan(0);
  });

  it("applies latency, dropped connections, stalled bodies, counts and `*`, set over HTTP too", async () => {
    const token = tokenFor(c.scope);
    emu.control.injectFault({ endpoint: c.service, kind: "latency", latencyMs: 150 });
    const started = performance.now();
    expect((await sendJson(at(c.read), { token })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);

    emu.control.injectFault({ endpoint: c.service, kind: "drop-connection" });
    await expect(sendJson(at(c.read), { token })).rejects.toThrow();
    expect(emu.control.requestLog(1)[0]).toMatchObject({ endpoint: c.service, fault: "drop-connection" });

    emu.control.injectFault({ endpoint: c.service, kind: "stall-body" });
    const controller = new AbortController();
    const stalled = await fetch(at(c.read), {
      headers: { Authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    expect([stalled.status, stalled.headers.get("content-type")]).toEqual([
      200,
      "application/json; charset=utf-8",
    ]);
    const reader = (stalled.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const next = reader.read();
    const outcome = await Promise.race([
      next.then(() => "more"),
      new Promise((resolve) => setTimeout(resolve, 150, "stalled")),
    ]);
    expect(outcome).toBe("stalled");
    controller.abort();
    await expect(next).rejects.toThrow();

    emu.control.injectFault({ endpoint: c.service, kind: "server-error", status: 503, count: 2 });
    const statuses: number[] = [];
    for (let n = 0; n < 3; n++) statuses.push((await sendJson(at(c.read), { token })).status);
    expect(statuses).toEqual([503, 503, 200]);
    emu.control.injectFault({ endpoint: "*", kind: "rate-limit", retryAfter: 2 });
    expect((await sendJson(at(c.read), { token })).status).toBe(429);

    // The control API over HTTP (on the Auth port) names the service's endpoint too.
    const injected = await sendJson(new URL("_emulator/faults", emu.url), {
      method: "POST",
      body: { endpoint: c.service, kind: "server-error", status: 504 },
    });
    expect(injected.status).toBe(201);
    expect(injected.body.faults).toEqual([expect.objectContaining({ endpoint: c.service, remaining: 1 })]);
    expect((await sendJson(at(c.read), { token })).status).toBe(504);
    expect((await sendJson(at(c.read), { token })).status).toBe(200);
  });
});
