import { GlobusSDKUsageError } from "@globus-app/core";

/** Sync levels by name (Transfer's 0–3): skip a file when the destination already has it and… */
export const SYNC_LEVELS = { exists: 0, size: 1, mtime: 2, checksum: 3 } as const;

/**
 * When a file counts as already transferred: `"exists"` (0) it exists at the destination, `"size"`
 * (1) with the same size, `"mtime"` (2) and not older, `"checksum"` (3) with the same checksum.
 */
export type SyncLevel = keyof typeof SYNC_LEVELS | 0 | 1 | 2 | 3;

/** A filter rule of a recursive transfer (`DATA_TYPE: "filter_rule"`): a name glob to include or exclude. */
export interface FilterRule {
  DATA_TYPE: "filter_rule";
  method: "include" | "exclude";
  /** Only files or only directories; both when absent. */
  type?: "file" | "dir";
  /** A glob on the base name, e.g. `*.tmp`. */
  name: string;
}

/** Options of {@link TransferData}: the Python SDK's keyword arguments, camelCased. */
export interface TransferDataOptions {
  /** The source collection's id. */
  sourceEndpoint: string;
  /** The destination collection's id. */
  destinationEndpoint: string;
  /** A label for the task (shown in the web app and `taskList`). */
  label?: string;
  /** The submission id; when absent, `submitTransfer` asks Transfer for one and keeps it here. */
  submissionId?: string;
  /** Skip files the destination already has: see {@link SyncLevel}. @default none: copy all */
  syncLevel?: SyncLevel;
  /** Checksum each file after copying it and retry on a mismatch. @default false */
  verifyChecksum?: boolean;
  /** Give destination files the source's modification time. @default false */
  preserveTimestamp?: boolean;
  /** Encrypt the data channel. @default false */
  encryptData?: boolean;
  /** Fail the task if it is not done by then (a `Date` or an ISO 8601 string). @default Transfer's */
  deadline?: Date | string;
  /** Skip source files that cannot be read (listed by `taskSkippedErrors`) instead of failing. @default false */
  skipSourceErrors?: boolean;
  /** Fail at once when the destination is over quota instead of retrying. @default false */
  failOnQuotaErrors?: boolean;
  /** How to treat symlinks met in recursive transfers: `"ignore"`, `"keep"` or `"copy"`. @default "ignore" */
  recursiveSymlinks?: "ignore" | "keep" | "copy";
  /** Delete destination files absent from the source (needs `syncLevel`). @default false */
  deleteDestinationExtra?: boolean;
  /** Email the owner when the task succeeds. @default true */
  notifyOnSucceeded?: boolean;
  /** Email the owner when the task fails. @default true */
  notifyOnFailed?: boolean;
  /** Email the owner when the task becomes inactive. @default true */
  notifyOnInactive?: boolean;
  /** The account to read as on a mapped collection that allows a choice. */
  sourceLocalUser?: string;
  /** The account to write as on a mapped collection that allows a choice. */
  destinationLocalUser?: string;
  /** Filter rules of recursive items (see {@link TransferData.addFilterRule}). */
  filterRules?: readonly FilterRule[];
  /** More top-level fields, sent as given (for API fields this class does not name yet). */
  additionalFields?: Readonly<Record<string, unknown>>;
}

/** Options of {@link TransferData.addItem}. */
export interface TransferItemOptions {
  /** Whether the source is a directory to copy whole. @default absent: Transfer looks at the source */
  recursive?: boolean;
  /** The source file's checksum, when known, for Transfer to check the copy against. */
  externalChecksum?: string;
  /** The algorithm of `externalChecksum` (e.g. `"MD5"`, `"SHA256"`). */
  checksumAlgorithm?: string;
  /** More fields of the item, sent as given. */
  additionalFields?: Readonly<Record<string, unknown>>;
}

/** One item of a transfer document. */
export type TransferItem = {
  DATA_TYPE: "transfer_item" | "transfer_symlink_item";
  source_path: string;
  destination_path: string;
} & Record<string, unknown>;

/** @internal Transfer's sync level number for a name or number. */
export function syncLevelNumber(level: SyncLevel): number {
  const value = typeof level === "string" ? SYNC_LEVELS[level] : level;
  if (![0, 1, 2, 3].includes(value as number)) {
    throw new GlobusSDKUsageError(
      `Unrecognized sync_level ${JSON.stringify(level)}; use "exists", "size", "mtime", "checksum" or 0-3.`,
    );
  }
  return value as number;
}

/** @internal A `Date` as Transfer reads it; strings pass unchanged. */
export function deadlineString(deadline: Date | string): string {
  if (typeof deadline === "string") return deadline;
  if (Number.isNaN(deadline.getTime())) throw new GlobusSDKUsageError("The deadline is an invalid Date.");
  return deadline.toISOString();
}

/**
 * A transfer task to submit with `TransferClient.submitTransfer`: what to copy from one collection
 * to another and how, as the Python SDK's `TransferData` builds it. `toJSON()` is Transfer's
 * document: `{ DATA_TYPE: "transfer", source_endpoint, destination_endpoint, DATA: [{ DATA_TYPE:
 * "transfer_item", source_path, destination_path, … }], verify_checksum, … }`, with the booleans
 * and notification flags always present (at their defaults) and absent options left out.
 *
 * The submission id makes a submit safe to retry: `submitTransfer` fetches one when
 * {@link TransferData.submissionId} is unset and stores it here, so submitting the same object
 * again (after a dropped connection, say) can never start a second task; Transfer answers
 * `Duplicate` with the first task's id.
 *
 * @throws {GlobusSDKUsageError} for an unknown sync level or an invalid `deadline` Date.
 * @example
 * ```ts
 * const data = new TransferData({ sourceEndpoint: src, destinationEndpoint: dst, label: "nightly",
 *   syncLevel: "checksum", verifyChecksum: true });
 * data.addItem("/~/results/", "/project/results/", { recursive: true });
 * data.addFilterRule("*.tmp");
 * const { task_id } = await transfer.submitTransfer(data);
 * ```
 */
export class TransferData {
  /** The submission id; set by `submitTransfer` when it was absent. */
  submissionId: string | undefined;
  readonly #fields: Record<string, unknown>;
  readonly #items: TransferItem[] = [];
  readonly #filterRules: FilterRule[];

  constructor(options: TransferDataOptions) {
    this.submissionId = options.submissionId;
    this.#filterRules = [...(options.filterRules ?? [])];
    const optional: Record<string, unknown> = {
      label: options.label,
      sync_level: options.syncLevel === undefined ? undefined : syncLevelNumber(options.syncLevel),
      deadline: options.deadline === undefined ? undefined : deadlineString(options.deadline),
      source_local_user: options.sourceLocalUser,
      destination_local_user: options.destinationLocalUser,
    };
    this.#fields = {
      DATA_TYPE: "transfer",
      source_endpoint: options.sourceEndpoint,
      destination_endpoint: options.destinationEndpoint,
      ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
      verify_checksum: options.verifyChecksum ?? false,
      preserve_timestamp: options.preserveTimestamp ?? false,
      encrypt_data: options.encryptData ?? false,
      skip_source_errors: options.skipSourceErrors ?? false,
      fail_on_quota_errors: options.failOnQuotaErrors ?? false,
      recursive_symlinks: options.recursiveSymlinks ?? "ignore",
      delete_destination_extra: options.deleteDestinationExtra ?? false,
      notify_on_succeeded: options.notifyOnSucceeded ?? true,
      notify_on_failed: options.notifyOnFailed ?? true,
      notify_on_inactive: options.notifyOnInactive ?? true,
      ...options.additionalFields,
    };
  }

  /** The items added so far (copies). */
  get items(): TransferItem[] {
    return this.#items.map((item) => ({ ...item }));
  }

  /**
   * Adds a file, or with `recursive: true` a directory, to copy. Chainable.
   *
   * @example
   * ```ts
   * data.addItem("/~/a.txt", "/~/copy-of-a.txt", { externalChecksum: md5, checksumAlgorithm: "MD5" });
   * ```
   */
  addItem(sourcePath: string, destinationPath: string, options: TransferItemOptions = {}): this {
    this.#items.push({
      DATA_TYPE: "transfer_item",
      source_path: sourcePath,
      destination_path: destinationPath,
      ...(options.recursive === undefined ? {} : { recursive: options.recursive }),
      ...(options.externalChecksum === undefined ? {} : { external_checksum: options.externalChecksum }),
      ...(options.checksumAlgorithm === undefined ? {} : { checksum_algorithm: options.checksumAlgorithm }),
      ...options.additionalFields,
    });
    return this;
  }

  /**
   * Adds a symlink to recreate at the destination (pointing where the source link points; not
   * followed). Chainable.
   *
   * @example
   * ```ts
   * data.addSymlinkItem("/~/latest", "/~/backup/latest");
   * ```
   */
  addSymlinkItem(sourcePath: string, destinationPath: string): this {
    this.#items.push({
      DATA_TYPE: "transfer_symlink_item",
      source_path: sourcePath,
      destination_path: destinationPath,
    });
    return this;
  }

  /**
   * Adds a filter rule for recursive items: names matching the glob `name` are excluded (the
   * default) or included; `type` limits it to files or directories. Rules apply in order. Chainable.
   *
   * @example
   * ```ts
   * data.addFilterRule("*.tmp").addFilterRule(".git", { type: "dir" });
   * ```
   */
  addFilterRule(name: string, options: { method?: "include" | "exclude"; type?: "file" | "dir" } = {}): this {
    this.#filterRules.push({
      DATA_TYPE: "filter_rule",
      method: options.method ?? "exclude",
      ...(options.type === undefined ? {} : { type: options.type }),
      name,
    });
    return this;
  }

  /** Transfer's JSON document for this task (what `submitTransfer` sends). */
  toJSON(): Record<string, unknown> {
    return {
      ...this.#fields,
      ...(this.submissionId === undefined ? {} : { submission_id: this.submissionId }),
      ...(this.#filterRules.length > 0
        ? { filter_rules: this.#filterRules.map((rule) => ({ ...rule })) }
        : {}),
      DATA: this.items,
    };
  }
}
