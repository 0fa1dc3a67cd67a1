/** Options of {@link simulateBrowserLogin}. */
export interface SimulatedLoginOptions {
  /** Identity to pick on the consent page, by id or username; default the preselected one. */
  readonly identity?: string | undefined;
  /** Button to press; default `"allow"`. */
  readonly decision?: "allow" | "deny" | undefined;
}

/** Thrown by {@link simulateBrowserLogin} when the emulator shows an error page instead of redirecting. */
export class SimulatedLoginError extends Error {
  override readonly name = "SimulatedLoginError";
  constructor(
    message: string,
    /** HTTP status of the page. */
    readonly status: number,
  ) {
    super(message);
  }
}

const decodeEntities = (text: string): string =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/**
 * Plays the user's browser against an emulator authorize URL, for tests of login flows that run
 * without a browser: follows the auto-approve redirect, or fills in the consent page (identity,
 * Allow or Deny) and submits it.
 *
 * @returns the URL the browser is finally sent to: the app's `redirect_uri` with `code` and
 *   `state`, or with `error=access_denied` (or another OAuth error).
 * @throws {SimulatedLoginError} when the emulator answers with an error page (unknown client,
 *   unregistered redirect URI, expired page, unknown identity…).
 * @example
 * const callback = await simulateBrowserLogin(authorizeUrl, { identity: "ada@example.org" });
 * callback.searchParams.get("code");
 */
export async function simulateBrowserLogin(
  authorizeUrl: string | URL,
  options: SimulatedLoginOptions = {},
): Promise<URL> {
  const first = await fetch(authorizeUrl, { redirect: "manual" });
  const page = await first.text();
  const location = first.headers.get("location");
  if (first.status >= 300 && first.status < 400 && location) return new URL(location, authorizeUrl);
  const title = /<title>([^<]*)<\/title>/.exec(page)?.[1] ?? "";
  const transaction = /name="transaction" value="([^"]*)"/.exec(page)?.[1];
  if (first.status !== 200 || transaction === undefined) {
    throw new SimulatedLoginError(
      `the emulator answered ${first.status}: ${decodeEntities(title)}`,
      first.status,
    );
  }
  const radios = [
    ...page.matchAll(
      /<input type="radio"[^>]*value="([^"]*)"[^>]*?( checked)?>\s*<label[^>]*>([^<]*)<span[^>]*>\(([^)]*)\)/g,
    ),
  ].map((match) => ({
    id: decodeEntities(match[1] ?? ""),
    checked: match[2] !== undefined,
    username: decodeEntities((match[4] ?? "").split(" · ")[0] ?? ""),
  }));
  const wanted = options.identity?.toLowerCase();
  const chosen =
    wanted === undefined
      ? (radios.find((radio) => radio.checked) ?? radios[0])
      : radios.find((r) => r.id === wanted || r.username === wanted);
  const decision = options.decision ?? "allow";
  if (decision === "allow" && !chosen) {
    throw new SimulatedLoginError(
      wanted === undefined
        ? "the consent page offers no identity"
        : `identity ${options.identity} is not offered`,
      first.status,
    );
  }
  const form = new URLSearchParams({ transaction: decodeEntities(transaction), decision });
  if (chosen) form.set("identity_id", chosen.id);
  const answer = await fetch(new URL("/v2/oauth2/authorize", authorizeUrl), {
    method: "POST",
    body: form,
    redirect: "manual",
  });
  const answerText = await answer.text();
  const target = answer.headers.get("location");
  if (answer.status >= 300 && answer.status < 400 && target) return new URL(target, authorizeUrl);
  const answerTitle = /<title>([^<]*)<\/title>/.exec(answerText)?.[1] ?? "";
  throw new SimulatedLoginError(
    `the emulator answered ${answer.status}: ${decodeEntities(answerTitle)}`,
    answer.status,
  );
}
