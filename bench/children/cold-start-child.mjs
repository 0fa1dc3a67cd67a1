// One cold start (bench/cold-start.mjs): a fresh Node process imports globus-app, builds a UserApp
// over a JSON token file holding valid tokens, prints a header. The last line is JSON with the
// phases (milliseconds since the process's time origin) and peak RSS.
const importStart = performance.now();
const { NativeAppAuthClient, UserApp } = await import("globus-app");
const { JSONTokenStorage } = await import("globus-app/node");
const imported = performance.now();

const [file, authUrl, clientId, resourceServer, scope] = process.argv.slice(2);
const app = new UserApp("bench-cold-start", {
  loginClient: new NativeAppAuthClient({ clientId, baseUrl: authUrl }),
  scopeRequirements: { [resourceServer]: scope },
  config: { tokenStorage: new JSONTokenStorage(file), tokenValidationErrorHandler: null },
});
const header = await (await app.getAuthorizer(resourceServer)).getAuthorizationHeader();
const done = performance.now();
process.stdout.write(`${header.startsWith("Bearer ") ? "Bearer <token>" : "no header"}\n`);
await app.close();
process.stdout.write(
  `${JSON.stringify({ importStart, importMs: imported - importStart, appMs: done - imported, headerAt: done, maxRSSKiB: process.resourceUsage().maxRSS })}\n`,
);
