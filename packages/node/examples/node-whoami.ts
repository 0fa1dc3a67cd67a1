/**
 * Signs in to Globus and prints who you are.
 *
 * Logs in through the browser and a loopback server (`LocalServerLoginFlowManager`); over SSH or
 * without a display it prints the URL and keeps waiting, and if the loopback server cannot start at
 * all (a firewall, a sandbox) it falls back to pasting the code (`CommandLineLoginFlowManager`).
 *
 * Real Globus:   GLOBUS_CLIENT_ID=<your native app's client id> npm run example:node
 *                (tokens are kept in ~/.globus/app/<client id>/node-whoami/tokens.json, so the next
 *                run needs no login; `--logout` signs out)
 * The emulator:  npm start                       # in another terminal: the local Globus Auth emulator
 *                GLOBUS_SDK_SERVICE_URL_AUTH=http://127.0.0.1:8700/ npm run example:node
 *                (uses the emulator's sample native client; tokens stay in memory)
 */
import process from "node:process";
import {
  AuthClient,
  isLocalServerError,
  type LoginFlowManager,
  type LoginFlowOptions,
  NativeAppAuthClient,
  type TokenResponse,
} from "@globus-app/core";
import { CommandLineLoginFlowManager, LocalServerLoginFlowManager, UserApp } from "@globus-app/node";

type AuthParams = Parameters<LoginFlowManager["runLoginFlow"]>[0];

/** Loopback login first; the paste-the-code login when no local server can run here. */
class BrowserThenCommandLine implements LoginFlowManager {
  constructor(
    private readonly localServer: LocalServerLoginFlowManager,
    private readonly commandLine: CommandLineLoginFlowManager,
  ) {}

  async runLoginFlow(authParams: AuthParams, options?: LoginFlowOptions): Promise<TokenResponse> {
    try {
      return await this.localServer.runLoginFlow(authParams, options);
    } catch (error) {
      if (!isLocalServerError(error)) throw error;
      process.stderr.write(`${error.message}\nFalling back to the command-line login.\n`);
      return this.commandLine.runLoginFlow(authParams, options);
    }
  }
}

async function clientIdFromEnvironment(): Promise<string | undefined> {
  const clientId = process.env.GLOBUS_CLIENT_ID;
  if (clientId) return clientId;
  if (!process.env.GLOBUS_SDK_SERVICE_URL_AUTH) return undefined;
  // Only emulator runs need the emulator package.
  const { SAMPLE_NATIVE_CLIENT } = await import("@globus-app/emulator");
  return SAMPLE_NATIVE_CLIENT.id;
}

async function main(): Promise<number> {
  const clientId = await clientIdFromEnvironment();
  if (!clientId) {
    process.stderr.write(
      "Set GLOBUS_CLIENT_ID to a Globus native app's client id, or GLOBUS_SDK_SERVICE_URL_AUTH to a\n" +
        "running emulator's URL (npm start prints it).\n",
    );
    return 2;
  }
  const usingEmulator = !process.env.GLOBUS_CLIENT_ID;
  const appName = "node-whoami";
  // Honours GLOBUS_SDK_SERVICE_URL_AUTH and GLOBUS_SDK_ENVIRONMENT.
  const loginClient = new NativeAppAuthClient({ clientId });
  const prefillNamedGrant = `${appName} example`;
  const loginFlowManager = new BrowserThenCommandLine(
    new LocalServerLoginFlowManager(loginClient, { prefillNamedGrant }),
    new CommandLineLoginFlowManager(loginClient, { prefillNamedGrant }),
  );

  // try/finally rather than `await using`: Node 20 cannot parse the latter untranspiled.
  const app = new UserApp(appName, {
    loginClient,
    config: { loginFlowManager, tokenStorage: usingEmulator ? "memory" : "json" },
  });
  try {
    if (process.argv.includes("--logout")) {
      await app.logout();
      process.stderr.write("Signed out.\n");
      return 0;
    }
    // Built before login() so its scopes (openid profile email) are part of the login.
    const auth = new AuthClient({ app });
    await app.login();
    const me = await auth.userinfo();
    const name = typeof me.name === "string" ? me.name : undefined;
    const username = typeof me.preferred_username === "string" ? me.preferred_username : undefined;
    process.stdout.write(`${name ?? username ?? "Signed in"} (${username ?? "?"}), identity ${me.sub}\n`);
  } finally {
    await app.close();
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    process.exitCode = 1;
  },
);
