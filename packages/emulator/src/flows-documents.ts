import { dataAccessRunScope } from "./flows-definition.ts";
import { flowRoles, runRoles, urn } from "./flows-request.ts";
import { type FlowRecord, type RunPause, type RunRecord, runSteps } from "./flows-store.ts";
import { isoTime } from "./iso-time.ts";
import { flowUserScope } from "./scope-registry.ts";

/** @internal A flow as Flows shows it, with the caller's strongest role. */
export function flowDocument(flow: FlowRecord, identity: string): Record<string, unknown> {
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

/** What Flows says of a run its manager cancelled (the Python SDK's cancel_run). */
const CANCELED_DESCRIPTION = "The Flow Instance was canceled by the user";

/**
 * @internal A run's status on the emulator clock. A cancelled run is `FAILED`, `cancelled` telling
 * it from one that reached a `Fail` state (its `details.code` is then `FlowCanceled`); a run that
 * waits for a consent (`waiting`) is `INACTIVE` until a resume goes on or a cancel ends it.
 */
export function runProgress(run: RunRecord, now: number) {
  const steps = runSteps(run.definition, run.started, run.pauses);
  const waiting = run.pauses?.find((pause) => pause.until === null);
  const end = waiting ? Number.POSITIVE_INFINITY : (steps.at(-1)?.end ?? run.started);
  const stop = run.cancelledAt !== null && run.cancelledAt < end ? run.cancelledAt : undefined;
  const failed = !waiting && steps.at(-1)?.type === "Fail";
  const cancelled = stop !== undefined;
  let status: string;
  if (cancelled || (now >= end && failed)) status = "FAILED";
  else if (waiting && now >= waiting.at) status = "INACTIVE";
  else if (now < end) status = "ACTIVE";
  else status = "SUCCEEDED";
  const finished = stop ?? (now >= end ? end : undefined);
  return { steps, status, cancelled, finished, waiting, until: Math.min(now, stop ?? now) };
}

/** What an INACTIVE run's log and details say of the consent it waits for. */
const consentMessage = (pause: RunPause): string =>
  `State ${pause.state} needs consent to access collection ${pause.collection}; resume the run after a login that gives it`;

/** A run's `details`: its code and description (and output once it succeeded). */
function runDetails(run: RunRecord, now: number): Record<string, unknown> {
  const { status, cancelled, finished, steps, until, waiting } = runProgress(run, now);
  // wire: the Python SDK's cancel_run.
  if (cancelled && finished !== undefined) {
    return { time: isoTime(finished), code: "FlowCanceled", description: CANCELED_DESCRIPTION, details: {} };
  }
  if (status === "INACTIVE" && waiting) {
    // wire: unverified — an action provider's ConsentRequired (the globus CLI's `flows run resume`
    // reads an INACTIVE run's details as a GARE), with the GARE's authorization_parameters.
    const scope = dataAccessRunScope(run.flowId, waiting.collection);
    return {
      time: isoTime(waiting.at),
      code: "ConsentRequired",
      description: consentMessage(waiting),
      required_scope: scope,
      authorization_parameters: { session_message: consentMessage(waiting), required_scopes: [scope] },
    };
  }
  const current = steps.find((step) => step.start <= until && until < step.end);
  return {
    code: status === "ACTIVE" ? "ActionStarted" : status === "SUCCEEDED" ? "FlowSucceeded" : status,
    description:
      status === "ACTIVE"
        ? `State ${current?.name ?? ""} of the flow is running`
        : `The flow run is ${status}`,
    ...(status === "SUCCEEDED" ? { output: { ...run.body } } : {}),
  };
}

/** @internal A run as Flows shows it, on the emulator clock. */
export function runDocument(run: RunRecord, identity: string, now: number): Record<string, unknown> {
  const { status, finished } = runProgress(run, now);
  return {
    run_id: run.id,
    action_id: run.id,
    flow_id: run.flowId,
    flow_title: run.flowTitle,
    status,
    display_status: status,
    start_time: isoTime(run.started),
    completion_time: finished === undefined ? null : isoTime(finished),
    label: run.label,
    tags: [...run.tags],
    run_managers: [...run.runManagers],
    run_monitors: [...run.runMonitors],
    created_by: urn(run.owner),
    user_role: runRoles(run, identity)[0] ?? null,
    activity_notification_policy: run.activityNotificationPolicy,
    details: runDetails(run, now),
  };
}

/**
 * @internal The run's log up to now: the flow's start, each state's start and end, each stop for a
 * consent and its resume, and its end.
 */
export function runLog(run: RunRecord, now: number): Record<string, unknown>[] {
  const { steps, status, cancelled, finished, until, waiting } = runProgress(run, now);
  const entry = (time: number, code: string, description: string, details: Record<string, unknown> = {}) => ({
    time: isoTime(time),
    code,
    description,
    details,
  });
  const entries = [
    entry(run.started, "FlowStarted", "The Flow Instance started execution", { input: run.body }),
  ];
  // wire: unverified — the codes of a stop for consent and of a resume.
  const stopped = (pause: RunPause) =>
    entry(pause.at, "FlowInactive", consentMessage(pause), {
      state_name: pause.state,
      required_scope: dataAccessRunScope(run.flowId, pause.collection),
    });
  for (const step of steps) {
    if (step.start > until) break;
    for (const pause of run.pauses ?? []) {
      if (pause.state !== step.name || pause.until !== step.start) continue;
      entries.push(stopped(pause), entry(step.start, "FlowResumed", "The Flow Instance was resumed"));
    }
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
  if (waiting && waiting.at <= until) entries.push(stopped(waiting));
  if (cancelled && finished !== undefined)
    entries.push(entry(finished, "FlowCanceled", CANCELED_DESCRIPTION));
  else if (finished !== undefined) {
    const code = status === "FAILED" ? "FlowFailed" : "FlowSucceeded";
    entries.push(entry(finished, code, `The Flow Instance ${status.toLowerCase()}`));
  }
  return entries;
}
