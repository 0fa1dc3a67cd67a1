import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_IDENTITIES } from "./sample-data.ts";
import { type Emulator, startEmulator } from "./start-emulator.ts";

// What a web page in someone's browser may do with the emulator: the audit found that any local
// page could read a client secret, mint tokens and revoke everything through the control API.

const NATIVE = "0f4c6a5e-3333-4333-8333-333333333333";
const PORTAL = { id: "portal-client", secret: "portal-secret", redirectUris: ["https://portal.example/cb"] };
const TOOLS_ORIGIN = "https://tools.example";
const [ADA] = SAMPLE_IDENTITIES;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function call(
  emu: Emulator,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | URLSearchParams } = {},
): Promise<Answer> {
  const response = await fetch(new URL(path, emu.url), init);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** A CORS preflight as Chrome sends it to a loopback server (Private Network Access included). */
const preflight = (emu: Emulator, path: string, origin: string): Promise<Answer> =>
  call(emu, path, {
    method: "OPTIONS",
    headers: {
      Origin: origin,
      "Access-Control-Request-Method": "POST",
      "Access-Control-Request-Headers": "content-type",
      "Access-Control-Request-Private-Network": "true",
    },
  });

const tokenRequest = (emu: Emulator, origin: string): Promise<Answer> =>
  call(emu, "v2/oauth2/token", {
    method: "POST",
    headers: { Origin: origin },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: "x",
      client_id: NATIVE,
    }),
  });

/** Sends one request with a hand-written Host header (fetch always derives it from the URL). */
function withHost(emu: Emulator, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, emu.url);
    const req = request(
      { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers: { Host: host } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("CORS of the OAuth endpoints and the fake Transfer API", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ clients: [{ id: NATIVE }, PORTAL], allowedOrigins: [TOOLS_ORIGIN] });
  });
  afterAll(() => emu.close());

  it("answers registered redirect origins, explicitly allowed origins and (with a native client) loopback origins", async () => {
    for (const origin of [
      "https://portal.example",
      TOOLS_ORIGIN,
      "http://localhost:5173",
      "http://127.0.0.1:9",
    ]) {
      const answer = await tokenRequest(emu, origin);
      expect(answer.status, `${origin} ${answer.text}`).toBe(401);
      expect(answer.headers.get("access-control-allow-origin"), origin).toBe(origin);
      for (const path of ["jwk.json", "v2/oauth2/token/revoke", "transfer/v0.10/endpoint_search"]) {
        const answered = await preflight(emu, path, origin);
        expect(answered.status, `${path} ${origin}`).toBe(204);
        expect(answered.headers.get("access-control-allow-origin")).toBe(origin);
        expect(answered.headers.get("access-control-allow-private-network")).toBe("true");
      }
    }
  });

  it("gives any other origin no CORS headers and no Private Network Access grant", async () => {
    for (const origin of [
      "https://evil.example",
      "http://portal.example",
      "null",
      "https://127.0.0.1.evil.example",
    ]) {
      const answer = await tokenRequest(emu, origin);
      expect(answer.headers.get("access-control-allow-origin"), origin).toBeNull();
      const refused = await preflight(emu, "v2/oauth2/token", origin);
      expect(refused.status, origin).toBe(403);
      expect(refused.headers.get("access-control-allow-origin")).toBeNull();
      expect(refused.headers.get("access-control-allow-private-network")).toBeNull();
      expect(refused.headers.get("access-control-allow-methods")).toBeNull();
    }
  });

  it("follows clients registered at runtime, and allows loopback origins only while a native client exists", async () => {
    await using confidentialOnly = await startEmulator({ clients: [PORTAL] });
    const loopback = "http://localhost:5173";
    expect(
      (await tokenRequest(confidentialOnly, loopback)).headers.get("access-control-allow-origin"),
    ).toBeNull();
    const later = "https://later.example";
    expect(
      (await tokenRequest(confidentialOnly, later)).headers.get("access-control-allow-origin"),
    ).toBeNull();
    confidentialOnly.control.registerClient({ id: "later", secret: "s", redirectUris: [`${later}/cb`] });
    expect((await tokenRequest(confidentialOnly, later)).headers.get("access-control-allow-origin")).toBe(
      later,
    );
    confidentialOnly.control.registerClient({ id: "native-later" });
    expect((await tokenRequest(confidentialOnly, loopback)).headers.get("access-control-allow-origin")).toBe(
      loopback,
    );
  });
});

describe("the control API and browsers", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ clients: [{ id: NATIVE }, PORTAL], allowedOrigins: [TOOLS_ORIGIN] });
  });
  afterAll(() => emu.close());

  it("refuses browsers from any origin not explicitly allowed, before acting", async () => {
    const minted = emu.control.issueTokens({ clientId: NATIVE, scope: "openid", identity: ADA.id });
    // A registered redirect origin and a loopback origin are fine for OAuth, not for the control API.
    for (const origin of [
      "https://portal.example",
      "http://127.0.0.1:5173",
      "http://localhost:5173",
      "null",
    ]) {
      const state = await call(emu, "_emulator/state", { headers: { Origin: origin } });
      expect(state.status, origin).toBe(403);
      expect(state.headers.get("access-control-allow-origin")).toBeNull();
      expect(state.text).not.toContain(PORTAL.secret);
      const revoke = await call(emu, "_emulator/revoke-all", { method: "POST", headers: { Origin: origin } });
      expect(revoke.status, origin).toBe(403);
      const register = await call(emu, "_emulator/clients", {
        method: "POST",
        headers: { Origin: origin, "Content-Type": "text/plain" },
        body: JSON.stringify({ id: "planted" }),
      });
      expect(register.status, origin).toBe(403);
      const asked = await preflight(emu, "_emulator/tokens", origin);
      expect(asked.status, origin).toBe(403);
      expect(asked.headers.get("access-control-allow-origin")).toBeNull();
      expect(asked.headers.get("access-control-allow-private-network")).toBeNull();
    }
    // Without an Origin header, Fetch Metadata still tells a cross-site or same-site page apart.
    for (const site of ["cross-site", "same-site"]) {
      const answer = await call(emu, "_emulator/revoke-all", {
        method: "POST",
        headers: { "Sec-Fetch-Site": site },
      });
      expect(answer.status, site).toBe(403);
    }
    expect(emu.clients.map((client) => client.id)).not.toContain("planted");
    // revoke-all never ran: the token minted before is still good.
    const userinfo = await call(emu, "v2/oauth2/userinfo", {
      headers: { Authorization: `Bearer ${minted.access_token}` },
    });
    expect(userinfo.status).toBe(200);
  });

  it("answers explicitly allowed origins, its own origin, and callers without an Origin", async () => {
    const tools = await call(emu, "_emulator/state", { headers: { Origin: TOOLS_ORIGIN } });
    expect(tools.status).toBe(200);
    expect(tools.headers.get("access-control-allow-origin")).toBe(TOOLS_ORIGIN);
    const asked = await preflight(emu, "_emulator/faults", TOOLS_ORIGIN);
    expect(asked.status).toBe(204);
    expect(asked.headers.get("access-control-allow-origin")).toBe(TOOLS_ORIGIN);
    expect(asked.headers.get("access-control-allow-private-network")).toBe("true");
    const own = new URL(emu.url).origin;
    const same = await call(emu, "_emulator/state", {
      headers: { Origin: own, "Sec-Fetch-Site": "same-origin" },
    });
    expect(same.status).toBe(200);
    expect((await call(emu, "_emulator/state")).status).toBe(200);
    expect((await call(emu, "_emulator", { headers: { "Sec-Fetch-Site": "none" } })).status).toBe(200);
  });

  it("takes allowed origins from the --allow-origin style option, checked and normalised", async () => {
    await using emu2 = await startEmulator({ allowedOrigins: ["HTTP://Tools.Example:80/"] });
    const answer = await call(emu2, "_emulator/state", { headers: { Origin: "http://tools.example" } });
    expect(answer.status).toBe(200);
    for (const bad of ["*", "null", "https://tools.example/path", "ftp://tools.example", "tools.example"]) {
      await expect(startEmulator({ allowedOrigins: [bad] }), bad).rejects.toThrow(RangeError);
    }
  });
});

describe("Host header (DNS rebinding)", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it("answers only to the emulator's loopback names with its own port", async () => {
    const port = new URL(emu.url).port;
    for (const path of [
      "jwk.json",
      "_emulator/state",
      "v2/oauth2/authorize?client_id=x",
      "transfer/v0.10/endpoint_search",
    ]) {
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
        expect(await withHost(emu, path, host), `${path} ${host}`).not.toBe(403);
      }
      for (const host of [
        `evil.example:${port}`,
        "evil.example",
        `127.0.0.1:${Number(port) + 1}`,
        "127.0.0.1",
        `localhost.:${port}`,
        `127.0.0.1.nip.io:${port}`,
      ]) {
        expect(await withHost(emu, path, host), `${path} ${host}`).toBe(403);
      }
    }
  });
});

describe("binding beyond loopback", () => {
  it("refuses a non-loopback host unless told it is unsafe", async () => {
    for (const host of ["0.0.0.0", "::", "203.0.113.1", "example.org"]) {
      await expect(startEmulator({ host }), host).rejects.toThrow(/unsafeNonLoopbackHost/);
    }
    // With the opt-in the check steps aside and the listen itself decides (this address is not ours).
    await expect(startEmulator({ host: "203.0.113.1", unsafeNonLoopbackHost: true })).rejects.toThrow(
      /EADDRNOTAVAIL|EINVAL|listen/,
    );
    await using local = await startEmulator({ host: "localhost" });
    expect((await fetch(new URL("jwk.json", local.url))).status).toBe(200);
  });
});
