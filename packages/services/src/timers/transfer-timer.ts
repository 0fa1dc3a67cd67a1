import type { OnceTimerSchedule, RecurringTimerSchedule } from "./timer-schedules.ts";

/** A Transfer document: a `TransferData` (anything with its `toJSON`), or its JSON. */
export type TransferBody = TransferDocumentSource | Record<string, unknown>;

/** What a `TransferData` is to a timer: a builder of a Transfer document. */
export interface TransferDocumentSource {
  /** Transfer's submission document. */
  toJSON(): Record<string, unknown>;
}

/**
 * A timer that submits a Transfer task on a schedule (the Python SDK's `TransferTimer`): its body
 * is a `TransferData` (without a submission id: Timers gets one for each run).
 *
 * @example
 * ```ts
 * const data = new TransferData({ sourceEndpoint: src, destinationEndpoint: dst }).addItem("/a", "/b");
 * await timers.createTimer(new TransferTimer({ name: "nightly", schedule: new RecurringTimerSchedule(86_400), body: data }));
 * ```
 */
export class TransferTimer {
  /** The timer's name. */
  readonly name: string | undefined;
  /** When it runs. */
  readonly schedule: OnceTimerSchedule | RecurringTimerSchedule;
  readonly #body: TransferBody;

  /** @param options - `schedule`, `body` (the transfer), and an optional `name`. */
  constructor(options: {
    schedule: OnceTimerSchedule | RecurringTimerSchedule;
    body: TransferBody;
    name?: string;
  }) {
    this.name = options.name;
    this.schedule = options.schedule;
    this.#body = options.body;
  }

  /** The timer as Timers takes it. // wire: unverified */
  toJSON(): Record<string, unknown> {
    const raw =
      typeof this.#body.toJSON === "function"
        ? (this.#body.toJSON as () => Record<string, unknown>)()
        : this.#body;
    // Each run gets its own submission id; Timers refuses a body that has one.
    const { submission_id: _dropped, ...body } = raw as Record<string, unknown>;
    return {
      timer_type: "transfer",
      ...(this.name === undefined ? {} : { name: this.name }),
      schedule: this.schedule.toJSON(),
      body: { DATA_TYPE: "transfer", ...body },
    };
  }
}
