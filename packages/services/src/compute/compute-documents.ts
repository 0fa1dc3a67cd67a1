/** What every Compute method accepts besides its own parameters. */
export interface ComputeCallOptions {
  /** More query parameters, sent as given (the Python SDK's `query_params`). */
  queryParams?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Cancels the request (a `GlobusNetworkError` coded `NETWORK_ABORTED`). */
  signal?: AbortSignal;
}

/** Compute's versions (with `service: "all"`). */
export interface ComputeVersionDocument {
  api: string;
  min_sdk_version?: string;
  min_ep_version?: string;
  [field: string]: unknown;
}

/** An endpoint as Compute answers with it. */
export interface ComputeEndpointDocument {
  uuid: string;
  name: string;
  display_name?: string;
  owner?: string;
  public?: boolean;
  multi_user?: boolean;
  [field: string]: unknown;
}

/** An endpoint's status. */
export interface ComputeEndpointStatusDocument {
  /** `online` or `offline`. */
  status: string;
  details?: Record<string, unknown>;
  [field: string]: unknown;
}

/** A function to register: its name and serialized code (as the Globus Compute SDK serializes it). */
export interface ComputeFunctionData {
  function_name: string;
  function_code: string;
  description?: string;
  public?: boolean;
  [field: string]: unknown;
}

/** A registered function. */
export interface ComputeFunctionDocument {
  function_uuid: string;
  function_name?: string;
  function_code?: string;
  description?: string;
  [field: string]: unknown;
}

/** What registering a function answers. */
export interface ComputeFunctionRegistration {
  function_uuid: string;
  [field: string]: unknown;
}

/** A task's state: `result` (serialized) once `success`, `exception` once `failed`. */
export interface ComputeTaskDocument {
  task_id: string;
  status: string;
  pending?: boolean;
  result?: string;
  exception?: string;
  completion_t?: string;
  [field: string]: unknown;
}

/** What `getTaskBatch` answers: each task by id. */
export interface ComputeTaskBatchDocument {
  response: string;
  results: Record<string, ComputeTaskDocument>;
  [field: string]: unknown;
}

/** A task group's tasks. */
export interface ComputeTaskGroupDocument {
  taskgroup_id: string;
  tasks: { id: string; [field: string]: unknown }[];
  [field: string]: unknown;
}

/** A v2 batch: `tasks` lists `[functionId, endpointId, serializedPayload]`. */
export interface ComputeV2SubmitData {
  tasks: [functionId: string, endpointId: string, payload: string][];
  task_group_id?: string;
  [field: string]: unknown;
}

/** What a v2 submission answers: a result per task, in order. */
export interface ComputeV2SubmitResult {
  response: string;
  task_group_id: string;
  results: { status: string; task_uuid: string; http_status_code: number; [field: string]: unknown }[];
  [field: string]: unknown;
}

/** A v3 batch for one endpoint: `tasks` maps each function id to its serialized payloads. */
export interface ComputeV3SubmitData {
  tasks: Record<string, string[]>;
  task_group_id?: string;
  create_queue?: boolean;
  user_runtime?: Record<string, unknown>;
  [field: string]: unknown;
}

/** What a v3 submission answers: the task ids for each function, in payload order. */
export interface ComputeV3SubmitResult {
  request_id: string;
  task_group_id: string;
  endpoint_id: string;
  tasks: Record<string, string[]>;
  [field: string]: unknown;
}
