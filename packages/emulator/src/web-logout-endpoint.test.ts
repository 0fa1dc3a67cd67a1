import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT } from "./sample-data.ts";
import { type Emulator, startEmulator } from "./start-emulator.ts";

const PORTAL = "https://portal.example.org/after-logout";
const [, GRACE] = SAMPLE_IDENTITIES as unknown as [{ id: string }, { id: string }];

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, redirectUris: [PORTAL] });
});
afterAll(() => emu.close());

function authorizeUrl(): URL {
  const url = new URL("v2/oauth2/authorize", emu.url);
  const challenge = createHash("sha256").update(randomBytes(32).toString("base64url")).digest("base64url");
  for (const [key, value] of Object.entries({
    client_id: SAMPLE_NATIVE_CLIENT.id,
    redirect_uri: "http://127.0.0.1:9/callback",
    scope: "openid profile email",
    state: "st",
    response_type: "code",
    code_challenge: challenge,
    code_challenge_method: "S256",
  }))
    url.searchParams.set(key, value);
  return url;
}

function logoutUrl(params: Record<string, string>): string {
  return `${emu.url}v2/web/logout?${new URLSearchParams(params)}`;
}

describe("GET /v2/web/logout", () => {
  it("ends the browser's sign-in session and links back to redirect_uri, named and escaped", async () => {
    emu.control.setAutoApprove(GRACE.id);
    expect((await fetch(authorizeUrl(), { redirect: "manual" })).status).toBe(302);
    emu.control.setAutoApprove(false);
    const chosen = new RegExp(`value="${GRACE.id}" required checked`);
    expect(await (await fetch(authorizeUrl())).text()).toMatch(chosen);

    const page = await fetch(
      logoutUrl({
        client_id: SAMPLE_NATIVE_CLIENT.id,
        redirect_uri: PORTAL,
        redirect_name: 'Lab <"portal">',
      }),
    );
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`<a id="return" href="${PORTAL}">Return to Lab &lt;&quot;portal&quot;&gt;</a>`);
    // The next login asks again: the session's identity is no longer preselected.
    expect(await (await fetch(authorizeUrl())).text()).not.toMatch(chosen);
    expect(emu.control.requestCounts()["web-logout"]).toBe(1);
  });

  it("refuses an unregistered redirect_uri or an unknown client, and logs out without a link when none is given", async () => {
    const bad = await fetch(
      logoutUrl({ client_id: SAMPLE_NATIVE_CLIENT.id, redirect_uri: "https://evil.example/" }),
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("not registered");
    expect((await fetch(logoutUrl({ client_id: "nope", redirect_uri: PORTAL }))).status).toBe(400);
    const plain = await fetch(logoutUrl({}));
    expect(plain.status).toBe(200);
    expect(await plain.text()).not.toContain('id="return"');
  });
});
