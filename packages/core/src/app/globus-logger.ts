import { readEnvironmentVariable } from "../config/environment.ts";

/**
 * Where an app reports what it does: anything console-like with `debug`, `info`, `warn` and `error`
 * (`console` itself, pino, winston). Messages name events (login started, refresh, retry and why,
 * storage fallback, redrive) and never carry a token, secret, code or verifier.
 */
export interface GlobusLogger {
  /** Fine detail, e.g. a refresh. */
  debug(message: string, ...details: unknown[]): void;
  /** Milestones, e.g. login finished. */
  info(message: string, ...details: unknown[]): void;
  /** Something went wrong and was worked around, e.g. a storage fallback or a retry. */
  warn(message: string, ...details: unknown[]): void;
  /** Something failed. */
  error(message: string, ...details: unknown[]): void;
}

const LEVELS = ["debug", "info", "warn", "error"] as const;

/**
 * The logger `GLOBUS_SDK_LOG` asks for where the runtime has environment variables (Node, Deno,
 * Bun): `debug`, `info`, `warn` or `error` logs that level and above to the console, prefixed
 * `globus-app:`; unset, another value, or a browser gives undefined (no logging).
 */
export function loggerFromEnvironment(): GlobusLogger | undefined {
  const wanted = readEnvironmentVariable("GLOBUS_SDK_LOG")?.toLowerCase();
  const from = LEVELS.indexOf(wanted as (typeof LEVELS)[number]);
  if (from < 0) return undefined;
  const logger = {} as GlobusLogger;
  for (const [index, level] of LEVELS.entries()) {
    logger[level] =
      index < from ? () => {} : (message, ...details) => console[level](`globus-app: ${message}`, ...details);
  }
  return logger;
}
