import { servicePath } from "./service-request.ts";
import { badRequest, denied, transferResult } from "./transfer-answers.ts";
import { ownerIdOf, SAMPLE_COLLECTIONS, type SampleCollection } from "./transfer-collections.ts";
import { EDITABLE_ENDPOINT_FIELDS } from "./transfer-records.ts";
import { dataType, integerParam, jsonBody, knownCollection } from "./transfer-request.ts";
import type { TransferHandler, TransferRoute } from "./transfer-route.ts";
import type { TransferStore } from "./transfer-store.ts";

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
  transferResult(ctx, 200, "Updated", "Endpoint updated successfully");
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

/**
 * @internal The fake Transfer's endpoint (collection) routes: search, the endpoint document and its
 * edits, servers, guest collections on a host, and pause rules.
 */
export const TRANSFER_ENDPOINT_ROUTES: readonly TransferRoute[] = [
  { pattern: servicePath("endpoint_search"), methods: { GET: endpointSearch } },
  { pattern: servicePath("endpoint/:id"), methods: { GET: getEndpoint, PUT: updateEndpoint } },
  { pattern: servicePath("endpoint/:id/server_list"), methods: { GET: serverList } },
  { pattern: servicePath("endpoint/:id/my_shared_endpoint_list"), methods: { GET: mySharedEndpointList } },
  { pattern: servicePath("endpoint/:id/shared_endpoint_list"), methods: { GET: sharedEndpointList } },
  {
    pattern: servicePath("endpoint_manager/my_effective_pause_rule_list/:id"),
    methods: { GET: myEffectivePauseRules },
  },
];
