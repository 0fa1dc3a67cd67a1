import { randomUUID } from "node:crypto";
import { isoTime } from "./iso-time.ts";
import { ownerIdOf, SAMPLE_COLLECTIONS, type SampleCollection } from "./transfer-collections.ts";
import {
  cloneNode,
  directoryPath,
  ensureDirectory,
  type FileNode,
  globMatch,
  lookup,
  parentOf,
  sampleTree,
  setChild,
  splitPath,
  TreeError,
  walkFiles,
} from "./transfer-file-tree.ts";

/** @internal A task event. */
export interface TaskEvent {
  readonly code: string;
  readonly isError: boolean;
  readonly description: string;
  readonly details: string;
  readonly time: number;
}

/** @internal A skipped source error. */
export interface SkippedError {
  readonly sourcePath: string;
  readonly destinationPath: string;
  readonly errorCode: string;
  readonly errorDetails: string;
  readonly time: number;
  readonly isDirectory: boolean;
}

/** @internal A task as the fake Transfer keeps it. */
export interface TaskRecord {
  readonly id: string;
  readonly type: "TRANSFER" | "DELETE";
  /** Identity id of the token's subject (or a client id). */
  readonly owner: string;
  readonly submissionId: string;
  status: "ACTIVE" | "INACTIVE" | "SUCCEEDED" | "FAILED";
  label: string | null;
  deadline: string | null;
  readonly requestTime: number;
  /** Emulator-clock seconds when it finishes (unless paused or cancelled). */
  readonly completesAt: number;
  completionTime: number | null;
  readonly source: string;
  readonly destination: string | null;
  /** The submitted document: options and items. */
  readonly document: Readonly<Record<string, unknown>>;
  events: TaskEvent[];
  successful: [string, string][];
  skipped: SkippedError[];
  files: number;
  directories: number;
  symlinks: number;
  filesSkipped: number;
  filesTransferred: number;
  bytesTransferred: number;
  fatalError: { code: string; description: string } | null;
}

/** @internal An access rule of a guest collection. */
export interface AccessRule {
  readonly id: string;
  readonly principalType: string;
  readonly principal: string;
  readonly path: string;
  permissions: "r" | "rw";
  readonly createTime: number;
  expirationDate: string | null;
  readonly notifyEmail: string | null;
}

/** @internal A role on a collection. */
export interface RoleRecord {
  readonly id: string;
  readonly principalType: string;
  readonly principal: string;
  readonly role: string;
}

/** @internal A bookmark. */
export interface BookmarkRecord {
  readonly id: string;
  readonly owner: string;
  name: string;
  readonly endpointId: string;
  readonly path: string;
  pinned: boolean;
}

/** @internal Fields of a collection changed through `PUT endpoint/<id>`. */
export type EndpointEdits = Record<string, string | boolean | null>;

/** @internal What the state file keeps of the fake Transfer. */
export interface TransferSnapshot {
  readonly trees: Record<string, FileNode>;
  readonly submissionIds: string[];
  readonly tasks: TaskRecord[];
  readonly bookmarks: BookmarkRecord[];
  readonly rules: Record<string, AccessRule[]>;
  readonly roles: Record<string, RoleRecord[]>;
  readonly edits: Record<string, EndpointEdits>;
}

/** @internal Thrown by store operations; the route answers with it as Transfer would. */
export class TransferFault extends Error {
  override readonly name = "TransferFault";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Seconds a task takes: a couple of seconds plus its bytes at 100 MB/s, at most a minute. */
const taskDuration = (bytes: number): number => Math.min(60, 2 + bytes / 100e6);

/** @internal Fields `PUT endpoint/<id>` may change. */
export const EDITABLE_ENDPOINT_FIELDS = [
  "display_name",
  "description",
  "organization",
  "department",
  "keywords",
  "contact_email",
  "contact_info",
  "info_link",
  "default_directory",
  "public",
  "force_encryption",
] as const;

/**
 * @internal Everything the fake Transfer API knows: collections' file trees, submission ids,
 * tasks, bookmarks, access rules, roles. Tasks move on the emulator clock: {@link settle} (called
 * before every Transfer request) finishes those whose time has come, really copying or deleting.
 */
export class TransferStore {
  readonly #now: () => number;
  readonly #changed: () => void;
  trees = new Map<string, FileNode>();
  submissionIds = new Set<string>();
  tasks = new Map<string, TaskRecord>();
  bookmarks = new Map<string, BookmarkRecord>();
  rules = new Map<string, AccessRule[]>();
  roles = new Map<string, RoleRecord[]>();
  edits = new Map<string, EndpointEdits>();

  constructor(now: () => number, changed: () => void) {
    this.#now = now;
    this.#changed = changed;
    this.#seed();
  }

  #seed(): void {
    const now = this.#now();
    for (const collection of SAMPLE_COLLECTIONS) {
      if (collection.entityType !== "GCSv5_guest_collection") continue;
      this.roles.set(collection.id, [
        {
          id: randomUUID(),
          principalType: "identity",
          principal: ownerIdOf(collection),
          role: "administrator",
        },
      ]);
      this.rules.set(
        collection.id,
        collection.publicAccess
          ? [
              {
                id: randomUUID(),
                principalType: "all_authenticated_users",
                principal: "",
                path: collection.publicAccess.path,
                permissions: collection.publicAccess.permissions,
                createTime: now,
                expirationDate: null,
                notifyEmail: null,
              },
            ]
          : [],
      );
    }
  }

  /** The sample collection with this id (lower-cased), if any. */
  collection(id: string): SampleCollection | undefined {
    const lower = id.toLowerCase();
    return SAMPLE_COLLECTIONS.find((collection) => collection.id === lower);
  }

  /** The file tree of a collection, made on first use. */
  tree(id: string): FileNode {
    const lower = id.toLowerCase();
    let tree = this.trees.get(lower);
    if (!tree) {
      tree = sampleTree(Math.floor(this.#now()) - 86_400);
      this.trees.set(lower, tree);
    }
    return tree;
  }

  /** Whether `subject` is the owner or an administrator of a collection. */
  isAdministrator(collectionId: string, subject: string): boolean {
    const collection = this.collection(collectionId);
    if (collection && ownerIdOf(collection) === subject) return true;
    return (this.roles.get(collectionId) ?? []).some(
      (role) =>
        role.principalType === "identity" && role.principal === subject && role.role === "administrator",
    );
  }

  /** Whether `subject` may manage access rules (administrator or access manager). */
  isAccessManager(collectionId: string, subject: string): boolean {
    return (
      this.isAdministrator(collectionId, subject) ||
      (this.roles.get(collectionId) ?? []).some(
        (role) =>
          role.principalType === "identity" && role.principal === subject && role.role === "access_manager",
      )
    );
  }

  /**
   * What `subject` may do at `path` of a collection: everything on mapped collections and unknown
   * ids (the emulator does not model local accounts); on a guest collection, everything for its
   * administrators, else what the access rules grant under a prefix of the path.
   */
  permissionsAt(collectionId: string, subject: string, path: string): "" | "r" | "rw" {
    const collection = this.collection(collectionId);
    if (collection?.entityType !== "GCSv5_guest_collection") return "rw";
    if (this.isAdministrator(collectionId, subject)) return "rw";
    const target = directoryPath(splitPath(path));
    let best: "" | "r" | "rw" = "";
    for (const rule of this.rules.get(collectionId) ?? []) {
      const applies =
        rule.principalType === "all_authenticated_users" ||
        (rule.principalType === "identity" && rule.principal === subject);
      if (applies && target.startsWith(directoryPath(splitPath(rule.path)))) {
        if (rule.permissions === "rw") best = "rw";
        else if (best === "") best = "r";
      }
    }
    return best;
  }

  /** A new submission id. */
  newSubmissionId(): string {
    const id = randomUUID();
    this.submissionIds.add(id);
    this.#changed();
    return id;
  }

  /** The task made from a submission id, if that submission was accepted. */
  taskOfSubmission(submissionId: string): TaskRecord | undefined {
    for (const task of this.tasks.values()) if (task.submissionId === submissionId) return task;
    return undefined;
  }

  /** Accepts a checked transfer or delete document as a new ACTIVE task. */
  createTask(
    type: "TRANSFER" | "DELETE",
    owner: string,
    document: Record<string, unknown>,
    source: string,
    destination: string | null,
  ): TaskRecord {
    const now = this.#now();
    const bytes = this.#plannedBytes(type, source, document);
    const task: TaskRecord = {
      id: randomUUID(),
      type,
      owner,
      submissionId: String(document.submission_id),
      status: "ACTIVE",
      label: typeof document.label === "string" ? document.label : null,
      deadline: typeof document.deadline === "string" ? document.deadline : null,
      requestTime: now,
      completesAt: now + taskDuration(bytes),
      completionTime: null,
      source: source.toLowerCase(),
      destination: destination?.toLowerCase() ?? null,
      document,
      events: [
        { code: "STARTED", isError: false, description: "started", details: "Task started", time: now },
      ],
      successful: [],
      skipped: [],
      files: 0,
      directories: 0,
      symlinks: 0,
      filesSkipped: 0,
      filesTransferred: 0,
      bytesTransferred: 0,
      fatalError: null,
    };
    this.tasks.set(task.id, task);
    this.#changed();
    return task;
  }

  #plannedBytes(type: "TRANSFER" | "DELETE", source: string, document: Record<string, unknown>): number {
    if (type === "DELETE") return 0;
    let bytes = 0;
    for (const item of (document.DATA as Record<string, unknown>[]) ?? []) {
      try {
        const node = lookup(this.tree(source), splitPath(String(item.source_path)));
        if (node) for (const [, leaf] of walkFiles(node, "")) bytes += leaf.size;
      } catch {
        // A bad path fails the task when it runs.
      }
    }
    return bytes;
  }

  /** Whether a task touches a paused collection. */
  isPaused(task: TaskRecord): boolean {
    return [task.source, task.destination].some((id) => id !== null && this.collection(id)?.paused === true);
  }

  /** Finishes every task whose time has come on the emulator clock. */
  settle(): void {
    const now = this.#now();
    let changed = false;
    for (const task of this.tasks.values()) {
      if (task.status !== "ACTIVE" || task.completesAt > now || this.isPaused(task)) continue;
      this.#run(task);
      changed = true;
    }
    if (changed) this.#changed();
  }

  /** Cancels an unfinished task; `false` when it had already finished. */
  cancel(task: TaskRecord): boolean {
    if (task.status === "SUCCEEDED" || task.status === "FAILED") return false;
    const now = this.#now();
    task.status = "FAILED";
    task.completionTime = now;
    task.fatalError = { code: "CANCELED", description: "canceled" };
    task.events.push({
      code: "CANCELED",
      isError: true,
      description: "canceled",
      details: "Canceled by the user",
      time: now,
    });
    this.#changed();
    return true;
  }

  #fail(task: TaskRecord, code: string, details: string, time: number): void {
    task.status = "FAILED";
    task.completionTime = time;
    task.fatalError = { code, description: details };
    task.events.push({
      code,
      isError: true,
      description: code.toLowerCase().replaceAll("_", " "),
      details,
      time,
    });
  }

  // At its completion time, a task does its work at once, item by item: what it found missing
  // either fails it (the partial work stays, as a real task's would) or, with skip_source_errors,
  // is listed as skipped.
  #run(task: TaskRecord): void {
    const time = task.completesAt;
    try {
      if (task.type === "DELETE") this.#runDelete(task, time);
      else this.#runTransfer(task, time);
    } catch (error) {
      if (!(error instanceof TreeError)) throw error;
      this.#fail(
        task,
        error.kind === "not-found" ? "FILE_NOT_FOUND" : "PERMISSION_DENIED",
        error.message,
        time,
      );
      return;
    }
    if (task.status === "ACTIVE") {
      task.status = "SUCCEEDED";
      task.completionTime = time;
      task.events.push({
        code: "SUCCEEDED",
        isError: false,
        description: "succeeded",
        details: `${task.filesTransferred} files, ${task.bytesTransferred} bytes`,
        time,
      });
    }
  }

  #runTransfer(task: TaskRecord, time: number): void {
    const doc = task.document;
    const sourceTree = this.tree(task.source);
    const destinationTree = this.tree(task.destination as string);
    const preserve = doc.preserve_timestamp === true;
    const syncLevel = typeof doc.sync_level === "number" ? doc.sync_level : undefined;
    const rules = (Array.isArray(doc.filter_rules) ? doc.filter_rules : []) as Record<string, unknown>[];
    const excluded = (name: string, node: FileNode): boolean => {
      for (const rule of rules) {
        const type = rule.type === "dir" ? "dir" : rule.type === "file" ? "file" : undefined;
        if (type !== undefined && (node.type === "dir") !== (type === "dir")) continue;
        if (globMatch(String(rule.name), name)) return rule.method !== "include";
      }
      return false;
    };
    for (const item of doc.DATA as Record<string, unknown>[]) {
      const sourcePath = String(item.source_path);
      const destinationPath = String(item.destination_path);
      const sourceParts = splitPath(sourcePath);
      const destinationParts = splitPath(destinationPath);
      const node = lookup(sourceTree, sourceParts);
      if (!node) {
        const details = `No such file or directory: '${sourcePath}' on the source collection`;
        if (doc.skip_source_errors === true) {
          task.skipped.push({
            sourcePath,
            destinationPath,
            errorCode: "FILE_NOT_FOUND",
            errorDetails: details,
            time,
            isDirectory: item.recursive === true,
          });
          task.events.push({
            code: "FILE_NOT_FOUND",
            isError: true,
            description: "file not found",
            details,
            time,
          });
          continue;
        }
        this.#fail(task, "FILE_NOT_FOUND", details, time);
        return;
      }
      if (item.DATA_TYPE === "transfer_symlink_item") {
        const [parent, name] = parentOf(destinationTree, destinationParts, destinationPath);
        setChild(parent, name, cloneNode(node, preserve ? undefined : time));
        task.symlinks++;
        continue;
      }
      if (node.type === "dir" && item.recursive === false) {
        this.#fail(task, "IS_A_DIRECTORY", `'${sourcePath}' is a directory; use recursive`, time);
        return;
      }
      const entries: [string, FileNode][] =
        node.type === "dir" ? [...this.#walkFiltered(node, "", excluded)] : [["", node]];
      if (node.type === "dir") {
        task.directories++;
        ensureDirectory(destinationTree, destinationParts, time);
      }
      for (const [relative, leaf] of entries) {
        const targetParts =
          relative === "" ? destinationParts : [...destinationParts, ...relative.split("/")];
        const [parent, name] = (() => {
          ensureDirectory(destinationTree, targetParts.slice(0, -1), time);
          return parentOf(destinationTree, targetParts, destinationPath);
        })();
        if (leaf.type === "symlink" && doc.recursive_symlinks !== "keep" && doc.recursive_symlinks !== "copy")
          continue;
        task.files++;
        const existing = parent.children?.[name];
        if (existing && syncLevel !== undefined && this.#inSync(existing, leaf, syncLevel)) {
          task.filesSkipped++;
          continue;
        }
        setChild(parent, name, cloneNode(leaf, preserve ? undefined : time));
        task.filesTransferred++;
        task.bytesTransferred += leaf.size;
        // Paths as the caller wrote them (`/~/…` stays), the way the item named them.
        const under = (base: string) => (relative === "" ? base : `${base.replace(/\/?$/, "/")}${relative}`);
        task.successful.push([under(sourcePath), under(destinationPath)]);
      }
      if (node.type === "dir" && doc.delete_destination_extra === true) {
        const wanted = new Set(entries.map(([relative]) => relative));
        const target = lookup(destinationTree, destinationParts);
        if (target) this.#deleteExtra(target, "", wanted);
      }
    }
  }

  *#walkFiltered(
    node: FileNode,
    prefix: string,
    excluded: (name: string, node: FileNode) => boolean,
  ): Generator<[string, FileNode]> {
    for (const [name, child] of Object.entries(node.children ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (excluded(name, child)) continue;
      const path = prefix === "" ? name : `${prefix}/${name}`;
      if (child.type === "dir") yield* this.#walkFiltered(child, path, excluded);
      else yield [path, child];
    }
  }

  #deleteExtra(node: FileNode, prefix: string, wanted: ReadonlySet<string>): void {
    for (const [name, child] of Object.entries(node.children ?? {})) {
      const path = prefix === "" ? name : `${prefix}/${name}`;
      if (child.type === "dir") this.#deleteExtra(child, path, wanted);
      else if (!wanted.has(path)) delete node.children?.[name];
    }
  }

  #inSync(existing: FileNode, source: FileNode, level: number): boolean {
    if (existing.type !== source.type) return false;
    if (level === 0) return true;
    if (existing.size !== source.size) return false;
    if (level === 1) return true;
    if (level === 2) return existing.mtime >= source.mtime;
    return existing.content === source.content;
  }

  #runDelete(task: TaskRecord, time: number): void {
    const doc = task.document;
    const tree = this.tree(task.source);
    for (const item of doc.DATA as Record<string, unknown>[]) {
      const path = String(item.path);
      const parts = splitPath(path);
      const node = lookup(tree, parts);
      if (!node) {
        if (doc.ignore_missing === true) continue;
        this.#fail(task, "FILE_NOT_FOUND", `No such file or directory: '${path}'`, time);
        return;
      }
      if (node.type === "dir" && doc.recursive !== true) {
        this.#fail(task, "IS_A_DIRECTORY", `'${path}' is a directory; use recursive`, time);
        return;
      }
      const [parent, name] = parentOf(tree, parts, path);
      for (const [, leaf] of walkFiles(node, "")) if (leaf.type !== "dir") task.files++;
      if (node.type === "dir") task.directories++;
      delete parent.children?.[name];
    }
  }

  /** Transfer's `task` document. */
  taskDocument(task: TaskRecord): Record<string, unknown> {
    const doc = task.document;
    const paused = task.status === "ACTIVE" && this.isPaused(task);
    const display = (id: string | null) => (id === null ? null : (this.collection(id)?.displayName ?? id));
    const finished = task.status === "SUCCEEDED" || task.status === "FAILED";
    const items = Array.isArray(doc.DATA) ? doc.DATA.length : 0;
    const seconds = Math.max(1, (task.completionTime ?? this.#now()) - task.requestTime);
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

  /** The pause rule of a paused sample collection's endpoint, as its users see it. */
  pauseRule(collectionId: string): Record<string, unknown> | undefined {
    const collection = this.collection(collectionId);
    if (!collection?.paused) return undefined;
    return {
      DATA_TYPE: "pause_rule_limited",
      id: "e1d2c3b4-a5f6-4e7d-8c9b-0a1b2c3d4e5f",
      message: "Maintenance: transfers to and from this endpoint are paused",
      start_time: "2024-01-01T00:00:00+00:00",
      endpoint_id: collection.id,
      endpoint_display_name: collection.displayName,
      identity_id: null,
      modified_by_id: ownerIdOf(collection),
      created_by_host_manager: false,
      editable: false,
      pause_ls: false,
      pause_mkdir: false,
      pause_rename: false,
      pause_task_delete: true,
      pause_task_transfer_write: true,
      pause_task_transfer_read: true,
    };
  }

  /** Records that something changed (for the state file). */
  changed(): void {
    this.#changed();
  }

  snapshot(): TransferSnapshot {
    return {
      trees: Object.fromEntries(this.trees),
      submissionIds: [...this.submissionIds],
      tasks: [...this.tasks.values()],
      bookmarks: [...this.bookmarks.values()],
      rules: Object.fromEntries(this.rules),
      roles: Object.fromEntries(this.roles),
      edits: Object.fromEntries(this.edits),
    };
  }

  restore(snapshot: TransferSnapshot): void {
    this.trees = new Map(Object.entries(snapshot.trees));
    this.submissionIds = new Set(snapshot.submissionIds);
    this.tasks = new Map(snapshot.tasks.map((task) => [task.id, task]));
    this.bookmarks = new Map(snapshot.bookmarks.map((bookmark) => [bookmark.id, bookmark]));
    this.rules = new Map(Object.entries(snapshot.rules));
    this.roles = new Map(Object.entries(snapshot.roles));
    this.edits = new Map(Object.entries(snapshot.edits));
  }
}

export { TreeError };
