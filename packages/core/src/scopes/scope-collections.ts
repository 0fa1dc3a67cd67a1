import { Scope } from "./scope.ts";

/**
 * A frozen namespace of scopes for one resource server. Iterating it yields its `Scope` members
 * (not `resourceServer` or other string members).
 */
export interface ScopeCollection extends Iterable<Scope> {
  /** The resource server whose tokens carry these scopes (the key of `scopeRequirements`). */
  readonly resourceServer: string;
}

/**
 * A scope in Globus Auth's URN form: `urn:globus:auth:scope:<resourceServer>:<name>`.
 *
 * @throws {GlobusSDKUsageError} the result contains spaces, `[`, `]` or `*`.
 * @example
 * ```ts
 * String(urnScope("transfer.api.globus.org", "all")); // "urn:globus:auth:scope:transfer.api.globus.org:all"
 * ```
 */
/* @__NO_SIDE_EFFECTS__ */
export function urnScope(resourceServer: string, name: string): Scope {
  return new Scope(`urn:globus:auth:scope:${resourceServer}:${name}`);
}

/**
 * A scope in Globus Auth's URL form: `https://auth.globus.org/scopes/<resourceServer>/<name>`.
 *
 * @throws {GlobusSDKUsageError} the result contains spaces, `[`, `]` or `*`.
 * @example
 * ```ts
 * String(urlScope("524230d7-ea86-4a52-8312-86065a9e0417", "timer"));
 * // "https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer"
 * ```
 */
/* @__NO_SIDE_EFFECTS__ */
export function urlScope(resourceServer: string, name: string): Scope {
  return new Scope(`https://auth.globus.org/scopes/${resourceServer}/${name}`);
}

/**
 * Defines a {@link ScopeCollection}: a frozen object with `resourceServer`, the given members, and
 * iteration over its `Scope` members in definition order.
 *
 * @example
 * ```ts
 * const MyScopes = defineScopeCollection("my-rs.example.org", { read: urnScope("my-rs.example.org", "read") });
 * [...MyScopes].map(String); // ["urn:globus:auth:scope:my-rs.example.org:read"]
 * ```
 */
/* @__NO_SIDE_EFFECTS__ */
export function defineScopeCollection<
  const RS extends string,
  const M extends Record<string, Scope | string>,
>(resourceServer: RS, members: M): Readonly<M> & { readonly resourceServer: RS } & ScopeCollection {
  const collection = {
    ...members,
    resourceServer,
    *[Symbol.iterator](): Iterator<Scope> {
      for (const value of Object.values(members)) if (value instanceof Scope) yield value;
    },
  };
  return Object.freeze(collection);
}

const AUTH = "auth.globus.org";
const TRANSFER = "transfer.api.globus.org";
const GROUPS = "groups.api.globus.org";
const SEARCH = "search.api.globus.org";
const TIMERS = "524230d7-ea86-4a52-8312-86065a9e0417";
const FLOWS_CLIENT = "eec9b274-0c81-4334-bdc2-54e90e689b9a";
const COMPUTE_CLIENT = "facd7ccc-c5f4-42aa-916b-a0e270e2c2a9";

/**
 * Globus Auth (`auth.globus.org`): the OpenID Connect scopes `openid`, `profile`, `email` (bare
 * strings) and URN scopes `manage_projects`, `view_authentications`, `view_clients`,
 * `view_clients_and_scopes`, `view_consents`, `view_identities`, `view_identity_set`.
 *
 * @example
 * ```ts
 * String(AuthScopes.view_consents); // "urn:globus:auth:scope:auth.globus.org:view_consents"
 * ```
 */
export const AuthScopes = /* @__PURE__ */ defineScopeCollection(AUTH, {
  openid: /* @__PURE__ */ new Scope("openid"),
  profile: /* @__PURE__ */ new Scope("profile"),
  email: /* @__PURE__ */ new Scope("email"),
  manage_projects: urnScope(AUTH, "manage_projects"),
  view_authentications: urnScope(AUTH, "view_authentications"),
  view_clients: urnScope(AUTH, "view_clients"),
  view_clients_and_scopes: urnScope(AUTH, "view_clients_and_scopes"),
  view_consents: urnScope(AUTH, "view_consents"),
  view_identities: urnScope(AUTH, "view_identities"),
  view_identity_set: urnScope(AUTH, "view_identity_set"),
});

/**
 * Globus Transfer (`transfer.api.globus.org`): `all`, `gcp_install`. Use
 * {@link transferWithDataAccess} to add collections' `data_access` scopes.
 *
 * @example
 * ```ts
 * String(TransferScopes.all); // "urn:globus:auth:scope:transfer.api.globus.org:all"
 * ```
 */
export const TransferScopes = /* @__PURE__ */ defineScopeCollection(TRANSFER, {
  all: urnScope(TRANSFER, "all"),
  gcp_install: urnScope(TRANSFER, "gcp_install"),
});

/**
 * Globus Groups (`groups.api.globus.org`): `all`, `view_my_groups_and_memberships`.
 *
 * @example
 * ```ts
 * String(GroupsScopes.all); // "urn:globus:auth:scope:groups.api.globus.org:all"
 * ```
 */
export const GroupsScopes = /* @__PURE__ */ defineScopeCollection(GROUPS, {
  all: urnScope(GROUPS, "all"),
  view_my_groups_and_memberships: urnScope(GROUPS, "view_my_groups_and_memberships"),
});

/**
 * Globus Search (`search.api.globus.org`): `all`, `globus_connect_server`, `ingest`, `search`.
 *
 * @example
 * ```ts
 * String(SearchScopes.search); // "urn:globus:auth:scope:search.api.globus.org:search"
 * ```
 */
export const SearchScopes = /* @__PURE__ */ defineScopeCollection(SEARCH, {
  all: urnScope(SEARCH, "all"),
  globus_connect_server: urnScope(SEARCH, "globus_connect_server"),
  ingest: urnScope(SEARCH, "ingest"),
  search: urnScope(SEARCH, "search"),
});

/**
 * Globus Timers (resource server `524230d7-ea86-4a52-8312-86065a9e0417`): `timer`. See
 * {@link timerWithTransferDataAccess} and {@link timerWithFlowUser}.
 *
 * @example
 * ```ts
 * String(TimersScopes.timer); // "https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer"
 * ```
 */
export const TimersScopes = /* @__PURE__ */ defineScopeCollection(TIMERS, {
  timer: urlScope(TIMERS, "timer"),
});

/**
 * Globus Flows (resource server `flows.globus.org`; scopes are URL form under its client id
 * `eec9b274-0c81-4334-bdc2-54e90e689b9a`, given as `clientId`): `all`, `manage_flows`, `view_flows`,
 * `run`, `run_status`, `run_manage`. A single flow's `user` scope: {@link specificFlowScopes}.
 *
 * @example
 * ```ts
 * String(FlowsScopes.run); // "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/run"
 * ```
 */
export const FlowsScopes = /* @__PURE__ */ defineScopeCollection("flows.globus.org", {
  clientId: FLOWS_CLIENT,
  all: urlScope(FLOWS_CLIENT, "all"),
  manage_flows: urlScope(FLOWS_CLIENT, "manage_flows"),
  view_flows: urlScope(FLOWS_CLIENT, "view_flows"),
  run: urlScope(FLOWS_CLIENT, "run"),
  run_status: urlScope(FLOWS_CLIENT, "run_status"),
  run_manage: urlScope(FLOWS_CLIENT, "run_manage"),
});

/**
 * Globus Compute (resource server `funcx_service`; scopes are URL form under its client id
 * `facd7ccc-c5f4-42aa-916b-a0e270e2c2a9`, given as `clientId`): `all`.
 *
 * @example
 * ```ts
 * String(ComputeScopes.all); // "https://auth.globus.org/scopes/facd7ccc-c5f4-42aa-916b-a0e270e2c2a9/all"
 * ```
 */
export const ComputeScopes = /* @__PURE__ */ defineScopeCollection("funcx_service", {
  clientId: COMPUTE_CLIENT,
  all: urlScope(COMPUTE_CLIENT, "all"),
});
