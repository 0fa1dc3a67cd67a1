import { randomUUID } from "node:crypto";
import { ClockedStore } from "./clocked-store.ts";
import { runTransferTask } from "./run-transfer-task.ts";
import { ownerIdOf, SAMPLE_COLLECTIONS, type SampleCollection } from "./transfer-collections.ts";
import {
  directoryPath,
  type FileNode,
  lookup,
  sampleTree,
  splitPath,
  walkFiles,
} from "./transfer-file-tree.ts";
import type {
  AccessRule,
  BookmarkRecord,
  EndpointEdits,
  RoleRecord,
  TaskRecord,
} from "./transfer-records.ts";

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

/** Seconds a task takes: a couple of seconds plus its bytes at 100 MB/s, at most a minute. */
const taskDuration = (bytes: number): number => Math.min(60, 2 + bytes / 100e6);

/**
 * @internal Everything the fake Transfer API knows: collections' file trees, submission ids,
 * tasks, bookmarks, access rules, roles. Tasks move on the emulator clock: {@link settle} (called
 * before every Transfer request) finishes those whose time has come, really copying or deleting.
 */
export class TransferStore extends ClockedStore {
  trees = new Map<string, FileNode>();
  submissionIds = new Set<string>();
  tasks = new Map<string, TaskRecord>();
  bookmarks = new Map<string, BookmarkRecord>();
  rules = new Map<string, AccessRule[]>();
  roles = new Map<string, RoleRecord[]>();
  edits = new Map<string, EndpointEdits>();

  /**
   * @param clock the emulator clock, in fractional epoch seconds.
   * @param changed called after every change worth persisting.
   */
  constructor(clock: () => number, changed: () => void) {
    super(clock, changed);
    this.#seed();
  }

  #seed(): void {
    const now = this.exactNow();
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
      tree = sampleTree(this.now() - 86_400);
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
    this.changed();
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
    const now = this.exactNow();
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
    this.changed();
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

  /** Finishes every task whose time has come on the emulator clock (see {@link runTransferTask}). */
  settle(): void {
    const now = this.exactNow();
    let changed = false;
    for (const task of this.tasks.values()) {
      if (task.status !== "ACTIVE" || task.completesAt > now || this.isPaused(task)) continue;
      runTransferTask(task, (id) => this.tree(id));
      changed = true;
    }
    if (changed) this.changed();
  }

  /** Cancels an unfinished task; `false` when it had already finished. */
  cancel(task: TaskRecord): boolean {
    if (task.status === "SUCCEEDED" || task.status === "FAILED") return false;
    const now = this.exactNow();
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
    this.changed();
    return true;
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
