/** One request as the emulator remembers it, with secrets replaced by `"[redacted]"`. */
export interface RequestLogEntry {
  /** Endpoint name, e.g. `token`, `authorize`, `transfer`. */
  readonly endpoint: string;
  /** For the token endpoint, `token:<grant_type>`; otherwise the same as `endpoint`. */
  readonly detail: string;
  readonly method: string;
  /** URL path without the query. */
  readonly path: string;
  /** Emulator-clock time of arrival, ISO-8601. */
  readonly time: string;
  /** Query and form parameters (a repeated parameter becomes a list). */
  readonly params: Readonly<Record<string, string | string[]>>;
  /**
   * Selected request headers: `authorization` (always redacted), `origin`, `content-type`,
   * `user-agent`, `x-globus-client-info`.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** Response status, once sent; absent for a dropped connection. */
  status?: number;
  /** The injected fault that answered this request, if any. */
  fault?: string;
}

/** Parameter names whose values never appear in the log. */
export const SECRET_PARAMETERS: ReadonlySet<string> = new Set([
  "access_token",
  "refresh_token",
  "id_token",
  "token",
  "code",
  "code_verifier",
  "client_secret",
  "password",
  "assertion",
  "secret",
]);

const REDACTED = "[redacted]";
const MAX_VALUE_LENGTH = 500;
const MAX_PARAMS = 50;

/** @internal Parameters for the log: secrets redacted, long values clipped. */
export function redactParams(...sources: URLSearchParams[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  let count = 0;
  for (const source of sources) {
    for (const [key, rawValue] of source) {
      if (++count > MAX_PARAMS) return out;
      const value = SECRET_PARAMETERS.has(key.toLowerCase())
        ? REDACTED
        : rawValue.length > MAX_VALUE_LENGTH
          ? `${rawValue.slice(0, MAX_VALUE_LENGTH)}…`
          : rawValue;
      const clippedKey = key.slice(0, 100);
      const existing = out[clippedKey];
      if (existing === undefined) out[clippedKey] = value;
      else out[clippedKey] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
  }
  return out;
}

/** @internal Per-endpoint counters and a ring of the most recent requests. */
export class RequestLog {
  private readonly counts = new Map<string, number>();
  private entries: RequestLogEntry[] = [];

  constructor(private readonly size: number) {}

  record(entry: RequestLogEntry): RequestLogEntry {
    for (const name of new Set([entry.endpoint, entry.detail]))
      this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    if (this.size > 0) {
      this.entries.push(entry);
      if (this.entries.length > this.size) this.entries.splice(0, this.entries.length - this.size);
    }
    return entry;
  }

  requestCounts(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** The last `limit` entries, oldest first (copies). */
  recent(limit = this.size): RequestLogEntry[] {
    const count = Math.max(0, Math.min(limit, this.entries.length));
    return this.entries.slice(this.entries.length - count).map((entry) => ({ ...entry }));
  }

  reset(): void {
    this.counts.clear();
    this.entries = [];
  }
}
