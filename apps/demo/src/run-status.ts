import { h } from "./dom.ts";

/** "2026-11-01 12:00:05" from an ISO time (Flows') or Transfer's "2026-11-01 12:00:05+00:00". */
export const shortTime = (value: string | null | undefined): string =>
  value ? value.slice(0, 19).replace("T", " ") : "—";

/** What each status word of Transfer and Flows means, in words. */
export const statusWords: Record<string, string> = {
  ACTIVE: "Running",
  INACTIVE: "Waiting (needs attention)",
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  ENDED: "Ended",
};

/** Whether a flow run was cancelled: Flows reports it `FAILED`, its `details.code` `FlowCanceled`. */
export const isCancelledRun = (run: { details: { code?: string } }): boolean =>
  run.details.code === "FlowCanceled";

/** What a flow run's status means, in words: "Cancelled" for a cancelled run, not "Failed". */
export function runStatusWords(run: { status: string; details: { code?: string } }): string {
  return isCancelledRun(run) ? "Cancelled" : (statusWords[run.status] ?? run.status);
}

/**
 * A status badge of a Transfer task or a flow run: the service's word, plus what it means (`words`,
 * by default {@link statusWords}'), so colour is never the only cue.
 */
export function statusBadge(status: string, words = statusWords[status] ?? status): HTMLElement {
  return h("span", { class: `badge badge-${status.toLowerCase()}`, title: words }, status);
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/**
 * Polls a Transfer task or a flow run until it is no longer `ACTIVE`: `load` every second at first,
 * growing to every 10 s, so a long one costs few requests. Then `onSettled`; a failure goes to
 * `onError` unless `signal` stopped the polling, which ends it quietly.
 */
export async function pollUntilSettled<T extends { status: string }>(
  signal: AbortSignal,
  load: () => Promise<T>,
  handlers: { onSettled: (value: T) => void; onError: (error: unknown) => void },
): Promise<void> {
  const { onSettled, onError } = handlers;
  try {
    for (let interval = 1000; ; interval = Math.min(interval * 1.5, 10_000)) {
      const value = await load();
      if (signal.aborted) return;
      if (value.status !== "ACTIVE") return onSettled(value);
      await sleep(interval, signal);
    }
  } catch (error) {
    if (!signal.aborted) onError(error);
  }
}
