// One "replica" of the database refresh tests: builds the Node UserApp of a confidential client over
// a PostgreSQL or Redis token storage (one namespace: one person) whose access token has expired,
// asks for a header, and prints whether it got one. The client secret comes from the environment.
import { ConfidentialAppAuthClient } from "@globus-app/core";
import { PostgresTokenStorage } from "../../dist/postgres-token-storage.js";
import { RedisTokenStorage } from "../../dist/redis-token-storage.js";
import { UserApp } from "../../dist/user-app.js";

const [kind, url, where, namespace, authUrl, clientId, resourceServer, scope] = process.argv.slice(2);
const storage =
  kind === "postgres"
    ? new PostgresTokenStorage({ connectionString: url, table: where, namespace })
    : new RedisTokenStorage({ url, keyPrefix: where, namespace, lockTtlMs: 1000 });
const app = new UserApp("database-refresh-test", {
  loginClient: new ConfidentialAppAuthClient({
    clientId,
    clientSecret: process.env.GLOBUS_APP_TEST_CLIENT_SECRET,
    baseUrl: authUrl,
  }),
  scopeRequirements: { [resourceServer]: scope },
  config: { tokenStorage: storage, requestRefreshTokens: true, tokenValidationErrorHandler: null },
});
const header = await (await app.getAuthorizer(resourceServer)).getAuthorizationHeader();
process.stdout.write(`${header.startsWith("Bearer ") ? "header" : "no-header"}\n`);
await app.close();
await storage.close();
