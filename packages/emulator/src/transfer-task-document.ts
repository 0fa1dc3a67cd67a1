import { isoTime } from "./iso-time.ts";
import type { TaskRecord } from "./transfer-records.ts";
import type { TransferStore } from "./transfer-store.ts";

/** @internal Transfer's `task` document, on the emulator clock. */
export function taskDocument(store: TransferStore, task: TaskRecord): Record<string, unknown> {
  const doc = task.document;
  const paused = task.status === "ACTIVE" && store.isPaused(task);
  const display = (id: string | null) => (id === null ? null : (store.collection(id)?.displayName ?? id));
  const finished = task.status === "SUCCEEDED" || task.status === "FAILED";
  const items = Array.isArray(doc.DATA) ? doc.DATA.length : 0;
  const seconds = Math.max(1, (task.completionTime ?? store.exactNow()) - task.requestTime);
  return {
    DATA_TYPE: "task",
    task_id: task.id,
    type: task.type,
    status: task.status,
    label: task.label,
    owner_id: task.owner,
    request_time: isoTime(Math.floor(task.requestTime)),
    completion_time: task.completionTime === null ? null : isoTime(Math.floor(task.completionTime)),
    deadline: task.deadline,
    source_endpoint_id: task.source,
    source_endpoint_display_name: display(task.source),
    destination_endpoint_id: task.destination,
    destination_endpoint_display_name: display(task.destination),
    sync_level: typeof doc.sync_level === "number" ? doc.sync_level : null,
    verify_checksum: doc.verify_checksum === true,
    encrypt_data: doc.encrypt_data === true,
    preserve_timestamp: doc.preserve_timestamp === true,
    skip_source_errors: doc.skip_source_errors === true,
    fail_on_quota_errors: doc.fail_on_quota_errors === true,
    delete_destination_extra: doc.delete_destination_extra === true,
    recursive_symlinks: typeof doc.recursive_symlinks === "string" ? doc.recursive_symlinks : "ignore",
    files: task.files,
    directories: task.directories,
    symlinks: task.symlinks,
    files_skipped: task.filesSkipped,
    files_transferred: task.filesTransferred,
    subtasks_total: items,
    subtasks_pending: finished ? 0 : items,
    subtasks_retrying: 0,
    subtasks_succeeded: task.status === "SUCCEEDED" ? items : 0,
    subtasks_failed: task.status === "FAILED" && task.fatalError?.code !== "CANCELED" ? 1 : 0,
    subtasks_canceled: task.fatalError?.code === "CANCELED" ? items : 0,
    subtasks_expired: 0,
    subtasks_skipped_errors: task.skipped.length,
    bytes_transferred: task.bytesTransferred,
    bytes_checksummed: doc.verify_checksum === true ? task.bytesTransferred : 0,
    effective_bytes_per_second: Math.floor(task.bytesTransferred / seconds),
    faults: task.events.filter((event) => event.isError).length,
    // The emulator's guess at Transfer's wording for a paused task; "OK"/"Queued" otherwise.
    nice_status: finished ? null : paused ? "PAUSED_BY_ADMIN" : "Queued",
    nice_status_short_description: finished ? null : paused ? "Paused by an administrator" : "Queued",
    is_paused: paused,
    is_ok: finished ? null : true,
    canceled_by_admin: null,
    canceled_by_admin_message: null,
    history_deleted: false,
    fatal_error: task.fatalError,
    notify_on_succeeded: doc.notify_on_succeeded !== false,
    notify_on_failed: doc.notify_on_failed !== false,
    notify_on_inactive: doc.notify_on_inactive !== false,
  };
}
