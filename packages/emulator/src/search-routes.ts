import { randomUUID } from "node:crypto";
import { isoTime } from "./iso-time.ts";
import type { RequestContext } from "./request-context.ts";
import { SEARCH_RESOURCE_SERVER } from "./scope-registry.ts";
import {
  facetResults,
  orderResults,
  type ParsedQuery,
  parseQuery,
  QueryError,
  score,
} from "./search-query-engine.ts";
import {
  DELETE_GRACE,
  groupPrincipal,
  identityPrincipal,
  type SearchEntryRecord,
  type SearchIndexRecord,
  type SearchRoleRecord,
  type SearchStore,
  type SearchTaskRecord,
} from "./search-store.ts";
import { asObject, identifyCaller, jsonObjectBody, ServiceFault } from "./service-request.ts";
import { isUuid } from "./stable-uuid.ts";

/** The Search scope that allows everything. */
export const SEARCH_ALL_SCOPE = "urn:globus:auth:scope:search.api.globus.org:all";
/** The Search scope for queries. */
export const SEARCH_SEARCH_SCOPE = "urn:globus:auth:scope:search.api.globus.org:search";
/** The Search scope for ingest and deletes. */
export const SEARCH_INGEST_SCOPE = "urn:globus:auth:scope:search.api.globus.org:ingest";

/** Who calls: an identity id with its token's scopes, or nobody (anonymous queries see public entries). */
interface SearchCaller {
  readonly identity: string | undefined;
  readonly scopes: ReadonlySet<string>;
}

/** @internal One Search call. */
type SearchHandler = (ctx: RequestContext, caller: SearchCaller, store: SearchStore) => void;

/** @internal A Search route: a pattern on the path after `/search/v1/`. */
export interface SearchRoute {
  readonly pattern: RegExp;
  readonly methods: Readonly<Partial<Record<string, SearchHandler>>>;
}

const fault = (status: number, code: string, message: string): ServiceFault =>
  new ServiceFault(status, code, message);
const badRequest = (message: string): ServiceFault => fault(400, "BadRequest", message);
const forbidden = (message: string): ServiceFault => fault(403, "Forbidden.Generic", message);

/**
 * @internal Search's error body, a `GError`. // wire: unverified — the codes other than
 * `NotFound.NoSuchIndex` are the emulator's choice.
 */
export function searchError(
  ctx: RequestContext,
  status: number,
  code: string,
  message: string,
  errorData?: unknown,
): void {
  ctx.respond.json(status, {
    "@datatype": "GError",
    "@version": "2017-09-01",
    status,
    code,
    message,
    request_id: randomUUID().replaceAll("-", ""),
    ...(errorData === undefined ? {} : { error_data: errorData }),
  });
}

/** @internal Runs a Search handler: the caller (anonymous allowed, a bad token never), tasks, errors. */
export function runSearch(ctx: RequestContext, handler: SearchHandler): void {
  const caller = identifyCaller(ctx, SEARCH_RESOURCE_SERVER);
  if (caller.kind === "refused") {
    searchError(ctx, 401, "AuthenticationFailed", caller.reason);
    return;
  }
  const store = ctx.state.search;
  store.matchesQuery = (index, query) => {
    const parsed = parseQuery(query);
    return new Set(index.entries.filter((entry) => score(parsed, entry) > 0));
  };
  store.settle();
  try {
    handler(
      ctx,
      caller.kind === "token"
        ? { identity: caller.record.subject, scopes: caller.scopes }
        : { identity: undefined, scopes: new Set() },
      store,
    );
  } catch (error) {
    if (error instanceof ServiceFault) searchError(ctx, error.status, error.code, error.message);
    else if (error instanceof QueryError) searchError(ctx, 400, "BadRequest.InvalidQuery", error.message);
    else throw error;
  }
}

/** The token's scopes allow this kind of call: `all` always; `search` queries; `ingest` writes. */
function needScope(caller: SearchCaller, kind: "query" | "write" | "manage"): void {
  if (caller.identity === undefined) {
    if (kind === "query") return;
    throw fault(401, "AuthenticationFailed", "This call needs a Search token");
  }
  const ok =
    caller.scopes.has(SEARCH_ALL_SCOPE) ||
    (kind === "query" && caller.scopes.has(SEARCH_SEARCH_SCOPE)) ||
    (kind === "write" && caller.scopes.has(SEARCH_INGEST_SCOPE));
  if (!ok) {
    const wanted = { query: "search", write: "ingest", manage: "all" }[kind];
    throw fault(403, "Forbidden.InsufficientScope", `This call needs the Search scope '${wanted}' or 'all'`);
  }
}

/** The principals a caller acts as: `public`, their identity, and the groups they are active in. */
function principalsOf(ctx: RequestContext, caller: SearchCaller): (principal: string) => boolean {
  return (principal) => {
    if (principal === "public") return true;
    if (caller.identity === undefined) return false;
    if (principal === identityPrincipal(caller.identity)) return true;
    const group = principal.startsWith("urn:globus:groups:id:") ? principal.slice(21) : undefined;
    return group !== undefined && ctx.state.groups.isActiveMember(group, caller.identity);
  };
}

const RANK = { writer: 1, admin: 2, owner: 3 } as const;

/** The caller's strongest role on an index. */
function roleOn(
  ctx: RequestContext,
  caller: SearchCaller,
  index: SearchIndexRecord,
): keyof typeof RANK | undefined {
  const holds = principalsOf(ctx, caller);
  let best: keyof typeof RANK | undefined;
  for (const role of index.roles) {
    if (role.principal !== "public" && holds(role.principal) && (!best || RANK[role.roleName] > RANK[best])) {
      best = role.roleName;
    }
  }
  return best;
}

function indexFromPath(
  ctx: RequestContext,
  store: SearchStore,
  options: { open?: boolean } = {},
): SearchIndexRecord {
  const id = (ctx.pathParams[0] ?? "").toLowerCase();
  const index = isUuid(id) ? store.indices.get(id) : undefined;
  if (!index) throw fault(404, "NotFound.NoSuchIndex", `There is no index named '${id.slice(0, 100)}'`);
  if (options.open !== false && index.status !== "open") {
    throw fault(
      409,
      "Conflict.IndexPendingDeletion",
      `Index ${index.id} is pending deletion; reopen it first`,
    );
  }
  return index;
}

function needRole(
  ctx: RequestContext,
  caller: SearchCaller,
  index: SearchIndexRecord,
  least: keyof typeof RANK,
): void {
  const role = roleOn(ctx, caller, index);
  if (!role || RANK[role] < RANK[least]) {
    throw forbidden(`This call needs the ${least} role (or a stronger one) on index ${index.id}`);
  }
}

function indexDocument(
  ctx: RequestContext,
  caller: SearchCaller,
  index: SearchIndexRecord,
): Record<string, unknown> {
  const role = roleOn(ctx, caller, index);
  const bytes = Buffer.byteLength(JSON.stringify(index.entries));
  return {
    "@datatype": "GSearchIndex",
    "@version": "2017-09-01",
    id: index.id,
    display_name: index.displayName,
    description: index.description,
    creation_date: isoTime(index.created),
    is_trial: true,
    subscription_id: null,
    max_size_in_mb: 1,
    size_in_mb: Math.round((bytes / 1_048_576) * 1000) / 1000,
    num_subjects: new Set(index.entries.map((entry) => entry.subject)).size,
    num_entries: index.entries.length,
    status: index.status,
    permissions: role ? [role] : [],
  };
}

const taskDocument = (task: SearchTaskRecord): Record<string, unknown> => ({
  task_id: task.id,
  index_id: task.indexId,
  task_type: task.taskType,
  state: task.state,
  state_description: { PENDING: "Task is pending", SUCCESS: "Task succeeded", FAILED: "Task failed" }[
    task.state
  ],
  creation_date: isoTime(task.created),
  completion_date: task.completed === null ? null : isoTime(task.completed),
  message: task.message,
  additional_details: null,
});

const roleDocument = (index: SearchIndexRecord, role: SearchRoleRecord): Record<string, unknown> => ({
  id: role.id,
  index_id: index.id,
  principal: role.principal,
  principal_type: role.principalType,
  role_name: role.roleName,
  creation_date: isoTime(role.created),
});

/** A subject's result: the entries the caller may see, with the principals that let them. */
function gmetaResult(
  subject: string,
  entries: readonly SearchEntryRecord[],
  holds: (principal: string) => boolean,
): Record<string, unknown> {
  return {
    "@datatype": "GMetaResult",
    "@version": "2019-08-27",
    subject,
    entries: entries.map((entry) => ({
      content: entry.content,
      entry_id: entry.entryId,
      matched_principal_sets: [entry.visibleTo.filter(holds)],
    })),
  };
}

/** The subjects matching a query among what the caller may see, ordered. */
function matchingSubjects(
  ctx: RequestContext,
  caller: SearchCaller,
  index: SearchIndexRecord,
  query: ParsedQuery,
) {
  const holds = principalsOf(ctx, caller);
  const bySubject = new Map<string, { subject: string; score: number; entries: SearchEntryRecord[] }>();
  for (const entry of index.entries) {
    if (!entry.visibleTo.some(holds)) continue;
    const points = score(query, entry);
    if (points === 0) continue;
    const result = bySubject.get(entry.subject) ?? { subject: entry.subject, score: 0, entries: [] };
    result.score = Math.max(result.score, points);
    result.entries.push(entry);
    bySubject.set(entry.subject, result);
  }
  const results = [...bySubject.values()];
  orderResults(query, results);
  return { results, holds };
}

function integer(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined || value === null || value === "") return fallback;
  const number = typeof value === "string" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number) || number < 0 || number > max) {
    throw badRequest(`${name} must be an integer from 0 to ${max}`);
  }
  return number;
}

/** Search answers at most this many results in all: `offset + limit` stays within it. */
const RESULT_WINDOW = 10_000;

/** A `GSearchResult` page for a query document. */
function searchPage(
  ctx: RequestContext,
  caller: SearchCaller,
  store: SearchStore,
  document: Record<string, unknown>,
) {
  needScope(caller, "query");
  const index = indexFromPath(ctx, store);
  const offset = integer(document.offset, "offset", 0, RESULT_WINDOW - 1);
  const limit = integer(document.limit, "limit", 10, RESULT_WINDOW);
  if (offset + limit > RESULT_WINDOW) throw badRequest(`offset + limit must not exceed ${RESULT_WINDOW}`);
  if (document.advanced !== undefined && typeof document.advanced !== "boolean") {
    throw badRequest("advanced must be true or false");
  }
  const query = parseQuery(document);
  const { results, holds } = matchingSubjects(ctx, caller, index, query);
  const page = results.slice(offset, offset + limit);
  const facets = facetResults(
    document.facets,
    results.map((r) => r.entries),
  );
  ctx.respond.json(200, {
    "@datatype": "GSearchResult",
    "@version": "2017-09-01",
    count: page.length,
    offset,
    total: results.length,
    has_next_page: offset + page.length < results.length && offset + limit < RESULT_WINDOW,
    gmeta: page.map((r) => gmetaResult(r.subject, r.entries, holds)),
    ...(document.facets === undefined ? {} : { facet_results: facets }),
  });
}

// Queries

/** `GET index/<id>/search?q=&offset=&limit=&advanced=`. */
const searchGet: SearchHandler = (ctx, caller, store) => {
  const advanced = ctx.query.get("advanced");
  if (advanced !== null && !["true", "false", "True", "False"].includes(advanced)) {
    throw badRequest("advanced must be true or false");
  }
  searchPage(ctx, caller, store, {
    q: ctx.query.get("q") ?? "",
    offset: ctx.query.get("offset") ?? undefined,
    limit: ctx.query.get("limit") ?? undefined,
    ...(advanced === null ? {} : { advanced: advanced.toLowerCase() === "true" }),
  });
};

/** `POST index/<id>/search`: the whole query document. */
const searchPost: SearchHandler = (ctx, caller, store) => {
  searchPage(ctx, caller, store, jsonObjectBody(ctx, badRequest));
};

/** A scroll marker: where the next page starts, opaque to clients. // wire: unverified (its form) */
const encodeMarker = (offset: number): string =>
  Buffer.from(JSON.stringify({ o: offset })).toString("base64url");
function decodeMarker(marker: unknown): number {
  if (marker === undefined || marker === null) return 0;
  try {
    const offset = (JSON.parse(Buffer.from(String(marker), "base64url").toString("utf8")) as { o?: unknown })
      .o;
    if (typeof offset === "number" && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // Falls through to the refusal.
  }
  throw badRequest("Invalid scroll marker");
}

/** `POST index/<id>/scroll`: every match, page by page, beyond the 10000 window; `marker` pages on. */
const scroll: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "query");
  const index = indexFromPath(ctx, store);
  const document = jsonObjectBody(ctx, badRequest);
  const limit = integer(document.limit, "limit", 10, RESULT_WINDOW);
  const offset = decodeMarker(document.marker);
  const { results, holds } = matchingSubjects(ctx, caller, index, parseQuery(document));
  const page = results.slice(offset, offset + limit);
  const more = offset + page.length < results.length;
  ctx.respond.json(200, {
    "@datatype": "GScrollResponse",
    "@version": "2017-09-01",
    count: page.length,
    total: results.length,
    has_next_page: more,
    marker: more ? encodeMarker(offset + page.length) : null,
    gmeta: page.map((r) => gmetaResult(r.subject, r.entries, holds)),
  });
};

function subjectParam(ctx: RequestContext): string {
  const subject = ctx.query.get("subject");
  if (subject === null || subject === "") throw badRequest("The subject parameter is required");
  return subject;
}

/** `GET index/<id>/subject?subject=`: the entries of a subject the caller may see. */
const getSubject: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "query");
  const index = indexFromPath(ctx, store);
  const subject = subjectParam(ctx);
  const holds = principalsOf(ctx, caller);
  const entries = index.entries.filter((e) => e.subject === subject && e.visibleTo.some(holds));
  if (entries.length === 0)
    throw fault(404, "NotFound.Generic", `No subject '${subject.slice(0, 200)}' is visible`);
  ctx.respond.json(200, gmetaResult(subject, entries, holds));
};

/** `GET index/<id>/entry?subject=&entry_id=`: one entry. // wire: unverified (the answer's shape) */
const getEntry: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "query");
  const index = indexFromPath(ctx, store);
  const subject = subjectParam(ctx);
  const entryId = ctx.query.get("entry_id") || null;
  const holds = principalsOf(ctx, caller);
  const entry = index.entries.find(
    (e) => e.subject === subject && e.entryId === entryId && e.visibleTo.some(holds),
  );
  if (!entry) throw fault(404, "NotFound.Generic", `No such entry of subject '${subject.slice(0, 200)}'`);
  ctx.respond.json(200, gmetaResult(subject, [entry], holds));
};

// Writes

const PRINCIPAL = /^(public|urn:globus:auth:identity:[0-9a-f-]{36}|urn:globus:groups:id:[0-9a-f-]{36})$/;

function gmetaEntry(raw: unknown): SearchEntryRecord {
  const entry = asObject(raw);
  if (!entry) throw badRequest("Each GMetaEntry must be an object");
  const { subject, visible_to: visibleTo, content, id } = entry;
  if (typeof subject !== "string" || subject === "" || subject.length > 8192) {
    throw badRequest("A GMetaEntry needs a subject (a non-empty string)");
  }
  if (
    !Array.isArray(visibleTo) ||
    visibleTo.length === 0 ||
    !visibleTo.every((p) => typeof p === "string" && PRINCIPAL.test(p))
  ) {
    throw badRequest(
      "A GMetaEntry needs visible_to: 'public', urn:globus:auth:identity:<id> or urn:globus:groups:id:<id> principals",
    );
  }
  if (!asObject(content)) throw badRequest("A GMetaEntry needs a content object");
  if (id !== undefined && id !== null && typeof id !== "string")
    throw badRequest("A GMetaEntry's id must be a string");
  return {
    subject,
    entryId: typeof id === "string" && id !== "" ? id : null,
    content: content as Record<string, unknown>,
    visibleTo: [...new Set(visibleTo as string[])],
  };
}

/** `POST index/<id>/ingest`: a GMetaEntry or a GMetaList, applied by a task. // wire: unverified (answer fields) */
const ingest: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "write");
  const index = indexFromPath(ctx, store);
  needRole(ctx, caller, index, "writer");
  const document = jsonObjectBody(ctx, badRequest);
  const data = asObject(document.ingest_data);
  if (!data) throw badRequest("ingest_data must be an object");
  let entries: SearchEntryRecord[];
  if (document.ingest_type === "GMetaEntry") entries = [gmetaEntry(data)];
  else if (document.ingest_type === "GMetaList") {
    if (!Array.isArray(data.gmeta) || data.gmeta.length === 0)
      throw badRequest("A GMetaList needs a non-empty gmeta list");
    entries = data.gmeta.map(gmetaEntry);
  } else throw badRequest("ingest_type must be GMetaEntry or GMetaList");
  const task = store.addTask(index.id, "INGEST", { kind: "ingest", entries });
  ctx.respond.json(200, {
    acknowledged: true,
    success: true,
    task_id: task.id,
    num_documents_ingested: entries.length,
    as_identity: null,
  });
};

/** `POST index/<id>/delete_by_query`: what matches `q` and `filters`, removed by a task. */
const deleteByQuery: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "write");
  const index = indexFromPath(ctx, store);
  needRole(ctx, caller, index, "writer");
  const document = jsonObjectBody(ctx, badRequest);
  parseQuery(document);
  const task = store.addTask(index.id, "DELETE_BY_QUERY", { kind: "delete_by_query", query: document });
  ctx.respond.json(200, { acknowledged: true, task_id: task.id });
};

/** `POST index/<id>/batch_delete_by_subject`: `{subjects: […]}`, removed by a task. */
const batchDeleteBySubject: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "write");
  const index = indexFromPath(ctx, store);
  needRole(ctx, caller, index, "writer");
  const { subjects } = jsonObjectBody(ctx, badRequest);
  if (!Array.isArray(subjects) || subjects.length === 0 || !subjects.every((s) => typeof s === "string")) {
    throw badRequest("subjects must be a non-empty list of strings");
  }
  const task = store.addTask(index.id, "DELETE_BY_SUBJECT", { kind: "delete_subjects", subjects });
  ctx.respond.json(200, { acknowledged: true, task_id: task.id });
};

/** `DELETE index/<id>/subject?subject=`: every entry of a subject, removed by a task. */
const deleteSubject: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "write");
  const index = indexFromPath(ctx, store);
  needRole(ctx, caller, index, "writer");
  const task = store.addTask(index.id, "DELETE_BY_SUBJECT", {
    kind: "delete_subjects",
    subjects: [subjectParam(ctx)],
  });
  ctx.respond.json(200, { acknowledged: true, task_id: task.id });
};

/** `DELETE index/<id>/entry?subject=&entry_id=`: one entry, at once. // wire: unverified (answer) */
const deleteEntry: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "write");
  const index = indexFromPath(ctx, store);
  needRole(ctx, caller, index, "writer");
  const subject = subjectParam(ctx);
  const entryId = ctx.query.get("entry_id") || null;
  const before = index.entries.length;
  index.entries = index.entries.filter((e) => !(e.subject === subject && e.entryId === entryId));
  if (index.entries.length === before) throw fault(404, "NotFound.Generic", "No such entry");
  store.changed();
  ctx.respond.json(200, { removed: true });
};

// Tasks

const getTask: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "write");
  const task = store.tasks.get((ctx.pathParams[0] ?? "").toLowerCase());
  const index = task && store.indices.get(task.indexId);
  const role = index && roleOn(ctx, caller, index);
  if (!task || (index && !role)) throw fault(404, "NotFound.NoSuchTask", "No such task");
  ctx.respond.json(200, taskDocument(task));
};

/** `GET task_list/<index id>`: the index's tasks, newest first, at most 1000. */
const getTaskList: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "write");
  const index = indexFromPath(ctx, store, { open: false });
  needRole(ctx, caller, index, "writer");
  const tasks = [...store.tasks.values()]
    .filter((task) => task.indexId === index.id)
    .sort((a, b) => b.created - a.created)
    .slice(0, 1000);
  ctx.respond.json(200, { index_id: index.id, tasks: tasks.map(taskDocument) });
};

// Indices

function displayText(value: unknown, name: string, max: number): string {
  if (typeof value !== "string" || value.trim() === "" || value.length > max) {
    throw badRequest(`${name} must be a non-empty string of at most ${max} characters`);
  }
  return value;
}

/** `POST index`: a new trial index owned by the caller. */
const createIndex: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "manage");
  const body = jsonObjectBody(ctx, badRequest);
  const now = store.now();
  const index: SearchIndexRecord = {
    id: randomUUID(),
    displayName: displayText(body.display_name, "display_name", 200),
    description: body.description === undefined ? "" : displayText(body.description, "description", 5000),
    created: now,
    status: "open",
    deleteAt: null,
    roles: [
      {
        id: randomUUID(),
        principal: identityPrincipal(caller.identity as string),
        principalType: "identity",
        roleName: "owner",
        created: now,
      },
    ],
    entries: [],
  };
  store.indices.set(index.id, index);
  store.changed();
  ctx.respond.json(200, indexDocument(ctx, caller, index));
};

/** `GET index/<id>`: anyone may read an index's description. */
const getIndex: SearchHandler = (ctx, caller, store) => {
  ctx.respond.json(200, indexDocument(ctx, caller, indexFromPath(ctx, store, { open: false })));
};

/** `PATCH index/<id>`: `display_name`, `description`; admins and owners. */
const updateIndex: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "manage");
  const index = indexFromPath(ctx, store);
  needRole(ctx, caller, index, "admin");
  const body = jsonObjectBody(ctx, badRequest);
  const unknown = Object.keys(body).find((key) => !["display_name", "description"].includes(key));
  if (unknown !== undefined) throw badRequest(`'${unknown.slice(0, 50)}' cannot be changed`);
  if (body.display_name !== undefined)
    index.displayName = displayText(body.display_name, "display_name", 200);
  if (body.description !== undefined) index.description = displayText(body.description, "description", 5000);
  store.changed();
  ctx.respond.json(200, indexDocument(ctx, caller, index));
};

/** `DELETE index/<id>`: marks it `delete-pending`; final after a day unless reopened. */
const deleteIndex: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "manage");
  const index = indexFromPath(ctx, store);
  needRole(ctx, caller, index, "owner");
  index.status = "delete-pending";
  index.deleteAt = store.now() + DELETE_GRACE;
  store.changed();
  ctx.respond.json(200, { index_id: index.id, acknowledged: true });
};

/** `POST index/<id>/reopen`: undoes a pending deletion. */
const reopenIndex: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "manage");
  const index = indexFromPath(ctx, store, { open: false });
  needRole(ctx, caller, index, "owner");
  if (index.status === "open")
    throw fault(409, "Conflict.IndexNotPendingDeletion", `Index ${index.id} is open`);
  index.status = "open";
  index.deleteAt = null;
  store.changed();
  ctx.respond.json(200, { index_id: index.id, acknowledged: true });
};

/** `GET index_list`: the indices the caller holds a role on. */
const indexList: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "manage");
  const mine = [...store.indices.values()].filter((index) => roleOn(ctx, caller, index));
  ctx.respond.json(200, { index_list: mine.map((index) => indexDocument(ctx, caller, index)) });
};

// Roles

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

const ID_PART = "([^/]+)";
const at = (path: string): RegExp => new RegExp(`^${path.replaceAll(":id", ID_PART)}$`);

/** @internal The fake Search's routes, by path after `/search/v1/`. */
export const SEARCH_ROUTES: readonly SearchRoute[] = [
  { pattern: at("index"), methods: { POST: createIndex } },
  { pattern: at("index_list"), methods: { GET: indexList } },
  { pattern: at("index/:id"), methods: { GET: getIndex, PATCH: updateIndex, DELETE: deleteIndex } },
  { pattern: at("index/:id/reopen"), methods: { POST: reopenIndex } },
  { pattern: at("index/:id/search"), methods: { GET: searchGet, POST: searchPost } },
  { pattern: at("index/:id/scroll"), methods: { POST: scroll } },
  { pattern: at("index/:id/ingest"), methods: { POST: ingest } },
  { pattern: at("index/:id/delete_by_query"), methods: { POST: deleteByQuery } },
  { pattern: at("index/:id/batch_delete_by_subject"), methods: { POST: batchDeleteBySubject } },
  { pattern: at("index/:id/subject"), methods: { GET: getSubject, DELETE: deleteSubject } },
  { pattern: at("index/:id/entry"), methods: { GET: getEntry, DELETE: deleteEntry } },
  { pattern: at("index/:id/role"), methods: { POST: createRole } },
  { pattern: at("index/:id/role_list"), methods: { GET: getRoleList } },
  { pattern: at("index/:id/role/:id"), methods: { DELETE: deleteRole } },
  { pattern: at("task/:id"), methods: { GET: getTask } },
  { pattern: at("task_list/:id"), methods: { GET: getTaskList } },
];
