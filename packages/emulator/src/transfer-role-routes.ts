import { randomUUID } from "node:crypto";
import type { RequestContext } from "./request-context.ts";
import { servicePath } from "./service-request.ts";
import { isUuid } from "./stable-uuid.ts";
import { badRequest, denied, fault, notFound, transferResult } from "./transfer-answers.ts";
import type { RoleRecord } from "./transfer-records.ts";
import { dataType, jsonBody, knownCollection } from "./transfer-request.ts";
import type { TransferHandler, TransferRoute } from "./transfer-route.ts";
import type { TransferStore } from "./transfer-store.ts";

const ROLES = ["administrator", "access_manager", "activity_manager", "activity_monitor"];

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
  transferResult(ctx, 200, "Deleted", `Role '${role.id}' deleted successfully`);
};

/** @internal The fake Transfer's role routes: a collection's roles, for its administrators and access managers. */
export const TRANSFER_ROLE_ROUTES: readonly TransferRoute[] = [
  { pattern: servicePath("endpoint/:id/role_list"), methods: { GET: roleList } },
  { pattern: servicePath("endpoint/:id/role"), methods: { POST: addRole } },
  { pattern: servicePath("endpoint/:id/role/:id"), methods: { GET: getRole, DELETE: deleteRole } },
];
