/** @internal One flow the fake Flows holds. */
export interface FlowRecord {
  readonly id: string;
  title: string;
  subtitle: string;
  description: string;
  keywords: string[];
  definition: Record<string, unknown>;
  inputSchema: Record<string, unknown>;
  readonly owner: string;
  administrators: string[];
  viewers: string[];
  starters: string[];
  runManagers: string[];
  runMonitors: string[];
  subscriptionId: string | null;
  readonly created: number;
  updated: number;
}

/** @internal One run of a flow; its progress is read off the emulator clock, never stored. */
export interface RunRecord {
  readonly id: string;
  readonly flowId: string;
  readonly owner: string;
  label: string;
  tags: string[];
  runManagers: string[];
  runMonitors: string[];
  readonly body: Record<string, unknown>;
  /** The flow's definition when the run started: later edits of the flow do not change it. */
  readonly definition: Record<string, unknown>;
  readonly flowTitle: string;
  activityNotificationPolicy: Record<string, unknown>;
  readonly started: number;
  /** Emulator seconds of a cancel, which stops the run where it was. */
  cancelledAt: number | null;
  /** The client whose token started the run: its actions use the owner's consents for that client. */
  clientId?: string;
  /** Where the run stopped for a consent (INACTIVE), in order; the last may still be waiting. */
  pauses?: RunPause[];
  /** The fake Transfer's task of each Transfer action state reached, by state name. */
  transferTasks?: Record<string, string>;
}

/**
 * @internal A run stopped at a Transfer action state because its owner has not consented to a
 * collection's `data_access` under the flow's scope (Flows' INACTIVE run); a resume after that
 * consent goes on from the same state.
 */
export interface RunPause {
  /** The state the run stopped at. */
  readonly state: string;
  /** Emulator seconds when it stopped (when the state would have started). */
  readonly at: number;
  /** Emulator seconds of the resume that went on; `null` while the run waits. */
  until: number | null;
  /** The collection whose `data_access` consent is missing. */
  readonly collection: string;
}

/** @internal The fake Flows' state in a state file. */
export interface FlowsSnapshot {
  readonly flows: readonly FlowRecord[];
  readonly runs: readonly RunRecord[];
}

/** @internal A state a run goes through: its name, type, and when it is entered and left. */
export interface RunStep {
  readonly name: string;
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly parameters: Record<string, unknown>;
}

/** Emulator seconds each state of a run takes (a `Wait` state takes its own `Seconds`). */
export const FLOW_STEP_SECONDS = 1;

/**
 * @internal The steps of a run from its start: `StartAt`, then each state's `Next` until `End` or a
 * `Fail` state. A loop ends after 50 steps, so a run of a cyclic definition still finishes. A state
 * where the run paused starts at the resume; the steps stop before one where it still waits.
 */
export function runSteps(
  definition: Record<string, unknown>,
  started: number,
  pauses: readonly RunPause[] = [],
): RunStep[] {
  const states = (definition.States ?? {}) as Record<string, Record<string, unknown>>;
  const steps: RunStep[] = [];
  const unused = [...pauses];
  // Each pause is met once, in order (a resume in the same second as the stop is still one pause).
  const takePause = (state: string, at: number): RunPause | undefined => {
    const index = unused.findIndex((pause) => pause.state === state && pause.at === at);
    return index < 0 ? undefined : unused.splice(index, 1)[0];
  };
  let name = definition.StartAt as string | undefined;
  let at = started;
  while (name !== undefined && steps.length < 50) {
    const state = states[name];
    if (!state) break;
    for (let pause = takePause(name, at); pause; pause = takePause(name, at)) {
      if (pause.until === null) return steps;
      at = pause.until;
    }
    const type = String(state.Type);
    const seconds = type === "Wait" && typeof state.Seconds === "number" ? state.Seconds : FLOW_STEP_SECONDS;
    const parameters = (state.Parameters ?? {}) as Record<string, unknown>;
    steps.push({ name, type, start: at, end: at + seconds, parameters });
    at += seconds;
    if (state.End === true || type === "Fail") break;
    name = typeof state.Next === "string" ? state.Next : undefined;
  }
  return steps;
}

/** @internal The fake Flows API's flows and runs. */
export class FlowsStore {
  readonly flows = new Map<string, FlowRecord>();
  readonly runs = new Map<string, RunRecord>();

  constructor(
    readonly now: () => number,
    readonly changed: () => void,
  ) {}

  /** @internal The persistent part. */
  snapshot(): FlowsSnapshot {
    return { flows: [...this.flows.values()], runs: [...this.runs.values()] };
  }

  /** @internal Loads a snapshot's flows and runs. */
  restore(snapshot: FlowsSnapshot): void {
    for (const flow of snapshot.flows) this.flows.set(flow.id, { ...flow });
    for (const run of snapshot.runs) this.runs.set(run.id, { ...run });
  }
}
