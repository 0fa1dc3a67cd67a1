import {
  CLIENT_IDENTITY_PROVIDER,
  type ClientRegistration,
  type IdentityRegistration,
} from "./sample-data.ts";
import { isUuid, stableUuid } from "./stable-uuid.ts";

/** A registered client as the emulator holds it. */
export interface EmulatorClient {
  readonly id: string;
  /** `"confidential"` when it has a secret. */
  readonly type: "native" | "confidential";
  readonly name: string;
  readonly secret: string | undefined;
  readonly redirectUris: readonly string[];
}

/** A registered identity as the emulator holds it. */
export interface EmulatorIdentity {
  readonly id: string;
  readonly username: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly organization: string | null;
  readonly identityProvider: string;
  readonly identityProviderDisplayName: string;
  readonly status: "used" | "unused";
}

/** Thrown for an invalid client or identity registration. */
export class RegistrationError extends Error {
  override readonly name = "RegistrationError";
}

/**
 * @internal Who exists: the registered clients (with the redirect URIs every client may use) and
 * the identities that can sign in, and how a grant's subject (a person, or a client acting as
 * itself) shows up in claims. Registration checks every field, since registrations come from
 * options, the control API and state files alike.
 */
export class ClientIdentityRegistry {
  readonly clients = new Map<string, EmulatorClient>();
  readonly identities = new Map<string, EmulatorIdentity>();
  /** Redirect URIs allowed for every client (compared exactly). */
  globalRedirectUris: readonly string[] = [];
  readonly #changed: () => void;

  /** @param changed called after every registration (for the state file). */
  constructor(changed: () => void) {
    this.#changed = changed;
  }

  /**
   * Registers (or replaces) a client; with a secret it is confidential.
   * @throws {RegistrationError} for an invalid id, secret, name or redirect URI list.
   */
  registerClient(registration: ClientRegistration): EmulatorClient {
    const { id, secret, name, redirectUris } = registration as Partial<ClientRegistration>;
    if (typeof id !== "string" || id.length === 0 || id.length > 200 || /[:\s]/.test(id)) {
      throw new RegistrationError("client id must be a non-empty string without ':' or whitespace");
    }
    if (secret !== undefined && (typeof secret !== "string" || secret.length === 0 || secret.length > 500)) {
      throw new RegistrationError("client secret must be a non-empty string");
    }
    if (name !== undefined && typeof name !== "string")
      throw new RegistrationError("client name must be a string");
    const uris = redirectUris ?? [];
    if (!Array.isArray(uris) || !uris.every((uri) => typeof uri === "string" && isAbsoluteUrl(uri))) {
      throw new RegistrationError("redirectUris must be a list of absolute URLs");
    }
    const client: EmulatorClient = {
      id,
      type: secret === undefined ? "native" : "confidential",
      name: name ?? `App ${id}`,
      secret,
      redirectUris: [...uris],
    };
    this.clients.set(id, client);
    this.#changed();
    return client;
  }

  /**
   * Registers (or replaces) an identity, filling in what the registration leaves out from its
   * username (see {@link IdentityRegistration}).
   * @throws {RegistrationError} for a username that is not `user@domain` or an ill-typed field.
   */
  registerIdentity(registration: IdentityRegistration): EmulatorIdentity {
    const r = checkIdentityRegistration(registration);
    const username = r.username.toLowerCase();
    const domain = domainOf(username);
    const identity: EmulatorIdentity = {
      id: (r.id ?? stableUuid("identity", username)).toLowerCase(),
      username,
      name: r.name === undefined ? username.slice(0, username.indexOf("@")) : r.name,
      email: r.email === undefined ? username : r.email,
      organization: r.organization ?? null,
      identityProvider: r.identityProvider ?? stableUuid("identity-provider", domain),
      identityProviderDisplayName: r.identityProviderDisplayName ?? domain,
      status: r.status ?? "used",
    };
    this.identities.set(identity.id, identity);
    this.#changed();
    return identity;
  }

  /** An identity by id or (case-insensitive) username. */
  findIdentity(idOrUsername: string): EmulatorIdentity | undefined {
    const key = idOrUsername.trim().toLowerCase();
    return (
      this.identities.get(key) ?? [...this.identities.values()].find((identity) => identity.username === key)
    );
  }

  /** The identity a grant's subject names: a person, or a client's own identity. */
  subjectIdentity(subject: string): EmulatorIdentity {
    const identity = this.identities.get(subject);
    if (identity) return identity;
    const client = this.clients.get(subject);
    return {
      id: subject,
      username: `${subject}@clients.auth.globus.org`,
      name: client?.name ?? null,
      email: null,
      organization: null,
      identityProvider: CLIENT_IDENTITY_PROVIDER,
      identityProviderDisplayName: "Globus Auth clients",
      status: "used",
    };
  }

  /** Claims shared by id_tokens and userinfo. */
  identityClaims(subject: string, authTime: number): Record<string, unknown> {
    const identity = this.subjectIdentity(subject);
    const lastAuthentication = Math.floor(authTime);
    const base = {
      ...(identity.organization === null ? {} : { organization: identity.organization }),
      name: identity.name,
      identity_provider: identity.identityProvider,
      identity_provider_display_name: identity.identityProviderDisplayName,
      email: identity.email,
    };
    return {
      sub: identity.id,
      ...base,
      preferred_username: identity.username,
      last_authentication: lastAuthentication,
      identity_set: [
        { sub: identity.id, username: identity.username, ...base, last_authentication: lastAuthentication },
      ],
    };
  }
}

/** The registration with every field checked; what it leaves out is still `undefined`. */
function checkIdentityRegistration(registration: IdentityRegistration): IdentityRegistration {
  const r = registration as Partial<IdentityRegistration>;
  if (typeof r.username !== "string" || !/^[^\s@]+@[^\s@]+$/.test(r.username) || r.username.length > 300) {
    throw new RegistrationError("identity username must look like user@domain");
  }
  if (r.id !== undefined && (typeof r.id !== "string" || !isUuid(r.id))) {
    throw new RegistrationError("identity id must be a UUID");
  }
  for (const key of ["name", "email", "organization"] as const) {
    const value = r[key];
    if (value !== undefined && value !== null && typeof value !== "string") {
      throw new RegistrationError(`identity ${key} must be a string or null`);
    }
  }
  for (const key of ["identityProvider", "identityProviderDisplayName"] as const) {
    const value = r[key];
    if (value !== undefined && typeof value !== "string")
      throw new RegistrationError(`identity ${key} must be a string`);
  }
  if (r.status !== undefined && r.status !== "used" && r.status !== "unused") {
    throw new RegistrationError('identity status must be "used" or "unused"');
  }
  return r as IdentityRegistration;
}

/** @internal The part of a username after the last `@`, lower-cased. */
export function domainOf(username: string): string {
  return username.slice(username.lastIndexOf("@") + 1).toLowerCase();
}

function isAbsoluteUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
