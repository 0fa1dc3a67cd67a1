import { errorGuard, GlobusError, type GlobusErrorOptions } from "./globus-error.ts";

/** What {@link GlobusAPIError} is built from. */
export interface GlobusAPIErrorInit {
  /** HTTP status of the response. */
  status: number;
  /** HTTP method of the request. */
  method: string;
  /** URL of the request, without its query string. */
  url: string;
  /** Globus's error code (`code`) or the OAuth `error` value, when the body had one. */
  errorCode?: string | undefined;
  /** A human-readable message from the body, when it had one. */
  detail?: string | undefined;
  /** The `request_id` Globus sent, for support requests. */
  requestId?: string | undefined;
  /** The parsed JSON body, when it was JSON. */
  body?: unknown;
  /** Globus Auth requirements errors found in the body. */
  gares?: readonly unknown[];
}

/**
 * A Globus service (or Globus Auth) answered with an error status. Carries the status, Globus's own
 * error code, its message, the request id and any GAREs; the body stays available as `body` but is
 * never serialised.
 *
 * @example
 * ```ts
 * try { await transfer.get("endpoint_search"); }
 * catch (e) { if (isGlobusAPIError(e) && e.status === 403 && e.gares.length) await app.login({ authParams: e.gares[0].authorization_parameters }); }
 * ```
 */
export class GlobusAPIError<TGare = unknown> extends GlobusError {
  override readonly name: string = "GlobusAPIError";
  /** HTTP status. */
  readonly status: number;
  /** HTTP method of the failed request. */
  readonly method: string;
  /** URL of the failed request (no query string). */
  readonly url: string;
  /** Globus's error code or the OAuth `error`; `"Error"` when the body had none. */
  readonly errorCode: string;
  /** The `request_id` Globus sent, if any. */
  readonly requestId: string | undefined;
  /** GAREs parsed from the body (empty when none). */
  readonly gares: readonly TGare[];
  /** The parsed body (non-enumerable, so it never reaches `JSON.stringify`). */
  declare readonly body: unknown;

  constructor(init: GlobusAPIErrorInit, options: GlobusErrorOptions = {}) {
    const detail = init.detail ? `: ${init.detail}` : "";
    super(
      `${init.method} ${init.url} failed with ${init.status} ${init.errorCode ?? "Error"}${detail}`,
      "API_ERROR",
      options,
    );
    this.status = init.status;
    this.method = init.method;
    this.url = init.url;
    this.errorCode = init.errorCode ?? "Error";
    this.requestId = init.requestId;
    this.gares = (init.gares ?? []) as readonly TGare[];
    Object.defineProperty(this, "body", { value: init.body, enumerable: false });
  }
}

/** True for a {@link GlobusAPIError}, from any realm. */
// Service clients' subclasses (in @globus-app/services) are GlobusAPIErrors too, across realms.
export const isGlobusAPIError: (value: unknown) => value is GlobusAPIError = errorGuard(GlobusAPIError, [
  "GlobusAPIError",
  "TransferAPIError",
  "GroupsAPIError",
  "SearchAPIError",
  "FlowsAPIError",
  "TimersAPIError",
  "ComputeAPIError",
]);

/**
 * Builds a {@link GlobusAPIError} from an error response's parsed body, reading Globus's fields
 * (`code`/`error`, `message`/`error_description`, `errors[0]`, `request_id`).
 */
export function globusAPIErrorFromBody<TGare>(init: {
  status: number;
  method: string;
  url: string;
  body: unknown;
  headers: Headers;
  gares?: readonly TGare[];
  /** Builds a service's subclass instead of a plain {@link GlobusAPIError}. */
  create?: (init: GlobusAPIErrorInit) => GlobusAPIError;
}): GlobusAPIError<TGare> {
  const record = (typeof init.body === "object" && init.body !== null ? init.body : {}) as Record<
    string,
    unknown
  >;
  const first = Array.isArray(record.errors)
    ? (record.errors[0] as Record<string, unknown> | undefined)
    : undefined;
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  const fields: GlobusAPIErrorInit = {
    status: init.status,
    method: init.method.toUpperCase(),
    url: init.url.split("?")[0] as string,
    errorCode: text(record.code) ?? text(record.error) ?? text(first?.code),
    detail:
      text(record.message) ?? text(record.error_description) ?? text(first?.detail) ?? text(first?.title),
    requestId: text(record.request_id) ?? init.headers.get("x-request-id") ?? undefined,
    body: init.body,
    gares: init.gares ?? [],
  };
  return (init.create ? init.create(fields) : new GlobusAPIError(fields)) as GlobusAPIError<TGare>;
}
