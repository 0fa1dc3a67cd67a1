import { ConsentForest } from "../scopes/consent-forest.ts";
import { GlobusClient, type GlobusClientOptions } from "./globus-client.ts";

/** One identity as Globus Auth's identities API returns it. */
export interface GlobusIdentity {
  id: string;
  username: string;
  name: string | null;
  email: string | null;
  organization: string | null;
  identity_provider: string;
  status: string;
  [key: string]: unknown;
}

/**
 * Globus Auth's resource APIs (userinfo, identities, consents) for an app's signed-in identity.
 * Registers `openid profile email` with a bound app.
 *
 * @example
 * ```ts
 * const auth = new AuthClient({ app });
 * const me = await auth.userinfo();
 * ```
 */
export class AuthClient extends GlobusClient {
  constructor(options: GlobusClientOptions = {}) {
    super(options, {
      service: "auth",
      resourceServer: "auth.globus.org",
      defaultScopes: "openid profile email",
    });
  }

  /** The signed-in identity's OIDC userinfo. */
  userinfo(): Promise<Record<string, unknown> & { sub: string }> {
    return this.get("v2/oauth2/userinfo");
  }

  /** Looks up identities by id or by username. */
  async getIdentities(query: {
    ids?: readonly string[];
    usernames?: readonly string[];
  }): Promise<GlobusIdentity[]> {
    const body = await this.get<{ identities: GlobusIdentity[] }>("v2/api/identities", {
      query: {
        ids: query.ids?.join(","),
        usernames: query.usernames?.join(","),
      },
    });
    return body.identities;
  }

  /** An identity's consents, as a {@link ConsentForest}. */
  async getConsents(identityId: string, options: { all?: boolean } = {}): Promise<ConsentForest> {
    const body = await this.get(`v2/api/identities/${encodeURIComponent(identityId)}/consents`, {
      query: { all: options.all ?? false },
    });
    return ConsentForest.fromConsentsResponse(body);
  }
}
