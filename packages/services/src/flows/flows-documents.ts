/** A principal as Flows names one: `urn:globus:auth:identity:<id>`, `urn:globus:groups:id:<id>`, `public`, `all_authenticated_users`. */
export type FlowPrincipal = string;

/** The caller's role on a flow, strongest first. */
export type FlowRole = "flow_owner" | "flow_administrator" | "flow_starter" | "flow_viewer";

/**
 * A run's status. A cancelled run is `FAILED`, with `details.code` `FlowCanceled` (as the Python
 * SDK's `cancel_run` testing data has it); `ENDED` is in Flows' list of statuses too.
 */
export type RunStatus = "ACTIVE" | "INACTIVE" | "SUCCEEDED" | "FAILED" | "ENDED";

/** A flow as Flows answers with it. */
export interface FlowDocument {
  id: string;
  title: string;
  subtitle: string;
  description: string;
  keywords: string[];
  /** The flow's states (Amazon States Language as Flows extends it). */
  definition: Record<string, unknown>;
  /** JSON Schema of a run's input. */
  input_schema: Record<string, unknown>;
  flow_owner: FlowPrincipal;
  flow_administrators: FlowPrincipal[];
  flow_viewers: FlowPrincipal[];
  flow_starters: FlowPrincipal[];
  run_managers: FlowPrincipal[];
  run_monitors: FlowPrincipal[];
  subscription_id: string | null;
  /** The flow's `user` scope, which running it needs. */
  globus_auth_scope: string;
  user_role: FlowRole | null;
  created_at: string;
  updated_at: string;
  [field: string]: unknown;
}

/** Fields of a marker-paged Flows list. */
export interface FlowsPage {
  limit: number;
  has_next_page: boolean;
  /** Pass back as `marker` for the next page; `null` on the last. */
  marker: string | null;
}

/** A page of {@link FlowDocument}s. */
export interface FlowListDocument extends FlowsPage {
  flows: FlowDocument[];
}

/** What a flow's run sends notifications of: the statuses it enters. */
export interface RunActivityNotificationPolicy {
  /** @default Flows': `["INACTIVE"]` */
  status: ("INACTIVE" | "SUCCEEDED" | "FAILED")[];
}

/** A run as Flows answers with it. */
export interface RunDocument {
  run_id: string;
  /** The same id, as the action provider interface names it. */
  action_id: string;
  flow_id: string;
  flow_title: string;
  status: RunStatus;
  display_status: string;
  start_time: string;
  completion_time: string | null;
  label: string;
  tags: string[];
  run_managers: FlowPrincipal[];
  run_monitors: FlowPrincipal[];
  created_by: FlowPrincipal;
  user_role: string | null;
  activity_notification_policy?: RunActivityNotificationPolicy;
  /**
   * What the run is doing, and its `output` once it has succeeded. `code` `FlowCanceled` (with
   * `time`) marks a run its manager cancelled.
   */
  details: {
    code?: string;
    time?: string;
    description?: string;
    output?: Record<string, unknown>;
    [field: string]: unknown;
  };
  /** With `includeFlowDescription`, the flow. */
  flow_description?: FlowDocument;
  [field: string]: unknown;
}

/** A page of {@link RunDocument}s. */
export interface RunListDocument extends FlowsPage {
  runs: RunDocument[];
}

/** One event of a run's log. */
export interface RunLogEntry {
  time: string;
  /** e.g. `FlowStarted`, `ActionStarted`, `ActionCompleted`, `PassCompleted`, `FlowSucceeded`. */
  code: string;
  description: string;
  details: Record<string, unknown>;
}

/** A page of a run's log. */
export interface RunLogDocument extends FlowsPage {
  entries: RunLogEntry[];
}

/** The definition and input schema a run was started with. */
export interface RunDefinitionDocument {
  flow_id: string;
  definition: Record<string, unknown>;
  input_schema: Record<string, unknown>;
  [field: string]: unknown;
}

/** What `validateFlow` answers for a valid definition: the scopes its runs need and an analysis. */
export interface FlowValidationDocument {
  scopes: Record<string, string[]>;
  analysis: { number_of_possibilities: number; [field: string]: unknown };
  [field: string]: unknown;
}
