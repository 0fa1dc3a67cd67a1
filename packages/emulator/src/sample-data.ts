/** A client registration: with a `secret` it is confidential, without one it is a native app. */
export interface ClientRegistration {
  /** The client id (Globus uses UUIDs, but any non-empty string without `:` works here). */
  readonly id: string;
  /** Client secret; present ⇒ confidential client (authenticates with HTTP Basic). */
  readonly secret?: string | undefined;
  /** Shown on the consent page. Default: `"App <id>"`. */
  readonly name?: string | undefined;
  /** Redirect URIs this client may use, compared exactly. */
  readonly redirectUris?: readonly string[] | undefined;
}

/** An identity that can sign in, as registered with the emulator. */
export interface IdentityRegistration {
  /** Identity id; default: a UUID derived from the username (stable across restarts). */
  readonly id?: string | undefined;
  /** Globus username, `user@domain`; the domain is what `session_required_single_domain` matches. */
  readonly username: string;
  /** Display name; default: the part of the username before `@`. */
  readonly name?: string | null | undefined;
  /** Email; default: the username. */
  readonly email?: string | null | undefined;
  /** Organization; default: `null`. */
  readonly organization?: string | null | undefined;
  /** Identity provider UUID; default: one derived from the username's domain. */
  readonly identityProvider?: string | undefined;
  /** Identity provider display name; default: the username's domain. */
  readonly identityProviderDisplayName?: string | undefined;
  /** Identity API `status`; default `"used"`. */
  readonly status?: "used" | "unused" | undefined;
}

/**
 * The sample native (public) client registered when no clients are configured. It may redirect to
 * any loopback URL (`http://127.0.0.1:<port>/…`, `http://localhost:<port>/…`) and to the
 * emulator's own `v2/web/auth-code` page; PKCE (S256) is required.
 */
export const SAMPLE_NATIVE_CLIENT = {
  id: "5b20fbc2-c639-4ccb-9f61-adaaa8eba170",
  name: "Sample native app",
  redirectUris: [],
} as const satisfies ClientRegistration;

/**
 * The sample confidential client registered when no clients are configured. Its secret is a
 * published test value; never reuse it anywhere real. Registered redirect:
 * `http://localhost:8080/callback` (add others with the `redirectUris` option).
 */
export const SAMPLE_CONFIDENTIAL_CLIENT = {
  id: "277d206b-9936-4aa4-a0a6-3734118f5bba",
  secret: "sample-secret-WlMDkM_aAfZDkwmSVyyxnn18okJJAx60",
  name: "Sample confidential app",
  redirectUris: ["http://localhost:8080/callback"],
} as const satisfies ClientRegistration;

/**
 * The sample identities registered when none are configured: two at `example.org` (one identity
 * provider) and one at `example.net` (another), for `session_required_single_domain` tests.
 */
export const SAMPLE_IDENTITIES = [
  {
    id: "e97b81af-bba5-4d10-849c-0b40ea5084c1",
    username: "ada@example.org",
    name: "Ada Lovelace",
    email: "ada@example.org",
    organization: "Example University",
    identityProvider: "b861dc6d-a06d-4a24-8d0e-9e2c593a1ad9",
    identityProviderDisplayName: "Example University",
  },
  {
    id: "dd42d95b-d492-4d3d-b39c-e0ef1d8c5724",
    username: "grace@example.org",
    name: "Grace Hopper",
    email: "grace@example.org",
    organization: "Example University",
    identityProvider: "b861dc6d-a06d-4a24-8d0e-9e2c593a1ad9",
    identityProviderDisplayName: "Example University",
  },
  {
    id: "91944549-2367-46cd-b539-78743c02ab1b",
    username: "alan@example.net",
    name: "Alan Turing",
    email: "alan@example.net",
    organization: "Example Laboratory",
    identityProvider: "87bd1a88-b66a-4bb9-aabc-79c3a63398ca",
    identityProviderDisplayName: "Example Laboratory",
  },
] as const satisfies readonly IdentityRegistration[];

/** Identity provider named in the claims of client identities (client-credentials tokens). */
export const CLIENT_IDENTITY_PROVIDER = "4d0430ea-4bb7-41f6-bbab-3d6b678c3251";
