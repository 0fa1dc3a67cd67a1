// Runs under Node, Deno and Bun from a project that installed the packed tarballs: imports
// globus-app through its package exports and gets a service token from the emulator with a
// ClientApp over memory storage, a JSON token file and a SQLite database (through the runtime's own
// SQLite: node:sqlite or bun:sqlite; better-sqlite3 is not installed here). Prints one JSON line.
import {
  ClientApp,
  ConfidentialAppAuthClient,
  MemoryTokenStorage,
  TransferClient,
  TransferData,
} from "globus-app";
import { JSONTokenStorage, SQLiteTokenStorage } from "globus-app/node";
import * as services from "globus-app/services";
import * as oauth from "oauth4webapi";

const env = globalThis.process?.env ?? {};
const [transferUrl, authUrl, clientId, clientSecret, tokenFile, databaseFile] = [
  env.SMOKE_TRANSFER_URL,
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

// The Transfer client through the root entry (same class as the services subpath), on the
// emulator's Transfer port: a search, and a submission id made into a task document.
const transferApp = new ClientApp("runtime-smoke-transfer", {
  loginClient: new ConfidentialAppAuthClient({ clientId, clientSecret, baseUrl: authUrl }),
  config: { tokenStorage: new MemoryTokenStorage() },
});
const transfer = new TransferClient({ app: transferApp, baseUrl: transferUrl });
const found = await transfer.endpointSearch("tutorial");
const data = new TransferData({ sourceEndpoint: found.DATA[0].id, destinationEndpoint: found.DATA[0].id });
data.submissionId = (await transfer.getSubmissionId()).value;
await transferApp.close();

const runtime = globalThis.Deno ? "deno" : globalThis.Bun ? "bun" : "node";
console.log(
  JSON.stringify({
    runtime,
    memory: memory.startsWith("Bearer "),
    json: json === `Bearer ${stored?.access_token}`,
    sqlite,
    subclassGrant: Object.keys(granted.byResourceServer).includes(TRANSFER),
    userAppIsNodeBuild: ClientApp.platform.name,
    transfer:
      services.TransferClient === TransferClient &&
      found.DATA.length === 2 &&
      data.toJSON().DATA_TYPE === "transfer" &&
      typeof data.toJSON().submission_id === "string",
  }),
);
