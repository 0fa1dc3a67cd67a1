import { type FlowsCaller, unprocessable } from "./flows-request.ts";
import type { FlowRecord } from "./flows-store.ts";
import type { RequestContext } from "./request-context.ts";
import { dataAccessScope, flowUserScope, TRANSFER_ALL_SCOPE } from "./scope-registry.ts";
import { asObject, ServiceFault } from "./service-request.ts";

// Flow definitions: what Flows checks in one, which consents and input a run of it needs.

/**
 * @internal Action URLs whose states act through Transfer: a flow with one needs `transfer:all` consented
 * under its `user` scope, as the real Flows asks for the dependent scopes of its action providers.
 */
export const TRANSFER_ACTION = /^https:\/\/(actions\.globus\.org\/transfer|transfer\.actions\.globus\.org)\//;

const STATE_TYPES = ["Action", "Pass", "Wait", "Choice", "ExpressionEval", "Fail"];

/** @internal Checks a definition as Flows would (in brief); returns the `user` scopes a run needs. */
export function checkDefinition(value: unknown): Record<string, unknown> {
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

/** @internal Whether a definition has a state that acts through Transfer. */
export const needsTransfer = (definition: Record<string, unknown>): boolean =>
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

/**
 * @internal A ConsentRequired GARE when the caller has not consented to a dependency the flow's
 * actions need under its `user` scope. Read from the consents Globus Auth holds now, as the real
 * Flows finds out through a dependent-token grant: a consent given after the caller's token was
 * issued counts.
 */
export function checkRunConsent(ctx: RequestContext, flow: FlowRecord, caller: FlowsCaller): void {
  if (!needsTransfer(flow.definition)) return;
  const path = [flowUserScope(flow.id), TRANSFER_ALL_SCOPE];
  if (ctx.state.hasConsentedPath(caller.identity, caller.clientId, path)) return;
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

/**
 * @internal The consents a run's Transfer step on a collection that demands `data_access` needs, top
 * down: the flow's `user` scope, Transfer's under it, the collection's `data_access` under that.
 */
export const dataAccessConsentPath = (flowId: string, collection: string): string[] => [
  flowUserScope(flowId),
  TRANSFER_ALL_SCOPE,
  dataAccessScope(collection),
];

/** @internal That consent as the scope string a login asks for. */
export const dataAccessRunScope = (flowId: string, collection: string): string =>
  `${flowUserScope(flowId)}[${TRANSFER_ALL_SCOPE}[*${dataAccessScope(collection)}]]`;

/** @internal Refuses (400 `FLOW_INPUT_ERROR`) an input that lacks a property the flow's input schema requires. */
export function checkInput(flow: FlowRecord, body: Record<string, unknown>): void {
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
