// A script of one "process" of the refresh test: builds the Node UserApp over a shared JSON token file
// whose access token has expired, asks for a header, and prints whether it got one.
import { NativeAppAuthClient } from "@globus-app/core";
import { JSONTokenStorage } from "../../dist/json-token-storage.js";
import { UserApp } from "../../dist/user-app.js";

const [file, authUrl, clientId, resourceServer, scope] = process.argv.slice(2);
const app = new UserApp("refresh-test", {
  loginClient: new NativeAppAuthClient({ clientId, baseUrl: authUrl }),
  scopeRequirements: { [resourceServer]: scope },
  config: {
    tokenStorage: new JSONTokenStorage(file),
    requestRefreshTokens: true,
    tokenValidationErrorHandler: null,
  },
});
const header = await (await app.getAuthorizer(resourceServer)).getAuthorizationHeader();
process.stdout.write(`${header.startsWith("Bearer ") ? "header" : "no-header"}\n`);
await app.close();
