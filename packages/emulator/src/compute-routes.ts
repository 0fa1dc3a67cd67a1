import { randomUUID } from "node:crypto";
import {
  COMPUTE_TASK_SECONDS,
  type ComputeStore,
  type ComputeTaskRecord,
  type FunctionRecord,
  SAMPLE_COMPUTE_ENDPOINT_ID,
  SAMPLE_FUNCTIONS,
} from "./compute-store.ts";
import { isoTime } from "./iso-time.ts";
import type { RequestContext } from "./request-context.ts";
import {
  asObject,
  identifyCaller,
  jsonObjectBody,
  ServiceFault,
  type ServiceRoute,
  servicePath,
} from "./service-request.ts";
import { isUuid } from "./stable-uuid.ts";

/** Resource server of Globus Compute. */
export const COMPUTE_RESOURCE_SERVER = "funcx_service";
/** The scope the fake Compute requires. */
export const COMPUTE_ALL_SCOPE = "https://auth.globus.org/scopes/facd7ccc-c5f4-42aa-916b-a0e270e2c2a9/all";

type ComputeHandler = (ctx: RequestContext, caller: string, store: ComputeStore) => void;

/** @internal A Compute route: a pattern on the path after `/compute/`. */
export type ComputeRoute = ServiceRoute<ComputeHandler>;

const fault = (status: number, code: string, reason: string): ServiceFault =>
  new ServiceFault(status, code, reason);
const badRequest = (reason: string): ServiceFault => fault(400, "BAD_REQUEST", reason);

/**
 * @internal Compute's error body. // wire: unverified — `{"code", "reason", "http_status_code"}` is
 * our belief of the web service's shape.
 */
export function computeError(
  ctx: Pick<RequestContext, "respond">,
  status: number,
  code: string,
  reason: string,
): void {
  ctx.respond.json(status, { code, reason, http_status_code: status });
}

/** @internal Runs a Compute handler: a live Compute token with `all`, Compute's errors. */
export function runCompute(ctx: RequestContext, handler: ComputeHandler): void {
  try {
    const caller = identifyCaller(ctx, COMPUTE_RESOURCE_SERVER);
    if (caller.kind === "anonymous") throw fault(401, "UNAUTHORIZED", "No Authorization header provided");
    if (caller.kind === "refused") throw fault(401, "UNAUTHORIZED", caller.reason);
    if (!caller.scopes.has(COMPUTE_ALL_SCOPE)) {
      throw fault(403, "FORBIDDEN", `This call needs the scope ${COMPUTE_ALL_SCOPE}`);
    }
    handler(ctx, caller.record.subject, ctx.state.compute);
  } catch (error) {
    if (!(error instanceof ServiceFault)) throw error;
    computeError(ctx, error.status, error.code, error.message);
  }
}

const ENDPOINT = {
  uuid: SAMPLE_COMPUTE_ENDPOINT_ID,
  name: "emulator-endpoint",
  display_name: "The globus-app emulator's endpoint",
  owner: "globus-app-emulator",
  public: true,
  multi_user: false,
};

function endpointFromPath(ctx: RequestContext): typeof ENDPOINT {
  const id = (ctx.pathParams[0] ?? "").toLowerCase();
  if (id !== SAMPLE_COMPUTE_ENDPOINT_ID)
    throw fault(404, "ENDPOINT_NOT_FOUND", `Endpoint ${id.slice(0, 100)} not found`);
  return ENDPOINT;
}

function functionById(store: ComputeStore, caller: string, raw: string): FunctionRecord {
  const id = raw.toLowerCase();
  const record = isUuid(id) ? store.functions.get(id) : undefined;
  if (!record || (record.owner !== caller && !record.public)) {
    throw fault(404, "FUNCTION_NOT_FOUND", `Function ${id.slice(0, 100)} not found`);
  }
  return record;
}

function taskById(store: ComputeStore, caller: string, raw: string): ComputeTaskRecord {
  const id = raw.toLowerCase();
  const task = isUuid(id) ? store.tasks.get(id) : undefined;
  if (!task || task.owner !== caller)
    throw fault(404, "TASK_NOT_FOUND", `Task ${id.slice(0, 100)} not found`);
  return task;
}

/** // wire: unverified — a task's document; results are JSON text (the fake's serializer). */
function taskDocument(task: ComputeTaskRecord, now: number): Record<string, unknown> {
  const done = now >= task.submitted + COMPUTE_TASK_SECONDS;
  const base = { task_id: task.id, task_group_id: task.taskGroupId };
  if (!done) return { ...base, status: "waiting-for-launch", pending: true };
  // Compute's `completion_t` is Unix seconds as a string ("1677183605.212898"), not an ISO time.
  const completion = (task.submitted + COMPUTE_TASK_SECONDS).toFixed(6);
  if (task.exception !== undefined) {
    return { ...base, status: "failed", pending: false, exception: task.exception, completion_t: completion };
  }
  return { ...base, status: "success", pending: false, result: task.result, completion_t: completion };
}

/** Runs a sample function on a payload: `{"args", "kwargs"}` as JSON, or nothing. */
function execute(record: FunctionRecord, payload: unknown): Pick<ComputeTaskRecord, "result" | "exception"> {
  const sample = SAMPLE_FUNCTIONS[record.name];
  if (!sample) {
    return {
      result: undefined,
      exception: `NotImplementedError: the emulator runs only ${Object.keys(SAMPLE_FUNCTIONS).join(", ")}`,
    };
  }
  let parsed: Record<string, unknown> = {};
  if (typeof payload === "string" && payload !== "") {
    try {
      parsed = asObject(JSON.parse(payload)) ?? {};
    } catch {
      return { result: undefined, exception: "DeserializationError: the emulator reads JSON payloads only" };
    }
  }
  const args = Array.isArray(parsed.args) ? parsed.args : [];
  try {
    return { result: JSON.stringify(sample(args, asObject(parsed.kwargs) ?? {})), exception: undefined };
  } catch (error) {
    return { result: undefined, exception: (error as Error).message };
  }
}

function submitTask(
  store: ComputeStore,
  caller: string,
  functionId: string,
  endpointId: string,
  payload: unknown,
  taskGroupId: string,
): ComputeTaskRecord {
  const record = functionById(store, caller, functionId);
  if (endpointId.toLowerCase() !== SAMPLE_COMPUTE_ENDPOINT_ID) {
    throw fault(404, "ENDPOINT_NOT_FOUND", `Endpoint ${endpointId.slice(0, 100)} not found`);
  }
  const task: ComputeTaskRecord = {
    id: randomUUID(),
    owner: caller,
    functionId: record.id,
    endpointId: SAMPLE_COMPUTE_ENDPOINT_ID,
    taskGroupId,
    submitted: store.now(),
    ...execute(record, payload),
  };
  store.tasks.set(task.id, task);
  return task;
}

const getVersion: ComputeHandler = (ctx) => {
  // wire: unverified
  const version = { api: "1.0.0-emulator", min_sdk_version: "2.0.0", min_ep_version: "2.0.0" };
  ctx.respond.json(200, ctx.query.get("service") === "all" ? version : version.api);
};

const getEndpoints: ComputeHandler = (ctx) => {
  ctx.respond.json(200, [ENDPOINT]);
};

const getEndpoint: ComputeHandler = (ctx) => {
  ctx.respond.json(200, endpointFromPath(ctx));
};

const getEndpointStatus: ComputeHandler = (ctx, _caller, store) => {
  endpointFromPath(ctx);
  ctx.respond.json(200, {
    status: "online",
    details: { total_workers: 4, idle_workers: 4, pending_tasks: 0, outstanding_tasks: 0 },
    last_seen: isoTime(store.now()),
  });
};

const registerFunction: ComputeHandler = (ctx, caller, store) => {
  const body = jsonObjectBody(ctx, badRequest);
  if (typeof body.function_name !== "string" || body.function_name === "")
    throw badRequest("function_name is required");
  if (typeof body.function_code !== "string") throw badRequest("function_code is required");
  const record: FunctionRecord = {
    id: randomUUID(),
    owner: caller,
    name: body.function_name.slice(0, 200),
    code: body.function_code.slice(0, 100_000),
    description: typeof body.description === "string" ? body.description.slice(0, 5000) : "",
    public: body.public === true,
    created: store.now(),
  };
  store.functions.set(record.id, record);
  store.changed();
  ctx.respond.json(200, { function_uuid: record.id });
};

const getFunction: ComputeHandler = (ctx, caller, store) => {
  const record = functionById(store, caller, ctx.pathParams[0] ?? "");
  ctx.respond.json(200, {
    function_uuid: record.id,
    function_name: record.name,
    function_code: record.code,
    description: record.description,
    public: record.public,
  });
};

const deleteFunction: ComputeHandler = (ctx, caller, store) => {
  const record = functionById(store, caller, ctx.pathParams[0] ?? "");
  if (record.owner !== caller)
    throw fault(403, "FORBIDDEN", `Only the owner of function ${record.id} may delete it`);
  store.functions.delete(record.id);
  store.changed();
  ctx.respond.json(200, { result: 302, function_uuid: record.id });
};

/** `v2/submit`: `tasks` is a list of `[function_id, endpoint_id, payload]`. */
const submitV2: ComputeHandler = (ctx, caller, store) => {
  const body = jsonObjectBody(ctx, badRequest);
  if (!Array.isArray(body.tasks) || body.tasks.length === 0)
    throw badRequest("tasks must list at least one task");
  const taskGroupId = typeof body.task_group_id === "string" ? body.task_group_id : randomUUID();
  const results = (body.tasks as unknown[]).map((entry) => {
    if (!Array.isArray(entry) || typeof entry[0] !== "string" || typeof entry[1] !== "string") {
      throw badRequest("Each task must be [function_id, endpoint_id, payload]");
    }
    const task = submitTask(store, caller, entry[0], entry[1], entry[2], taskGroupId);
    return { status: "success", task_uuid: task.id, http_status_code: 200, reason: null };
  });
  store.changed();
  ctx.respond.json(200, { response: "success", task_group_id: taskGroupId, results });
};

/** `v3/endpoints/<id>/submit`: `tasks` maps each function id to a list of payloads. */
const submitV3: ComputeHandler = (ctx, caller, store) => {
  const endpoint = endpointFromPath(ctx);
  const body = jsonObjectBody(ctx, badRequest);
  const tasks = asObject(body.tasks);
  if (!tasks || Object.keys(tasks).length === 0)
    throw badRequest("tasks must map function ids to payload lists");
  const taskGroupId = typeof body.task_group_id === "string" ? body.task_group_id : randomUUID();
  const submitted: Record<string, string[]> = {};
  for (const [functionId, payloads] of Object.entries(tasks)) {
    if (!Array.isArray(payloads))
      throw badRequest(`tasks.${functionId.slice(0, 50)} must be a list of payloads`);
    submitted[functionId] = payloads.map(
      (payload) => submitTask(store, caller, functionId, endpoint.uuid, payload, taskGroupId).id,
    );
  }
  store.changed();
  ctx.respond.json(200, {
    request_id: randomUUID(),
    task_group_id: taskGroupId,
    endpoint_id: endpoint.uuid,
    tasks: submitted,
  });
};

const getTask: ComputeHandler = (ctx, caller, store) => {
  ctx.respond.json(200, taskDocument(taskById(store, caller, ctx.pathParams[0] ?? ""), store.now()));
};

const getTaskBatch: ComputeHandler = (ctx, caller, store) => {
  const body = jsonObjectBody(ctx, badRequest);
  if (!Array.isArray(body.task_ids) || !body.task_ids.every((id) => typeof id === "string")) {
    throw badRequest("task_ids must be a list of task ids");
  }
  const now = store.now();
  const results: Record<string, unknown> = {};
  for (const id of body.task_ids as string[]) {
    const task = store.tasks.get(id.toLowerCase());
    results[id] =
      task && task.owner === caller
        ? taskDocument(task, now)
        : { task_id: id, status: "unknown", pending: false };
  }
  ctx.respond.json(200, { response: "batch", results });
};

const getTaskGroup: ComputeHandler = (ctx, caller, store) => {
  const id = (ctx.pathParams[0] ?? "").toLowerCase();
  const tasks = [...store.tasks.values()].filter((task) => task.taskGroupId === id && task.owner === caller);
  if (tasks.length === 0)
    throw fault(404, "TASK_GROUP_NOT_FOUND", `Task group ${id.slice(0, 100)} not found`);
  ctx.respond.json(200, {
    taskgroup_id: id,
    tasks: tasks.map((task) => ({ id: task.id, created_at: isoTime(task.submitted) })),
  });
};

/** @internal The fake Compute's routes, by path after `/compute/`. // wire: unverified (all paths) */
export const COMPUTE_ROUTES: readonly ComputeRoute[] = [
  { pattern: servicePath("v2/version", { trailingSlash: true }), methods: { GET: getVersion } },
  { pattern: servicePath("v2/endpoints", { trailingSlash: true }), methods: { GET: getEndpoints } },
  { pattern: servicePath("v2/endpoints/:id", { trailingSlash: true }), methods: { GET: getEndpoint } },
  {
    pattern: servicePath("v2/endpoints/:id/status", { trailingSlash: true }),
    methods: { GET: getEndpointStatus },
  },
  { pattern: servicePath("v2/functions", { trailingSlash: true }), methods: { POST: registerFunction } },
  { pattern: servicePath("v3/functions", { trailingSlash: true }), methods: { POST: registerFunction } },
  {
    pattern: servicePath("v2/functions/:id", { trailingSlash: true }),
    methods: { GET: getFunction, DELETE: deleteFunction },
  },
  { pattern: servicePath("v2/submit", { trailingSlash: true }), methods: { POST: submitV2 } },
  { pattern: servicePath("v3/endpoints/:id/submit", { trailingSlash: true }), methods: { POST: submitV3 } },
  { pattern: servicePath("v2/tasks/:id", { trailingSlash: true }), methods: { GET: getTask } },
  { pattern: servicePath("v2/batch_status", { trailingSlash: true }), methods: { POST: getTaskBatch } },
  { pattern: servicePath("v2/taskgroup/:id", { trailingSlash: true }), methods: { GET: getTaskGroup } },
];
