import { GlobusSDKUsageError } from "@globus-app/core";

/** The environment every name assumes unless configured otherwise. */
export const PRODUCTION = "production";

/**
 * Encodes one component of a composite name. Components are joined with `:`, so a `:` inside a
 * namespace ("a:b") must not be able to impersonate a longer prefix ("a" + ":b…"); percent-encoding
 * keeps the join unambiguous and leaves ordinary ids and host names readable.
 */
export function encodeNameComponent(value: string): string {
  return encodeURIComponent(value);
}

/** Checks a required, non-empty string option; the message names the option, never its value. */
export function requireNonEmpty(value: unknown, option: string, owner: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new GlobusSDKUsageError(`${owner}: option '${option}' must be a non-empty string.`);
  }
  return value;
}

/** `globus-app:<clientId>`, plus `:<environment>` outside production. */
export function defaultDatabaseName(clientId: string, environment: string): string {
  const base = `globus-app:${encodeNameComponent(clientId)}`;
  return environment === PRODUCTION ? base : `${base}:${encodeNameComponent(environment)}`;
}

/** `globus-app:<clientId>:<environment>:<namespace>:` — every key a storage owns starts with it. */
export function scopePrefix(clientId: string, environment: string, namespace: string): string {
  return `globus-app:${[clientId, environment, namespace].map(encodeNameComponent).join(":")}:`;
}
