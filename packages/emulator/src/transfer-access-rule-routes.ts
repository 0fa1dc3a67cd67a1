import { randomUUID } from "node:crypto";
import { isoTime } from "./iso-time.ts";
import type { RequestContext } from "./request-context.ts";
import { servicePath } from "./service-request.ts";
import { isUuid } from "./stable-uuid.ts";
import type { AccessTokenRecord } from "./token-store.ts";
import { badRequest, denied, fault, notFound, requestId, transferResult } from "./transfer-answers.ts";
import type { SampleCollection } from "./transfer-collections.ts";
import { splitPath } from "./transfer-file-tree.ts";
import type { AccessRule } from "./transfer-records.ts";
import { dataType, jsonBody, knownCollection } from "./transfer-request.ts";
import type { TransferHandler, TransferRoute } from "./transfer-route.ts";
import type { TransferStore } from "./transfer-store.ts";

const ACL_PRINCIPALS = ["identity", "group", "all_authenticated_users", "anonymous"];

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
    request_id: requestId(),
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
  transferResult(ctx, 200, "Updated", "Updated access rule successfully");
};

const deleteAccessRule: TransferHandler = (ctx, caller, store) => {
  const collection = managedGuest(ctx, caller, store);
  const rule = findRule(ctx, store, collection.id);
  store.rules.set(
    collection.id,
    (store.rules.get(collection.id) ?? []).filter((candidate) => candidate !== rule),
  );
  store.changed();
  transferResult(ctx, 200, "Deleted", `Access rule '${rule.id}' deleted successfully`);
};

/**
 * @internal The fake Transfer's access rule routes: the rules of a guest collection, which decide
 * what identities other than its administrators may read and write there.
 */
export const TRANSFER_ACCESS_RULE_ROUTES: readonly TransferRoute[] = [
  { pattern: servicePath("endpoint/:id/access_list"), methods: { GET: accessList } },
  { pattern: servicePath("endpoint/:id/access"), methods: { POST: addAccessRule } },
  {
    pattern: servicePath("endpoint/:id/access/:id"),
    methods: { GET: getAccessRule, PUT: updateAccessRule, DELETE: deleteAccessRule },
  },
];
