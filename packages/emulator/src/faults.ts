/**
 * Kinds of injected faults:
 * - `latency`: wait `latencyMs` before answering normally (combines with one other fault);
 * - `server-error`: answer HTTP `status` (5xx, default 500) with a JSON error;
 * - `rate-limit`: answer 429 with `Retry-After: retryAfter` (seconds, default 1);
 * - `malformed-json`: answer 200 with a truncated JSON body;
 * - `drop-connection`: destroy the socket without answering;
 * - `drop-response`: do the request's work (a submitted task is created), then destroy the socket
 *   instead of answering (an answer lost on the way back);
 * - `stall-body`: answer 200 with JSON headers and the first bytes of the body, then send nothing
 *   more until the emulator closes (a peer that trickles, or hangs mid-answer).
 */
export type FaultKind =
  | "latency"
  | "server-error"
  | "rate-limit"
  | "malformed-json"
  | "drop-connection"
  | "drop-response"
  | "stall-body";

/** All fault kinds, for validation and documentation. */
export const FAULT_KINDS: readonly FaultKind[] = [
  "latency",
  "server-error",
  "rate-limit",
  "malformed-json",
  "drop-connection",
  "drop-response",
  "stall-body",
];

/**
 * Endpoint names used by request counts, the request log and faults. The token endpoint also counts
 * as `token:<grant_type>`, e.g. `token:refresh_token`; a fault for `token` hits every grant.
 */
export const ENDPOINT_NAMES = [
  "openid-configuration",
  "jwks",
  "authorize",
  "auth-code",
  "web-logout",
  "token",
  "revoke",
  "introspect",
  "userinfo",
  "identities",
  "consents",
  "transfer",
  "groups",
  "search",
  "flows",
  "timer",
  "compute",
] as const;

/** A fault to inject into the next `count` requests of an endpoint. */
export interface FaultSpec {
  /** An endpoint name from {@link ENDPOINT_NAMES}, `token:<grant_type>`, or `*` for every endpoint. */
  readonly endpoint: string;
  readonly kind: FaultKind;
  /** How many requests it affects; default 1. */
  readonly count?: number | undefined;
  /** For `latency`: delay in milliseconds (0–60000); default 100. */
  readonly latencyMs?: number | undefined;
  /** For `server-error`: the status, 500–599; default 500. */
  readonly status?: number | undefined;
  /** For `rate-limit`: the `Retry-After` seconds; default 1. */
  readonly retryAfter?: number | undefined;
}

/** A queued fault and how many more requests it will affect. */
export interface ActiveFault {
  readonly endpoint: string;
  readonly kind: FaultKind;
  remaining: number;
  readonly latencyMs: number;
  readonly status: number;
  readonly retryAfter: number;
}

/** Thrown for an invalid {@link FaultSpec}. */
export class FaultSpecError extends Error {
  override readonly name = "FaultSpecError";
}

const intIn = (value: unknown, min: number, max: number, fallback: number, what: string): number => {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new FaultSpecError(`${what} must be an integer from ${min} to ${max}`);
  }
  return value;
};

/** @internal The queue of injected faults. */
export class FaultInjector {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): ActiveFault {
    const { endpoint, kind } = spec as Partial<FaultSpec>;
    const known =
      endpoint === "*" ||
      (ENDPOINT_NAMES as readonly string[]).includes(endpoint as string) ||
      (typeof endpoint === "string" && /^token:[\x21-\x7e]{1,100}$/.test(endpoint));
    if (typeof endpoint !== "string" || !known) {
      throw new FaultSpecError(
        `endpoint must be one of ${ENDPOINT_NAMES.join(", ")}, token:<grant_type> or *`,
      );
    }
    if (!FAULT_KINDS.includes(kind as FaultKind))
      throw new FaultSpecError(`kind must be one of ${FAULT_KINDS.join(", ")}`);
    const fault: ActiveFault = {
      endpoint,
      kind: kind as FaultKind,
      remaining: intIn(spec.count, 1, 10_000, 1, "count"),
      latencyMs: intIn(spec.latencyMs, 0, 60_000, 100, "latencyMs"),
      status: intIn(spec.status, 500, 599, 500, "status"),
      retryAfter: intIn(spec.retryAfter, 0, 86_400, 1, "retryAfter"),
    };
    this.faults.push(fault);
    return { ...fault };
  }

  clear(): void {
    this.faults = [];
  }

  list(): ActiveFault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  /**
   * Takes the faults for a request to any of `names`: the summed latency of matching latency
   * faults, and the first matching fault of another kind. Each taken fault is used up once.
   */
  take(names: readonly string[]): { latencyMs: number; fault: ActiveFault | undefined } {
    let latencyMs = 0;
    let fault: ActiveFault | undefined;
    for (const candidate of this.faults) {
      if (candidate.endpoint !== "*" && !names.includes(candidate.endpoint)) continue;
      if (candidate.kind === "latency") {
        latencyMs += candidate.latencyMs;
      } else if (fault === undefined) {
        fault = candidate;
      } else {
        continue;
      }
      candidate.remaining--;
    }
    this.faults = this.faults.filter((candidate) => candidate.remaining > 0);
    return { latencyMs, fault: fault && { ...fault } };
  }
}
