import { normalizeAllowedOrigin } from "./origin-policy.ts";
import type { ClientRegistration } from "./sample-data.ts";
import type { EmulatorOptions } from "./start-emulator.ts";

/** Default port of the `globus-auth-emulator` command. */
export const DEFAULT_CLI_PORT = 8700;

/** Usage text of the `globus-auth-emulator` command. */
export const CLI_USAGE = `Usage: globus-auth-emulator [options]

A local Globus Auth emulator (and fake Transfer, Groups and Search APIs) for tests and offline
development.

Options:
  --port <n>                        port to listen on (default ${DEFAULT_CLI_PORT}; 0 picks a free port)
  --transfer-port <n>               port of the fake Transfer API (default: --port + 1, or 0 with --port 0;
                                    0 picks a free port); also served under <url>transfer/
  --groups-port <n>                 port of the fake Groups API (default: --port + 2, or 0 with --port 0);
                                    also served under <url>groups/
  --search-port <n>                 port of the fake Search API (default: --port + 3, or 0 with --port 0);
                                    also served under <url>search/
  --flows-port <n>                  port of the fake Flows API (default: --port + 4, or 0 with --port 0);
                                    also served under <url>flows/
  --timer-port <n>                  port of the fake Timers API (default: --port + 5, or 0 with --port 0);
                                    also served under <url>timer/
  --compute-port <n>                port of the fake Compute API (default: --port + 6, or 0 with --port 0);
                                    also served under <url>compute/
  --host <addr>                     address to bind (default 127.0.0.1); loopback only, see below
  --allow-origin <origin>           let web pages on this origin (e.g. http://localhost:3000) use the
                                    control API /_emulator from a browser (repeatable); the OAuth
                                    endpoints already answer registered redirect URIs' origins
  --client <id>                     register a native client (repeatable)
  --client <id>:<secret>            register a confidential client (repeatable)
                                    without --client, sample native and confidential clients are registered
  --redirect-uri <uri>              allow this redirect URI for every client (repeatable)
  --auto-approve                    skip the consent page and sign in as the first identity
  --access-token-lifetime <seconds> access token lifetime (default 172800)
  --state-file <path>               keep clients, identities, consents, tokens and the signing key in this file
  --unsafe-non-loopback-host        allow a --host beyond loopback (0.0.0.0, a LAN address): UNSAFE,
                                    anyone who reaches the port gets tokens and the control API
  --help                            show this help

Never expose the emulator beyond this machine: it hands out tokens to anyone who asks, holds
client secrets and has an unauthenticated control API.
`;

/** Thrown for invalid command-line arguments; the command prints it and exits with status 2. */
export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}

/** The outcome of {@link parseCliArgs}: show help, or start with these options. */
export type CliCommand =
  | { readonly kind: "help" }
  | { readonly kind: "start"; readonly options: EmulatorOptions };

/** The fake services' port flags, their option, and their default: Auth's port plus the offset. */
const SERVICE_PORT_FLAGS = {
  "--transfer-port": { option: "transferPort", offset: 1 },
  "--groups-port": { option: "groupsPort", offset: 2 },
  "--search-port": { option: "searchPort", offset: 3 },
  "--flows-port": { option: "flowsPort", offset: 4 },
  "--timer-port": { option: "timerPort", offset: 5 },
  "--compute-port": { option: "computePort", offset: 6 },
} as const satisfies Record<string, { option: keyof EmulatorOptions; offset: number }>;

type ServicePortFlag = keyof typeof SERVICE_PORT_FLAGS;
type ServicePortOption = (typeof SERVICE_PORT_FLAGS)[ServicePortFlag]["option"];

function isServicePortFlag(flag: string): flag is ServicePortFlag {
  return Object.hasOwn(SERVICE_PORT_FLAGS, flag);
}

const VALUE_FLAGS = new Set<string>([
  "--port",
  ...Object.keys(SERVICE_PORT_FLAGS),
  "--host",
  "--client",
  "--redirect-uri",
  "--access-token-lifetime",
  "--state-file",
  "--allow-origin",
]);

function parseInteger(flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new CliUsageError(`${flag} expects a whole number, got '${value}'`);
  const number = Number(value);
  if (number < min || number > max) throw new CliUsageError(`${flag} must be from ${min} to ${max}`);
  return number;
}

function parseClient(value: string): ClientRegistration {
  const colon = value.indexOf(":");
  const id = colon < 0 ? value : value.slice(0, colon);
  if (id === "" || /\s/.test(id))
    throw new CliUsageError(`--client expects <id> or <id>:<secret>, got '${value}'`);
  if (colon < 0) return { id };
  const secret = value.slice(colon + 1);
  if (secret === "") throw new CliUsageError("--client <id>:<secret> needs a non-empty secret");
  return { id, secret };
}

/**
 * Parses `globus-auth-emulator` arguments (without `node` and the script path). Flags also take
 * `--flag=value`.
 *
 * @throws {CliUsageError} for an unknown flag, a missing or bad value.
 * @example
 * parseCliArgs(["--port", "0", "--client", "abc:s3cret"]);
 * // { kind: "start", options: { port: 0, clients: [{ id: "abc", secret: "s3cret" }], … } }
 */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  let port = DEFAULT_CLI_PORT;
  const servicePorts: Partial<Record<ServicePortOption, number>> = {};
  let host: string | undefined;
  const clients: ClientRegistration[] = [];
  const redirectUris: string[] = [];
  let autoApprove = false;
  let accessTokenLifetime: number | undefined;
  let stateFile: string | undefined;
  const allowedOrigins: string[] = [];
  let unsafeNonLoopbackHost = false;

  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === "--help" || arg === "-h") return { kind: "help" };
    const equals = arg.indexOf("=");
    const flag = arg.startsWith("--") && equals > 0 ? arg.slice(0, equals) : arg;
    let value: string | undefined;
    if (VALUE_FLAGS.has(flag)) {
      if (flag !== arg) {
        value = arg.slice(equals + 1);
      } else {
        value = argv[++index];
        if (value === undefined || value.startsWith("--")) throw new CliUsageError(`${flag} needs a value`);
      }
    }
    if (isServicePortFlag(flag)) {
      servicePorts[SERVICE_PORT_FLAGS[flag].option] = parseInteger(flag, value as string, 0, 65535);
      continue;
    }
    switch (flag) {
      case "--port":
        port = parseInteger(flag, value as string, 0, 65535);
        break;
      case "--host":
        if (!value) throw new CliUsageError("--host needs a value");
        host = value;
        break;
      case "--client":
        clients.push(parseClient(value as string));
        break;
      case "--redirect-uri":
        try {
          new URL(value as string);
        } catch {
          throw new CliUsageError(`--redirect-uri expects an absolute URL, got '${value}'`);
        }
        redirectUris.push(value as string);
        break;
      case "--auto-approve":
        if (flag !== arg) throw new CliUsageError("--auto-approve takes no value");
        autoApprove = true;
        break;
      case "--access-token-lifetime":
        accessTokenLifetime = parseInteger(flag, value as string, 1, 10 * 365 * 86_400);
        break;
      case "--allow-origin":
        try {
          allowedOrigins.push(normalizeAllowedOrigin(value as string));
        } catch {
          throw new CliUsageError(
            `--allow-origin expects an origin like http://localhost:3000 (no path), got '${value}'`,
          );
        }
        break;
      case "--unsafe-non-loopback-host":
        if (flag !== arg) throw new CliUsageError("--unsafe-non-loopback-host takes no value");
        unsafeNonLoopbackHost = true;
        break;
      case "--state-file":
        if (!value) throw new CliUsageError("--state-file needs a path");
        stateFile = value;
        break;
      default:
        throw new CliUsageError(`unknown argument '${arg}'`);
    }
  }
  // Each service's default port follows Auth's (0 stays 0: every port picked free).
  const next = (offset: number): number => (port === 0 || port + offset > 65535 ? 0 : port + offset);
  const options: EmulatorOptions = {
    port,
    ...Object.fromEntries(
      Object.values(SERVICE_PORT_FLAGS).map(({ option, offset }) => [
        option,
        servicePorts[option] ?? next(offset),
      ]),
    ),
    ...(host === undefined ? {} : { host }),
    ...(unsafeNonLoopbackHost ? { unsafeNonLoopbackHost } : {}),
    ...(allowedOrigins.length > 0 ? { allowedOrigins } : {}),
    ...(clients.length > 0 ? { clients } : {}),
    ...(redirectUris.length > 0 ? { redirectUris } : {}),
    autoApprove,
    ...(accessTokenLifetime === undefined ? {} : { accessTokenLifetime }),
    ...(stateFile === undefined ? {} : { stateFile }),
  };
  return { kind: "start", options };
}
