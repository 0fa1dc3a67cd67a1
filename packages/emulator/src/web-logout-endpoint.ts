import { checkRedirectUri } from "./check-redirect-uri.ts";
import { escapeHtml, renderPage } from "./html.ts";
import type { RequestContext } from "./request-context.ts";

/**
 * `GET /v2/web/logout` (Globus Auth's web logout, params `client_id`, `redirect_uri`,
 * `redirect_name`): ends the emulated browser's sign-in sessions, so the next authorize asks who the
 * person is again, and shows a page linking back to `redirect_uri` named `redirect_name`. A
 * `redirect_uri` must be one the client may use, as for authorize; without one the page has no link.
 */
export function handleWebLogout(ctx: RequestContext): void {
  const { query, state, respond } = ctx;
  const clientId = query.get("client_id");
  const redirectUri = query.get("redirect_uri");
  let link = "";
  if (redirectUri !== null) {
    const client = clientId === null ? undefined : state.clients.get(clientId);
    if (!client) {
      respond.errorPage(400, "Invalid request", "A redirect_uri needs the client_id of a registered client.");
      return;
    }
    if (!checkRedirectUri(ctx, client, redirectUri)) return;
    const name = query.get("redirect_name") || client.name;
    link = `<p><a id="return" href="${escapeHtml(redirectUri)}">Return to ${escapeHtml(name)}</a></p>`;
  }
  state.sessions.clear();
  // Saved like any other change, so a restarted emulator does not sign the browser back in.
  state.onChange();
  respond.html(
    200,
    renderPage(
      "Logged out",
      `<h1>You have logged out of Globus</h1>\n<p>Close the browser to be sure no one else can use it.</p>\n${link}`,
    ),
  );
}
