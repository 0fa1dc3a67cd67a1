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
  ENDED: "Cancelled",
};

/** A status badge of a Transfer task or a flow run: the service's word, plus what it means, so colour is never the only cue. */
export function statusBadge(status: string): HTMLElement {
  return h(
    "span",
    { class: `badge badge-${status.toLowerCase()}`, title: statusWords[status] ?? status },
    status,
  );
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first (polling loops). */
export const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
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
