import { randomUUID } from "node:crypto";
import { dataAccessConsentPath, TRANSFER_ACTION } from "./flows-definition.ts";
import { runProgress } from "./flows-documents.ts";
import { FLOWS_FLOW_ROUTES } from "./flows-flow-routes.ts";
import { type Audience, type FlowsHandler, type FlowsRoute, fault } from "./flows-request.ts";
import { FLOWS_RUN_ROUTES } from "./flows-run-routes.ts";
import type { RunRecord } from "./flows-store.ts";
import type { RequestContext } from "./request-context.ts";
import { FLOWS_ALL_SCOPE, FLOWS_RESOURCE_SERVER, flowUserScope } from "./scope-registry.ts";
import { asObject, identifyCaller, type ServiceErrorWriter, ServiceFault } from "./service-request.ts";
import { isUuid } from "./stable-uuid.ts";

// The scopes live with the scope registry (flow documents and the handlers name them); they stay
// importable from here, where the package's index has always found them.
export { FLOWS_ALL_SCOPE, FLOWS_RESOURCE_SERVER, flowUserScope } from "./scope-registry.ts";

/**
 * @internal Flows' error body. // wire: unverified — `{"error": {"code", "detail"}, "debug_id"}` is
 * what the Python SDK's FlowsAPIError reads; GARE fields, when any, sit at the top level.
 */
export const flowsError: ServiceErrorWriter = (ctx, status, code, detail, extra = {}) => {
  ctx.respond.json(status, { error: { code, detail }, debug_id: randomUUID(), ...extra });
};

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
 * The first of a Transfer step's collections that demands `data_access` consent (a mapped collection,
 * or one given the requirement) which the run's owner has not given under the flow's scope.
 */
function unconsentedCollection(ctx: RequestContext, run: RunRecord, collections: readonly string[]) {
  return collections.find((id) => {
    const demands =
      ctx.state.requirements.get(id)?.dataAccess === true ||
      ctx.state.transfer.collection(id)?.requiresDataAccess === true;
    return (
      demands &&
      !ctx.state.hasConsentedPath(run.owner, run.clientId ?? "", dataAccessConsentPath(run.flowId, id))
    );
  });
}

/**
 * Submits to the fake Transfer the task of every Transfer action state that a run has reached by
 * now, once: a flow's Transfer step is a real task of the emulator's Transfer. A step on a collection
 * whose `data_access` consent the owner has not given stops the run there instead (INACTIVE), as
 * the real Transfer action provider's ConsentRequired does.
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
      const collection = unconsentedCollection(ctx, run, [source, destination]);
      if (collection !== undefined) {
        run.pauses = [...(run.pauses ?? []), { state: step.name, at: step.start, until: null, collection }];
        submitted = true;
        break;
      }
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
    // Flows' 401 is AUTHENTICATION_ERROR (the Python SDK's validate_run `invalid_token` answer).
    if (caller.kind === "anonymous") {
      throw fault(401, "AUTHENTICATION_ERROR", "No Authorization header provided");
    }
    if (caller.kind === "refused") {
      throw fault(401, "AUTHENTICATION_ERROR", `Expired or invalid Bearer token: ${caller.reason}`);
    }
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
    handler(ctx, { identity: caller.record.subject, clientId: caller.record.clientId }, store);
  } catch (error) {
    if (!(error instanceof ServiceFault)) throw error;
    flowsError(ctx, error.status, error.code, error.message, error.extra);
  }
}

/** @internal The fake Flows' routes, by path after `/flows/`: flows, then runs. // wire: unverified (all paths) */
export const FLOWS_ROUTES: readonly FlowsRoute[] = [...FLOWS_FLOW_ROUTES, ...FLOWS_RUN_ROUTES];
