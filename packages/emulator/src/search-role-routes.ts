import { randomUUID } from "node:crypto";
import { isoTime } from "./iso-time.ts";
import {
  badRequest,
  fault,
  indexFromPath,
  needRole,
  needScope,
  type SearchHandler,
  type SearchRoute,
} from "./search-request.ts";
import {
  groupPrincipal,
  identityPrincipal,
  type SearchIndexRecord,
  type SearchRoleRecord,
} from "./search-store.ts";
import { jsonObjectBody, servicePath } from "./service-request.ts";
import { isUuid } from "./stable-uuid.ts";

// Roles on an index of the fake Search: who may write, administer and own it.

const roleDocument = (index: SearchIndexRecord, role: SearchRoleRecord): Record<string, unknown> => ({
  id: role.id,
  index_id: index.id,
  principal: role.principal,
  principal_type: role.principalType,
  role_name: role.roleName,
  creation_date: isoTime(role.created),
});

/** `POST index/<id>/role`: `{role_name, principal}`; admins grant writer and admin, owners owner too. */
const createRole: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "manage");
  const index = indexFromPath(ctx, store);
  needRole(ctx, caller, index, "admin");
  const body = jsonObjectBody(ctx, badRequest);
  const roleName = body.role_name;
  if (roleName !== "owner" && roleName !== "admin" && roleName !== "writer") {
    throw badRequest("role_name must be owner, admin or writer");
  }
  if (roleName === "owner") needRole(ctx, caller, index, "owner");
  const principal = typeof body.principal === "string" ? body.principal : "";
  const id = principal.startsWith("urn:globus:") ? principal.slice(principal.lastIndexOf(":") + 1) : "";
  const principalType = principal.startsWith("urn:globus:auth:identity:")
    ? "identity"
    : principal.startsWith("urn:globus:groups:id:")
      ? "group"
      : undefined;
  if (!principalType || !isUuid(id)) {
    throw badRequest("principal must be urn:globus:auth:identity:<id> or urn:globus:groups:id:<id>");
  }
  const normal =
    principalType === "identity" ? identityPrincipal(id.toLowerCase()) : groupPrincipal(id.toLowerCase());
  if (index.roles.some((role) => role.principal === normal && role.roleName === roleName)) {
    throw fault(409, "Conflict.RoleAlreadyExists", `${normal} already holds the ${roleName} role`);
  }
  const role: SearchRoleRecord = {
    id: randomUUID(),
    principal: normal,
    principalType,
    roleName,
    created: store.now(),
  };
  index.roles.push(role);
  store.changed();
  ctx.respond.json(200, roleDocument(index, role));
};

const getRoleList: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "manage");
  const index = indexFromPath(ctx, store);
  needRole(ctx, caller, index, "admin");
  ctx.respond.json(200, { role_list: index.roles.map((role) => roleDocument(index, role)) });
};

/** `DELETE index/<id>/role/<role id>`; an index keeps at least one owner. // wire: unverified (answer) */
const deleteRole: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "manage");
  const index = indexFromPath(ctx, store);
  needRole(ctx, caller, index, "admin");
  const role = index.roles.find((r) => r.id === (ctx.pathParams[1] ?? "").toLowerCase());
  if (!role) throw fault(404, "NotFound.Generic", "No such role");
  if (role.roleName === "owner") {
    needRole(ctx, caller, index, "owner");
    if (index.roles.filter((r) => r.roleName === "owner").length === 1) {
      throw fault(409, "Conflict.LastOwner", "An index must keep at least one owner");
    }
  }
  index.roles = index.roles.filter((r) => r !== role);
  store.changed();
  ctx.respond.json(200, { success: true, deleted: roleDocument(index, role) });
};

/** @internal The fake Search's routes of roles on an index. */
export const SEARCH_ROLE_ROUTES: readonly SearchRoute[] = [
  { pattern: servicePath("index/:id/role"), methods: { POST: createRole } },
  { pattern: servicePath("index/:id/role_list"), methods: { GET: getRoleList } },
  { pattern: servicePath("index/:id/role/:id"), methods: { DELETE: deleteRole } },
];
