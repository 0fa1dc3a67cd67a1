/** Resource server of Globus Auth itself (`openid`, `profile`, `email`, `urn:…:auth.globus.org:*`). */
export const AUTH_RESOURCE_SERVER = "auth.globus.org";

/** Resource server of Globus Transfer, which the emulator's fake `/transfer/` API plays. */
export const TRANSFER_RESOURCE_SERVER = "transfer.api.globus.org";

/** The Transfer scope that the fake `/transfer/` API requires. */
export const TRANSFER_ALL_SCOPE = "urn:globus:auth:scope:transfer.api.globus.org:all";

/** Resource server of Globus Groups, which the emulator's fake `/groups/` API plays. */
export const GROUPS_RESOURCE_SERVER = "groups.api.globus.org";

/** Resource server of Globus Search, which the emulator's fake `/search/` API plays. */
export const SEARCH_RESOURCE_SERVER = "search.api.globus.org";

/** The Search scope that allows everything. */
export const SEARCH_ALL_SCOPE = "urn:globus:auth:scope:search.api.globus.org:all";
/** The Search scope for queries. */
export const SEARCH_SEARCH_SCOPE = "urn:globus:auth:scope:search.api.globus.org:search";
/** The Search scope for ingest and deletes. */
export const SEARCH_INGEST_SCOPE = "urn:globus:auth:scope:search.api.globus.org:ingest";

/** Resource server of Globus Flows, which the emulator's fake `/flows/` API plays. */
export const FLOWS_RESOURCE_SERVER = "flows.globus.org";

/** @internal A scope of the Flows service itself, e.g. `flowsScope("all")`. */
export const flowsScope = (name: string): string =>
  `https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/${name}`;

/** The Flows scope that allows every call of the fake Flows. */
export const FLOWS_ALL_SCOPE = flowsScope("all");

/** A flow's `user` scope, which its runs need (resource server = the flow id). */
export const flowUserScope = (flowId: string): string =>
  `https://auth.globus.org/scopes/${flowId}/flow_${flowId.replaceAll("-", "_")}_user`;

const URN_PREFIX = "urn:globus:auth:scope:";
const URL_PREFIX = "https://auth.globus.org/scopes/";

// Services whose scopes are named after their client id but whose tokens name another resource server.
const URL_SCOPE_OWNERS: Readonly<Record<string, string>> = {
  "eec9b274-0c81-4334-bdc2-54e90e689b9a": "flows.globus.org",
  "facd7ccc-c5f4-42aa-916b-a0e270e2c2a9": "funcx_service",
  "524230d7-ea86-4a52-8312-86065a9e0417": "524230d7-ea86-4a52-8312-86065a9e0417",
};

// Scope strings reach us from URLs and forms: refuse anything that could not be a real scope name.
const SAFE_SCOPE = /^[\x21-\x7e]+$/;

/**
 * The resource server whose token carries `scope`, following Globus Auth's naming: bare `openid`,
 * `profile`, `email` → `auth.globus.org`; `urn:globus:auth:scope:<rs>:<name>` → `<rs>`;
 * `https://auth.globus.org/scopes/<id>/<name>` → `<id>` (a client, flow or collection id), except
 * Flows (`flows.globus.org`) and Compute (`funcx_service`), which answer under another name.
 *
 * @returns the resource server, or `undefined` for a scope Globus Auth would not know.
 * @example
 * resourceServerForScope("urn:globus:auth:scope:transfer.api.globus.org:all"); // "transfer.api.globus.org"
 */
export function resourceServerForScope(scope: string): string | undefined {
  if (!SAFE_SCOPE.test(scope)) return undefined;
  if (scope === "openid" || scope === "profile" || scope === "email") return AUTH_RESOURCE_SERVER;
  if (scope.startsWith(URN_PREFIX)) {
    const rest = scope.slice(URN_PREFIX.length);
    const colon = rest.indexOf(":");
    if (colon <= 0 || colon === rest.length - 1) return undefined;
    return rest.slice(0, colon);
  }
  if (scope.startsWith(URL_PREFIX)) {
    const rest = scope.slice(URL_PREFIX.length);
    const slash = rest.indexOf("/");
    if (slash <= 0 || slash === rest.length - 1) return undefined;
    const owner = rest.slice(0, slash);
    return URL_SCOPE_OWNERS[owner] ?? owner;
  }
  return undefined;
}

/**
 * The collection `data_access` scope for a Globus Connect Server collection.
 *
 * @example
 * dataAccessScope("c0ffee…"); // "https://auth.globus.org/scopes/c0ffee…/data_access"
 */
export function dataAccessScope(collectionId: string): string {
  return `${URL_PREFIX}${collectionId}/data_access`;
}

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  openid: "Know who you are in Globus",
  profile: "View your name, username and organization",
  email: "View your email address",
  [TRANSFER_ALL_SCOPE]: "Transfer files using Globus Transfer",
  "urn:globus:auth:scope:auth.globus.org:view_identities": "View identities in Globus",
  "urn:globus:auth:scope:auth.globus.org:view_consents": "View your consents",
  "urn:globus:auth:scope:groups.api.globus.org:all": "Manage your Globus groups",
  "urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships":
    "View your Globus groups and memberships",
  [SEARCH_ALL_SCOPE]: "Search and manage Globus Search indices",
  [SEARCH_SEARCH_SCOPE]: "Search Globus Search indices",
  [SEARCH_INGEST_SCOPE]: "Add and remove entries of Globus Search indices",
};

/** A human description of a scope for the consent page; `undefined` when the emulator has none. */
export function describeScope(scope: string): string | undefined {
  if (scope.startsWith(URL_PREFIX) && scope.endsWith("/data_access")) {
    return `Access data on collection ${scope.slice(URL_PREFIX.length, -"/data_access".length)}`;
  }
  return DESCRIPTIONS[scope];
}
