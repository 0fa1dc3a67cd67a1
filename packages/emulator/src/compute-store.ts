/** Id of the fake Compute's one endpoint: public, online, and running the sample functions. */
export const SAMPLE_COMPUTE_ENDPOINT_ID = "5c0b3d42-7a1e-4f6b-9e2d-8c4a1f0b7e63";

/**
 * The functions the fake Compute can "run", by `function_name`: it cannot run submitted code, so it
 * answers these from their arguments (a payload `{"args": […], "kwargs": {…}}` as JSON) and fails
 * any other with a `NotImplementedError`.
 */
export const SAMPLE_FUNCTIONS: Readonly<
  Record<string, (args: unknown[], kwargs: Record<string, unknown>) => unknown>
> = {
  hello_world: () => "Hello World!",
  echo: (args) => args[0] ?? null,
  add: (args) => args.reduce((sum: number, value) => sum + Number(value), 0),
  platform: () => "Linux-globus-app-emulator",
  fail: () => {
    throw new Error("ZeroDivisionError: division by zero");
  },
};

/** Emulator seconds a task takes from submission to result. */
export const COMPUTE_TASK_SECONDS = 1;

/** @internal A registered function. */
export interface FunctionRecord {
  readonly id: string;
  readonly owner: string;
  readonly name: string;
  readonly code: string;
  readonly description: string;
  readonly public: boolean;
  readonly created: number;
}

/** @internal A submitted task: its result is worked out when it is submitted, shown once it is due. */
export interface ComputeTaskRecord {
  readonly id: string;
  readonly owner: string;
  readonly functionId: string;
  readonly endpointId: string;
  readonly taskGroupId: string;
  readonly submitted: number;
  /** The JSON of the result, or `undefined` when the function raised. */
  readonly result: string | undefined;
  readonly exception: string | undefined;
}

/** @internal The fake Compute's state in a state file. */
export interface ComputeSnapshot {
  readonly functions: readonly FunctionRecord[];
  readonly tasks: readonly ComputeTaskRecord[];
}

/** @internal The fake Compute API's functions and tasks. */
export class ComputeStore {
  readonly functions = new Map<string, FunctionRecord>();
  readonly tasks = new Map<string, ComputeTaskRecord>();

  constructor(
    readonly now: () => number,
    readonly changed: () => void,
  ) {}

  /** @internal The persistent part. */
  snapshot(): ComputeSnapshot {
    return { functions: [...this.functions.values()], tasks: [...this.tasks.values()] };
  }

  /** @internal Loads a snapshot's functions and tasks. */
  restore(snapshot: ComputeSnapshot): void {
    for (const record of snapshot.functions) this.functions.set(record.id, record);
    for (const record of snapshot.tasks) this.tasks.set(record.id, record);
  }
}
