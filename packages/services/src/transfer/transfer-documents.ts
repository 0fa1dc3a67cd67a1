/**
 * Transfer API v0.10 documents as the service sends them: snake_case fields, a `DATA_TYPE` naming
 * the document, lists in `DATA`. The interfaces name the fields Transfer documents; every document
 * is the parsed JSON itself, so fields the interfaces do not name are still there (the index
 * signature), and `JSON.stringify(doc)` gives back what the service sent.
 *
 * @packageDocumentation
 */

/** Any Transfer document: the parsed JSON, with its `DATA_TYPE`. */
export interface TransferDocument {
  DATA_TYPE: string;
  [field: string]: unknown;
}

/** A list document: its items in `DATA`. */
export interface TransferListDocument<Item> extends TransferDocument {
  DATA: Item[];
}

/** Transfer's answer to a change: `{ DATA_TYPE: "result", code: "Updated", message, request_id, resource }`. */
export interface TransferResult extends TransferDocument {
  /** What happened: `Updated`, `Deleted`, `Canceled`, `TaskComplete`, `FileRenamed`, `DirectoryCreated`, … */
  code: string;
  message: string;
  request_id: string;
  resource: string;
}

/** Entity types of endpoints and collections. */
export type EntityType =
  | "GCSv5_endpoint"
  | "GCSv5_mapped_collection"
  | "GCSv5_guest_collection"
  | "GCP_mapped_collection"
  | "GCP_guest_collection"
  | "GCSv4_host"
  | "GCSv4_share";

/** An endpoint or collection (`DATA_TYPE: "endpoint"`). */
export interface EndpointDocument extends TransferDocument {
  DATA_TYPE: "endpoint";
  id: string;
  display_name: string | null;
  canonical_name?: string | null;
  owner_id?: string;
  owner_string?: string;
  description?: string | null;
  organization?: string | null;
  department?: string | null;
  keywords?: string | null;
  contact_email?: string | null;
  info_link?: string | null;
  entity_type?: EntityType | string;
  /** For a guest collection: the mapped collection (or endpoint) it is on. */
  host_endpoint_id?: string | null;
  /** For a GCSv5 collection: the endpoint it belongs to. */
  gcs_version?: string | null;
  high_assurance?: boolean;
  public?: boolean;
  non_functional?: boolean;
  default_directory?: string | null;
  force_encryption?: boolean;
  /** Whether the caller must first consent to the collection's `data_access` scope. */
  requires_data_access_consent?: boolean | null;
}

/** `endpoint_search` and `my_shared_endpoint_list` answers. */
export interface EndpointListDocument extends TransferListDocument<EndpointDocument> {
  DATA_TYPE: "endpoint_list";
  offset?: number;
  limit?: number;
  has_next_page?: boolean;
}

/** `shared_endpoint_list` answer: guest collections of a host, paged by `next_token`. */
export interface SharedEndpointListDocument extends TransferDocument {
  DATA_TYPE: "shared_endpoint_list";
  shared_endpoints: EndpointDocument[];
  next_token: string | null;
}

/** A server of an endpoint (`DATA_TYPE: "server"`). */
export interface ServerDocument extends TransferDocument {
  DATA_TYPE: "server";
  id: number | string;
  hostname: string | null;
  port: number | null;
  scheme: string | null;
  subject: string | null;
}

/** `server_list` answer. */
export interface ServerListDocument extends TransferListDocument<ServerDocument> {
  DATA_TYPE: "endpoint_server_list";
}

/** A pause rule as the endpoint's users see it. */
export interface PauseRuleDocument extends TransferDocument {
  id: string;
  message: string | null;
  start_time: string | null;
  endpoint_id: string;
  pause_ls: boolean;
  pause_mkdir: boolean;
  pause_rename: boolean;
  pause_task_delete: boolean;
  pause_task_transfer_write: boolean;
  pause_task_transfer_read: boolean;
}

/** `my_effective_pause_rule_list` answer. */
export interface PauseRuleListDocument extends TransferListDocument<PauseRuleDocument> {
  DATA_TYPE: "pause_rule_list";
}

/** A role on an endpoint (`DATA_TYPE: "role"`). */
export interface RoleDocument extends TransferDocument {
  DATA_TYPE: "role";
  id: string;
  principal_type: "identity" | "group";
  principal: string;
  role: "administrator" | "access_manager" | "activity_manager" | "activity_monitor" | string;
}

/** `role_list` answer. */
export interface RoleListDocument extends TransferListDocument<RoleDocument> {
  DATA_TYPE: "role_list";
}

/** An access rule (ACL) of a guest collection (`DATA_TYPE: "access"`). */
export interface AccessRuleDocument extends TransferDocument {
  DATA_TYPE: "access";
  id: string | null;
  principal_type: "identity" | "group" | "all_authenticated_users" | "anonymous";
  principal: string;
  /** Absolute, ending in `/` for a directory. */
  path: string;
  permissions: "r" | "rw";
  role_id?: string | null;
  role_type?: string | null;
  create_time?: string | null;
  expiration_date?: string | null;
  notify_email?: string | null;
}

/** `access_list` answer. */
export interface AccessListDocument extends TransferListDocument<AccessRuleDocument> {
  DATA_TYPE: "access_list";
  endpoint: string;
  length: number;
}

/** Answer to a new access rule: its id in `access_id`. */
export interface AccessCreateResult extends TransferResult {
  DATA_TYPE: "access_create_result";
  access_id: string;
}

/** A bookmark (`DATA_TYPE: "bookmark"`). */
export interface BookmarkDocument extends TransferDocument {
  DATA_TYPE: "bookmark";
  id: string;
  name: string;
  endpoint_id: string;
  path: string;
  pinned?: boolean;
}

/** `bookmark_list` answer. */
export interface BookmarkListDocument extends TransferListDocument<BookmarkDocument> {
  DATA_TYPE: "bookmark_list";
}

/** A file, directory or symlink (`DATA_TYPE: "file"`), from `ls` or `stat`. */
export interface FileDocument extends TransferDocument {
  DATA_TYPE: "file";
  name: string;
  type: "file" | "dir" | "symlink" | "invalid_symlink";
  size: number;
  last_modified: string;
  permissions: string;
  user: string | null;
  group: string | null;
  link_target: string | null;
}

/** `ls` answer. */
export interface FileListDocument extends TransferListDocument<FileDocument> {
  DATA_TYPE: "file_list";
  endpoint: string;
  path: string;
  absolute_path: string | null;
  length: number;
  total: number;
  rename_supported?: boolean;
  symlink_supported?: boolean;
}

/** `submission_id` answer: the id in `value`. */
export interface SubmissionIdDocument extends TransferDocument {
  DATA_TYPE: "submission_id";
  value: string;
}

/** Answer to a submitted transfer or delete; `code` is `Accepted`, or `Duplicate` for a resubmission. */
export interface SubmissionResult extends TransferDocument {
  DATA_TYPE: "transfer_result" | "delete_result";
  code: "Accepted" | "Duplicate" | string;
  message: string;
  request_id: string;
  resource: string;
  submission_id: string;
  task_id: string;
  task_link?: { DATA_TYPE: "link"; href: string; rel: string; resource: string; title: string };
}

/** Task statuses: `ACTIVE` and `INACTIVE` (paused, credentials expired…) are unfinished. */
export type TaskStatus = "ACTIVE" | "INACTIVE" | "SUCCEEDED" | "FAILED";

/** A task (`DATA_TYPE: "task"`). */
export interface TaskDocument extends TransferDocument {
  DATA_TYPE: "task";
  task_id: string;
  type: "TRANSFER" | "DELETE";
  status: TaskStatus;
  label: string | null;
  owner_id: string;
  request_time: string;
  completion_time: string | null;
  deadline: string | null;
  source_endpoint_id: string;
  source_endpoint_display_name?: string | null;
  destination_endpoint_id: string | null;
  destination_endpoint_display_name?: string | null;
  sync_level?: number | null;
  verify_checksum?: boolean;
  encrypt_data?: boolean;
  preserve_timestamp?: boolean;
  skip_source_errors?: boolean;
  fail_on_quota_errors?: boolean;
  delete_destination_extra?: boolean;
  files: number;
  directories: number;
  symlinks?: number;
  files_skipped: number;
  files_transferred: number;
  subtasks_total: number;
  subtasks_pending: number;
  subtasks_succeeded: number;
  subtasks_failed: number;
  subtasks_canceled: number;
  subtasks_expired: number;
  subtasks_retrying: number;
  subtasks_skipped_errors: number;
  bytes_transferred: number;
  bytes_checksummed: number;
  effective_bytes_per_second: number;
  faults: number;
  nice_status: string | null;
  nice_status_short_description?: string | null;
  is_paused: boolean;
  is_ok: boolean | null;
  canceled_by_admin?: string | null;
  /** Why a FAILED task failed. */
  fatal_error?: { code: string; description: string } | null;
}

/** `task_list` answer. */
export interface TaskListDocument extends TransferListDocument<TaskDocument> {
  DATA_TYPE: "task_list";
  offset: number;
  limit: number;
  total: number;
}

/** An event of a task (`DATA_TYPE: "event"`); newest first in the list. */
export interface EventDocument extends TransferDocument {
  DATA_TYPE: "event";
  code: string;
  is_error: boolean;
  description: string;
  details: string;
  time: string;
}

/** `event_list` answer. */
export interface EventListDocument extends TransferListDocument<EventDocument> {
  DATA_TYPE: "event_list";
  offset: number;
  limit: number;
  total: number;
}

/** A file a task transferred. */
export interface SuccessfulTransferDocument extends TransferDocument {
  DATA_TYPE: "successful_transfer";
  source_path: string;
  destination_path: string;
}

/** `successful_transfers` answer, paged by `marker`/`next_marker`. */
export interface SuccessfulTransfersDocument extends TransferListDocument<SuccessfulTransferDocument> {
  DATA_TYPE: "successful_transfers";
  marker: number | string;
  next_marker: number | string | null;
}

/** A source error a task skipped (with `skip_source_errors`). */
export interface SkippedErrorDocument extends TransferDocument {
  DATA_TYPE: "skipped_error";
  source_path: string;
  destination_path: string;
  error_code: string;
  error_details: string;
  error_time: string;
  is_directory: boolean;
  is_symlink: boolean;
}

/** `skipped_errors` answer, paged by `marker`/`next_marker`. */
export interface SkippedErrorsDocument extends TransferListDocument<SkippedErrorDocument> {
  DATA_TYPE: "skipped_errors";
  marker: number | string;
  next_marker: number | string | null;
}

/** `pause_info` answer: the pause rules holding a task, and the endpoints' messages. */
export interface PauseInfoDocument extends TransferDocument {
  DATA_TYPE: "pause_info_limited";
  pause_rules: PauseRuleDocument[];
  source_pause_message: string | null;
  source_pause_message_share: string | null;
  destination_pause_message: string | null;
  destination_pause_message_share: string | null;
}
