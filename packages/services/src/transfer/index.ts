/**
 * Globus Transfer: {@link TransferClient}, the {@link TransferData} and {@link DeleteData} task
 * builders, {@link TransferAPIError}, and the documents Transfer answers with.
 *
 * @packageDocumentation
 */
export { DeleteData, type DeleteDataOptions } from "./delete-data.ts";
export { isTransferAPIError, TransferAPIError } from "./transfer-api-error.ts";
export {
  type EndpointSearchParams,
  type OperationLsParams,
  type SharedEndpointListParams,
  type TaskEventListParams,
  type TaskListParams,
  type TaskMarkerParams,
  type TaskWaitOptions,
  type TransferCallOptions,
  TransferClient,
  type TransferFilter,
  type TransferPaginatedCalls,
} from "./transfer-client.ts";
export {
  type FilterRule,
  SYNC_LEVELS,
  type SyncLevel,
  TransferData,
  type TransferDataOptions,
  type TransferItem,
  type TransferItemOptions,
} from "./transfer-data.ts";
export type {
  AccessCreateResult,
  AccessListDocument,
  AccessRuleDocument,
  BookmarkDocument,
  BookmarkListDocument,
  EndpointDocument,
  EndpointListDocument,
  EntityType,
  EventDocument,
  EventListDocument,
  FileDocument,
  FileListDocument,
  PauseInfoDocument,
  PauseRuleDocument,
  PauseRuleListDocument,
  RoleDocument,
  RoleListDocument,
  ServerDocument,
  ServerListDocument,
  SharedEndpointListDocument,
  SkippedErrorDocument,
  SkippedErrorsDocument,
  SubmissionIdDocument,
  SubmissionResult,
  SuccessfulTransferDocument,
  SuccessfulTransfersDocument,
  TaskDocument,
  TaskListDocument,
  TaskStatus,
  TransferDocument,
  TransferListDocument,
  TransferResult,
} from "./transfer-documents.ts";
