import { flowRoles, runRoles, urn } from "./flows-request.ts";
import { type FlowRecord, type RunRecord, runSteps } from "./flows-store.ts";
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
 * it from one that reached a `Fail` state (its `details.code` is then `FlowCanceled`).
 */
export function runProgress(run: RunRecord, now: number) {
  const steps = runSteps(run.definition, run.started);
  const end = steps.at(-1)?.end ?? run.started;
  const stop = run.cancelledAt !== null && run.cancelledAt < end ? run.cancelledAt : undefined;
  const failed = steps.at(-1)?.type === "Fail";
  const cancelled = stop !== undefined;
  let status: string;
  if (cancelled || (now >= end && failed)) status = "FAILED";
  else if (now < end) status = "ACTIVE";
  else status = "SUCCEEDED";
  const finished = stop ?? (now >= end ? end : undefined);
  return { steps, status, cancelled, finished, until: Math.min(now, stop ?? now) };
}

/** A run's `details`: its code and description (and output once it succeeded). */
function runDetails(run: RunRecord, now: number): Record<string, unknown> {
  const { status, cancelled, finished, steps, until } = runProgress(run, now);
  // wire: the Python SDK's cancel_run.
  if (cancelled && finished !== undefined) {
    return { time: isoTime(finished), code: "FlowCanceled", description: CANCELED_DESCRIPTION, details: {} };
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

/** @internal The run's log up to now: the flow's start, each state's start and end, and its end. */
export function runLog(run: RunRecord, now: number): Record<string, unknown>[] {
  const { steps, status, cancelled, finished, until } = runProgress(run, now);
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
  if (cancelled && finished !== undefined)
    entries.push(entry(finished, "FlowCanceled", CANCELED_DESCRIPTION));
  else if (finished !== undefined) {
    const code = status === "FAILED" ? "FlowFailed" : "FlowSucceeded";
    entries.push(entry(finished, code, `The Flow Instance ${status.toLowerCase()}`));
  }
  return entries;
}
