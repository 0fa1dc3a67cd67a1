// One process of the cross-process refresh storm (bench/refresh-storm.mjs): a Node UserApp over a
// shared JSON token file whose access token has expired asks for a header; prints one JSON line.
import { NativeAppAuthClient, UserApp } from "globus-app";
import { JSONTokenStorage } from "globus-app/node";

const [file, authUrl, clientId, resourceServer, scope] = process.argv.slice(2);
const app = new UserApp("bench-refresh", {
  loginClient: new NativeAppAuthClient({ clientId, baseUrl: authUrl }),
  scopeRequirements: { [resourceServer]: scope },
  config: {
    tokenStorage: new JSONTokenStorage(file),
    requestRefreshTokens: true,
    tokenValidationErrorHandler: null,
  },
});
const started = performance.now();
const header = await (await app.getAuthorizer(resourceServer)).getAuthorizationHeader();
const headerMs = performance.now() - started;
await app.close();
process.stdout.write(
  `${JSON.stringify({ ok: header.startsWith("Bearer "), headerMs, sinceStartMs: performance.now() })}\n`,
);
