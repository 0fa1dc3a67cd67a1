import { isoTime } from "./iso-time.ts";
import type { RequestContext } from "./request-context.ts";
import { servicePath } from "./service-request.ts";
import { isUuid } from "./stable-uuid.ts";
import type { AccessTokenRecord } from "./token-store.ts";
import { checkAccess } from "./transfer-access.ts";
import { badRequest, fault, notFound, requestId, transferResult } from "./transfer-answers.ts";
import { splitPath } from "./transfer-file-tree.ts";
import { orderBy, parseFilter, textMatches, timeMatches } from "./transfer-filters.ts";
import type { TaskRecord } from "./transfer-records.ts";
import { dataType, integerParam, jsonBody } from "./transfer-request.ts";
import type { TransferHandler, TransferRoute } from "./transfer-route.ts";
import type { TransferStore } from "./transfer-store.ts";
import { taskDocument } from "./transfer-task-document.ts";

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
    request_id: requestId(),
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
    request_id: requestId(),
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
    DATA: tasks.slice(offset, offset + limit).map((task) => taskDocument(store, task)),
  });
};

const getTask: TransferHandler = (ctx, caller, store) => {
  ctx.respond.json(200, taskDocument(store, ownTask(ctx, caller, store)));
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
  transferResult(ctx, 200, "Updated", "Updated task successfully");
};

const cancelTask: TransferHandler = (ctx, caller, store) => {
  const task = ownTask(ctx, caller, store);
  if (store.cancel(task)) transferResult(ctx, 200, "Canceled", "The task has been cancelled successfully.");
  else
    transferResult(ctx, 200, "TaskComplete", "The task completed before the cancel request was processed.");
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

/**
 * @internal The fake Transfer's task routes: submission ids, transfer and delete submissions, and
 * the caller's tasks (list, document, label and deadline, cancel, events, successes, skipped
 * errors, pause information).
 */
export const TRANSFER_TASK_ROUTES: readonly TransferRoute[] = [
  { pattern: servicePath("submission_id"), methods: { GET: submissionId } },
  { pattern: servicePath("transfer"), methods: { POST: submitTransfer } },
  { pattern: servicePath("delete"), methods: { POST: submitDelete } },
  { pattern: servicePath("task_list"), methods: { GET: taskList } },
  { pattern: servicePath("task/:id"), methods: { GET: getTask, PUT: updateTask } },
  { pattern: servicePath("task/:id/cancel"), methods: { POST: cancelTask } },
  { pattern: servicePath("task/:id/event_list"), methods: { GET: eventList } },
  { pattern: servicePath("task/:id/successful_transfers"), methods: { GET: successfulTransfers } },
  { pattern: servicePath("task/:id/skipped_errors"), methods: { GET: skippedErrors } },
  { pattern: servicePath("task/:id/pause_info"), methods: { GET: pauseInfo } },
];
