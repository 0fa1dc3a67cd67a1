// @ts-check
// The portal: one node:http server whose pages use globus-app/server's login handlers. Everything
// about Globus lives in the handlers; this file is routing and HTML.
import { createServer } from "node:http";
import {
  createGlobusAuthHandlers,
  isSessionRequiredError,
  PostgresTokenStorage,
  SQLiteTokenStorage,
  toNodeListener,
} from "globus-app/server";

const TRANSFER = "transfer.api.globus.org";
const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";

/**
 * @typedef {object} PortalOptions
 * @property {number} port
 * @property {string} host
 * @property {string} clientId a confidential client's id
 * @property {string} clientSecret its secret
 * @property {string[]} sessionSecrets newest first, each at least 32 random characters
 * @property {string | undefined} authBaseUrl Globus Auth (the emulator's URL in development)
 * @property {string} transferBaseUrl Transfer's base URL, ending in `/`
 * @property {string | undefined} databaseUrl PostgreSQL; without it, SQLite at `sqliteFile`
 * @property {string} sqliteFile
 */

/** @param {string} text */
const escapeHtml = (text) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/**
 * @param {string} title
 * @param {string} body
 * @param {{ name: string | null, username: string | null } | null} user
 */
function page(title, body, user) {
  const nav = user
    ? `<span id="signed-in-as">Signed in as ${escapeHtml(user.name ?? user.username ?? "you")}</span>
       <a href="/whoami">Who am I</a> <a href="/transfer">Transfer</a>
       <form method="post" action="/auth/logout" style="display:inline"><button>Sign out</button></form>`
    : `<a href="/auth/login?returnTo=/whoami">Sign in with Globus</a>`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}nav{display:flex;gap:1rem;align-items:center;margin-bottom:1.5rem}td,th{text-align:left;padding:.2rem .6rem}</style>
</head><body><nav><a href="/">Home</a>${nav}</nav><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  return new Response(html, {
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

/** @param {PortalOptions} options */
export async function startPortal(options) {
  const origin = `http://localhost:${options.port}`;
  /** @type {PostgresTokenStorage | undefined} */
  const postgres = options.databaseUrl
    ? new PostgresTokenStorage({ connectionString: options.databaseUrl })
    : undefined;
  if (postgres) await postgres.open();
  const auth = createGlobusAuthHandlers({
    appName: "globus-app server demo",
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUri: `${origin}/auth/callback`,
    scopeRequirements: { [TRANSFER]: TRANSFER_ALL },
    tokenStorage:
      postgres ?? ((identityId) => new SQLiteTokenStorage(options.sqliteFile, { namespace: identityId })),
    session: { secrets: options.sessionSecrets },
    ...(options.authBaseUrl ? { authBaseUrl: options.authBaseUrl } : {}),
    // Never a token or cookie: the handlers' errors carry none.
    onError: (error) => console.error(`refused: ${/** @type {Error} */ (error).name}`),
  });

  /** @param {Request} request */
  async function route(request) {
    const { pathname, searchParams } = new URL(request.url);
    if (pathname === "/auth/login") return auth.login(request);
    if (pathname === "/auth/callback") return auth.callback(request);
    if (pathname === "/auth/logout") return auth.logout(request);
    if (pathname === "/healthz") return new Response("ok");
    try {
      const user = await auth.getUser(request);
      if (pathname === "/") {
        return page(
          "globus-app server demo",
          user
            ? `<p>Welcome back. Your tokens live on the server; this browser holds only a sealed cookie.</p>`
            : `<p>Sign in with Globus to see who you are and list Transfer collections.</p>`,
          user,
        );
      }
      if (pathname === "/whoami" || pathname === "/transfer") {
        if (!user) {
          return new Response(null, {
            status: 303,
            headers: { Location: `/auth/login?returnTo=${pathname}` },
          });
        }
        if (pathname === "/whoami") {
          const rows = [
            ["Name", user.name],
            ["Username", user.username],
            ["Email", user.email],
            ["Organization", user.organization],
            ["Identity id", user.identityId],
          ]
            .map(
              ([k, v]) =>
                `<tr><th>${k}</th><td id="${escapeHtml(String(k).toLowerCase().replace(/ /g, "-"))}">${escapeHtml(v ?? "")}</td></tr>`,
            )
            .join("");
          return page("Who am I", `<table>${rows}</table>`, user);
        }
        const query = searchParams.get("q") ?? "tutorial";
        const authorizer = await auth.getAuthorizer(request, TRANSFER);
        const url = new URL("v0.10/endpoint_search", options.transferBaseUrl);
        url.searchParams.set("filter_fulltext", query);
        const answer = await fetch(url, {
          headers: { Authorization: await authorizer.getAuthorizationHeader() },
        });
        if (!answer.ok)
          return page("Transfer", `<p role="alert">Transfer answered ${answer.status}.</p>`, user);
        const body =
          /** @type {{ DATA: Array<{ id: string, display_name: string, owner_string: string }> }} */ (
            await answer.json()
          );
        const items = body.DATA.map(
          (c) =>
            `<li><span class="collection">${escapeHtml(c.display_name)}</span> <small>${escapeHtml(c.owner_string)} · ${escapeHtml(c.id)}</small></li>`,
        ).join("");
        return page(
          "Transfer",
          `<form><input name="q" value="${escapeHtml(query)}" aria-label="Search collections"><button>Search</button></form>
           <p id="collection-count">${body.DATA.length} collection(s)</p><ul>${items}</ul>`,
          user,
        );
      }
      return new Response("Not Found", { status: 404 });
    } catch (error) {
      // No session, a bad cookie, tokens gone: the handlers know the right answer.
      if (isSessionRequiredError(error)) {
        return new Response(null, { status: 303, headers: { Location: `/auth/login?returnTo=${pathname}` } });
      }
      return auth.errorResponse(error, request);
    }
  }

  const server = createServer(toNodeListener(route, { origin }));
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve(undefined));
  });
  return {
    url: `${origin}/`,
    storage: postgres ? "PostgreSQL" : `SQLite (${options.sqliteFile})`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
      await auth.close();
      await postgres?.close();
    },
  };
}
