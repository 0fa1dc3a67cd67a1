/** A time as Timers takes it: a `Date`, or an ISO 8601 string with a UTC offset. */
export type TimerTime = Date | string;

const iso = (value: TimerTime): string => (typeof value === "string" ? value : value.toISOString());

/**
 * A timer that runs once: at `datetime`, or as soon as it is created (the Python SDK's
 * `OnceTimerSchedule`).
 *
 * @example
 * ```ts
 * new OnceTimerSchedule(new Date(Date.now() + 3_600_000)); // in an hour
 * ```
 */
export class OnceTimerSchedule {
  /** @param datetime - when it runs. @default now */
  constructor(readonly datetime?: TimerTime) {}

  /** The schedule as Timers takes it. // wire: unverified */
  toJSON(): Record<string, unknown> {
    return { type: "once", ...(this.datetime === undefined ? {} : { datetime: iso(this.datetime) }) };
  }
}

/** When a recurring timer stops: at a time, or after a number of runs. */
export type RecurringTimerEnd = { datetime: TimerTime } | { count: number };

/**
 * A timer that runs every `intervalSeconds` from `start` until `end` (the Python SDK's
 * `RecurringTimerSchedule`).
 *
 * @example
 * ```ts
 * new RecurringTimerSchedule(86_400, { end: { count: 7 } }); // daily, seven times
 * ```
 */
export class RecurringTimerSchedule {
  /**
   * @param intervalSeconds - seconds between runs (Timers' minimum is 60).
   * @param options - `start` (default: now), `end` (default: never).
   * @throws {RangeError} for an interval that is not a positive integer, or an end count that is not one.
   */
  constructor(
    readonly intervalSeconds: number,
    readonly options: { start?: TimerTime; end?: RecurringTimerEnd } = {},
  ) {
    if (!Number.isInteger(intervalSeconds) || intervalSeconds < 1) {
      throw new RangeError("intervalSeconds must be a positive integer");
    }
    const end = options.end;
    if (end && "count" in end && !(Number.isInteger(end.count) && end.count > 0)) {
      throw new RangeError("end.count must be a positive integer");
    }
  }

  /** The schedule as Timers takes it. // wire: unverified */
  toJSON(): Record<string, unknown> {
    const { start, end } = this.options;
    return {
      type: "recurring",
      interval_seconds: this.intervalSeconds,
      ...(start === undefined ? {} : { start: iso(start) }),
      ...(end === undefined
        ? {}
        : "count" in end
          ? { end: { condition: "iterations", count: end.count } }
          : { end: { condition: "time", datetime: iso(end.datetime) } }),
    };
  }
}
