import { GlobusSDKUsageError } from "../errors/usage-error.ts";

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

/** Throws a usage error unless `environment` is one this library knows. */
export function assertKnownEnvironment(environment: string): void {
  if (!Object.hasOwn(GLOBUS_ENVIRONMENTS, environment)) {
    throw new GlobusSDKUsageError(
      `Unrecognized environment "${environment}". Known environments: ${Object.keys(GLOBUS_ENVIRONMENTS).join(", ")}.`,
    );
  }
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
  const override = serviceUrlOverride("auth");
  if (override) return override;
  assertKnownEnvironment(environment);
  return `https://auth.${GLOBUS_ENVIRONMENTS[environment]}/`;
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
  const override = serviceUrlOverride(service);
  if (override) return override;
  assertKnownEnvironment(environment);
  const domain = GLOBUS_ENVIRONMENTS[environment] as string;
  if (environment === "production" && PRODUCTION_URLS[service]) return PRODUCTION_URLS[service];
  if (service === "auth" || service === "app") return `https://${service}.${domain}/`;
  if (service === "actions" || service === "flows" || service === "timer") {
    return `https://${environment}.${service}.automate.globus.org/`;
  }
  return `https://${service}.api.${domain}/`;
}
