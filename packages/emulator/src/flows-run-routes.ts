import { randomUUID } from "node:crypto";
import { checkInput, checkRunConsent, dataAccessConsentPath } from "./flows-definition.ts";
import { flowDocument, runDocument, runLog, runProgress } from "./flows-documents.ts";
import {
  type Audience,
  badRequest,
  commaParam,
  type FlowsCaller,
  type FlowsHandler,
  type FlowsRoute,
  fault,
  flowFromPath,
  flowRoles,
  forbidden,
  notFound,
  ordered,
  page,
  runFromPath,
  runRoles,
  strings,
  text,
} from "./flows-request.ts";
import type { FlowRecord, FlowsStore, RunRecord } from "./flows-store.ts";
import type { RequestContext } from "./request-context.ts";
import { flowsScope } from "./scope-registry.ts";
import { asObject, jsonObjectBody, servicePath } from "./service-request.ts";
import { isUuid } from "./stable-uuid.ts";

// Runs of the fake Flows: start (or validate starting) a flow, list runs, read one, its log and
// definition, change, cancel, resume and release it. A run of a flow needs that flow's `user`
// scope; the other calls need the Flows run scopes.

/** Reads `label`, `tags`, managers, monitors and the notification policy of a run request. */
function runFields(body: Record<string, unknown>) {
  const policy = body.activity_notification_policy;
  if (policy !== undefined && !asObject(policy))
    throw badRequest("activity_notification_policy must be an object");
  return {
    label: text(body.label, "label"),
    tags: strings(body.tags, "tags"),
    runManagers: strings(body.run_managers, "run_managers"),
    runMonitors: strings(body.run_monitors, "run_monitors"),
    activityNotificationPolicy: asObject(policy) ?? { status: ["INACTIVE"] },
  };
}

function startable(
  ctx: RequestContext,
  caller: FlowsCaller,
  store: FlowsStore,
): [FlowRecord, Record<string, unknown>] {
  const flow = flowFromPath(ctx, store, caller.identity);
  if (!flowRoles(flow, caller.identity).includes("flow_starter"))
    throw forbidden(`You may not run flow ${flow.id}`);
  const request = jsonObjectBody(ctx, badRequest);
  const body = asObject(request.body);
  if (!body) throw badRequest("body must be an object: the flow's input");
  checkInput(flow, body);
  checkRunConsent(ctx, flow, caller);
  return [flow, request];
}

const runFlow: FlowsHandler = (ctx, caller, store) => {
  const [flow, request] = startable(ctx, caller, store);
  const run: RunRecord = {
    id: randomUUID(),
    flowId: flow.id,
    owner: caller.identity,
    body: asObject(request.body) ?? {},
    definition: flow.definition,
    flowTitle: flow.title,
    started: store.now(),
    cancelledAt: null,
    clientId: caller.clientId,
    ...runFields(request),
  };
  store.runs.set(run.id, run);
  store.changed();
  ctx.respond.json(201, runDocument(run, caller.identity, store.now()));
};

const validateRun: FlowsHandler = (ctx, caller, store) => {
  const [flow, request] = startable(ctx, caller, store);
  runFields(request);
  // wire: unverified — the answer of a run that would start.
  ctx.respond.json(200, { message: "success", flow_id: flow.id });
};

const listRuns: FlowsHandler = (ctx, caller, store) => {
  const flowIds = commaParam(ctx, "filter_flow_id");
  const roles = commaParam(ctx, "filter_roles");
  const statuses = commaParam(ctx, "filter_status");
  const now = store.now();
  const runs = [...store.runs.values()].filter((run) => {
    const mine = runRoles(run, caller.identity);
    if (mine.length === 0 || (roles.length > 0 && !roles.some((role) => mine.includes(role)))) return false;
    if (statuses.length > 0 && !statuses.includes(runProgress(run, now).status)) return false;
    return flowIds.length === 0 || flowIds.includes(run.flowId);
  });
  const sorted = ordered(ctx, runs, {
    id: (r) => r.id,
    label: (r) => r.label,
    start_time: (r) => r.started,
    flow_title: (r) => r.flowTitle,
  });
  const { items, ...paging } = page(ctx, sorted, "per_page", 20, 50);
  ctx.respond.json(200, { runs: items.map((run) => runDocument(run, caller.identity, now)), ...paging });
};

const getRun: FlowsHandler = (ctx, caller, store) => {
  const run = runFromPath(ctx, store, caller.identity);
  const document = runDocument(run, caller.identity, store.now());
  const flow = store.flows.get(run.flowId);
  if (ctx.query.get("include_flow_description") === "true" && flow) {
    document.flow_description = flowDocument(flow, caller.identity);
  }
  ctx.respond.json(200, document);
};

const getRunLog: FlowsHandler = (ctx, caller, store) => {
  const run = runFromPath(ctx, store, caller.identity);
  const entries = runLog(run, store.now());
  if (ctx.query.get("reverse_order") === "true") entries.reverse();
  const { items, ...paging } = page(ctx, entries, "limit", 10, 100);
  ctx.respond.json(200, { entries: items, ...paging });
};

const getRunDefinition: FlowsHandler = (ctx, caller, store) => {
  const run = runFromPath(ctx, store, caller.identity);
  const flow = store.flows.get(run.flowId);
  ctx.respond.json(200, {
    flow_id: run.flowId,
    definition: run.definition,
    input_schema: flow?.inputSchema ?? {},
  });
};

const updateRun: FlowsHandler = (ctx, caller, store) => {
  const run = runFromPath(ctx, store, caller.identity, true);
  const body = jsonObjectBody(ctx, badRequest);
  if (body.label !== undefined) run.label = text(body.label, "label");
  if (body.tags !== undefined) run.tags = strings(body.tags, "tags");
  if (body.run_managers !== undefined) run.runManagers = strings(body.run_managers, "run_managers");
  if (body.run_monitors !== undefined) run.runMonitors = strings(body.run_monitors, "run_monitors");
  store.changed();
  ctx.respond.json(200, runDocument(run, caller.identity, store.now()));
};

const cancelRun: FlowsHandler = (ctx, caller, store) => {
  const run = runFromPath(ctx, store, caller.identity, true);
  const now = store.now();
  const { status } = runProgress(run, now);
  if (status === "ACTIVE" || status === "INACTIVE") run.cancelledAt = now;
  store.changed();
  // wire: the Python SDK's cancel_run — 200, the run now `FAILED` with `details.code` `FlowCanceled`.
  ctx.respond.json(200, runDocument(run, caller.identity, now));
};

/**
 * Goes on with a run that waits for a consent, once the caller has given it; without it the run
 * stays INACTIVE (// wire: unverified — its action would stop it again at once). Resuming a run that
 * does not wait changes nothing.
 */
const resumeRun: FlowsHandler = (ctx, caller, store) => {
  const run = runFromPath(ctx, store, caller.identity, true);
  const flow = store.flows.get(run.flowId);
  if (flow) checkRunConsent(ctx, flow, caller);
  const now = store.now();
  const waiting = runProgress(run, now).status === "INACTIVE" ? run.pauses?.at(-1) : undefined;
  const path = waiting && dataAccessConsentPath(run.flowId, waiting.collection);
  if (waiting && path && ctx.state.hasConsentedPath(caller.identity, caller.clientId, path)) {
    waiting.until = now;
    run.clientId = caller.clientId;
    store.changed();
  }
  ctx.respond.json(200, runDocument(run, caller.identity, now));
};

const deleteRun: FlowsHandler = (ctx, caller, store) => {
  const run = runFromPath(ctx, store, caller.identity, true);
  const { status } = runProgress(run, store.now());
  if (status === "ACTIVE" || status === "INACTIVE") {
    throw fault(
      409,
      "STATE_CONFLICT",
      `Run ${run.id} has status '${status}' but must have status in {'ENDED', 'SUCCEEDED', 'FAILED'} for requested operation`,
    );
  }
  store.runs.delete(run.id);
  store.changed();
  ctx.respond.json(200, runDocument(run, caller.identity, store.now()));
};

const flowIdFromPath = (ctx: RequestContext): string => {
  const id = (ctx.pathParams[0] ?? "").toLowerCase();
  if (!isUuid(id)) throw notFound("flow", id);
  return id;
};
const flowIdOfRun = (ctx: RequestContext, store: FlowsStore): string => {
  const id = (ctx.pathParams[0] ?? "").toLowerCase();
  const run = isUuid(id) ? store.runs.get(id) : undefined;
  if (!run) throw notFound("run", id);
  return run.flowId;
};

const RUN_STATUS: Audience = {
  kind: "flows",
  scopes: [flowsScope("run_status"), flowsScope("run_manage")],
};
const RUN_MANAGE: Audience = { kind: "flows", scopes: [flowsScope("run_manage")] };
const FLOW: Audience = { kind: "flow", flowId: flowIdFromPath };
const RUN_FLOW: Audience = { kind: "flow", flowId: flowIdOfRun };

/** @internal The fake Flows' routes of runs. */
export const FLOWS_RUN_ROUTES: readonly FlowsRoute[] = [
  { pattern: servicePath("flows/:id/run", { trailingSlash: true }), methods: { POST: [FLOW, runFlow] } },
  {
    pattern: servicePath("flows/:id/validate_run", { trailingSlash: true }),
    methods: { POST: [FLOW, validateRun] },
  },
  { pattern: servicePath("runs", { trailingSlash: true }), methods: { GET: [RUN_STATUS, listRuns] } },
  {
    pattern: servicePath("runs/:id", { trailingSlash: true }),
    methods: { GET: [RUN_STATUS, getRun], PUT: [RUN_MANAGE, updateRun] },
  },
  {
    pattern: servicePath("runs/:id/log", { trailingSlash: true }),
    methods: { GET: [RUN_STATUS, getRunLog] },
  },
  {
    pattern: servicePath("runs/:id/definition", { trailingSlash: true }),
    methods: { GET: [RUN_STATUS, getRunDefinition] },
  },
  {
    pattern: servicePath("runs/:id/cancel", { trailingSlash: true }),
    methods: { POST: [RUN_MANAGE, cancelRun] },
  },
  {
    pattern: servicePath("runs/:id/release", { trailingSlash: true }),
    methods: { POST: [RUN_MANAGE, deleteRun] },
  },
  {
    pattern: servicePath("runs/:id/resume", { trailingSlash: true }),
    methods: { POST: [RUN_FLOW, resumeRun] },
  },
];
