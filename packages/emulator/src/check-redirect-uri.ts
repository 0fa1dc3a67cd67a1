import type { EmulatorClient } from "./client-identity-registry.ts";
import { LOOPBACK_HOSTNAMES } from "./origin-policy.ts";
import type { RequestContext } from "./request-context.ts";

/**
 * @internal Whether `client` may send people back to `redirectUri`, as authorize and web logout
 * both ask; when it may not, answers the 400 error page (never a redirect to an untrusted URI).
 * A client may use its registered redirect URIs and the global ones, compared exactly; a native
 * app also any loopback http URL and the emulator's own auth-code page. No URI with a fragment or
 * user info is ever allowed.
 */
export function checkRedirectUri(ctx: RequestContext, client: EmulatorClient, redirectUri: string): boolean {
  if (isAllowedRedirect(ctx, client, redirectUri)) return true;
  ctx.respond.errorPage(
    400,
    "Invalid redirect_uri",
    `The redirect_uri ${redirectUri} is not registered for client ${client.id}.`,
  );
  return false;
}

function isAllowedRedirect(ctx: RequestContext, client: EmulatorClient, redirectUri: string): boolean {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return false;
  }
  if (url.hash !== "" || redirectUri.includes("#") || url.username !== "" || url.password !== "")
    return false;
  if (client.redirectUris.includes(redirectUri) || ctx.state.globalRedirectUris.includes(redirectUri))
    return true;
  if (client.type !== "native") return false;
  if (url.protocol === "http:" && LOOPBACK_HOSTNAMES.has(url.hostname)) return true;
  // The authorize page's own copy-and-paste redirect target.
  return `${url.origin}${url.pathname}` === `${ctx.baseUrl}v2/web/auth-code`;
}
