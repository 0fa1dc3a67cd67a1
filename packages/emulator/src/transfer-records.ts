// The records the fake Transfer keeps: tasks with their events, access rules, roles, bookmarks and
// endpoint edits, and which endpoint fields may be edited.

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
