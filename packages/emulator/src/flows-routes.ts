import { randomUUID } from "node:crypto";
import { type FlowRecord, type FlowsStore, type RunRecord, runSteps } from "./flows-store.ts";
import { isoTime } from "./iso-time.ts";
import type { RequestContext } from "./request-context.ts";
import { TRANSFER_ALL_SCOPE } from "./scope-registry.ts";
import type { ScopeNode } from "./scope-tree.ts";
import { asObject, identifyCaller, jsonObjectBody, ServiceFault } from "./service-request.ts";
import { isUuid } from "./stable-uuid.ts";

/** Resource server of Globus Flows, which the emulator's fake `/flows/` API plays. */
export const FLOWS_RESOURCE_SERVER = "flows.globus.org";
const FLOWS_SCOPE = (name: string): string =>
  `https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/${name}`;
/** The Flows scope that allows every call of the fake Flows. */
export const FLOWS_ALL_SCOPE = FLOWS_SCOPE("all");

/** A flow's `user` scope, which its runs need (resource server = the flow id). */
export const flowUserScope = (flowId: string): string =>
  `https://auth.globus.org/scopes/${flowId}/flow_${flowId.replaceAll("-", "_")}_user`;

/**
 * Action URLs whose states act through Transfer: a flow with one needs `transfer:all` consented
 * under its `user` scope, as the real Flows asks for the dependent scopes of its action providers.
 */
const TRANSFER_ACTION = /^https:\/\/(actions\.globus\.org\/transfer|transfer\.actions\.globus\.org)\//;

/** @internal Who calls the fake Flows: the identity and the scope tree of the token. */
interface FlowsCaller {
  readonly identity: string;
  readonly scopes: readonly ScopeNode[];
}

type FlowsHandler = (ctx: RequestContext, caller: FlowsCaller, store: FlowsStore) => void;

/** What a route's token must be for: Flows with one of these scopes, or one flow's `user` scope. */
type Audience =
  | { readonly kind: "flows"; readonly scopes: readonly string[] }
  | { readonly kind: "flow"; readonly flowId: (ctx: RequestContext, store: FlowsStore) => string };

/** @internal A Flows route: a pattern on the path after `/flows/`, per method a handler and audience. */
export interface FlowsRoute {
  readonly pattern: RegExp;
  readonly methods: Readonly<Partial<Record<string, readonly [Audience, FlowsHandler]>>>;
}

const fault = (status: number, code: string, detail: string): ServiceFault =>
  new ServiceFault(status, code, detail);
const badRequest = (detail: string): ServiceFault => fault(400, "BAD_REQUEST", detail);
const notFound = (what: string, id: string): ServiceFault =>
  fault(404, "NOT_FOUND", `No ${what} with id '${id.slice(0, 100)}' was found`);
const forbidden = (detail: string): ServiceFault => fault(403, "FORBIDDEN", detail);

/**
 * @internal Flows' error body. // wire: unverified — `{"error": {"code", "detail"}, "debug_id"}` is
 * what the Python SDK's FlowsAPIError reads; GARE fields, when any, sit at the top level.
 */
export function flowsError(
  ctx: RequestContext,
  status: number,
  code: string,
  detail: string,
  extra: Readonly<Record<string, unknown>> = {},
): void {
  ctx.respond.json(status, { error: { code, detail }, debug_id: randomUUID(), ...extra });
}

/** `Parameters` with each `"<key>.$": "$.<path>"` read from the run's input, as Flows does. */
function resolveParameters(
  parameters: Record<string, unknown>,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (key.endsWith(".$") && typeof value === "string" && value.startsWith("$.")) {
      let at: unknown = input;
      for (const part of value.slice(2).split(".")) at = asObject(at)?.[part];
      resolved[key.slice(0, -2)] = at;
    } else resolved[key] = value;
  }
  return resolved;
}

/**
 * Submits to the fake Transfer the task of every Transfer action state that a run has reached by
 * now, once: a flow's Transfer step is a real task of the emulator's Transfer.
 */
function submitTransferSteps(ctx: RequestContext): void {
  const store = ctx.state.flows;
  const transfer = ctx.state.transfer;
  let submitted = false;
  for (const run of store.runs.values()) {
    const { steps, until } = runProgress(run, store.now());
    for (const step of steps) {
      if (step.start > until) break;
      const state = asObject(asObject(run.definition.States)?.[step.name]);
      if (step.type !== "Action" || !TRANSFER_ACTION.test(String(state?.ActionUrl))) continue;
      run.transferTasks ??= {};
      if (run.transferTasks[step.name] !== undefined) continue;
      const parameters = resolveParameters(step.parameters, run.body);
      const source = String(parameters.source_endpoint ?? parameters.source_endpoint_id ?? "");
      const destination = String(parameters.destination_endpoint ?? parameters.destination_endpoint_id ?? "");
      if (!isUuid(source) || !isUuid(destination)) continue;
      const items = Array.isArray(parameters.DATA) ? parameters.DATA : [];
      const document = {
        DATA_TYPE: "transfer",
        submission_id: transfer.newSubmissionId(),
        source_endpoint: source,
        destination_endpoint: destination,
        label: typeof parameters.label === "string" ? parameters.label : `Flow run ${run.id}`,
        DATA: items.map((item) => ({ DATA_TYPE: "transfer_item", ...asObject(item) })),
      };
      run.transferTasks[step.name] = transfer.createTask(
        "TRANSFER",
        run.owner,
        document,
        source,
        destination,
      ).id;
      submitted = true;
    }
  }
  if (submitted) store.changed();
}

/** @internal Runs a Flows handler: a live token for the route's audience, Flows' errors. */
export function runFlows(ctx: RequestContext, [audience, handler]: readonly [Audience, FlowsHandler]): void {
  const store = ctx.state.flows;
  try {
    const resourceServer = audience.kind === "flows" ? FLOWS_RESOURCE_SERVER : audience.flowId(ctx, store);
    const caller = identifyCaller(ctx, resourceServer);
    if (caller.kind === "anonymous") throw fault(401, "UNAUTHORIZED", "No Authorization header provided");
    if (caller.kind === "refused") throw fault(401, "UNAUTHORIZED", caller.reason);
    const needed =
      audience.kind === "flows" ? [FLOWS_ALL_SCOPE, ...audience.scopes] : [flowUserScope(resourceServer)];
    if (!needed.some((scope) => caller.scopes.has(scope))) {
      // Flows' answer to a token without the route's scope (the Python SDK's `missing_scope_error`).
      throw fault(
        403,
        "MISSING_SCOPE",
        `This action requires one of the following scopes: ${needed.join(", ")}`,
      );
    }
    submitTransferSteps(ctx);
    handler(ctx, { identity: caller.record.subject, scopes: caller.record.scopes }, store);
  } catch (error) {
    if (!(error instanceof ServiceFault)) throw error;
    flowsError(ctx, error.status, error.code, error.message, error.extra);
  }
}

const urn = (identity: string): string => `urn:globus:auth:identity:${identity}`;
const hasPrincipal = (list: readonly string[], identity: string): boolean =>
  list.includes(urn(identity)) || list.includes("all_authenticated_users") || list.includes("public");

const FLOW_ROLES = ["flow_owner", "flow_administrator", "flow_starter", "flow_viewer"] as const;

/** The caller's roles on a flow, strongest first (an administrator may also start and view). */
function flowRoles(flow: FlowRecord, identity: string): string[] {
  const roles: string[] = [];
  if (flow.owner === identity) roles.push("flow_owner");
  if (flow.owner === identity || hasPrincipal(flow.administrators, identity))
    roles.push("flow_administrator");
  if (roles.length > 0 || hasPrincipal(flow.starters, identity)) roles.push("flow_starter");
  if (roles.length > 0 || hasPrincipal(flow.viewers, identity)) roles.push("flow_viewer");
  return roles;
}

function flowFromPath(ctx: RequestContext, store: FlowsStore, identity: string): FlowRecord {
  const id = (ctx.pathParams[0] ?? "").toLowerCase();
  const flow = isUuid(id) ? store.flows.get(id) : undefined;
  if (!flow || flowRoles(flow, identity).length === 0) throw notFound("flow", id);
  return flow;
}

function runRoles(run: RunRecord, identity: string): string[] {
  const roles: string[] = [];
  if (run.owner === identity) roles.push("run_owner");
  if (run.owner === identity || hasPrincipal(run.runManagers, identity)) roles.push("run_manager");
  if (roles.length > 0 || hasPrincipal(run.runMonitors, identity)) roles.push("run_monitor");
  return roles;
}

function runFromPath(ctx: RequestContext, store: FlowsStore, identity: string, manage = false): RunRecord {
  const id = (ctx.pathParams[0] ?? "").toLowerCase();
  const run = isUuid(id) ? store.runs.get(id) : undefined;
  const roles = run ? runRoles(run, identity) : [];
  if (!run || roles.length === 0) throw notFound("run", id);
  if (manage && !roles.includes("run_manager"))
    throw forbidden(`Only a manager of run ${run.id} may do this`);
  return run;
}

function flowDocument(flow: FlowRecord, identity: string): Record<string, unknown> {
  return {
    id: flow.id,
    title: flow.title,
    subtitle: flow.subtitle,
    description: flow.description,
    keywords: [...flow.keywords],
    definition: flow.definition,
    input_schema: flow.inputSchema,
    flow_owner: urn(flow.owner),
    flow_administrators: [...flow.administrators],
    flow_viewers: [...flow.viewers],
    flow_starters: [...flow.starters],
    run_managers: [...flow.runManagers],
    run_monitors: [...flow.runMonitors],
    subscription_id: flow.subscriptionId,
    globus_auth_scope: flowUserScope(flow.id),
    globus_auth_scopes_by_RunAs: { User: flowUserScope(flow.id) },
    user_role: flowRoles(flow, identity)[0] ?? null,
    created_at: isoTime(flow.created),
    updated_at: isoTime(flow.updated),
  };
}

/** A run's status on the emulator clock. // wire: unverified (a cancelled run is `ENDED`). */
function runProgress(run: RunRecord, now: number) {
  const steps = runSteps(run.definition, run.started);
  const end = steps.at(-1)?.end ?? run.started;
  const stop = run.cancelledAt !== null && run.cancelledAt < end ? run.cancelledAt : undefined;
  const failed = steps.at(-1)?.type === "Fail";
  let status: string;
  if (stop !== undefined) status = "ENDED";
  else if (now < end) status = "ACTIVE";
  else status = failed ? "FAILED" : "SUCCEEDED";
  const finished = stop ?? (now >= end ? end : undefined);
  return { steps, status, finished, until: Math.min(now, stop ?? now) };
}

function runDocument(run: RunRecord, identity: string, now: number): Record<string, unknown> {
  const { status, finished, steps, until } = runProgress(run, now);
  const current = steps.find((step) => step.start <= until && until < step.end);
  return {
    run_id: run.id,
    action_id: run.id,
    flow_id: run.flowId,
    flow_title: run.flowTitle,
    status,
    display_status: status === "ENDED" ? "CANCELLED" : status,
    start_time: isoTime(run.started),
    completion_time: finished === undefined ? null : isoTime(finished),
    label: run.label,
    tags: [...run.tags],
    run_managers: [...run.runManagers],
    run_monitors: [...run.runMonitors],
    created_by: urn(run.owner),
    user_role: runRoles(run, identity)[0] ?? null,
    activity_notification_policy: run.activityNotificationPolicy,
    details: {
      code: status === "ACTIVE" ? "ActionStarted" : status === "SUCCEEDED" ? "FlowSucceeded" : status,
      description:
        status === "ACTIVE"
          ? `State ${current?.name ?? ""} of the flow is running`
          : `The flow run is ${status}`,
      ...(status === "SUCCEEDED" ? { output: { ...run.body } } : {}),
    },
  };
}

/** The run's log up to now: the flow's start, each state's start and end, and its end. */
function runLog(run: RunRecord, now: number): Record<string, unknown>[] {
  const { steps, status, finished, until } = runProgress(run, now);
  const entry = (time: number, code: string, description: string, details: Record<string, unknown> = {}) => ({
    time: isoTime(time),
    code,
    description,
    details,
  });
  const entries = [
    entry(run.started, "FlowStarted", "The Flow Instance started execution", { input: run.body }),
  ];
  for (const step of steps) {
    if (step.start > until) break;
    const taskId = run.transferTasks?.[step.name];
    const details = {
      state_name: step.name,
      state_type: step.type,
      parameters: step.parameters,
      ...(taskId === undefined ? {} : { task_id: taskId }),
    };
    entries.push(entry(step.start, `${step.type}Started`, `State ${step.name} started`, details));
    if (step.end <= until)
      entries.push(entry(step.end, `${step.type}Completed`, `State ${step.name} completed`, details));
  }
  if (finished !== undefined) {
    const code = status === "ENDED" ? "FlowCanceled" : status === "FAILED" ? "FlowFailed" : "FlowSucceeded";
    entries.push(entry(finished, code, `The Flow Instance ${status.toLowerCase()}`));
  }
  return entries;
}

/** Marker paging: the marker is the offset of the next page, opaque to clients. // wire: unverified */
function page<T>(
  ctx: RequestContext,
  items: readonly T[],
  sizeParam: string,
  defaultSize: number,
  max: number,
) {
  const size = ctx.query.get(sizeParam);
  const limit = size === null ? defaultSize : Number(size);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw badRequest(`${sizeParam} must be an integer from 1 to ${max}`);
  }
  const marker = ctx.query.get("marker");
  const offset = marker === null ? 0 : Number.parseInt(Buffer.from(marker, "base64url").toString("utf8"), 10);
  if (!Number.isInteger(offset) || offset < 0) throw badRequest("Invalid marker");
  const more = offset + limit < items.length;
  return {
    items: items.slice(offset, offset + limit),
    limit,
    has_next_page: more,
    marker: more ? Buffer.from(String(offset + limit)).toString("base64url") : null,
  };
}

const commaParam = (ctx: RequestContext, name: string): string[] =>
  ctx.query.getAll(name).flatMap((value) =>
    value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** Sorts by `orderby` ("field ASC|DESC", comma-separated); unknown fields are a 400. */
function ordered<T>(
  ctx: RequestContext,
  items: T[],
  fields: Record<string, (item: T) => string | number>,
): T[] {
  const keys = commaParam(ctx, "orderby").map((spec) => {
    const [field = "", direction = "ASC"] = spec.split(/\s+/);
    const read = fields[field];
    if (!read || !/^(ASC|DESC)$/i.test(direction))
      throw badRequest(`Invalid orderby '${spec.slice(0, 100)}'`);
    return { read, sign: direction.toUpperCase() === "DESC" ? -1 : 1 };
  });
  return items.sort((a, b) => {
    for (const { read, sign } of keys) {
      const [x, y] = [read(a), read(b)];
      if (x !== y) return (x < y ? -1 : 1) * sign;
    }
    return 0;
  });
}

const strings = (value: unknown, name: string): string[] => {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw badRequest(`${name} must be a list of strings`);
  }
  return value.slice(0, 100) as string[];
};
const text = (value: unknown, name: string, fallback = ""): string => {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "string") throw badRequest(`${name} must be a string`);
  return value.slice(0, 5000);
};

const STATE_TYPES = ["Action", "Pass", "Wait", "Choice", "ExpressionEval", "Fail"];

/** Checks a definition as Flows would (in brief); returns the `user` scopes a run needs. */
function checkDefinition(value: unknown): Record<string, unknown> {
  const definition = asObject(value);
  const problems: string[] = [];
  const states = asObject(definition?.States);
  if (!definition || !states) throw unprocessable(["definition must be an object with States"]);
  if (typeof definition.StartAt !== "string" || !(definition.StartAt in states)) {
    problems.push("StartAt must name a state");
  }
  for (const [name, raw] of Object.entries(states)) {
    const state = asObject(raw);
    if (!state || !STATE_TYPES.includes(String(state.Type))) {
      problems.push(`State ${name} must have a Type of ${STATE_TYPES.join(", ")}`);
      continue;
    }
    if (state.Type === "Action" && typeof state.ActionUrl !== "string")
      problems.push(`State ${name} needs an ActionUrl`);
    const ends = state.End === true || state.Type === "Fail" || state.Type === "Choice";
    if (!ends && !(typeof state.Next === "string" && state.Next in states)) {
      problems.push(`State ${name} must have a Next naming a state, or End: true`);
    }
  }
  if (problems.length > 0) throw unprocessable(problems);
  return definition;
}

/**
 * Flows' validation errors, as in the Python SDK's `validate_flow` data: 422, `error.detail` a list
 * of `{loc, msg, type}` and `error.message` a summary (the emulator does not track `loc` finely).
 */
const unprocessable = (problems: string[]): ServiceFault =>
  new ServiceFault(422, "UNPROCESSABLE_ENTITY", problems.join("; "), {
    error: {
      code: "UNPROCESSABLE_ENTITY",
      detail: problems.map((msg) => ({ loc: ["body"], msg, type: "value_error" })),
      message: `${problems.length} validation error${problems.length === 1 ? "" : "s"} in body. ${problems.join("; ")}`,
    },
  });

const needsTransfer = (definition: Record<string, unknown>): boolean =>
  Object.values(asObject(definition.States) ?? {}).some(
    (state) =>
      typeof asObject(state)?.ActionUrl === "string" &&
      TRANSFER_ACTION.test(String(asObject(state)?.ActionUrl)),
  );

/** The scope string a run of `flow` needs, with the dependencies its action providers need. */
function requiredRunScope(flow: FlowRecord): string {
  const user = flowUserScope(flow.id);
  return needsTransfer(flow.definition) ? `${user}[${TRANSFER_ALL_SCOPE}]` : user;
}

/** A ConsentRequired GARE when the caller's `user` scope lacks a dependency the flow's actions need. */
function checkRunConsent(flow: FlowRecord, caller: FlowsCaller): void {
  if (!needsTransfer(flow.definition)) return;
  const user = caller.scopes.find((node) => node.scope === flowUserScope(flow.id));
  if (user?.dependencies.some((node) => node.scope === TRANSFER_ALL_SCOPE)) return;
  const required = requiredRunScope(flow);
  // wire: unverified — the GARE's place in Flows' answer.
  throw new ServiceFault(403, "ConsentRequired", "Missing required consents for this flow's actions", {
    code: "ConsentRequired",
    authorization_parameters: {
      session_message: "This flow needs your consent to act through Globus Transfer",
      required_scopes: [required],
    },
  });
}

function checkInput(flow: FlowRecord, body: Record<string, unknown>): void {
  const required = flow.inputSchema.required;
  const missing = Array.isArray(required)
    ? required.filter((key) => typeof key === "string" && !(key in body))
    : [];
  if (missing.length > 0) {
    throw new ServiceFault(
      400,
      "FLOW_INPUT_ERROR",
      `The input is missing required properties: ${missing.join(", ")}`,
    );
  }
}

function flowFields(body: Record<string, unknown>, flow: Partial<FlowRecord>): void {
  if (body.title !== undefined) flow.title = text(body.title, "title");
  if (body.subtitle !== undefined) flow.subtitle = text(body.subtitle, "subtitle");
  if (body.description !== undefined) flow.description = text(body.description, "description");
  if (body.keywords !== undefined) flow.keywords = strings(body.keywords, "keywords");
  if (body.definition !== undefined) flow.definition = checkDefinition(body.definition);
  if (body.input_schema !== undefined) {
    const schema = asObject(body.input_schema);
    if (!schema) throw unprocessable(["input_schema must be an object"]);
    flow.inputSchema = schema;
  }
  for (const [field, key] of [
    ["flow_administrators", "administrators"],
    ["flow_viewers", "viewers"],
    ["flow_starters", "starters"],
    ["run_managers", "runManagers"],
    ["run_monitors", "runMonitors"],
  ] as const) {
    if (body[field] !== undefined) flow[key] = strings(body[field], field);
  }
  if (body.subscription_id !== undefined)
    flow.subscriptionId =
      body.subscription_id === null ? null : text(body.subscription_id, "subscription_id");
}

const createFlow: FlowsHandler = (ctx, caller, store) => {
  const body = jsonObjectBody(ctx, badRequest);
  if (typeof body.title !== "string" || body.title === "") throw unprocessable(["title is required"]);
  if (body.definition === undefined) throw unprocessable(["definition is required"]);
  const now = store.now();
  const flow: FlowRecord = {
    id: randomUUID(),
    title: "",
    subtitle: "",
    description: "",
    keywords: [],
    definition: {},
    inputSchema: {},
    owner: caller.identity,
    administrators: [],
    viewers: [],
    starters: [],
    runManagers: [],
    runMonitors: [],
    subscriptionId: null,
    created: now,
    updated: now,
  };
  flowFields(body, flow);
  store.flows.set(flow.id, flow);
  store.changed();
  ctx.respond.json(201, flowDocument(flow, caller.identity));
};

const getFlow: FlowsHandler = (ctx, caller, store) => {
  ctx.respond.json(200, flowDocument(flowFromPath(ctx, store, caller.identity), caller.identity));
};

const updateFlow: FlowsHandler = (ctx, caller, store) => {
  const flow = flowFromPath(ctx, store, caller.identity);
  if (!flowRoles(flow, caller.identity).includes("flow_administrator")) {
    throw forbidden(`Only an administrator of flow ${flow.id} may change it`);
  }
  flowFields(jsonObjectBody(ctx, badRequest), flow);
  flow.updated = store.now();
  store.changed();
  ctx.respond.json(200, flowDocument(flow, caller.identity));
};

const deleteFlow: FlowsHandler = (ctx, caller, store) => {
  const flow = flowFromPath(ctx, store, caller.identity);
  if (flow.owner !== caller.identity) throw forbidden(`Only the owner of flow ${flow.id} may delete it`);
  store.flows.delete(flow.id);
  store.changed();
  ctx.respond.json(200, { ...flowDocument(flow, caller.identity), deleted: true });
};

const listFlows: FlowsHandler = (ctx, caller, store) => {
  const roles = [...commaParam(ctx, "filter_roles"), ...commaParam(ctx, "filter_role")];
  for (const role of roles) {
    if (!(FLOW_ROLES as readonly string[]).includes(role))
      throw badRequest(`Unknown role '${role.slice(0, 50)}'`);
  }
  const words = (ctx.query.get("filter_fulltext") ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  const flows = [...store.flows.values()].filter((flow) => {
    const mine = flowRoles(flow, caller.identity);
    if (mine.length === 0 || (roles.length > 0 && !roles.some((role) => mine.includes(role)))) return false;
    const haystack = [flow.title, flow.subtitle, flow.description, ...flow.keywords].join(" ").toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
  const sorted = ordered(ctx, flows, {
    id: (f) => f.id,
    title: (f) => f.title.toLowerCase(),
    created_at: (f) => f.created,
    updated_at: (f) => f.updated,
  });
  const { items, ...paging } = page(ctx, sorted, "per_page", 20, 50);
  ctx.respond.json(200, { flows: items.map((flow) => flowDocument(flow, caller.identity)), ...paging });
};

const validateFlow: FlowsHandler = (ctx, _caller) => {
  const body = jsonObjectBody(ctx, badRequest);
  const definition = checkDefinition(body.definition);
  if (body.input_schema !== undefined && !asObject(body.input_schema))
    throw unprocessable(["input_schema must be an object"]);
  const states = Object.keys(asObject(definition.States) ?? {}).length;
  // wire: unverified — the shape of a successful validation.
  ctx.respond.json(200, {
    scopes: { User: needsTransfer(definition) ? [TRANSFER_ALL_SCOPE] : [] },
    analysis: { number_of_possibilities: 1, number_of_states: states },
  });
};

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
  checkRunConsent(flow, caller);
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
    resumedAt: null,
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
  if (runProgress(run, now).status === "ACTIVE") run.cancelledAt = now;
  store.changed();
  ctx.respond.json(202, runDocument(run, caller.identity, now));
};

const resumeRun: FlowsHandler = (ctx, caller, store) => {
  const run = runFromPath(ctx, store, caller.identity, true);
  const flow = store.flows.get(run.flowId);
  if (flow) checkRunConsent(flow, caller);
  run.resumedAt = store.now();
  store.changed();
  ctx.respond.json(200, runDocument(run, caller.identity, store.now()));
};

const deleteRun: FlowsHandler = (ctx, caller, store) => {
  const run = runFromPath(ctx, store, caller.identity, true);
  if (runProgress(run, store.now()).status === "ACTIVE") {
    throw fault(
      409,
      "STATE_CONFLICT",
      `Run ${run.id} has status 'ACTIVE' but must have status in {'ENDED', 'SUCCEEDED', 'FAILED'} for requested operation`,
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

const VIEW: Audience = { kind: "flows", scopes: [FLOWS_SCOPE("view_flows"), FLOWS_SCOPE("manage_flows")] };
const MANAGE: Audience = { kind: "flows", scopes: [FLOWS_SCOPE("manage_flows")] };
const RUN_STATUS: Audience = {
  kind: "flows",
  scopes: [FLOWS_SCOPE("run_status"), FLOWS_SCOPE("run_manage")],
};
const RUN_MANAGE: Audience = { kind: "flows", scopes: [FLOWS_SCOPE("run_manage")] };
const FLOW: Audience = { kind: "flow", flowId: flowIdFromPath };
const RUN_FLOW: Audience = { kind: "flow", flowId: flowIdOfRun };

const UUID_PART = "([^/]+)";
const at = (path: string): RegExp => new RegExp(`^${path.replaceAll(":id", UUID_PART)}/?$`);

/** @internal The fake Flows' routes, by path after `/flows/`. // wire: unverified (all paths) */
export const FLOWS_ROUTES: readonly FlowsRoute[] = [
  { pattern: at("flows"), methods: { GET: [VIEW, listFlows], POST: [MANAGE, createFlow] } },
  { pattern: at("flows/validate"), methods: { POST: [VIEW, validateFlow] } },
  {
    pattern: at("flows/:id"),
    methods: { GET: [VIEW, getFlow], PUT: [MANAGE, updateFlow], DELETE: [MANAGE, deleteFlow] },
  },
  { pattern: at("flows/:id/run"), methods: { POST: [FLOW, runFlow] } },
  { pattern: at("flows/:id/validate_run"), methods: { POST: [FLOW, validateRun] } },
  { pattern: at("runs"), methods: { GET: [RUN_STATUS, listRuns] } },
  { pattern: at("runs/:id"), methods: { GET: [RUN_STATUS, getRun], PUT: [RUN_MANAGE, updateRun] } },
  { pattern: at("runs/:id/log"), methods: { GET: [RUN_STATUS, getRunLog] } },
  { pattern: at("runs/:id/definition"), methods: { GET: [RUN_STATUS, getRunDefinition] } },
  { pattern: at("runs/:id/cancel"), methods: { POST: [RUN_MANAGE, cancelRun] } },
  { pattern: at("runs/:id/release"), methods: { POST: [RUN_MANAGE, deleteRun] } },
  { pattern: at("runs/:id/resume"), methods: { POST: [RUN_FLOW, resumeRun] } },
];
