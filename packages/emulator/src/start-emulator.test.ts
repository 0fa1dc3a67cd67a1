import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_CONFIDENTIAL_CLIENT, SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT } from "./sample-data.ts";
import { type Emulator, startEmulator } from "./start-emulator.ts";
import { StateFileError } from "./state-file.ts";

const TRANSFER = "urn:globus:auth:scope:transfer.api.globus.org:all";
const [ADA] = SAMPLE_IDENTITIES;

/** A refresh-token request of the sample native client at `emu`. */
function refreshAt(emu: Emulator, refreshToken: string): Promise<Response> {
  return fetch(new URL("v2/oauth2/token", emu.url), {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: SAMPLE_NATIVE_CLIENT.id,
    }),
  });
}

describe("startEmulator", () => {
  it("listens on a free port and closes every socket", async () => {
    const emu = await startEmulator();
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(emu.issuer).toBe(emu.url.slice(0, -1));
    // A kept-alive connection and a half-open raw socket must not hold close() up.
    expect((await fetch(new URL("jwk.json", emu.url))).status).toBe(200);
    const url = new URL(emu.url);
    const raw = connect(Number(url.port), url.hostname);
    raw.on("error", () => {}); // the reset is what we want
    await new Promise((resolve) => raw.once("connect", resolve));
    raw.write("GET /jwk.json HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    const rawClosed = new Promise((resolve) => raw.once("close", resolve));
    await emu.close();
    await rawClosed;
    await expect(fetch(new URL("jwk.json", emu.url))).rejects.toThrow();
    await emu.close(); // idempotent
    await emu[Symbol.asyncDispose]();
  });

  it("registers the sample clients and identities by default", async () => {
    const emu = await startEmulator();
    try {
      expect(emu.clients).toEqual([
        {
          id: SAMPLE_NATIVE_CLIENT.id,
          type: "native",
          name: "Sample native app",
          secret: undefined,
          redirectUris: [],
        },
        {
          id: SAMPLE_CONFIDENTIAL_CLIENT.id,
          type: "confidential",
          name: "Sample confidential app",
          secret: SAMPLE_CONFIDENTIAL_CLIENT.secret,
          redirectUris: ["http://localhost:8080/callback"],
        },
      ]);
      expect(emu.identities.map((identity) => identity.username)).toEqual([
        "ada@example.org",
        "grace@example.org",
        "alan@example.net",
      ]);
    } finally {
      await emu.close();
    }
  });

  it("uses the given clients and identities instead", async () => {
    const emu = await startEmulator({
      clients: [{ id: "only-client" }],
      identities: [{ username: "solo@lab.example", name: "Solo" }],
      autoApprove: "solo@lab.example",
    });
    try {
      expect(emu.clients.map((client) => client.id)).toEqual(["only-client"]);
      expect(emu.identities).toEqual([
        {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          username: "solo@lab.example",
          name: "Solo",
          email: "solo@lab.example",
          organization: null,
          identityProvider: expect.stringMatching(/^[0-9a-f-]{36}$/),
          identityProviderDisplayName: "lab.example",
          status: "used",
        },
      ]);
    } finally {
      await emu.close();
    }
  });

  it("rejects invalid options", async () => {
    await expect(startEmulator({ port: -1 })).rejects.toThrow(RangeError);
    await expect(startEmulator({ port: 1.5 })).rejects.toThrow(RangeError);
    await expect(startEmulator({ accessTokenLifetime: 0 })).rejects.toThrow(RangeError);
    await expect(startEmulator({ requestLogSize: -1 })).rejects.toThrow(RangeError);
    await expect(startEmulator({ autoApprove: "nobody@nowhere" })).rejects.toThrow(/unknown identity/);
    await expect(startEmulator({ clients: [{ id: "" }] })).rejects.toThrow(/client id/);
  });

  it("reports a port in use", async () => {
    const first = await startEmulator();
    try {
      await expect(startEmulator({ port: Number(new URL(first.url).port) })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });

  it("signs with a shared key by default and a fresh one on request", async () => {
    const jwk = async (emu: Emulator): Promise<string> => {
      const { keys } = (await (await fetch(new URL("jwk.json", emu.url))).json()) as {
        keys: { n: string }[];
      };
      await emu.close();
      return keys[0]?.n as string;
    };
    const shared = await jwk(await startEmulator());
    expect(await jwk(await startEmulator())).toBe(shared);
    expect(await jwk(await startEmulator({ freshSigningKey: true }))).not.toBe(shared);
  });
});

describe("state file", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "globus-auth-emulator-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps clients, identities, consents, tokens and the signing key across restarts", async () => {
    const stateFile = join(dir, "nested", "state.json");
    const first = await startEmulator({ stateFile, freshSigningKey: true });
    first.control.registerClient({ id: "persisted-client", secret: "persisted-secret" });
    first.control.registerIdentity({ username: "kept@example.org" });
    const minted = first.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: `openid ${TRANSFER}`,
      refreshTokens: true,
    });
    const jwks = await (await fetch(new URL("jwk.json", first.url))).text();
    await first.close();
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    const text = readFileSync(stateFile, "utf8");
    expect(JSON.parse(text)).toMatchObject({ format: "globus-auth-emulator-state", version: 1 });

    const second = await startEmulator({ stateFile });
    try {
      expect(second.clients.map((client) => client.id)).toContain("persisted-client");
      expect(second.identities.map((identity) => identity.username)).toContain("kept@example.org");
      expect(await (await fetch(new URL("jwk.json", second.url))).text()).toBe(jwks);
      const refreshed = await refreshAt(second, minted.refresh_token as string);
      expect(refreshed.status).toBe(200);
      const consents = await fetch(new URL(`v2/api/identities/${ADA.id}/consents`, second.url), {
        headers: { Authorization: `Bearer ${minted.access_token}` },
      });
      expect(((await consents.json()) as { consents: unknown[] }).consents).toHaveLength(2);
    } finally {
      await second.close();
    }
  });

  it("keeps the policies of tokens and sessions, and loads files written before policies", async () => {
    const stateFile = join(dir, "policies.json");
    const collection = "96348e9e-93dd-432f-93b9-b015d71f2fbb";
    const first = await startEmulator({ stateFile });
    const minted = first.control.issueTokens({
      clientId: SAMPLE_NATIVE_CLIENT.id,
      scope: TRANSFER,
      refreshTokens: true,
      policies: ["p1"],
    });
    await first.close();
    const saved = JSON.parse(readFileSync(stateFile, "utf8")) as {
      accessTokens: { policies?: string[] }[];
      refreshTokens: { policies?: string[] }[];
      sessions: Record<string, { policies?: string[] }>;
    };
    expect(saved.accessTokens[0]?.policies).toEqual(["p1"]);
    expect(saved.refreshTokens[0]?.policies).toEqual(["p1"]);
    expect(saved.sessions[ADA.id]?.policies).toEqual(["p1"]);

    const ls = async (emu: Emulator, token: string): Promise<number> =>
      (
        await fetch(new URL(`transfer/v0.10/operation/endpoint/${collection}/ls`, emu.url), {
          headers: { Authorization: `Bearer ${token}` },
        })
      ).status;
    const refresh = async (emu: Emulator): Promise<string> => {
      const response = await refreshAt(emu, minted.refresh_token as string);
      return ((await response.json()) as { access_token: string }).access_token;
    };
    const authorize = async (emu: Emulator): Promise<number> => {
      const url = new URL("v2/oauth2/authorize", emu.url);
      url.search = new URLSearchParams({
        client_id: SAMPLE_NATIVE_CLIENT.id,
        redirect_uri: "http://127.0.0.1:53682/callback",
        scope: TRANSFER,
        response_type: "code",
        code_challenge: "a".repeat(43),
        code_challenge_method: "S256",
        session_required_policies: "p2",
      }).toString();
      return (await fetch(url, { redirect: "manual" })).status;
    };

    const second = await startEmulator({ stateFile, autoApprove: true });
    try {
      second.control.requirePolicies(collection, ["p1"]);
      expect(await ls(second, minted.access_token)).toBe(200);
      expect(await ls(second, await refresh(second))).toBe(200);
      expect(await authorize(second)).toBe(302);
    } finally {
      await second.close();
    }

    // A file from before policies were emulated: no `policies` anywhere.
    const old = JSON.parse(readFileSync(stateFile, "utf8")) as typeof saved;
    for (const record of [...old.accessTokens, ...old.refreshTokens, ...Object.values(old.sessions)])
      delete record.policies;
    const oldFile = join(dir, "old.json");
    writeFileSync(oldFile, JSON.stringify(old));
    const third = await startEmulator({ stateFile: oldFile, autoApprove: true });
    try {
      expect(await ls(third, minted.access_token)).toBe(200);
      third.control.requirePolicies(collection, ["p1"]);
      expect(await ls(third, minted.access_token)).toBe(403);
      expect(await ls(third, await refresh(third))).toBe(403);
      expect(await authorize(third)).toBe(302);
    } finally {
      await third.close();
    }
  });

  it("refuses a corrupt state file and leaves it alone", async () => {
    const stateFile = join(dir, "corrupt.json");
    writeFileSync(stateFile, "{ not json");
    await expect(startEmulator({ stateFile })).rejects.toThrow(StateFileError);
    writeFileSync(stateFile, JSON.stringify({ format: "something-else" }));
    await expect(startEmulator({ stateFile })).rejects.toThrow(StateFileError);
    expect(readFileSync(stateFile, "utf8")).toBe(JSON.stringify({ format: "something-else" }));
  });
});

describe("HTTP behaviour", () => {
  let emu: Emulator;
  const logged: string[] = [];
  beforeAll(async () => {
    emu = await startEmulator({ onLog: (message) => logged.push(message) });
  });
  afterAll(() => emu.close());
  afterEach(() => emu.control.clearFaults());

  // A loopback origin: the sample native client may redirect there. The control API's stricter rule
  // is in origin-policy.test.ts.
  it("answers CORS preflights for the JSON endpoints", async () => {
    for (const path of [
      "v2/oauth2/token",
      "v2/oauth2/token/revoke",
      "v2/oauth2/userinfo",
      "jwk.json",
      "transfer/v0.10/endpoint_search",
    ]) {
      const response = await fetch(new URL(path, emu.url), {
        method: "OPTIONS",
        headers: {
          Origin: "http://localhost:5173",
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "authorization,content-type",
          "Access-Control-Request-Private-Network": "true",
        },
      });
      expect(response.status, path).toBe(204);
      expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
      expect(response.headers.get("access-control-allow-headers")).toBe(
        "Authorization, Content-Type, X-Globus-Client-Info",
      );
      expect(response.headers.get("access-control-allow-methods")).toContain("OPTIONS");
      expect(response.headers.get("access-control-allow-private-network")).toBe("true");
      expect(response.headers.get("vary")).toContain("Origin");
    }
    expect(emu.control.requestCounts()).toEqual({});
  });

  it("sends CORS headers on JSON answers, errors included, and none on HTML pages", async () => {
    const withOrigin = await fetch(new URL("v2/oauth2/token", emu.url), {
      method: "POST",
      headers: { Origin: "http://localhost:8080" },
      body: "",
    });
    expect(withOrigin.status).toBe(400);
    expect(withOrigin.headers.get("access-control-allow-origin")).toBe("http://localhost:8080");
    expect(withOrigin.headers.get("access-control-expose-headers")).toContain("Retry-After");
    const anonymous = await fetch(new URL(".well-known/openid-configuration", emu.url));
    expect(anonymous.headers.get("access-control-allow-origin")).toBeNull();
    const page = await fetch(new URL("v2/web/auth-code?code=x", emu.url), {
      headers: { Origin: "http://localhost:8080" },
    });
    expect(page.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await fetch(new URL("v2/oauth2/authorize", emu.url), { method: "OPTIONS" });
    expect(preflight.status).toBe(405);
  });

  it("answers unknown paths with 404 JSON and wrong methods with 405", async () => {
    const missing = await fetch(new URL("v2/nothing-here", emu.url));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      error: "not_found",
      errors: [{ status: "404", code: "NOT_FOUND" }],
    });
    const wrong = await fetch(new URL("v2/oauth2/token", emu.url));
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST, OPTIONS");
    expect(await wrong.json()).toMatchObject({ error: "method_not_allowed" });
    expect((await fetch(new URL("jwk.json", emu.url), { method: "DELETE" })).status).toBe(405);
    expect((await fetch(new URL("jwk.json", emu.url), { method: "HEAD" })).status).toBe(200);
  });

  it("refuses bodies over 1 MiB with 413", async () => {
    const response = await fetch(new URL("v2/oauth2/token", emu.url), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `grant_type=client_credentials&scope=${"a".repeat(1024 * 1024 + 10)}`,
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: "invalid_request" });
    expect((await fetch(new URL("jwk.json", emu.url))).status).toBe(200);
  });

  it("survives hostile input on every endpoint", async () => {
    const hostile = [
      "%",
      "%E0%A4%A",
      "\u0000",
      "a".repeat(6000),
      "<script>alert(1)</script>",
      "[[[[",
      "]*",
      "💥",
      ["$", "{jndi:ldap://x}"].join(""),
    ];
    const paths = [
      ".well-known/openid-configuration",
      "jwk.json",
      "v2/oauth2/authorize",
      "v2/web/auth-code",
      "v2/oauth2/userinfo",
      "v2/api/identities",
      `v2/api/identities/${ADA.id}/consents`,
      "transfer/v0.10/endpoint_search",
      `transfer/v0.10/operation/endpoint/${ADA.id}/ls`,
    ];
    const posts = [
      "v2/oauth2/token",
      "v2/oauth2/token/revoke",
      "v2/oauth2/token/introspect",
      "v2/oauth2/authorize",
      "_emulator/clients",
      "_emulator/faults",
    ];
    const check = async (label: string, response: Promise<Response>): Promise<void> => {
      const answer = await response;
      expect(answer.status, label).toBeLessThan(500);
      await answer.arrayBuffer();
    };
    for (const value of hostile) {
      const encoded = encodeURIComponent(value);
      const rawQuery = `client_id=${value === "%" ? "%" : encoded}&redirect_uri=${encoded}&scope=${encoded}&ids=${encoded}&usernames=${encoded}&code=${encoded}&filter_fulltext=${encoded}&limit=${encoded}`;
      const bearer = `Bearer ${value.slice(0, 100)}`.replace(/[^\x20-\x7e]/g, "x");
      const basicAuth = `Basic ${Buffer.from(`${value}:${value}`).toString("base64")}`;
      const bodies = [
        rawQuery,
        `grant_type=${encoded}&token=${encoded}&refresh_token=${encoded}`,
        JSON.stringify({ id: value, endpoint: value, kind: value }),
      ];
      await Promise.all([
        ...paths.map((path) =>
          check(
            `${path} ${value.slice(0, 20)}`,
            fetch(`${emu.url}${path}?${rawQuery}`, {
              redirect: "manual",
              headers: { Authorization: bearer },
            }),
          ),
        ),
        ...posts.flatMap((path) =>
          bodies.map((body) =>
            check(
              `POST ${path} ${value.slice(0, 20)}`,
              fetch(new URL(path, emu.url), {
                method: "POST",
                headers: { Authorization: basicAuth },
                body,
                redirect: "manual",
              }),
            ),
          ),
        ),
      ]);
    }
    expect(logged).toEqual([]);
    expect((await fetch(new URL("jwk.json", emu.url))).status).toBe(200);
  });

  it("answers garbage on the wire with 400 and keeps serving", async () => {
    const url = new URL(emu.url);
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write("THIS IS NOT HTTP\r\n\r\n"));
      let data = "";
      socket.on("data", (chunk) => {
        data += chunk.toString();
      });
      socket.on("close", () => resolve(data));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    const absolute = (host: string): Promise<string> =>
      new Promise<string>((resolve) => {
        const socket = connect(Number(url.port), url.hostname, () =>
          socket.write(
            `GET http://elsewhere.example/jwk.json HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
          ),
        );
        let data = "";
        socket.on("data", (chunk) => {
          data += chunk.toString();
        });
        socket.on("close", () => resolve(data));
      });
    // An absolute-form target is served by its path; the Host header must still name the emulator.
    expect(await absolute(url.host)).toMatch(/^HTTP\/1\.1 200/);
    expect(await absolute("elsewhere.example")).toMatch(/^HTTP\/1\.1 403/);
    expect((await fetch(new URL("jwk.json", emu.url))).status).toBe(200);
  });
});
