import { isLoopbackBindHost } from "./origin-policy.ts";
import { CLI_USAGE, CliUsageError, parseCliArgs } from "./parse-cli-args.ts";
import { SAMPLE_CONFIDENTIAL_CLIENT } from "./sample-data.ts";
import { type Emulator, startEmulator } from "./start-emulator.ts";

/** Where {@link runCli} writes, and which process signals stop it. */
export interface CliEnvironment {
  readonly stdout: {
    /** Writes the banner and request lines. */
    write(text: string): unknown;
  };
  readonly stderr: {
    /** Writes usage errors and failures. */
    write(text: string): unknown;
  };
  /** Resolves when the emulator should stop (default: the first SIGINT or SIGTERM). */
  readonly stopSignal?: Promise<unknown> | undefined;
}

/**
 * The text the command prints once listening; the first line is always
 * `Globus Auth emulator listening on <url>`.
 */
export function formatBanner(emulator: Emulator, autoApprove: boolean): string {
  const lines = [
    `Globus Auth emulator listening on ${emulator.url}`,
    "",
    "Services (the Python SDK and globus-app read these):",
    `  GLOBUS_SDK_SERVICE_URL_AUTH=${emulator.serviceUrls.auth}`,
    `  GLOBUS_SDK_SERVICE_URL_TRANSFER=${emulator.serviceUrls.transfer}`,
    `  GLOBUS_SDK_SERVICE_URL_GROUPS=${emulator.serviceUrls.groups}`,
    `  GLOBUS_SDK_SERVICE_URL_SEARCH=${emulator.serviceUrls.search}`,
    `  GLOBUS_SDK_SERVICE_URL_FLOWS=${emulator.serviceUrls.flows}`,
    `  GLOBUS_SDK_SERVICE_URL_TIMER=${emulator.serviceUrls.timer}`,
    `  GLOBUS_SDK_SERVICE_URL_COMPUTE=${emulator.serviceUrls.compute}`,
    "",
    "Clients:",
  ];
  for (const client of emulator.clients) {
    let secret = "";
    if (client.type === "confidential") {
      // The sample secret is published test data; a secret from the command line stays unprinted.
      secret =
        client.secret === SAMPLE_CONFIDENTIAL_CLIENT.secret
          ? `  secret: ${client.secret}`
          : "  secret: (as given)";
    }
    lines.push(`  ${client.id}  ${client.type.padEnd(12)}  ${client.name}${secret}`);
  }
  lines.push("", "Identities:");
  for (const identity of emulator.identities) {
    lines.push(`  ${identity.id}  ${identity.username.padEnd(20)}  ${identity.name ?? ""}`);
  }
  lines.push(
    "",
    `Consent page: ${autoApprove ? "skipped (auto-approve as the first identity)" : "shown"}`,
    `Control API:  ${emulator.url}_emulator`,
    "Press Ctrl+C to stop.",
    "",
  );
  return lines.join("\n");
}

function firstSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/**
 * Runs the `globus-auth-emulator` command: parses `argv`, starts the emulator, prints the banner,
 * waits for SIGINT/SIGTERM and closes.
 *
 * @returns the exit status: 0 after a clean stop or `--help`, 2 for bad arguments, 1 when the
 *   emulator cannot start.
 */
export async function runCli(
  argv: readonly string[],
  env: CliEnvironment = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let command: ReturnType<typeof parseCliArgs>;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    env.stderr.write(`globus-auth-emulator: ${error.message}\nTry 'globus-auth-emulator --help'.\n`);
    return 2;
  }
  if (command.kind === "help") {
    env.stdout.write(CLI_USAGE);
    return 0;
  }
  const { host, unsafeNonLoopbackHost } = command.options;
  if (unsafeNonLoopbackHost && host !== undefined && !isLoopbackBindHost(host)) {
    env.stderr.write(
      `globus-auth-emulator: WARNING: listening on ${host}, beyond loopback. Anyone who can reach this ` +
        "port can get tokens for every identity and use the unauthenticated control API.\n",
    );
  }
  const stop = env.stopSignal ?? firstSignal();
  let emulator: Emulator;
  try {
    emulator = await startEmulator(command.options);
  } catch (error) {
    env.stderr.write(`globus-auth-emulator: cannot start: ${(error as Error).message}\n`);
    return 1;
  }
  env.stdout.write(formatBanner(emulator, command.options.autoApprove === true));
  await stop;
  await emulator.close();
  return 0;
}
