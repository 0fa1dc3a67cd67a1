// One replica of a server-side portal for the scale-out test: the login handlers over a shared
// PostgreSQL or Redis token storage, serving GET /header, which answers with a digest of the
// person's Transfer authorization header (never the header itself). Prints "listening <port>".
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { createGlobusAuthHandlers } from "../../dist/create-globus-auth-handlers.js";
import { PostgresTokenStorage } from "../../dist/postgres-token-storage.js";
import { RedisTokenStorage } from "../../dist/redis-token-storage.js";
import { toNodeListener } from "../../dist/to-node-listener.js";

const [kind, url, where, authUrl, clientId, resourceServer, scope] = process.argv.slice(2);
const storage =
  kind === "postgres"
    ? new PostgresTokenStorage({ connectionString: url, table: where })
    : new RedisTokenStorage({ url, keyPrefix: where, lockTtlMs: 2000 });
const auth = createGlobusAuthHandlers({
  clientId,
  clientSecret: process.env.GLOBUS_APP_TEST_CLIENT_SECRET,
  redirectUri: "http://localhost:8080/callback",
  scopeRequirements: { [resourceServer]: scope },
  tokenStorage: storage,
  session: { secrets: [process.env.GLOBUS_APP_TEST_SESSION_SECRET] },
  authBaseUrl: authUrl,
});
const server = createServer(
  toNodeListener(async (request) => {
    try {
      const authorizer = await auth.getAuthorizer(request, resourceServer);
      const header = await authorizer.getAuthorizationHeader();
      return new Response(createHash("sha256").update(header).digest("hex").slice(0, 16));
    } catch (error) {
      return new Response(`${error?.name}: ${error?.message}`, { status: 500 });
    }
  }),
);
server.keepAliveTimeout = 120_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(`listening ${server.address().port}\n`));
process.on("SIGTERM", () => {
  server.close();
  void auth
    .close()
    .then(() => storage.close())
    .then(() => process.exit(0));
});
