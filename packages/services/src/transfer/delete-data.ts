import { deadlineString } from "./transfer-data.ts";

/** Options of {@link DeleteData}: the Python SDK's keyword arguments, camelCased. */
export interface DeleteDataOptions {
  /** The collection to delete on. */
  endpoint: string;
  /** A label for the task. */
  label?: string;
  /** The submission id; when absent, `submitDelete` asks Transfer for one and keeps it here. */
  submissionId?: string;
  /** Delete directories with their contents (otherwise a directory item fails). @default false */
  recursive?: boolean;
  /** Succeed on items that do not exist. @default false */
  ignoreMissing?: boolean;
  /** Read `*`, `?` and `[…]` in item paths as globs. @default false */
  interpretGlobs?: boolean;
  /** Fail the task if it is not done by then. */
  deadline?: Date | string;
  /** The account to act as on a mapped collection that allows a choice. */
  localUser?: string;
  /** Email the owner when the task succeeds. @default true */
  notifyOnSucceeded?: boolean;
  /** Email the owner when the task fails. @default true */
  notifyOnFailed?: boolean;
  /** Email the owner when the task becomes inactive. @default true */
  notifyOnInactive?: boolean;
  /** More top-level fields, sent as given. */
  additionalFields?: Readonly<Record<string, unknown>>;
}

/**
 * A delete task to submit with `TransferClient.submitDelete`, as the Python SDK's `DeleteData`
 * builds it: `{ DATA_TYPE: "delete", endpoint, recursive, ignore_missing, interpret_globs, …,
 * DATA: [{ DATA_TYPE: "delete_item", path }] }`. Like {@link TransferData}, it keeps the submission
 * id `submitDelete` fetched, so a retried submit never deletes twice.
 *
 * @throws {GlobusSDKUsageError} for an invalid `deadline` Date.
 * @example
 * ```ts
 * const data = new DeleteData({ endpoint: collectionId, recursive: true, label: "clean up" });
 * data.addItem("/~/scratch/");
 * const { task_id } = await transfer.submitDelete(data);
 * ```
 */
export class DeleteData {
  /** The submission id; set by `submitDelete` when it was absent. */
  submissionId: string | undefined;
  readonly #fields: Record<string, unknown>;
  readonly #items: Record<string, unknown>[] = [];

  constructor(options: DeleteDataOptions) {
    this.submissionId = options.submissionId;
    this.#fields = {
      DATA_TYPE: "delete",
      endpoint: options.endpoint,
      ...(options.label === undefined ? {} : { label: options.label }),
      ...(options.deadline === undefined ? {} : { deadline: deadlineString(options.deadline) }),
      ...(options.localUser === undefined ? {} : { local_user: options.localUser }),
      recursive: options.recursive ?? false,
      ignore_missing: options.ignoreMissing ?? false,
      interpret_globs: options.interpretGlobs ?? false,
      notify_on_succeeded: options.notifyOnSucceeded ?? true,
      notify_on_failed: options.notifyOnFailed ?? true,
      notify_on_inactive: options.notifyOnInactive ?? true,
      ...options.additionalFields,
    };
  }

  /**
   * Adds a path to delete (a directory needs `recursive`). Chainable.
   *
   * @example
   * ```ts
   * new DeleteData({ endpoint: id }).addItem("/~/old.txt").addItem("/~/older.txt");
   * ```
   */
  addItem(path: string, options: { additionalFields?: Readonly<Record<string, unknown>> } = {}): this {
    this.#items.push({ DATA_TYPE: "delete_item", path, ...options.additionalFields });
    return this;
  }

  /** Transfer's JSON document for this task (what `submitDelete` sends). */
  toJSON(): Record<string, unknown> {
    return {
      ...this.#fields,
      ...(this.submissionId === undefined ? {} : { submission_id: this.submissionId }),
      DATA: this.#items.map((item) => ({ ...item })),
    };
  }
}
