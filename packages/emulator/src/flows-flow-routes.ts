import { randomUUID } from "node:crypto";
import { checkDefinition, needsTransfer } from "./flows-definition.ts";
import { flowDocument } from "./flows-documents.ts";
import {
  type Audience,
  badRequest,
  commaParam,
  FLOW_ROLES,
  type FlowsHandler,
  type FlowsRoute,
  flowFromPath,
  flowRoles,
  forbidden,
  ordered,
  page,
  strings,
  text,
  unprocessable,
} from "./flows-request.ts";
import type { FlowRecord } from "./flows-store.ts";
import { flowsScope, TRANSFER_ALL_SCOPE } from "./scope-registry.ts";
import { asObject, jsonObjectBody, servicePath } from "./service-request.ts";

// Flows of the fake Flows: create, read, change, delete, list and validate them.

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

const VIEW: Audience = { kind: "flows", scopes: [flowsScope("view_flows"), flowsScope("manage_flows")] };
const MANAGE: Audience = { kind: "flows", scopes: [flowsScope("manage_flows")] };

/** @internal The fake Flows' routes of flows (`flows/validate` before `flows/:id`, which it would match). */
export const FLOWS_FLOW_ROUTES: readonly FlowsRoute[] = [
  {
    pattern: servicePath("flows", { trailingSlash: true }),
    methods: { GET: [VIEW, listFlows], POST: [MANAGE, createFlow] },
  },
  {
    pattern: servicePath("flows/validate", { trailingSlash: true }),
    methods: { POST: [VIEW, validateFlow] },
  },
  {
    pattern: servicePath("flows/:id", { trailingSlash: true }),
    methods: { GET: [VIEW, getFlow], PUT: [MANAGE, updateFlow], DELETE: [MANAGE, deleteFlow] },
  },
];
