// The Globus Auth emulator (consent page shown) and a single-page demo portal (a Vite app under
// apps/), in the calling process, so that Ctrl+C (SIGINT) or SIGTERM stops both and leaves nothing
// behind. The portal is built and served as it would ship (`vite build` + `vite preview`, as the
// end-to-end tests use it); `--dev` serves it from the Vite dev server instead, with hot reload of
// the portal and of the workspace packages' sources. `npm start` (apps/demo) and
// `npm run start:react` (apps/react-demo) are this, each with its own ports.
//
// Environment (the two port variables' names are the caller's):
//   <portEnv>          the portal's port
//   <emulatorPortEnv>  the emulator's port
//   VITE_GLOBUS_CLIENT_ID [VITE_GLOBUS_SDK_ENVIRONMENT]
//                      a native-app client registered with Globus: no emulator, the portal signs in
//                      to real Globus (register http://127.0.0.1:<port>/ as its redirect URI)

import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const HOST = "127.0.0.1";
const root = fileURLToPath(new URL("../", import.meta.url));

function portFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`start: ${name} must be a port number (1-65535), not "${raw}"`);
    process.exit(2);
  }
  return port;
}

/**
 * Starts the emulator (unless `VITE_GLOBUS_CLIENT_ID` points at real Globus) and the portal, prints
 * where to open it, and stops both on SIGINT, SIGTERM or SIGHUP.
 *
 * @param {object} options
 * @param {string} options.title - the banner's first line, e.g. "globus-app demo portal"
 * @param {URL} options.appDir - the Vite app's folder (with its vite.config.ts), ending in `/`
 * @param {{ env: string, fallback: number }} options.port - the portal's port and its variable
 * @param {{ env: string, fallback: number }} options.emulatorPort - the emulator's port and its variable
 * @param {(emulator: object) => Promise<{ env: Record<string, string>, banner: string[] }>} [options.seed] -
 *   adds the portal's own sample data to the freshly started emulator; `env` holds `VITE_*` settings
 *   for the page (one the caller's environment already sets wins), `banner` lines for the banner
 */
export async function startSpaDemo(options) {
  const { title, port, emulatorPort: emulatorPortSetting } = options;
  const appDir = fileURLToPath(options.appDir);
  const appPort = portFromEnv(port.env, port.fallback);
  const emulatorPort = portFromEnv(emulatorPortSetting.env, emulatorPortSetting.fallback);
  const appUrl = `http://${HOST}:${appPort}/`;
  const realGlobus = Boolean(process.env.VITE_GLOBUS_CLIENT_ID?.trim());
  const devServer = process.argv.includes("--dev");

  /** Everything to stop, last started first. */
  const stoppers = [];
  let stopping;

  function stop(signal) {
    if (stopping) {
      // A second Ctrl+C: the person wants out now.
      process.exit(130);
    }
    console.log(`\n${signal ?? "stop"}: stopping the portal${realGlobus ? "" : " and the emulator"}…`);
    const deadline = setTimeout(() => process.exit(1), 5000);
    deadline.unref();
    stopping = (async () => {
      for (const close of stoppers.reverse()) {
        try {
          await close();
        } catch (error) {
          console.error(`start: while stopping: ${error.message}`);
        }
      }
      process.exit(0);
    })();
  }

  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => stop(signal));

  let emulatorBanner = [];
  if (!realGlobus) {
    // The emulator's CLI and module run from its build; build it (a no-op when up to date).
    const require = createRequire(import.meta.url);
    const tsc = require.resolve("typescript/bin/tsc");
    const build = spawnSync(process.execPath, [tsc, "-b", "packages/emulator"], {
      cwd: root,
      stdio: "inherit",
    });
    if (build.status !== 0) {
      console.error("start: building packages/emulator failed (npx tsc -b packages/emulator).");
      process.exit(1);
    }
    if (stopping) await stopping;

    const { startEmulator, SAMPLE_COLLECTIONS, SAMPLE_IDENTITIES } = await import(
      pathToFileURL(`${root}packages/emulator/dist/index.js`).href
    );
    let emulator;
    try {
      emulator = await startEmulator({
        port: emulatorPort,
        host: HOST,
        autoApprove: false, // people pick an identity and click Allow, as at Globus
        // The portal's origin is this redirect URI's, so the OAuth endpoints and the fake Transfer
        // answer its page's CORS requests. The page never calls the control API (/_emulator), so it
        // gets no allowedOrigins: no other local page can drive the emulator through a browser.
        redirectUris: [appUrl],
        onLog: (message) => console.error(message),
      });
    } catch (error) {
      console.error(`start: cannot start the emulator on ${HOST}:${emulatorPort}: ${error.message}`);
      if (error.code === "EADDRINUSE") console.error(`Set ${emulatorPortSetting.env} to use another port.`);
      process.exit(1);
    }
    stoppers.push(() => emulator.close());

    const [listed] = SAMPLE_COLLECTIONS;
    const stepUp = SAMPLE_COLLECTIONS.find((collection) => collection.highAssurance) ?? listed;
    emulator.control.requireMfa(stepUp.id);

    // Vite hands VITE_* variables of its own environment to the page.
    process.env.VITE_GLOBUS_AUTH_URL = emulator.url;
    process.env.VITE_DEMO_LS_COLLECTION ??= listed.id;
    process.env.VITE_DEMO_MFA_COLLECTION ??= stepUp.id;

    let seeded = { env: {}, banner: [] };
    if (options.seed) {
      try {
        seeded = await options.seed(emulator);
      } catch (error) {
        console.error(`start: cannot add the ${title}'s sample data to the emulator: ${error.message}`);
        await emulator.close();
        process.exit(1);
      }
      for (const [name, value] of Object.entries(seeded.env)) process.env[name] ??= value;
    }

    emulatorBanner = [
      `  Globus Auth emulator  ${emulator.url}   (control API: ${emulator.url}_emulator)`,
      "  Registered clients:",
      ...emulator.clients.map(
        (client) =>
          `    ${client.id}  ${client.secret ? `confidential, secret ${client.secret}` : "native (PKCE)"}`,
      ),
      "  Sign in as any of:",
      ...SAMPLE_IDENTITIES.map((identity) => `    ${identity.name.padEnd(14)} ${identity.username}`),
      `  Step-up: ${stepUp.displayName} (${stepUp.id}) requires MFA`,
      ...seeded.banner,
    ];
  }

  // Vite is resolved from the workspace root (hoisted), like the portal's own dependency.
  const vite = await import("vite");
  const viteOptions = { root: appDir, configFile: `${appDir}vite.config.ts`, clearScreen: false };
  let server;
  try {
    if (devServer) {
      server = await vite.createServer({
        ...viteOptions,
        server: { host: HOST, port: appPort, strictPort: true },
      });
      await server.listen();
    } else {
      // What a portal ships: one bundle, built with the VITE_* settings above. One output folder per
      // port, so a second instance (the end-to-end tests' beside `npm start`) never overwrites this one.
      const build = { outDir: `dist/${appPort}`, emptyOutDir: true };
      console.log(`Building the ${title}…`);
      await vite.build({ ...viteOptions, build, logLevel: "warn" });
      server = await vite.preview({
        ...viteOptions,
        build,
        preview: { host: HOST, port: appPort, strictPort: true },
      });
    }
  } catch (error) {
    console.error(`start: cannot start the ${title} on ${HOST}:${appPort}: ${error.message}`);
    if (error.code === "EADDRINUSE" || /in use/i.test(error.message)) {
      console.error(`Set ${port.env} to use another port.`);
    }
    for (const close of stoppers.reverse()) await close();
    process.exit(1);
  }
  stoppers.push(() => server.close());

  console.log(
    [
      "",
      title,
      "",
      `  Open  ${appUrl}`,
      "",
      ...(realGlobus
        ? [
            `  Signing in to Globus (${process.env.VITE_GLOBUS_SDK_ENVIRONMENT || "production"}) with client ${process.env.VITE_GLOBUS_CLIENT_ID}`,
            `  The client must allow the redirect URI ${appUrl}`,
          ]
        : emulatorBanner),
      "",
      "Press Ctrl+C to stop.",
      "",
    ].join("\n"),
  );
}
