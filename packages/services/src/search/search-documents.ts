/**
 * The documents Globus Search (API v1) takes and answers with. Each type names the fields a portal
 * reads; the answer is the whole JSON document, so fields not named here are there too.
 */

/** One entry of a subject: its content, and its entry id (`null` for the subject's default entry). */
export interface GMetaResultEntry {
  content: Record<string, unknown>;
  entry_id: string | null;
  matched_principal_sets?: string[][];
  [field: string]: unknown;
}

/** A subject with the entries the caller may see. */
export interface GMetaResult {
  subject: string;
  entries: GMetaResultEntry[];
  [field: string]: unknown;
}

/** A facet's bucket: a value (or a `{from, to}` range) and how many subjects have it. */
export interface GBucket {
  value: unknown;
  count: number;
  [field: string]: unknown;
}

/** A facet's result: `buckets` (terms, histograms) or `value` (sum, avg). */
export interface GFacetResult {
  name: string;
  buckets?: GBucket[];
  value?: number | null;
  [field: string]: unknown;
}

/** A page of search results (`GSearchResult`). */
export interface GSearchResult {
  count: number;
  offset: number;
  total: number;
  has_next_page: boolean;
  gmeta: GMetaResult[];
  facet_results?: GFacetResult[];
  [field: string]: unknown;
}

/** A page of a scroll: `marker` names the next page (`null` after the last). */
export interface GScrollResult {
  count: number;
  total: number;
  has_next_page: boolean;
  marker: string | null;
  gmeta: GMetaResult[];
  [field: string]: unknown;
}

/** An entry to ingest: `visible_to` holds `public`, `urn:globus:auth:identity:<id>` or `urn:globus:groups:id:<id>`. */
export interface GMetaEntry {
  subject: string;
  visible_to: string[];
  content: Record<string, unknown>;
  /** The entry id, when a subject has several entries. */
  id?: string | null;
  [field: string]: unknown;
}

/** An ingest document: one entry, or a list. */
export type GIngest =
  | { ingest_type: "GMetaEntry"; ingest_data: GMetaEntry; [field: string]: unknown }
  | { ingest_type: "GMetaList"; ingest_data: { gmeta: GMetaEntry[] }; [field: string]: unknown };

/** The answer to an ingest: the task that applies it. */
export interface IngestResult {
  acknowledged: boolean;
  task_id: string;
  num_documents_ingested?: number;
  [field: string]: unknown;
}

/** The answer to a delete that runs as a task. */
export interface TaskSubmitResult {
  task_id: string;
  [field: string]: unknown;
}

/** A task's state. */
export type SearchTaskState = "PENDING" | "PROGRESS" | "SUCCESS" | "FAILED";

/** An ingest or delete task. */
export interface SearchTaskDocument {
  task_id: string;
  index_id: string;
  task_type: string;
  state: SearchTaskState;
  creation_date: string;
  completion_date: string | null;
  message: string;
  [field: string]: unknown;
}

/** An index's tasks, newest first. */
export interface SearchTaskListDocument {
  index_id: string;
  tasks: SearchTaskDocument[];
  [field: string]: unknown;
}

/** An index (`GSearchIndex`). */
export interface SearchIndexDocument {
  id: string;
  display_name: string;
  description: string;
  creation_date: string;
  is_trial: boolean;
  num_subjects: number;
  num_entries: number;
  status: "open" | "delete-pending" | string;
  /** The caller's roles on it. */
  permissions: string[];
  [field: string]: unknown;
}

/** The indices the caller holds a role on. */
export interface SearchIndexListDocument {
  index_list: SearchIndexDocument[];
  [field: string]: unknown;
}

/** The answer to deleting or reopening an index. */
export interface IndexAcknowledgement {
  index_id: string;
  acknowledged: boolean;
  [field: string]: unknown;
}

/** A role on an index. */
export interface SearchRoleDocument {
  id: string;
  index_id: string;
  principal: string;
  principal_type: "identity" | "group" | string;
  role_name: "owner" | "admin" | "writer";
  creation_date: string;
  [field: string]: unknown;
}

/** An index's roles. */
export interface SearchRoleListDocument {
  role_list: SearchRoleDocument[];
  [field: string]: unknown;
}

/** The answer to deleting a role. */
export interface SearchRoleDeleteResult {
  success: boolean;
  deleted: SearchRoleDocument;
  [field: string]: unknown;
}

/** The answer to deleting one entry. */
export interface EntryDeleteResult {
  removed: boolean;
  [field: string]: unknown;
}
