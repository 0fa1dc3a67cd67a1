import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import { isLoopbackHttp } from "../internal/is-loopback-http.ts";

/** The Globus environments this library knows, and the domain of each. */
export const GLOBUS_ENVIRONMENTS: Readonly<Record<string, string>> = Object.freeze({
  production: "globus.org",
  preview: "preview.globus.org",
  sandbox: "sandbox.globuscs.info",
  integration: "integration.globuscs.info",
  test: "test.globuscs.info",
  staging: "staging.globuscs.info",
});

const PRODUCTION_URLS: Readonly<Record<string, string>> = {
  nexus: "https://nexus.api.globusonline.org/",
  timer: "https://timer.automate.globus.org/",
  flows: "https://flows.automate.globus.org/",
  actions: "https://actions.automate.globus.org/",
};

/**
 * Reads an environment variable where the runtime exposes one (Node, Bun, Deno with permission);
 * undefined in browsers or when reading is not allowed. Never touches `process` unguarded.
 */
export function readEnvironmentVariable(name: string): string | undefined {
  const g = globalThis as {
    process?: { env?: Record<string, string | undefined> };
    Deno?: { env?: { get(key: string): string | undefined } };
  };
  try {
    if (g.Deno?.env) return g.Deno.env.get(name);
    return g.process?.env?.[name];
  } catch {
    // Deno without --allow-env throws; behave as if the variable were unset.
    return undefined;
  }
}

/** A Globus environment of your own (a private deployment, a test stack): see {@link registerEnvironment}. */
export interface EnvironmentConfig {
  /** The domain its services live under: Auth at `https://auth.<domain>/`, Transfer at `https://transfer.api.<domain>/`. */
  readonly domain: string;
  /** Base URLs of services that do not follow the domain's rule, by service name (e.g. `{ flows: "https://…/" }`). */
  readonly serviceUrls?: Readonly<Record<string, string>>;
}

const registered = new Map<string, EnvironmentConfig>();

/**
 * Registers a Globus environment by name, so that `environment: "<name>"` (or
 * `GLOBUS_SDK_ENVIRONMENT=<name>`) reaches its services — as subclassing `EnvConfig` does in the
 * Python SDK. Service URLs follow the built-in rules under `domain` unless `serviceUrls` names them;
 * `GLOBUS_SDK_SERVICE_URL_<SERVICE>` still wins. Registering a name again replaces it.
 *
 * @throws GlobusSDKUsageError for a built-in name, a name that is not lowercase letters, digits and
 *   `-`, a domain that is not a host name, or a service URL that is not absolute https (plain http
 *   only to this machine).
 * @example
 * ```ts
 * registerEnvironment("lab", { domain: "globus.lab.example.org" });
 * getServiceUrl("transfer", "lab"); // "https://transfer.api.globus.lab.example.org/"
 * ```
 */
export function registerEnvironment(name: string, config: EnvironmentConfig): void {
  if (
    typeof name !== "string" ||
    !/^[a-z0-9][a-z0-9-]*$/.test(name) ||
    Object.hasOwn(GLOBUS_ENVIRONMENTS, name)
  ) {
    throw new GlobusSDKUsageError(
      `An environment's name must be lowercase letters, digits and '-', and not a built-in one (${Object.keys(GLOBUS_ENVIRONMENTS).join(", ")}).`,
    );
  }
  const { domain, serviceUrls = {} } = config ?? {};
  if (
    typeof domain !== "string" ||
    !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(domain)
  ) {
    throw new GlobusSDKUsageError(
      `Environment "${name}": domain must be a host name such as globus.example.org.`,
    );
  }
  const urls: Record<string, string> = {};
  for (const [service, url] of Object.entries(serviceUrls)) {
    const parsed = typeof url === "string" && URL.canParse(url) ? new URL(url) : undefined;
    if (!parsed || (parsed.protocol !== "https:" && !isLoopbackHttp(parsed))) {
      throw new GlobusSDKUsageError(`Environment "${name}": the URL of ${service} must be absolute https.`);
    }
    urls[service] = parsed.href.endsWith("/") ? parsed.href : `${parsed.href}/`;
  }
  registered.set(name, { domain: domain.toLowerCase(), serviceUrls: urls });
}

/** Throws a usage error unless `environment` is one this library knows (built in or registered). */
export function assertKnownEnvironment(environment: string): void {
  if (!Object.hasOwn(GLOBUS_ENVIRONMENTS, environment) && !registered.has(environment)) {
    throw new GlobusSDKUsageError(
      `Unrecognized environment "${environment}". Known environments: ${[...Object.keys(GLOBUS_ENVIRONMENTS), ...registered.keys()].join(", ")}.`,
    );
  }
}

/** The base URL a registered environment names for a service, or `GLOBUS_SDK_SERVICE_URL_<SERVICE>`. */
function configuredUrl(service: string, environment: string): string | undefined {
  return serviceUrlOverride(service) ?? registered.get(environment)?.serviceUrls?.[service];
}

/** The domain of a known environment. @throws GlobusSDKUsageError for an unknown one. */
function domainOf(environment: string): string {
  assertKnownEnvironment(environment);
  return Object.hasOwn(GLOBUS_ENVIRONMENTS, environment)
    ? (GLOBUS_ENVIRONMENTS[environment] as string)
    : (registered.get(environment)?.domain as string);
}

/**
 * The environment to use: `explicit` when given, else `GLOBUS_SDK_ENVIRONMENT`, else `production`.
 *
 * @throws GlobusSDKUsageError for an unknown environment name.
 */
export function resolveEnvironment(explicit?: string): string {
  const environment = explicit ?? (readEnvironmentVariable("GLOBUS_SDK_ENVIRONMENT") || "production");
  assertKnownEnvironment(environment);
  return environment;
}

/** `GLOBUS_SDK_SERVICE_URL_<SERVICE>`, ending in `/`, when it is set. */
function serviceUrlOverride(service: string): string | undefined {
  const override = readEnvironmentVariable(`GLOBUS_SDK_SERVICE_URL_${service.toUpperCase()}`);
  if (override) return override.endsWith("/") ? override : `${override}/`;
  return undefined;
}

/**
 * Globus Auth's base URL: {@link getServiceUrl}`("auth", environment)` without the other services'
 * rules, which the login client (on every app's path) never needs.
 *
 * @throws GlobusSDKUsageError for an unknown environment.
 * @internal
 */
export function getAuthUrl(environment: string): string {
  return configuredUrl("auth", environment) ?? `https://auth.${domainOf(environment)}/`;
}

/**
 * The base URL (ending in `/`) of a Globus service in an environment, honouring
 * `GLOBUS_SDK_SERVICE_URL_<SERVICE>` overrides.
 *
 * @example
 * ```ts
 * getServiceUrl("auth");              // "https://auth.globus.org/"
 * getServiceUrl("transfer", "preview"); // "https://transfer.api.preview.globus.org/"
 * ```
 * @throws GlobusSDKUsageError for an unknown environment.
 */
export function getServiceUrl(service: string, environment: string = resolveEnvironment()): string {
  const configured = configuredUrl(service, environment);
  if (configured) return configured;
  const domain = domainOf(environment);
  if (environment === "production" && PRODUCTION_URLS[service]) return PRODUCTION_URLS[service];
  if (service === "auth" || service === "app") return `https://${service}.${domain}/`;
  if (service === "actions" || service === "flows" || service === "timer") {
    return `https://${environment}.${service}.automate.globus.org/`;
  }
  return `https://${service}.api.${domain}/`;
}

// setTimeout's largest delay (about 24.8 days); longer ones fire at once.
const MAX_TIMEOUT_MS = 2_147_483_647;

/** The time limit of a request to Globus when nothing else sets one: 60 s, as in the Python SDK. */
export const DEFAULT_HTTP_TIMEOUT_MS = 60_000;

/**
 * The time limit of one request to Globus, in milliseconds, from `GLOBUS_SDK_HTTP_TIMEOUT` (seconds,
 * fractions allowed, read as the Python SDK reads it): unset or empty → 60 s; `-1` → `null`, no time
 * limit. Read when a client is built, never at import; browsers have no environment and get 60 s.
 *
 * @example
 * ```ts
 * // GLOBUS_SDK_HTTP_TIMEOUT=2.5
 * getHttpTimeoutMs(); // 2500
 * ```
 * @throws GlobusSDKUsageError for a value that is not a positive number or -1.
 */
export function getHttpTimeoutMs(): number | null {
  const raw = readEnvironmentVariable("GLOBUS_SDK_HTTP_TIMEOUT")?.trim();
  if (raw === undefined || raw === "") return DEFAULT_HTTP_TIMEOUT_MS;
  const seconds = Number(raw);
  if (seconds === -1) return null;
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds * 1000 > MAX_TIMEOUT_MS) {
    throw new GlobusSDKUsageError(
      `Invalid GLOBUS_SDK_HTTP_TIMEOUT "${raw.slice(0, 40)}": expected a number of seconds > 0, or -1 for no time limit.`,
    );
  }
  return Math.max(1, Math.round(seconds * 1000));
}

/**
 * Checks a `timeoutMs`-style option: a whole number of milliseconds from 1 to 2147483647, or `null`
 * for no time limit; `undefined` means "the default", {@link getHttpTimeoutMs}.
 *
 * @throws GlobusSDKUsageError for any other value, naming `what`.
 * @internal
 */
export function resolveTimeoutMs(value: number | null | undefined, what: string): number | null {
  if (value === undefined) return getHttpTimeoutMs();
  if (value === null) return null;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_TIMEOUT_MS) {
    throw new GlobusSDKUsageError(
      `${what} must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, or null for no time limit.`,
    );
  }
  return value;
}
