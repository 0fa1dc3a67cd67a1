import { randomUUID } from "node:crypto";
import { bearerToken } from "./http-utils.ts";
import { isoTime } from "./iso-time.ts";
import type { RequestContext } from "./request-context.ts";
import { dataAccessScope, TRANSFER_ALL_SCOPE, TRANSFER_RESOURCE_SERVER } from "./scope-registry.ts";
import { isUuid } from "./stable-uuid.ts";
import type { AccessTokenRecord } from "./token-store.ts";
import { ownerIdOf, SAMPLE_COLLECTIONS, type SampleCollection } from "./transfer-collections.ts";
import {
  directoryPath,
  fileDocument,
  globMatch,
  lookup,
  parentOf,
  setChild,
  splitPath,
  TreeError,
} from "./transfer-file-tree.ts";
import {
  type AccessRule,
  EDITABLE_ENDPOINT_FIELDS,
  type RoleRecord,
  type TaskRecord,
  TransferFault,
  type TransferStore,
} from "./transfer-store.ts";

/** @internal One Transfer call: the request and the caller's live Transfer token. */
type TransferHandler = (ctx: RequestContext, caller: AccessTokenRecord, store: TransferStore) => void;

/** @internal A Transfer route: a pattern on the path after `/transfer/v0.10/`. */
export interface TransferRoute {
  readonly pattern: RegExp;
  readonly methods: Readonly<Partial<Record<string, TransferHandler>>>;
}

const ROLES = ["administrator", "access_manager", "activity_manager", "activity_monitor"];
const ACL_PRINCIPALS = ["identity", "group", "all_authenticated_users", "anonymous"];

const fault = (status: number, code: string, message: string): TransferFault =>
  new TransferFault(status, code, message);
const badRequest = (message: string): TransferFault => fault(400, "ClientError.BadRequest", message);
const notFound = (what: string): TransferFault => fault(404, "ClientError.NotFound", `${what} not found`);
const denied = (message: string): TransferFault => fault(403, "PermissionDenied", message);

/** @internal Transfer's error body: `{ code, message, request_id, resource }` and any extras. */
export function transferError(
  ctx: RequestContext,
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  ctx.respond.json(status, {
    code,
    message,
    request_id: randomUUID().replaceAll("-", "").slice(0, 9),
    resource: ctx.path.slice("/transfer".length),
    ...extra,
  });
}

/** Transfer's `{ DATA_TYPE: "result", code, message, … }` answer to a change. */
function result(ctx: RequestContext, status: number, code: string, message: string, extra = {}): void {
  ctx.respond.json(status, {
    DATA_TYPE: "result",
    code,
    message,
    request_id: randomUUID().replaceAll("-", "").slice(0, 9),
    resource: ctx.path.slice("/transfer".length),
    ...extra,
  });
}

/** The caller's active Transfer token; sends Transfer's 401 and returns `undefined` otherwise. */
function authenticate(ctx: RequestContext): AccessTokenRecord | undefined {
  const header = ctx.req.headers.authorization;
  if (header === undefined) {
    transferError(ctx, 401, "AuthenticationFailed", "No Authorization header provided");
    return undefined;
  }
  const record = ctx.state.activeAccessToken(bearerToken(header));
  if (!record) {
    transferError(ctx, 401, "AuthenticationFailed", "Token is not active");
    return undefined;
  }
  if (record.resourceServer !== TRANSFER_RESOURCE_SERVER) {
    transferError(ctx, 401, "AuthenticationFailed", "Token is not valid for the Transfer service");
    return undefined;
  }
  return record;
}

/** @internal Runs a Transfer handler: authentication, the clock's effect on tasks, Transfer's errors. */
export function runTransfer(ctx: RequestContext, handler: TransferHandler): void {
  const caller = authenticate(ctx);
  if (!caller) return;
  const store = ctx.state.transfer;
  store.settle();
  try {
    handler(ctx, caller, store);
  } catch (error) {
    if (error instanceof TransferFault) {
      transferError(ctx, error.status, error.code, error.message);
    } else if (error instanceof GareFault) {
      transferError(ctx, 403, error.code, error.message, error.extra);
    } else if (error instanceof TreeError) {
      const [status, code] = {
        "not-found": [404, "ClientError.NotFound"],
        exists: [502, "ExternalError.MkdirFailed.Exists"],
        "not-a-directory": [502, "ExternalError.DirListingFailed.NotDirectory"],
        "is-a-directory": [502, "ExternalError.IsADirectory"],
        "invalid-path": [400, "ClientError.BadRequest"],
      }[error.kind] as [number, string];
      transferError(ctx, status, code, error.message);
    } else {
      throw error;
    }
  }
}

/** A 403 carrying a GARE. */
class GareFault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The JSON object body of a request. */
function jsonBody(ctx: RequestContext): Record<string, unknown> {
  const type = (ctx.req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") throw badRequest("The request body must be application/json");
  let value: unknown;
  try {
    value = JSON.parse(ctx.body.toString("utf8"));
  } catch {
    throw badRequest("The request body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest("The request body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

function dataType(body: Record<string, unknown>, expected: string): void {
  if (body.DATA_TYPE !== undefined && body.DATA_TYPE !== expected) {
    throw badRequest(`Expected DATA_TYPE '${expected}', got '${String(body.DATA_TYPE).slice(0, 50)}'`);
  }
}

/** A collection id from the path: a UUID (lower-cased); unknown UUIDs get a sample tree. */
function collectionId(ctx: RequestContext, index = 0): string {
  const id = (ctx.pathParams[index] ?? "").toLowerCase();
  if (!isUuid(id)) throw fault(404, "EndpointNotFound", `No such endpoint '${id.slice(0, 100)}'`);
  return id;
}

/** A collection the emulator describes (a sample); `EndpointNotFound` otherwise. */
function knownCollection(ctx: RequestContext, store: TransferStore, index = 0): SampleCollection {
  const id = collectionId(ctx, index);
  const collection = store.collection(id);
  if (!collection) throw fault(404, "EndpointNotFound", `No such endpoint '${id}'`);
  return collection;
}

/**
 * Transfer's checks of the caller's login for a collection: MFA, then policies, then `data_access`
 * consent, from the collection's own nature and from `control.require…()`.
 */
function checkLogin(ctx: RequestContext, caller: AccessTokenRecord, store: TransferStore, id: string): void {
  const requirement = ctx.state.requirements.get(id);
  const collection = store.collection(id);
  const mfa = requirement?.mfa === true || collection?.requiresMfa === true;
  const dataAccess = requirement?.dataAccess === true || collection?.requiresDataAccess === true;
  const requiredScopes = [dataAccess ? `${TRANSFER_ALL_SCOPE}[*${dataAccessScope(id)}]` : TRANSFER_ALL_SCOPE];
  const authorizationRequired = (message: string, parameters: Record<string, unknown>): GareFault =>
    new GareFault("AuthorizationRequired", message, {
      authorization_parameters: { session_message: message, ...parameters },
    });
  if (mfa && !caller.mfa) {
    throw authorizationRequired(`Collection ${id} requires a multi-factor authentication session`, {
      session_required_mfa: true,
      required_scopes: requiredScopes,
    });
  }
  // Only the unmet policies: the ones already satisfied need no new login.
  const missingPolicies = requirement?.policies.filter((policy) => !caller.policies.includes(policy)) ?? [];
  if (missingPolicies.length > 0) {
    throw authorizationRequired(
      `Collection ${id} requires a session satisfying the authentication policies ${missingPolicies.join(", ")}`,
      { session_required_policies: missingPolicies, required_scopes: requiredScopes },
    );
  }
  if (
    dataAccess &&
    !ctx.state.hasConsentedDependency(
      caller.subject,
      caller.clientId,
      TRANSFER_ALL_SCOPE,
      dataAccessScope(id),
    )
  ) {
    const message = `Missing required data_access consent for collection ${id}`;
    throw new GareFault("ConsentRequired", message, {
      required_scopes: requiredScopes,
      authorization_parameters: { session_message: message, required_scopes: requiredScopes },
    });
  }
}

/** The login checks, then the caller's permission at `path` (guest collections' access rules). */
function checkAccess(
  ctx: RequestContext,
  caller: AccessTokenRecord,
  store: TransferStore,
  id: string,
  path: string,
  need: "r" | "rw",
): void {
  checkLogin(ctx, caller, store, id);
  const granted = store.permissionsAt(id, caller.subject, path);
  if (granted === "" || (need === "rw" && granted !== "rw")) {
    throw denied(`No ${need === "rw" ? "write" : "read"} permission on '${path}' of collection ${id}`);
  }
}

function integerParam(ctx: RequestContext, name: string, fallback: number, min: number, max: number): number {
  const raw = ctx.query.get(name);
  if (raw === null || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`Invalid ${name} '${raw.slice(0, 20)}': must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** `field:value/field:value` → field → value (Transfer's filter syntax). */
function parseFilter(raw: string | null, fields: readonly string[]): Map<string, string> {
  const filters = new Map<string, string>();
  if (raw === null || raw === "") return filters;
  for (const part of raw.split("/")) {
    const colon = part.indexOf(":");
    const field = colon < 0 ? part : part.slice(0, colon);
    if (colon < 0 || !fields.includes(field)) {
      throw badRequest(`Invalid filter '${part.slice(0, 100)}'; fields: ${fields.join(", ")}`);
    }
    filters.set(field, part.slice(colon + 1));
  }
  return filters;
}

/** A text filter value: `~glob` (or `~text`: contains), `!~…`, `!=x`, `=x`, or a comma list of exact values. */
function textMatches(filter: string, value: string | null): boolean {
  const text = value ?? "";
  const like = (pattern: string) =>
    /[*?]/.test(pattern)
      ? globMatch(pattern.toLowerCase(), text.toLowerCase())
      : text.toLowerCase().includes(pattern.toLowerCase());
  if (filter.startsWith("!~")) return !like(filter.slice(2));
  if (filter.startsWith("~")) return like(filter.slice(1));
  if (filter.startsWith("!=")) return text !== filter.slice(2);
  if (filter.startsWith("=")) return text === filter.slice(1);
  return filter.split(",").includes(text);
}

/** A number filter: `>n`, `>=n`, `<n`, `<=n`, `=n` or `n`. */
function numberMatches(filter: string, value: number): boolean {
  const match = /^(>=|<=|>|<|=)?(\d+)$/.exec(filter);
  if (!match) throw badRequest(`Invalid number filter '${filter.slice(0, 50)}'`);
  const n = Number(match[2]);
  switch (match[1]) {
    case ">":
      return value > n;
    case ">=":
      return value >= n;
    case "<":
      return value < n;
    case "<=":
      return value <= n;
    default:
      return value === n;
  }
}

/** A time range filter `start,end` (either may be empty) on an ISO time. */
function timeMatches(filter: string, time: number | null): boolean {
  if (time === null) return false;
  const [start = "", end = ""] = filter.split(",");
  const parse = (text: string) => {
    const value = Date.parse(text.replace(" ", "T"));
    if (Number.isNaN(value)) throw badRequest(`Invalid time '${text.slice(0, 50)}' in filter`);
    return value / 1000;
  };
  return (start === "" || time >= parse(start)) && (end === "" || time <= parse(end));
}

/** `field ASC, field DESC` → a comparator. */
function orderBy<T>(
  raw: string | null,
  fields: Record<string, (item: T) => string | number>,
  fallback: string,
) {
  const keys = (raw === null || raw === "" ? fallback : raw).split(",").map((part) => {
    const [field = "", direction = "ASC"] = part.trim().split(/\s+/);
    const get = fields[field];
    if (!get || !["ASC", "DESC"].includes(direction.toUpperCase())) {
      throw badRequest(
        `Invalid orderby '${part.trim().slice(0, 100)}'; fields: ${Object.keys(fields).join(", ")}`,
      );
    }
    return { get, sign: direction.toUpperCase() === "DESC" ? -1 : 1 };
  });
  return (a: T, b: T): number => {
    for (const { get, sign } of keys) {
      const [x, y] = [get(a), get(b)];
      if (x !== y) return (x < y ? -1 : 1) * sign;
    }
    return 0;
  };
}

// Collections and endpoints

function endpointDocument(store: TransferStore, collection: SampleCollection): Record<string, unknown> {
  const edits = store.edits.get(collection.id) ?? {};
  const host = collection.hostEndpointId ? store.collection(collection.hostEndpointId) : undefined;
  return {
    DATA_TYPE: "endpoint",
    id: collection.id,
    display_name: collection.displayName,
    canonical_name: `${collection.ownerString}#${collection.displayName.toLowerCase().replace(/\s+/g, "-")}`,
    owner_id: ownerIdOf(collection),
    owner_string: collection.ownerString,
    username: collection.ownerString.split("@")[0],
    description: collection.description,
    organization: "Globus Auth emulator",
    department: null,
    keywords: null,
    contact_email: null,
    contact_info: null,
    info_link: null,
    entity_type: collection.entityType,
    host_endpoint_id: collection.hostEndpointId ?? null,
    host_endpoint_display_name: host?.displayName ?? null,
    host_path: collection.hostEndpointId ? "/" : null,
    high_assurance: collection.highAssurance,
    authentication_assurance_timeout: collection.highAssurance ? 30 : null,
    public: true,
    gcs_version: "5.4.80",
    gcs_manager_url: `https://${collection.id.slice(0, 6)}.emulator.data.globus.org`,
    non_functional: false,
    default_directory: "/~/",
    force_encryption: false,
    activated: true,
    is_globus_connect: false,
    subscription_id: null,
    DATA: [],
    ...edits,
  };
}

function searchText(store: TransferStore, collection: SampleCollection): string[] {
  const edits = store.edits.get(collection.id) ?? {};
  return [
    String(edits.display_name ?? collection.displayName),
    String(edits.description ?? collection.description),
    collection.ownerString,
    collection.id,
    String(edits.keywords ?? ""),
  ];
}

/** `GET endpoint_search`: offset paging (`limit` ≤ 100, `offset + limit` ≤ 1000) with `has_next_page`. */
const endpointSearch: TransferHandler = (ctx, caller, store) => {
  const limit = integerParam(ctx, "limit", 25, 1, 100);
  const offset = integerParam(ctx, "offset", 0, 0, 999);
  if (offset + limit > 1000) throw badRequest("offset + limit must not exceed 1000");
  const text = (ctx.query.get("filter_fulltext") ?? "").toLowerCase().trim();
  const scope = ctx.query.get("filter_scope") ?? "all";
  const owner = ctx.query.get("filter_owner_id");
  const host = ctx.query.get("filter_host_endpoint");
  const entityType = ctx.query.get("filter_entity_type");
  const nonFunctional = ctx.query.get("filter_non_functional");
  const scopes: Record<string, (collection: SampleCollection) => boolean> = {
    all: () => true,
    "my-endpoints": (collection) => ownerIdOf(collection) === caller.subject,
    "administered-by-me": (collection) => store.isAdministrator(collection.id, caller.subject),
    "shared-by-me": (collection) =>
      collection.entityType === "GCSv5_guest_collection" && ownerIdOf(collection) === caller.subject,
    "shared-with-me": (collection) =>
      collection.entityType === "GCSv5_guest_collection" &&
      ownerIdOf(collection) !== caller.subject &&
      store.permissionsAt(collection.id, caller.subject, "/") !== "",
    "recently-used": (collection) =>
      [...store.tasks.values()].some(
        (task) => task.owner === caller.subject && [task.source, task.destination].includes(collection.id),
      ),
    "in-use": (collection) =>
      [...store.tasks.values()].some(
        (task) =>
          task.owner === caller.subject &&
          task.status === "ACTIVE" &&
          [task.source, task.destination].includes(collection.id),
      ),
    "my-gcp-endpoints": () => false,
  };
  const inScope = scopes[scope];
  if (!inScope) throw badRequest(`Invalid filter_scope '${scope.slice(0, 50)}'`);
  const matches = SAMPLE_COLLECTIONS.filter(
    (collection) =>
      inScope(collection) &&
      (text === "" || searchText(store, collection).some((field) => field.toLowerCase().includes(text))) &&
      (owner === null || ownerIdOf(collection) === owner) &&
      (host === null || collection.hostEndpointId === host.toLowerCase()) &&
      (entityType === null || collection.entityType === entityType) &&
      (nonFunctional === null || nonFunctional === "0" || nonFunctional === "false"),
  );
  ctx.respond.json(200, {
    DATA_TYPE: "endpoint_list",
    offset,
    limit,
    has_next_page: offset + limit < matches.length,
    DATA: matches.slice(offset, offset + limit).map((collection) => endpointDocument(store, collection)),
  });
};

/** `GET endpoint/<id>`. */
const getEndpoint: TransferHandler = (ctx, _caller, store) => {
  ctx.respond.json(200, endpointDocument(store, knownCollection(ctx, store)));
};

/** `PUT endpoint/<id>`: administrators change the editable fields. */
const updateEndpoint: TransferHandler = (ctx, caller, store) => {
  const collection = knownCollection(ctx, store);
  const body = jsonBody(ctx);
  dataType(body, "endpoint");
  if (!store.isAdministrator(collection.id, caller.subject)) {
    throw denied(`Only administrators may change endpoint ${collection.id}`);
  }
  const edits = { ...store.edits.get(collection.id) };
  for (const [field, value] of Object.entries(body)) {
    if (field === "DATA_TYPE" || field === "id") continue;
    if (!(EDITABLE_ENDPOINT_FIELDS as readonly string[]).includes(field)) {
      throw badRequest(`Field '${field.slice(0, 50)}' cannot be updated`);
    }
    if (value !== null && typeof value !== "string" && typeof value !== "boolean") {
      throw badRequest(`Invalid value for '${field}'`);
    }
    edits[field] = value;
  }
  store.edits.set(collection.id, edits);
  store.changed();
  result(ctx, 200, "Updated", "Endpoint updated successfully");
};

/** `GET endpoint/<id>/server_list`. */
const serverList: TransferHandler = (ctx, _caller, store) => {
  const collection = knownCollection(ctx, store);
  ctx.respond.json(200, {
    DATA_TYPE: "endpoint_server_list",
    endpoint: collection.id,
    DATA: [
      {
        DATA_TYPE: "server",
        id: 1,
        hostname: `${collection.id.slice(0, 6)}.emulator.data.globus.org`,
        port: 443,
        scheme: "gsiftp",
        subject: null,
        uri: `gsiftp://${collection.id.slice(0, 6)}.emulator.data.globus.org:443`,
        is_connected: true,
        is_paused: collection.paused === true,
        incoming_data_port_start: null,
        incoming_data_port_end: null,
        outgoing_data_port_start: null,
        outgoing_data_port_end: null,
      },
    ],
  });
};

const guestsOn = (hostId: string): SampleCollection[] =>
  SAMPLE_COLLECTIONS.filter(
    (collection) =>
      collection.entityType === "GCSv5_guest_collection" && collection.hostEndpointId === hostId,
  );

/** `GET endpoint/<id>/my_shared_endpoint_list`: the caller's guest collections on a host. */
const mySharedEndpointList: TransferHandler = (ctx, caller, store) => {
  const host = knownCollection(ctx, store);
  ctx.respond.json(200, {
    DATA_TYPE: "endpoint_list",
    DATA: guestsOn(host.id)
      .filter((collection) => ownerIdOf(collection) === caller.subject)
      .map((collection) => endpointDocument(store, collection)),
  });
};

/** `GET endpoint/<id>/shared_endpoint_list`: every guest collection on a host, for its administrators; `next_token` paging. */
const sharedEndpointList: TransferHandler = (ctx, caller, store) => {
  const host = knownCollection(ctx, store);
  if (!store.isAdministrator(host.id, caller.subject)) {
    throw denied(`Only administrators of ${host.id} may list its guest collections`);
  }
  const max = integerParam(ctx, "max_results", 1000, 1, 1000);
  const token = ctx.query.get("next_token");
  const start = token === null || token === "" ? 0 : Number.parseInt(token, 10);
  if (!Number.isInteger(start) || start < 0) throw badRequest("Invalid next_token");
  const all = guestsOn(host.id);
  const next = start + max < all.length ? String(start + max) : null;
  ctx.respond.json(200, {
    DATA_TYPE: "shared_endpoint_list",
    shared_endpoints: all.slice(start, start + max).map((collection) => endpointDocument(store, collection)),
    next_token: next,
  });
};

/** `GET endpoint_manager/my_effective_pause_rule_list/<id>`. */
const myEffectivePauseRules: TransferHandler = (ctx, _caller, store) => {
  const collection = knownCollection(ctx, store);
  const rule = store.pauseRule(collection.id);
  ctx.respond.json(200, { DATA_TYPE: "pause_rule_list", DATA: rule ? [rule] : [] });
};

// Roles

const roleDocument = (role: RoleRecord): Record<string, unknown> => ({
  DATA_TYPE: "role",
  id: role.id,
  principal_type: role.principalType,
  principal: role.principal,
  role: role.role,
});

function findRole(ctx: RequestContext, store: TransferStore, collection: string): RoleRecord {
  const id = ctx.pathParams[1] ?? "";
  const role = (store.roles.get(collection) ?? []).find((candidate) => candidate.id === id);
  if (!role) throw notFound(`Role '${id.slice(0, 100)}'`);
  return role;
}

const roleList: TransferHandler = (ctx, caller, store) => {
  const collection = knownCollection(ctx, store);
  if (!store.isAccessManager(collection.id, caller.subject))
    throw denied("Only administrators and access managers may list roles");
  ctx.respond.json(200, {
    DATA_TYPE: "role_list",
    DATA: (store.roles.get(collection.id) ?? []).map(roleDocument),
  });
};

const addRole: TransferHandler = (ctx, caller, store) => {
  const collection = knownCollection(ctx, store);
  const body = jsonBody(ctx);
  dataType(body, "role");
  if (!store.isAdministrator(collection.id, caller.subject))
    throw denied("Only administrators may grant roles");
  const { principal_type: type, principal, role } = body;
  if (type !== "identity" && type !== "group")
    throw badRequest("principal_type must be 'identity' or 'group'");
  if (typeof principal !== "string" || !isUuid(principal))
    throw badRequest("principal must be an identity or group id");
  if (typeof role !== "string" || !ROLES.includes(role))
    throw badRequest(`role must be one of ${ROLES.join(", ")}`);
  const roles = store.roles.get(collection.id) ?? [];
  if (roles.some((r) => r.principal === principal.toLowerCase() && r.role === role)) {
    throw fault(409, "Exists", `A role '${role}' for '${principal}' already exists`);
  }
  const record: RoleRecord = {
    id: randomUUID(),
    principalType: type,
    principal: principal.toLowerCase(),
    role,
  };
  store.roles.set(collection.id, [...roles, record]);
  store.changed();
  ctx.respond.json(201, roleDocument(record));
};

const getRole: TransferHandler = (ctx, caller, store) => {
  const collection = knownCollection(ctx, store);
  if (!store.isAccessManager(collection.id, caller.subject))
    throw denied("Only administrators and access managers may see roles");
  ctx.respond.json(200, roleDocument(findRole(ctx, store, collection.id)));
};

const deleteRole: TransferHandler = (ctx, caller, store) => {
  const collection = knownCollection(ctx, store);
  if (!store.isAdministrator(collection.id, caller.subject))
    throw denied("Only administrators may revoke roles");
  const role = findRole(ctx, store, collection.id);
  store.roles.set(
    collection.id,
    (store.roles.get(collection.id) ?? []).filter((candidate) => candidate !== role),
  );
  store.changed();
  result(ctx, 200, "Deleted", `Role '${role.id}' deleted successfully`);
};

// Access rules

const accessDocument = (rule: AccessRule): Record<string, unknown> => ({
  DATA_TYPE: "access",
  id: rule.id,
  principal_type: rule.principalType,
  principal: rule.principal,
  path: rule.path,
  permissions: rule.permissions,
  role_id: null,
  role_type: null,
  create_time: isoTime(Math.floor(rule.createTime)),
  expiration_date: rule.expirationDate,
  notify_email: rule.notifyEmail,
});

/** A guest collection whose access rules the caller manages. */
function managedGuest(
  ctx: RequestContext,
  caller: AccessTokenRecord,
  store: TransferStore,
): SampleCollection {
  const collection = knownCollection(ctx, store);
  if (collection.entityType !== "GCSv5_guest_collection") {
    // The emulator's wording; Transfer answers some 4xx here.
    throw badRequest(`Collection ${collection.id} has no access rules: only guest collections do`);
  }
  if (!store.isAccessManager(collection.id, caller.subject)) {
    throw denied(`Only administrators and access managers of ${collection.id} manage its access rules`);
  }
  return collection;
}

function findRule(ctx: RequestContext, store: TransferStore, collection: string): AccessRule {
  const id = ctx.pathParams[1] ?? "";
  const rule = (store.rules.get(collection) ?? []).find((candidate) => candidate.id === id);
  if (!rule) throw notFound(`Access rule '${id.slice(0, 100)}'`);
  return rule;
}

const accessList: TransferHandler = (ctx, caller, store) => {
  const collection = managedGuest(ctx, caller, store);
  const rules = store.rules.get(collection.id) ?? [];
  ctx.respond.json(200, {
    DATA_TYPE: "access_list",
    endpoint: collection.id,
    length: rules.length,
    DATA: rules.map(accessDocument),
  });
};

const getAccessRule: TransferHandler = (ctx, caller, store) => {
  const collection = managedGuest(ctx, caller, store);
  ctx.respond.json(200, accessDocument(findRule(ctx, store, collection.id)));
};

function checkPermissions(value: unknown): "r" | "rw" {
  if (value !== "r" && value !== "rw") throw badRequest("permissions must be 'r' or 'rw'");
  return value;
}

const addAccessRule: TransferHandler = (ctx, caller, store) => {
  const collection = managedGuest(ctx, caller, store);
  const body = jsonBody(ctx);
  dataType(body, "access");
  const { principal_type: type, principal = "", path, permissions } = body;
  if (typeof type !== "string" || !ACL_PRINCIPALS.includes(type)) {
    throw badRequest(`principal_type must be one of ${ACL_PRINCIPALS.join(", ")}`);
  }
  const needsId = type === "identity" || type === "group";
  if (typeof principal !== "string" || (needsId ? !isUuid(principal) : principal !== "")) {
    throw badRequest(
      needsId
        ? "principal must be an identity or group id"
        : "principal must be empty for this principal_type",
    );
  }
  if (typeof path !== "string") throw badRequest("path is required");
  splitPath(path);
  const rules = store.rules.get(collection.id) ?? [];
  if (
    rules.some(
      (rule) =>
        rule.principalType === type && rule.principal === principal.toLowerCase() && rule.path === path,
    )
  ) {
    throw fault(409, "Exists", `A rule for this principal and path '${path}' already exists`);
  }
  const rule: AccessRule = {
    id: randomUUID(),
    principalType: type,
    principal: principal.toLowerCase(),
    path,
    permissions: checkPermissions(permissions),
    createTime: ctx.state.now(),
    expirationDate: typeof body.expiration_date === "string" ? body.expiration_date : null,
    notifyEmail: typeof body.notify_email === "string" ? body.notify_email : null,
  };
  store.rules.set(collection.id, [...rules, rule]);
  store.changed();
  ctx.respond.json(201, {
    DATA_TYPE: "access_create_result",
    code: "Created",
    message: "Access rule created successfully.",
    access_id: rule.id,
    request_id: randomUUID().replaceAll("-", "").slice(0, 9),
    resource: ctx.path.slice("/transfer".length),
  });
};

const updateAccessRule: TransferHandler = (ctx, caller, store) => {
  const collection = managedGuest(ctx, caller, store);
  const rule = findRule(ctx, store, collection.id);
  const body = jsonBody(ctx);
  dataType(body, "access");
  for (const field of Object.keys(body)) {
    if (!["DATA_TYPE", "id", "permissions", "expiration_date"].includes(field)) {
      throw badRequest(`Field '${field.slice(0, 50)}' of an access rule cannot be changed`);
    }
  }
  if (body.permissions !== undefined) rule.permissions = checkPermissions(body.permissions);
  if (body.expiration_date !== undefined) {
    rule.expirationDate = typeof body.expiration_date === "string" ? body.expiration_date : null;
  }
  store.changed();
  result(ctx, 200, "Updated", "Updated access rule successfully");
};

const deleteAccessRule: TransferHandler = (ctx, caller, store) => {
  const collection = managedGuest(ctx, caller, store);
  const rule = findRule(ctx, store, collection.id);
  store.rules.set(
    collection.id,
    (store.rules.get(collection.id) ?? []).filter((candidate) => candidate !== rule),
  );
  store.changed();
  result(ctx, 200, "Deleted", `Access rule '${rule.id}' deleted successfully`);
};

// Bookmarks

const bookmarkDocument = (bookmark: {
  id: string;
  name: string;
  endpointId: string;
  path: string;
  pinned: boolean;
}): Record<string, unknown> => ({
  DATA_TYPE: "bookmark",
  id: bookmark.id,
  name: bookmark.name,
  endpoint_id: bookmark.endpointId,
  path: bookmark.path,
  pinned: bookmark.pinned,
});

function checkBookmarkName(store: TransferStore, owner: string, name: unknown, except?: string): string {
  if (typeof name !== "string" || name.trim() === "" || name.length > 128) {
    throw badRequest("name must be a non-empty string of at most 128 characters");
  }
  for (const bookmark of store.bookmarks.values()) {
    if (bookmark.owner === owner && bookmark.name === name && bookmark.id !== except) {
      throw fault(409, "Exists", `A bookmark named '${name}' already exists`);
    }
  }
  return name;
}

function ownBookmark(ctx: RequestContext, caller: AccessTokenRecord, store: TransferStore) {
  const id = ctx.pathParams[0] ?? "";
  const bookmark = store.bookmarks.get(id);
  if (!bookmark || bookmark.owner !== caller.subject) throw notFound(`Bookmark '${id.slice(0, 100)}'`);
  return bookmark;
}

const bookmarkList: TransferHandler = (ctx, caller, store) => {
  ctx.respond.json(200, {
    DATA_TYPE: "bookmark_list",
    DATA: [...store.bookmarks.values()].filter((b) => b.owner === caller.subject).map(bookmarkDocument),
  });
};

const createBookmark: TransferHandler = (ctx, caller, store) => {
  const body = jsonBody(ctx);
  dataType(body, "bookmark");
  const name = checkBookmarkName(store, caller.subject, body.name);
  const { endpoint_id: endpointId, path } = body;
  if (typeof endpointId !== "string" || !isUuid(endpointId))
    throw badRequest("endpoint_id must be a collection id");
  if (typeof path !== "string") throw badRequest("path is required");
  splitPath(path);
  const bookmark = {
    id: randomUUID(),
    owner: caller.subject,
    name,
    endpointId: endpointId.toLowerCase(),
    path,
    pinned: body.pinned === true,
  };
  store.bookmarks.set(bookmark.id, bookmark);
  store.changed();
  ctx.respond.json(200, bookmarkDocument(bookmark));
};

const getBookmark: TransferHandler = (ctx, caller, store) => {
  ctx.respond.json(200, bookmarkDocument(ownBookmark(ctx, caller, store)));
};

const updateBookmark: TransferHandler = (ctx, caller, store) => {
  const bookmark = ownBookmark(ctx, caller, store);
  const body = jsonBody(ctx);
  dataType(body, "bookmark");
  for (const field of Object.keys(body)) {
    if (!["DATA_TYPE", "id", "name", "pinned"].includes(field)) {
      throw badRequest(`Field '${field.slice(0, 50)}' of a bookmark cannot be changed`);
    }
  }
  if (body.name !== undefined)
    bookmark.name = checkBookmarkName(store, caller.subject, body.name, bookmark.id);
  if (body.pinned !== undefined) bookmark.pinned = body.pinned === true;
  store.changed();
  ctx.respond.json(200, bookmarkDocument(bookmark));
};

const deleteBookmark: TransferHandler = (ctx, caller, store) => {
  const bookmark = ownBookmark(ctx, caller, store);
  store.bookmarks.delete(bookmark.id);
  store.changed();
  result(ctx, 200, "Deleted", "Bookmark deleted successfully");
};

// Filesystem

/**
 * `GET operation/endpoint/<id>/ls`: 401 without a live Transfer token, 403 with a GARE when the
 * collection's MFA, policy or data_access requirement is unmet (checked in that order), 403
 * `PermissionDenied` without read access, 404 for a missing directory, else a listing with
 * `show_hidden`, `filter`, `orderby`, `limit` and `offset` applied.
 */
const ls: TransferHandler = (ctx, caller, store) => {
  const id = collectionId(ctx);
  const path = ctx.query.get("path") || "/~/";
  checkAccess(ctx, caller, store, id, path, "r");
  const parts = splitPath(path);
  const node = lookup(store.tree(id), parts);
  if (!node) throw new TreeError("not-found", `Directory '${path}' not found on endpoint ${id}`);
  if (node.type !== "dir") throw new TreeError("not-a-directory", `'${path}' is not a directory`);
  const showHidden = !["0", "false", "False"].includes(ctx.query.get("show_hidden") ?? "1");
  const filters = parseFilter(ctx.query.get("filter"), [
    "name",
    "type",
    "size",
    "last_modified",
    "permissions",
    "user",
    "group",
  ]);
  const limit = integerParam(ctx, "limit", 100_000, 0, 100_000);
  const offset = integerParam(ctx, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
  const iso = (seconds: number) => isoTime(seconds);
  let files = Object.entries(node.children ?? {})
    .filter(([name]) => showHidden || !name.startsWith("."))
    .map(([name, child]) => fileDocument(name, child, iso));
  files = files.filter((file) =>
    [...filters].every(([field, value]) => {
      if (field === "size") return numberMatches(value, file.size as number);
      if (field === "last_modified")
        return timeMatches(value, Date.parse(String(file.last_modified).replace(" ", "T")) / 1000);
      return textMatches(value, String(file[field]));
    }),
  );
  files.sort(
    orderBy<Record<string, unknown>>(
      ctx.query.get("orderby"),
      Object.fromEntries(
        ["name", "type", "size", "last_modified", "permissions", "user", "group"].map((field) => [
          field,
          (file: Record<string, unknown>) => file[field] as string | number,
        ]),
      ),
      "name ASC",
    ),
  );
  const page = files.slice(offset, offset + limit);
  ctx.respond.json(200, {
    DATA_TYPE: "file_list",
    endpoint: id,
    path: path.endsWith("/") ? path : `${path}/`,
    absolute_path: directoryPath(parts),
    length: page.length,
    total: files.length,
    rename_supported: true,
    symlink_supported: true,
    DATA: page,
  });
};

/** `POST operation/endpoint/<id>/mkdir` `{ DATA_TYPE: "mkdir", path }`. */
const mkdir: TransferHandler = (ctx, caller, store) => {
  const id = collectionId(ctx);
  const body = jsonBody(ctx);
  dataType(body, "mkdir");
  if (typeof body.path !== "string") throw badRequest("path is required");
  checkAccess(ctx, caller, store, id, body.path, "rw");
  const parts = splitPath(body.path);
  const [parent, name] = parentOf(store.tree(id), parts, body.path);
  if (parent.children?.[name]) throw new TreeError("exists", `Path '${body.path}' already exists`);
  setChild(parent, name, {
    type: "dir",
    size: 4096,
    mtime: Math.floor(ctx.state.now()),
    permissions: "0755",
    children: {},
  });
  store.changed();
  ctx.respond.json(202, {
    DATA_TYPE: "mkdir_result",
    code: "DirectoryCreated",
    message: "The directory was created successfully",
    request_id: randomUUID().replaceAll("-", "").slice(0, 9),
    resource: ctx.path.slice("/transfer".length),
  });
};

/** `POST operation/endpoint/<id>/rename` `{ DATA_TYPE: "rename", old_path, new_path }`. */
const rename: TransferHandler = (ctx, caller, store) => {
  const id = collectionId(ctx);
  const body = jsonBody(ctx);
  dataType(body, "rename");
  const { old_path: oldPath, new_path: newPath } = body;
  if (typeof oldPath !== "string" || typeof newPath !== "string")
    throw badRequest("old_path and new_path are required");
  checkAccess(ctx, caller, store, id, oldPath, "rw");
  checkAccess(ctx, caller, store, id, newPath, "rw");
  const tree = store.tree(id);
  const oldParts = splitPath(oldPath);
  const newParts = splitPath(newPath);
  const [oldParent, oldName] = parentOf(tree, oldParts, oldPath);
  const node = oldParent.children?.[oldName];
  if (!node) throw new TreeError("not-found", `Path '${oldPath}' not found`);
  if (newParts.length > oldParts.length && oldParts.every((part, i) => newParts[i] === part)) {
    throw badRequest("A directory cannot be moved into itself");
  }
  const [newParent, newName] = parentOf(tree, newParts, newPath);
  if (newParent.children?.[newName])
    throw fault(502, "ExternalError.RenameFailed.Exists", `Path '${newPath}' already exists`);
  delete oldParent.children?.[oldName];
  setChild(newParent, newName, node);
  store.changed();
  result(ctx, 200, "FileRenamed", "File or directory renamed successfully");
};

/** `GET operation/endpoint/<id>/stat?path=…`: a `file` document. */
const stat: TransferHandler = (ctx, caller, store) => {
  const id = collectionId(ctx);
  const path = ctx.query.get("path");
  if (!path) throw badRequest("path is required");
  checkAccess(ctx, caller, store, id, path, "r");
  const parts = splitPath(path);
  const node = lookup(store.tree(id), parts);
  if (!node) throw new TreeError("not-found", `Path '${path}' not found on endpoint ${id}`);
  ctx.respond.json(200, fileDocument(parts[parts.length - 1] ?? "/", node, isoTime));
};

// Tasks

const submissionId: TransferHandler = (ctx, _caller, store) => {
  ctx.respond.json(200, { DATA_TYPE: "submission_id", value: store.newSubmissionId() });
};

function checkItems(
  body: Record<string, unknown>,
  types: readonly string[],
  fields: readonly string[],
): void {
  if (!Array.isArray(body.DATA) || body.DATA.length === 0)
    throw badRequest("DATA must list at least one item");
  if (body.DATA.length > 10_000) throw badRequest("DATA lists more than 10000 items");
  for (const item of body.DATA as unknown[]) {
    const record = item as Record<string, unknown>;
    if (typeof item !== "object" || item === null || !types.includes(record.DATA_TYPE as string)) {
      throw badRequest(`Every item must have DATA_TYPE ${types.join(" or ")}`);
    }
    for (const field of fields) {
      if (typeof record[field] !== "string") throw badRequest(`Every item needs '${field}'`);
      splitPath(record[field] as string);
    }
  }
}

function submitted(
  ctx: RequestContext,
  store: TransferStore,
  caller: AccessTokenRecord,
  body: Record<string, unknown>,
  kind: "transfer" | "delete",
): TaskRecord | undefined {
  const id = body.submission_id;
  if (typeof id !== "string" || id === "") throw badRequest("submission_id is required (GET submission_id)");
  // The emulator's wording: Transfer refuses ids it did not issue.
  if (!store.submissionIds.has(id)) throw badRequest(`Invalid submission_id '${id.slice(0, 64)}'`);
  const task = store.taskOfSubmission(id);
  if (!task) return undefined;
  if (task.owner !== caller.subject)
    throw fault(409, "Conflict", "This submission_id was used by someone else");
  ctx.respond.json(200, {
    DATA_TYPE: `${kind}_result`,
    code: "Duplicate",
    message: `A ${kind} with id '${id}' was already submitted`,
    request_id: randomUUID().replaceAll("-", "").slice(0, 9),
    resource: `/${kind}`,
    submission_id: id,
    task_id: task.id,
    task_link: taskLink(task),
  });
  return task;
}

const taskLink = (task: TaskRecord) => ({
  DATA_TYPE: "link",
  href: `task/${task.id}?format=json`,
  rel: "related",
  resource: "task",
  title: "related task",
});

function accepted(ctx: RequestContext, task: TaskRecord, kind: "transfer" | "delete"): void {
  ctx.respond.json(202, {
    DATA_TYPE: `${kind}_result`,
    code: "Accepted",
    message: `The ${kind} has been accepted and a task has been created and queued for execution`,
    request_id: randomUUID().replaceAll("-", "").slice(0, 9),
    resource: `/${kind}`,
    submission_id: task.submissionId,
    task_id: task.id,
    task_link: taskLink(task),
  });
}

/** `POST transfer`: checks the document, the caller's login and permissions, then starts a task. */
const submitTransfer: TransferHandler = (ctx, caller, store) => {
  const body = jsonBody(ctx);
  if (body.DATA_TYPE !== "transfer") throw badRequest("DATA_TYPE must be 'transfer'");
  if (submitted(ctx, store, caller, body, "transfer")) return;
  const source = body.source_endpoint;
  const destination = body.destination_endpoint;
  if (typeof source !== "string" || !isUuid(source))
    throw badRequest("source_endpoint must be a collection id");
  if (typeof destination !== "string" || !isUuid(destination))
    throw badRequest("destination_endpoint must be a collection id");
  if (body.sync_level !== undefined && ![0, 1, 2, 3].includes(body.sync_level as number)) {
    throw badRequest("sync_level must be 0, 1, 2 or 3");
  }
  checkItems(body, ["transfer_item", "transfer_symlink_item"], ["source_path", "destination_path"]);
  for (const item of body.DATA as Record<string, unknown>[]) {
    checkAccess(ctx, caller, store, source.toLowerCase(), item.source_path as string, "r");
    checkAccess(ctx, caller, store, destination.toLowerCase(), item.destination_path as string, "rw");
  }
  accepted(ctx, store.createTask("TRANSFER", caller.subject, body, source, destination), "transfer");
};

/** `POST delete`. */
const submitDelete: TransferHandler = (ctx, caller, store) => {
  const body = jsonBody(ctx);
  if (body.DATA_TYPE !== "delete") throw badRequest("DATA_TYPE must be 'delete'");
  if (submitted(ctx, store, caller, body, "delete")) return;
  const endpoint = body.endpoint;
  if (typeof endpoint !== "string" || !isUuid(endpoint)) throw badRequest("endpoint must be a collection id");
  checkItems(body, ["delete_item"], ["path"]);
  for (const item of body.DATA as Record<string, unknown>[]) {
    checkAccess(ctx, caller, store, endpoint.toLowerCase(), item.path as string, "rw");
  }
  accepted(ctx, store.createTask("DELETE", caller.subject, body, endpoint, null), "delete");
};

function ownTask(ctx: RequestContext, caller: AccessTokenRecord, store: TransferStore): TaskRecord {
  const id = (ctx.pathParams[0] ?? "").toLowerCase();
  const task = store.tasks.get(id);
  if (!task || task.owner !== caller.subject) throw notFound(`Task '${id.slice(0, 100)}'`);
  return task;
}

/** `GET task_list`: the caller's tasks, newest first; offset paging (`limit` ≤ 1000) with `total`. */
const taskList: TransferHandler = (ctx, caller, store) => {
  const limit = integerParam(ctx, "limit", 10, 1, 1000);
  const offset = integerParam(ctx, "offset", 0, 0, 100_000);
  const filters = parseFilter(ctx.query.get("filter"), [
    "task_id",
    "type",
    "status",
    "label",
    "request_time",
    "completion_time",
  ]);
  const tasks = [...store.tasks.values()]
    .filter((task) => task.owner === caller.subject)
    .filter((task) =>
      [...filters].every(([field, value]) => {
        if (field === "task_id") return value.toLowerCase().split(",").includes(task.id);
        if (field === "type") return value.toUpperCase().split(",").includes(task.type);
        if (field === "status") return value.toUpperCase().split(",").includes(task.status);
        if (field === "label") return textMatches(value, task.label);
        if (field === "request_time") return timeMatches(value, task.requestTime);
        return timeMatches(value, task.completionTime);
      }),
    );
  tasks.sort(
    orderBy<TaskRecord>(
      ctx.query.get("orderby"),
      {
        request_time: (task) => task.requestTime,
        completion_time: (task) => task.completionTime ?? Number.MAX_SAFE_INTEGER,
        label: (task) => task.label ?? "",
        status: (task) => task.status,
        type: (task) => task.type,
        task_id: (task) => task.id,
      },
      "request_time DESC",
    ),
  );
  ctx.respond.json(200, {
    DATA_TYPE: "task_list",
    offset,
    limit,
    total: tasks.length,
    DATA: tasks.slice(offset, offset + limit).map((task) => store.taskDocument(task)),
  });
};

const getTask: TransferHandler = (ctx, caller, store) => {
  ctx.respond.json(200, store.taskDocument(ownTask(ctx, caller, store)));
};

/** `PUT task/<id>`: `label` and `deadline` of an unfinished task. */
const updateTask: TransferHandler = (ctx, caller, store) => {
  const task = ownTask(ctx, caller, store);
  const body = jsonBody(ctx);
  dataType(body, "task");
  for (const field of Object.keys(body)) {
    if (!["DATA_TYPE", "label", "deadline"].includes(field))
      throw badRequest(`Field '${field.slice(0, 50)}' cannot be updated`);
  }
  if (task.status === "SUCCEEDED" || task.status === "FAILED")
    throw badRequest("A finished task cannot be updated");
  if (body.label !== undefined) task.label = typeof body.label === "string" ? body.label : null;
  if (body.deadline !== undefined) task.deadline = typeof body.deadline === "string" ? body.deadline : null;
  store.changed();
  result(ctx, 200, "Updated", "Updated task successfully");
};

const cancelTask: TransferHandler = (ctx, caller, store) => {
  const task = ownTask(ctx, caller, store);
  if (store.cancel(task)) result(ctx, 200, "Canceled", "The task has been cancelled successfully.");
  else result(ctx, 200, "TaskComplete", "The task completed before the cancel request was processed.");
};

/** `GET task/<id>/event_list`: newest first; offset paging with `total`; `filter=is_error:1`. */
const eventList: TransferHandler = (ctx, caller, store) => {
  const task = ownTask(ctx, caller, store);
  const limit = integerParam(ctx, "limit", 10, 1, 1000);
  const offset = integerParam(ctx, "offset", 0, 0, 100_000);
  const filters = parseFilter(ctx.query.get("filter"), ["is_error"]);
  const isError = filters.get("is_error");
  const events = [...task.events]
    .reverse()
    .filter((event) => isError === undefined || event.isError === ["1", "true", "True"].includes(isError));
  ctx.respond.json(200, {
    DATA_TYPE: "event_list",
    offset,
    limit,
    total: events.length,
    DATA: events.slice(offset, offset + limit).map((event) => ({
      DATA_TYPE: "event",
      code: event.code,
      is_error: event.isError,
      description: event.description,
      details: event.details,
      time: isoTime(Math.floor(event.time)),
    })),
  });
};

/** Marker paging of a finished task's list: 100 a page here (the page size is Transfer's choice). */
const MARKER_PAGE = 100;

function markerPage<T>(
  ctx: RequestContext,
  items: readonly T[],
): { marker: number; next: number | null; page: T[] } {
  const raw = ctx.query.get("marker");
  const marker = raw === null || raw === "" ? 0 : Number(raw);
  if (!Number.isInteger(marker) || marker < 0)
    throw badRequest(`Invalid marker '${String(raw).slice(0, 30)}'`);
  const next = marker + MARKER_PAGE < items.length ? marker + MARKER_PAGE : null;
  return { marker, next, page: items.slice(marker, marker + MARKER_PAGE) };
}

const successfulTransfers: TransferHandler = (ctx, caller, store) => {
  const task = ownTask(ctx, caller, store);
  if (task.type !== "TRANSFER") throw badRequest("Only transfer tasks have successful transfers");
  const { marker, next, page } = markerPage(ctx, task.successful);
  ctx.respond.json(200, {
    DATA_TYPE: "successful_transfers",
    marker,
    next_marker: next,
    DATA: page.map(([source, destination]) => ({
      DATA_TYPE: "successful_transfer",
      source_path: source,
      destination_path: destination,
    })),
  });
};

const skippedErrors: TransferHandler = (ctx, caller, store) => {
  const task = ownTask(ctx, caller, store);
  const { marker, next, page } = markerPage(ctx, task.skipped);
  ctx.respond.json(200, {
    DATA_TYPE: "skipped_errors",
    marker,
    next_marker: next,
    DATA: page.map((skipped) => ({
      DATA_TYPE: "skipped_error",
      checksum_algorithm: null,
      destination_path: skipped.destinationPath,
      error_code: skipped.errorCode,
      error_details: skipped.errorDetails,
      error_time: isoTime(Math.floor(skipped.time)),
      external_checksum: null,
      is_delete_destination_extra: false,
      is_directory: skipped.isDirectory,
      is_symlink: false,
      source_path: skipped.sourcePath,
    })),
  });
};

/** `GET task/<id>/pause_info`: the pause rules holding an unfinished task. */
const pauseInfo: TransferHandler = (ctx, caller, store) => {
  const task = ownTask(ctx, caller, store);
  const unfinished = task.status === "ACTIVE" || task.status === "INACTIVE";
  const sourceRule = unfinished ? store.pauseRule(task.source) : undefined;
  const destinationRule = unfinished && task.destination ? store.pauseRule(task.destination) : undefined;
  ctx.respond.json(200, {
    DATA_TYPE: "pause_info_limited",
    pause_rules: [sourceRule, destinationRule].filter((rule) => rule !== undefined),
    source_pause_message: (sourceRule?.message as string | undefined) ?? null,
    source_pause_message_share: null,
    destination_pause_message: (destinationRule?.message as string | undefined) ?? null,
    destination_pause_message_share: null,
  });
};

const UUID_PART = "([^/]+)";
const at = (path: string): RegExp => new RegExp(`^${path.replaceAll(":id", UUID_PART)}$`);

/** @internal The fake Transfer's routes, by path after `/transfer/v0.10/`. */
export const TRANSFER_ROUTES: readonly TransferRoute[] = [
  { pattern: at("endpoint_search"), methods: { GET: endpointSearch } },
  { pattern: at("endpoint/:id"), methods: { GET: getEndpoint, PUT: updateEndpoint } },
  { pattern: at("endpoint/:id/server_list"), methods: { GET: serverList } },
  { pattern: at("endpoint/:id/my_shared_endpoint_list"), methods: { GET: mySharedEndpointList } },
  { pattern: at("endpoint/:id/shared_endpoint_list"), methods: { GET: sharedEndpointList } },
  { pattern: at("endpoint/:id/role_list"), methods: { GET: roleList } },
  { pattern: at("endpoint/:id/role"), methods: { POST: addRole } },
  { pattern: at("endpoint/:id/role/:id"), methods: { GET: getRole, DELETE: deleteRole } },
  { pattern: at("endpoint/:id/access_list"), methods: { GET: accessList } },
  { pattern: at("endpoint/:id/access"), methods: { POST: addAccessRule } },
  {
    pattern: at("endpoint/:id/access/:id"),
    methods: { GET: getAccessRule, PUT: updateAccessRule, DELETE: deleteAccessRule },
  },
  {
    pattern: at("endpoint_manager/my_effective_pause_rule_list/:id"),
    methods: { GET: myEffectivePauseRules },
  },
  { pattern: at("bookmark_list"), methods: { GET: bookmarkList } },
  { pattern: at("bookmark"), methods: { POST: createBookmark } },
  { pattern: at("bookmark/:id"), methods: { GET: getBookmark, PUT: updateBookmark, DELETE: deleteBookmark } },
  { pattern: at("operation/endpoint/:id/ls"), methods: { GET: ls } },
  { pattern: at("operation/endpoint/:id/mkdir"), methods: { POST: mkdir } },
  { pattern: at("operation/endpoint/:id/rename"), methods: { POST: rename } },
  { pattern: at("operation/endpoint/:id/stat"), methods: { GET: stat } },
  { pattern: at("submission_id"), methods: { GET: submissionId } },
  { pattern: at("transfer"), methods: { POST: submitTransfer } },
  { pattern: at("delete"), methods: { POST: submitDelete } },
  { pattern: at("task_list"), methods: { GET: taskList } },
  { pattern: at("task/:id"), methods: { GET: getTask, PUT: updateTask } },
  { pattern: at("task/:id/cancel"), methods: { POST: cancelTask } },
  { pattern: at("task/:id/event_list"), methods: { GET: eventList } },
  { pattern: at("task/:id/successful_transfers"), methods: { GET: successfulTransfers } },
  { pattern: at("task/:id/skipped_errors"), methods: { GET: skippedErrors } },
  { pattern: at("task/:id/pause_info"), methods: { GET: pauseInfo } },
];
