/** @internal A timer's schedule, as Timers takes it (times as emulator-clock seconds). */
export type TimerScheduleRecord =
  | { readonly type: "once"; readonly at: number }
  | {
      readonly type: "recurring";
      readonly start: number;
      readonly interval: number;
      /** Emulator seconds after which it stops, or `null`. */
      readonly endAt: number | null;
      /** How many runs it makes at most, or `null`. */
      readonly count: number | null;
    };

/** @internal One run of a timer: the Transfer task it submitted. */
export interface TimerRunRecord {
  readonly ranAt: number;
  readonly taskId: string;
}

/** @internal A timer's status, as Timers names it. */
export type TimerStatus = "new" | "loaded" | "inactive";

/** @internal One timer the fake Timers holds. */
export interface TimerRecord {
  readonly id: string;
  readonly owner: string;
  name: string;
  readonly schedule: TimerScheduleRecord;
  /** The schedule as the caller sent it, answered back unchanged. */
  readonly scheduleDocument: Record<string, unknown>;
  /** The Transfer document each run submits (without a submission id). */
  readonly body: Record<string, unknown>;
  /**
   * `new` until the scheduler first sees it (the next call to the fake Timers), then `loaded`;
   * `inactive` while paused (its reason then is `{cause: "user"}`).
   */
  status: TimerStatus;
  readonly submitted: number;
  /** Emulator seconds of the last resume: runs missed while paused are skipped, not made up. */
  resumedAt: number | null;
  readonly runs: TimerRunRecord[];
}

/** @internal The fake Timers' state in a state file. */
export interface TimersSnapshot {
  readonly timers: readonly TimerRecord[];
}

/** Runs of a schedule due at or before `until`, in order; at most 1000, so a tight interval stays cheap. */
export function dueTimes(schedule: TimerScheduleRecord, until: number): number[] {
  if (schedule.type === "once") return schedule.at <= until ? [schedule.at] : [];
  const times: number[] = [];
  for (let n = 0; times.length < 1000; n++) {
    const at = schedule.start + n * schedule.interval;
    if (at > until || (schedule.endAt !== null && at > schedule.endAt)) break;
    if (schedule.count !== null && n >= schedule.count) break;
    times.push(at);
  }
  return times;
}

/**
 * @internal The next run after `after` (or at it, when `inclusive`), or `undefined` when the
 * schedule has ended.
 */
export function nextTime(
  schedule: TimerScheduleRecord,
  after: number,
  inclusive = false,
): number | undefined {
  if (schedule.type === "once")
    return schedule.at > after || (inclusive && schedule.at === after) ? schedule.at : undefined;
  const elapsed = (after - schedule.start) / schedule.interval;
  const n = Math.max(0, inclusive ? Math.ceil(elapsed) : Math.floor(elapsed) + 1);
  const at = schedule.start + n * schedule.interval;
  if ((schedule.endAt !== null && at > schedule.endAt) || (schedule.count !== null && n >= schedule.count)) {
    return undefined;
  }
  return at;
}

/** @internal The fake Timers API's timers. */
export class TimersStore {
  readonly timers = new Map<string, TimerRecord>();

  constructor(
    readonly now: () => number,
    readonly changed: () => void,
  ) {}

  /** @internal The persistent part. */
  snapshot(): TimersSnapshot {
    return { timers: [...this.timers.values()] };
  }

  /** @internal Loads a snapshot's timers (a state file's `paused`, the older fake's word, is `inactive`). */
  restore(snapshot: TimersSnapshot): void {
    for (const timer of snapshot.timers) {
      const status = (timer.status as string) === "paused" ? "inactive" : timer.status;
      this.timers.set(timer.id, { ...timer, status, runs: [...timer.runs] });
    }
  }
}
