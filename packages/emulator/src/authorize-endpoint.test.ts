import { createHash, randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SAMPLE_CONFIDENTIAL_CLIENT, SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT } from "./sample-data.ts";
import { SimulatedLoginError, simulateBrowserLogin } from "./simulate-browser-login.ts";
import { type Emulator, startEmulator } from "./start-emulator.ts";

const [ADA, GRACE, ALAN] = SAMPLE_IDENTITIES;
const TRANSFER = "urn:globus:auth:scope:transfer.api.globus.org:all";
const LOOPBACK = "http://127.0.0.1:53682/callback";
const COLLECTION = "96348e9e-93dd-432f-93b9-b015d71f2fbb";
const POLICY = "7c2d0f5e-3a41-4a8e-8f4b-2c7e1d9a6b30";

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ redirectUris: ["https://portal.example.org/global-callback"] });
});
afterEach(() => emu.close());

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** A valid native authorize URL; `overrides` replace (or with `null`, remove) parameters. */
function authorizeUrl(overrides: Record<string, string | null> = {}): URL {
  const url = new URL("v2/oauth2/authorize", emu.url);
  const params: Record<string, string | null> = {
    client_id: SAMPLE_NATIVE_CLIENT.id,
    redirect_uri: LOOPBACK,
    scope: `openid profile email ${TRANSFER}`,
    state: "st-123",
    response_type: "code",
    code_challenge: pkce().challenge,
    code_challenge_method: "S256",
    access_type: "offline",
    ...overrides,
  };
  for (const [key, value] of Object.entries(params)) if (value !== null) url.searchParams.set(key, value);
  return url;
}

async function get(
  url: URL | string,
): Promise<{ status: number; location: URL | undefined; text: string; headers: Headers }> {
  const response = await fetch(url, { redirect: "manual" });
  const location = response.headers.get("location");
  return {
    status: response.status,
    location: location === null ? undefined : new URL(location),
    text: await response.text(),
    headers: response.headers,
  };
}

/** The identity ids offered as radio buttons on a consent page. */
const offeredIdentities = (html: string): string[] =>
  [...html.matchAll(/type="radio" id="identity-\d+" name="identity_id" value="([^"]+)"/g)].map(
    (m) => m[1] as string,
  );

const transactionOf = (html: string): string =>
  /name="transaction" value="([^"]+)"/.exec(html)?.[1] as string;

async function postDecision(
  fields: Record<string, string>,
): Promise<{ status: number; location: URL | undefined; text: string }> {
  const response = await fetch(new URL("v2/oauth2/authorize", emu.url), {
    method: "POST",
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
  const location = response.headers.get("location");
  return {
    status: response.status,
    location: location === null ? undefined : new URL(location),
    text: await response.text(),
  };
}

describe("client and redirect_uri checks (error page, never a redirect)", () => {
  it("rejects a missing or unknown client_id with an escaped HTML page", async () => {
    const missing = await get(authorizeUrl({ client_id: null }));
    expect(missing.status).toBe(400);
    expect(missing.location).toBeUndefined();
    const unknown = await get(authorizeUrl({ client_id: '<script>alert("x")</script>' }));
    expect(unknown.status).toBe(400);
    expect(unknown.location).toBeUndefined();
    expect(unknown.headers.get("content-type")).toMatch(/text\/html/);
    expect(unknown.text).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(unknown.text).not.toContain("<script>");
  });

  it("rejects a missing or unregistered redirect_uri without redirecting", async () => {
    for (const redirect of [
      null,
      "https://evil.example/cb",
      "http://127.0.0.1.evil.example/cb",
      "not a url",
      `${LOOPBACK}#frag`,
    ]) {
      const page = await get(authorizeUrl({ redirect_uri: redirect }));
      expect(page.status, String(redirect)).toBe(400);
      expect(page.location).toBeUndefined();
    }
    const withUserinfo = await get(authorizeUrl({ redirect_uri: "http://user:pw@127.0.0.1:1/cb" }));
    expect(withUserinfo.status).toBe(400);
  });

  it("lets native clients use any loopback port and the emulator's auth-code page", async () => {
    for (const redirect of [
      "http://127.0.0.1:1/x",
      "http://127.0.0.1/",
      "http://localhost:65000/cb?keep=1",
      "http://[::1]:8080/cb",
      `${emu.url}v2/web/auth-code`,
    ]) {
      const page = await get(authorizeUrl({ redirect_uri: redirect }));
      expect(page.status, redirect).toBe(200);
    }
  });

  it("holds confidential clients to registered redirect URIs (no loopback exemption)", async () => {
    const base = {
      client_id: SAMPLE_CONFIDENTIAL_CLIENT.id,
      code_challenge: null,
      code_challenge_method: null,
    };
    expect((await get(authorizeUrl({ ...base, redirect_uri: LOOPBACK }))).status).toBe(400);
    expect((await get(authorizeUrl({ ...base, redirect_uri: `${emu.url}v2/web/auth-code` }))).status).toBe(
      400,
    );
    expect(
      (await get(authorizeUrl({ ...base, redirect_uri: "http://localhost:8080/callback" }))).status,
    ).toBe(200);
    expect(
      (await get(authorizeUrl({ ...base, redirect_uri: "https://portal.example.org/global-callback" })))
        .status,
    ).toBe(200);
  });

  it("rejects a repeated parameter", async () => {
    const url = authorizeUrl();
    url.searchParams.append("client_id", SAMPLE_NATIVE_CLIENT.id);
    const page = await get(url);
    expect(page.status).toBe(400);
    expect(page.location).toBeUndefined();
  });
});

describe("errors after redirect_uri validation go back to the app", () => {
  const expectError = async (overrides: Record<string, string | null>, error: string): Promise<URL> => {
    const page = await get(authorizeUrl(overrides));
    expect(page.status).toBe(302);
    const location = page.location as URL;
    expect(`${location.origin}${location.pathname}`).toBe(LOOPBACK);
    expect(location.searchParams.get("error")).toBe(error);
    expect(location.searchParams.get("error_description")).toBeTruthy();
    expect(location.searchParams.get("state")).toBe("st-123");
    expect(location.searchParams.has("code")).toBe(false);
    return location;
  };

  it("requires response_type=code", async () => {
    await expectError({ response_type: null }, "invalid_request");
    await expectError({ response_type: "token" }, "unsupported_response_type");
  });

  it("requires S256 PKCE from native clients", async () => {
    await expectError({ code_challenge: null, code_challenge_method: null }, "invalid_request");
    await expectError({ code_challenge_method: "plain" }, "invalid_request");
    await expectError({ code_challenge_method: null }, "invalid_request");
    await expectError({ code_challenge: "short" }, "invalid_request");
  });

  it("rejects missing, malformed and unknown scopes as invalid_scope", async () => {
    await expectError({ scope: null }, "invalid_scope");
    await expectError({ scope: "openid [profile]" }, "invalid_scope");
    await expectError({ scope: `${TRANSFER}[` }, "invalid_scope");
    await expectError({ scope: "openid offline_access" }, "invalid_scope");
  });

  it("rejects bad access_type, prompt and session_required_mfa values", async () => {
    await expectError({ access_type: "forever" }, "invalid_request");
    await expectError({ prompt: "none" }, "invalid_request");
    await expectError({ session_required_mfa: "maybe" }, "invalid_request");
  });

  it("keeps the redirect URI's own query and omits state when none was sent", async () => {
    const page = await get(
      authorizeUrl({ redirect_uri: "http://localhost:9/cb?keep=1", state: null, response_type: "x" }),
    );
    expect(page.location?.searchParams.get("keep")).toBe("1");
    expect(page.location?.searchParams.has("state")).toBe(false);
  });
});

describe("consent page", () => {
  it("is an accessible form with identities, nested scopes, Allow and Deny, and no PKCE values", async () => {
    const { challenge } = pkce();
    const page = await get(
      authorizeUrl({
        code_challenge: challenge,
        scope: `openid ${TRANSFER}[*https://auth.globus.org/scopes/c0ffee00-0000-4000-8000-000000000000/data_access]`,
        session_message: "Please <b>re-authenticate</b>",
        prefill_named_grant: 'My "laptop"',
        session_required_policies: "policy-1,policy-2",
      }),
    );
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = page.text;
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toContain('<form method="post" action="/v2/oauth2/authorize">');
    expect(offeredIdentities(html)).toEqual(SAMPLE_IDENTITIES.map((identity) => identity.id));
    for (let i = 0; i < 3; i++) expect(html).toContain(`<label for="identity-${i}">`);
    expect(html).toContain("<legend>");
    expect(html).toMatch(/<button type="submit" class="allow" name="decision" value="allow">Allow<\/button>/);
    expect(html).toMatch(/name="decision" value="deny"[^>]*>Deny<\/button>/);
    // The dependent scope is a nested list inside its parent's item.
    expect(html).toMatch(
      new RegExp(
        `<code>${TRANSFER}</code>[^\\n]*\\n<ul>\\n<li>[^\\n]*data_access</code> <span class="optional">`,
      ),
    );
    expect(html).toContain("Please &lt;b&gt;re-authenticate&lt;/b&gt;");
    expect(html).toContain('value="My &quot;laptop&quot;"');
    expect(html).toContain("<code>policy-1</code>");
    expect(html).toContain("signing in here satisfies them");
    expect(html).not.toContain(challenge);
    expect(transactionOf(html)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("Allow redirects with a code and the state; the page cannot be answered twice", async () => {
    const html = (await get(authorizeUrl())).text;
    const transaction = transactionOf(html);
    const allowed = await postDecision({ transaction, identity_id: GRACE.id, decision: "allow" });
    expect(allowed.status).toBe(302);
    expect(allowed.location?.searchParams.get("code")).toMatch(/^[\w-]{40,}$/);
    expect(allowed.location?.searchParams.get("state")).toBe("st-123");
    const again = await postDecision({ transaction, identity_id: GRACE.id, decision: "allow" });
    expect(again.status).toBe(400);
    expect(again.location).toBeUndefined();
  });

  it("Deny redirects with access_denied and the state", async () => {
    const transaction = transactionOf((await get(authorizeUrl())).text);
    const denied = await postDecision({ transaction, decision: "deny" });
    expect(denied.location?.searchParams.get("error")).toBe("access_denied");
    expect(denied.location?.searchParams.get("error_description")).toBeTruthy();
    expect(denied.location?.searchParams.get("state")).toBe("st-123");
  });

  it("re-renders the page for an identity that is not offered or a missing decision", async () => {
    const transaction = transactionOf(
      (await get(authorizeUrl({ session_required_single_domain: "example.net" }))).text,
    );
    const wrong = await postDecision({ transaction, identity_id: ADA.id, decision: "allow" });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('role="alert"');
    expect(offeredIdentities(wrong.text)).toEqual([ALAN.id]);
    const noDecision = await postDecision({ transaction, identity_id: ALAN.id });
    expect(noDecision.status).toBe(400);
    const ok = await postDecision({ transaction, identity_id: ALAN.id, decision: "allow" });
    expect(ok.status).toBe(302);
  });

  it("answers unknown or expired transactions and repeated fields with an error page", async () => {
    expect((await postDecision({ transaction: "nope", decision: "allow" })).status).toBe(400);
    const transaction = transactionOf((await get(authorizeUrl())).text);
    const body = new URLSearchParams({ transaction, decision: "allow" });
    body.append("decision", "deny");
    const repeated = await fetch(new URL("v2/oauth2/authorize", emu.url), {
      method: "POST",
      body,
      redirect: "manual",
    });
    expect(repeated.status).toBe(400);
    emu.control.advanceClock(3600);
    expect((await postDecision({ transaction, identity_id: ADA.id, decision: "allow" })).status).toBe(400);
  });

  it("offers only the identities allowed by session_required_identities and single_domain", async () => {
    const byId = await get(authorizeUrl({ session_required_identities: `${GRACE.id}, ${ALAN.username}` }));
    expect(offeredIdentities(byId.text)).toEqual([GRACE.id, ALAN.id]);
    const byDomain = await get(authorizeUrl({ session_required_single_domain: "EXAMPLE.org" }));
    expect(offeredIdentities(byDomain.text)).toEqual([ADA.id, GRACE.id]);
    const both = await get(
      authorizeUrl({
        session_required_identities: `${ADA.id},${ALAN.id}`,
        session_required_single_domain: "example.net",
      }),
    );
    expect(offeredIdentities(both.text)).toEqual([ALAN.id]);
  });

  it("offers only Deny when no identity satisfies the requirements", async () => {
    const page = await get(authorizeUrl({ session_required_single_domain: "nowhere.example" }));
    expect(page.status).toBe(200);
    expect(offeredIdentities(page.text)).toEqual([]);
    expect(page.text).not.toContain('value="allow"');
    const denied = await postDecision({ transaction: transactionOf(page.text), decision: "deny" });
    expect(denied.location?.searchParams.get("error")).toBe("access_denied");
  });

  it("simulateBrowserLogin walks the page and reports error pages", async () => {
    const callback = await simulateBrowserLogin(authorizeUrl(), { identity: ALAN.username });
    expect(callback.searchParams.get("code")).toBeTruthy();
    const denied = await simulateBrowserLogin(authorizeUrl(), { decision: "deny" });
    expect(denied.searchParams.get("error")).toBe("access_denied");
    await expect(simulateBrowserLogin(authorizeUrl({ client_id: "unknown" }))).rejects.toThrow(
      SimulatedLoginError,
    );
    await expect(
      simulateBrowserLogin(authorizeUrl({ session_required_single_domain: "example.net" }), {
        identity: ADA.id,
      }),
    ).rejects.toThrow(/not offered/);
  });
});

describe("auto-approve and sessions", () => {
  /** Signs in and exchanges the code; returns the id_token claims and the transfer token. */
  async function login(
    overrides: Record<string, string | null> = {},
  ): Promise<{ claims: Record<string, unknown>; transfer: string; transferRefresh: string }> {
    const { verifier, challenge } = pkce();
    const page = await get(authorizeUrl({ code_challenge: challenge, ...overrides }));
    expect(page.status).toBe(302);
    const code = page.location?.searchParams.get("code");
    expect(code).toBeTruthy();
    const response = await fetch(new URL("v2/oauth2/token", emu.url), {
      method: "POST",
      body: new URLSearchParams({
        client_id: SAMPLE_NATIVE_CLIENT.id,
        grant_type: "authorization_code",
        code: code as string,
        code_verifier: verifier,
        redirect_uri: LOOPBACK,
      }),
    });
    const body = (await response.json()) as {
      id_token: string;
      other_tokens: { access_token: string; refresh_token: string }[];
    };
    const payload = body.id_token.split(".")[1] as string;
    return {
      claims: JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>,
      transfer: body.other_tokens[0]?.access_token as string,
      transferRefresh: body.other_tokens[0]?.refresh_token as string,
    };
  }

  /** The status and body of the fake Transfer `ls` of COLLECTION. */
  async function ls(token: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(new URL(`transfer/v0.10/operation/endpoint/${COLLECTION}/ls`, emu.url), {
      headers: { Authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it("redirects at once as the first identity, or the configured one", async () => {
    emu.control.setAutoApprove(true);
    expect((await login()).claims.sub).toBe(ADA.id);
    emu.control.setAutoApprove(GRACE.username);
    expect((await login()).claims.sub).toBe(GRACE.id);
  });

  it("falls back to the first allowed identity, or access_denied when none is allowed", async () => {
    emu.control.setAutoApprove(GRACE.id);
    expect((await login({ session_required_single_domain: "example.net" })).claims.sub).toBe(ALAN.id);
    expect((await login({ session_required_identities: ADA.id })).claims.sub).toBe(ADA.id);
    const denied = await get(authorizeUrl({ session_required_identities: "nobody@nowhere.example" }));
    expect(denied.location?.searchParams.get("error")).toBe("access_denied");
    expect(denied.location?.searchParams.get("state")).toBe("st-123");
  });

  it("reuses the sign-in session until prompt=login forces a fresh one", async () => {
    emu.control.setAutoApprove(true);
    const first = (await login()).claims.last_authentication as number;
    emu.control.advanceClock(120);
    expect((await login()).claims.last_authentication).toBe(first);
    const fresh = (await login({ prompt: "login" })).claims.last_authentication as number;
    expect(fresh).toBeGreaterThanOrEqual(first + 120);
  });

  it("marks tokens from a session_required_mfa login as MFA", async () => {
    emu.control.setAutoApprove(true);
    const introspect = async (
      token: string,
    ): Promise<{ session_info: { authentications: Record<string, { amr: string[] }> } }> => {
      const response = await fetch(new URL("v2/oauth2/token/introspect", emu.url), {
        method: "POST",
        headers: {
          Authorization: `Basic ${Buffer.from(`${SAMPLE_CONFIDENTIAL_CLIENT.id}:${SAMPLE_CONFIDENTIAL_CLIENT.secret}`).toString("base64")}`,
        },
        body: new URLSearchParams({ token, include: "session_info" }),
      });
      return (await response.json()) as never;
    };
    const plain = await login();
    expect((await introspect(plain.transfer)).session_info.authentications[ADA.id]?.amr).toEqual([]);
    const mfa = await login({ session_required_mfa: "True" });
    expect((await introspect(mfa.transfer)).session_info.authentications[ADA.id]?.amr).toEqual(["mfa"]);
    expect(mfa.claims.last_authentication).toBeGreaterThanOrEqual(plain.claims.last_authentication as number);
  });

  it("satisfies a collection's policies with a session_required_policies login", async () => {
    emu.control.setAutoApprove(true);
    emu.control.requirePolicies(COLLECTION, [POLICY]);
    const plain = await login();
    const denied = await ls(plain.transfer);
    expect(denied).toMatchObject({
      status: 403,
      body: { authorization_parameters: { session_required_policies: [POLICY] } },
    });
    // Reusing the session that never satisfied the policy does not satisfy it either.
    emu.control.advanceClock(120);
    const reused = await login();
    expect(reused.claims.last_authentication).toBe(plain.claims.last_authentication);
    expect((await ls(reused.transfer)).status).toBe(403);

    const stepUp = await login({ session_required_policies: `other-policy, ${POLICY}` });
    expect(stepUp.claims.last_authentication).toBeGreaterThanOrEqual(
      (plain.claims.last_authentication as number) + 120,
    );
    expect((await ls(stepUp.transfer)).status).toBe(200);
    // Now the session has satisfied the policy, so later logins reuse it, even without asking.
    emu.control.advanceClock(60);
    const again = await login({ session_required_policies: POLICY });
    expect(again.claims.last_authentication).toBe(stepUp.claims.last_authentication);
    expect((await ls((await login()).transfer)).status).toBe(200);
    // A forced fresh sign-in keeps what the session satisfied, as MFA is kept.
    expect((await ls((await login({ prompt: "login" })).transfer)).status).toBe(200);
  });

  it("keeps the policies of the original login across refreshes", async () => {
    emu.control.setAutoApprove(true);
    emu.control.requirePolicies(COLLECTION, [POLICY]);
    const refresh = async (token: string): Promise<string> => {
      const response = await fetch(new URL("v2/oauth2/token", emu.url), {
        method: "POST",
        body: new URLSearchParams({
          client_id: SAMPLE_NATIVE_CLIENT.id,
          grant_type: "refresh_token",
          refresh_token: token,
        }),
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { access_token: string }).access_token;
    };
    const plain = await login();
    const stepUp = await login({ session_required_policies: POLICY });
    emu.control.advanceClock(3 * 86400);
    expect((await ls(await refresh(stepUp.transferRefresh))).status).toBe(200);
    // The session has since satisfied the policy, but the older grant had not.
    expect((await ls(await refresh(plain.transferRefresh))).status).toBe(403);
  });

  it("preselects the identity already signed in", async () => {
    emu.control.setAutoApprove(GRACE.id);
    await login();
    emu.control.setAutoApprove(false);
    const page = await get(authorizeUrl());
    expect(page.text).toMatch(new RegExp(`value="${GRACE.id}" required checked`));
    const forced = await get(authorizeUrl({ prompt: "login" }));
    expect(forced.text).toMatch(new RegExp(`value="${ADA.id}" required checked`));
  });

  it("preselects the identity of the most recent session (Ada, then Grace: Grace)", async () => {
    emu.control.setAutoApprove(ADA.id);
    await login();
    emu.control.setAutoApprove(GRACE.id);
    await login();
    emu.control.setAutoApprove(false);
    expect((await get(authorizeUrl())).text).toMatch(new RegExp(`value="${GRACE.id}" required checked`));
    // Using Ada's session again (no new sign-in) makes it the most recent one.
    emu.control.setAutoApprove(ADA.id);
    await login();
    emu.control.setAutoApprove(false);
    expect((await get(authorizeUrl())).text).toMatch(new RegExp(`value="${ADA.id}" required checked`));
  });
});

describe("GET /v2/web/auth-code", () => {
  it("shows the code, escaped, for copy and paste", async () => {
    const page = await get(`${emu.url}v2/web/auth-code?code=${encodeURIComponent('abc"<x>')}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="abc&quot;&lt;x&gt;"');
    expect(page.text).toContain('<label for="auth-code">');
  });

  it("shows errors and the absence of a code", async () => {
    const error = await get(
      `${emu.url}v2/web/auth-code?error=access_denied&error_description=%3Cb%3Eno%3C/b%3E`,
    );
    expect(error.text).toContain("access_denied");
    expect(error.text).toContain("&lt;b&gt;no&lt;/b&gt;");
    expect((await get(`${emu.url}v2/web/auth-code`)).text).toContain("No authorization code");
  });
});
