/**
 * Globus Flows: {@link FlowsClient} (flows and runs), {@link SpecificFlowClient} (running one flow),
 * {@link FlowsAPIError}, and the documents Flows answers with.
 *
 * @packageDocumentation
 */
export { FlowsAPIError, isFlowsAPIError } from "./flows-api-error.ts";
export {
  type FlowFieldsOptions,
  type FlowsCallOptions,
  FlowsClient,
  type FlowsPaginatedCalls,
  type GetRunLogsParams,
  type ListFlowsParams,
  type ListRunsParams,
  type UpdateFlowOptions,
  type UpdateRunOptions,
} from "./flows-client.ts";
export type {
  FlowDocument,
  FlowListDocument,
  FlowPrincipal,
  FlowRole,
  FlowsPage,
  FlowValidationDocument,
  RunActivityNotificationPolicy,
  RunDefinitionDocument,
  RunDocument,
  RunListDocument,
  RunLogDocument,
  RunLogEntry,
  RunStatus,
} from "./flows-documents.ts";
export { type RunFlowOptions, SpecificFlowClient, type ValidateRunResult } from "./specific-flow-client.ts";
