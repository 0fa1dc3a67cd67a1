import { randomUUID } from "node:crypto";
import { isoTime } from "./iso-time.ts";
import type { RequestContext } from "./request-context.ts";
import {
  badRequest,
  fault,
  incompatibleIndexStatus,
  indexFromPath,
  needRole,
  needScope,
  roleOn,
  type SearchCaller,
  type SearchHandler,
  type SearchRoute,
} from "./search-request.ts";
import {
  DELETE_GRACE,
  identityPrincipal,
  type SearchIndexRecord,
  type SearchTaskRecord,
} from "./search-store.ts";
import { jsonObjectBody, servicePath } from "./service-request.ts";

// Indices of the fake Search: create, describe, change, delete (after a grace period) and reopen
// them, list the caller's, and follow the tasks that apply their writes.

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
  if (index.status === "open") throw incompatibleIndexStatus("open", "delete_pending");
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

/** @internal The fake Search's routes of indices and their tasks. */
export const SEARCH_INDEX_ROUTES: readonly SearchRoute[] = [
  { pattern: servicePath("index"), methods: { POST: createIndex } },
  { pattern: servicePath("index_list"), methods: { GET: indexList } },
  { pattern: servicePath("index/:id"), methods: { GET: getIndex, PATCH: updateIndex, DELETE: deleteIndex } },
  { pattern: servicePath("index/:id/reopen"), methods: { POST: reopenIndex } },
  { pattern: servicePath("task/:id"), methods: { GET: getTask } },
  { pattern: servicePath("task_list/:id"), methods: { GET: getTaskList } },
];
