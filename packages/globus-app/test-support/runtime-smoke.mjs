// Runs under Node, Deno and Bun from a project that installed the packed tarballs: imports
// globus-app through its package exports and gets a service token from the emulator with a
// ClientApp over memory storage, a JSON token file and a SQLite database (through the runtime's own
// SQLite: node:sqlite or bun:sqlite; better-sqlite3 is not installed here). Prints one JSON line.
import { ClientApp, ConfidentialAppAuthClient, MemoryTokenStorage } from "globus-app";
import { JSONTokenStorage, SQLiteTokenStorage } from "globus-app/node";
import * as oauth from "oauth4webapi";

const env = globalThis.process?.env ?? {};
const [authUrl, clientId, clientSecret, tokenFile, databaseFile] = [
  env.SMOKE_AUTH_URL,
  env.SMOKE_CLIENT_ID,
  env.SMOKE_CLIENT_SECRET,
  env.SMOKE_TOKEN_FILE,
  env.SMOKE_DATABASE_FILE,
];
const TRANSFER = "transfer.api.globus.org";

async function header(tokenStorage) {
  const app = new ClientApp("runtime-smoke", {
    loginClient: new ConfidentialAppAuthClient({ clientId, clientSecret, baseUrl: authUrl }),
    scopeRequirements: { [TRANSFER]: "urn:globus:auth:scope:transfer.api.globus.org:all" },
    config: { tokenStorage },
  });
  try {
    return await (await app.getAuthorizer(TRANSFER)).getAuthorizationHeader();
  } finally {
    await app.close();
  }
}

const memory = await header(new MemoryTokenStorage());
const json = await header(new JSONTokenStorage(tokenFile));
const stored = await new JSONTokenStorage(tokenFile).getTokenData(TRANSFER);

// A runtime without SQLite must say so with a usage error, never a crash in a driver.
let sqlite;
try {
  const database = new SQLiteTokenStorage(databaseFile);
  const sqliteHeader = await header(database);
  sqlite = sqliteHeader === `Bearer ${(await database.getTokenData(TRANSFER))?.access_token}`;
  await database.close();
} catch (error) {
  sqlite = error?.name;
}
// A login client that adds a grant with the app's own oauth4webapi (the extension point of
// AuthLoginClient.tokenGrant): the options it is handed (custom fetch, http allowed for the local
// emulator) are keyed by oauth4webapi's symbols, so the library must use this same copy.
class GrantingClient extends ConfidentialAppAuthClient {
  clientCredentialsAgain(scope) {
    return this.tokenGrant(
      "client_credentials",
      (as, client, auth, options) =>
        oauth.clientCredentialsGrantRequest(as, client, auth, new URLSearchParams({ scope }), options),
      oauth.processClientCredentialsResponse,
    );
  }
}
const granted = await new GrantingClient({ clientId, clientSecret, baseUrl: authUrl }).clientCredentialsAgain(
  "urn:globus:auth:scope:transfer.api.globus.org:all",
);

const runtime = globalThis.Deno ? "deno" : globalThis.Bun ? "bun" : "node";
console.log(
  JSON.stringify({
    runtime,
    memory: memory.startsWith("Bearer "),
    json: json === `Bearer ${stored?.access_token}`,
    sqlite,
    subclassGrant: Object.keys(granted.byResourceServer).includes(TRANSFER),
    userAppIsNodeBuild: ClientApp.platform.name,
  }),
);
