import {
  errorGuard,
  GlobusAPIError,
  type GlobusAPIErrorInit,
  type GlobusErrorOptions,
} from "@globus-app/core";

/**
 * Globus Timers answered with an error status. A {@link GlobusAPIError} (so `isGlobusAPIError`
 * holds) with Timers' code in `errorCode` (e.g. `NOT_FOUND`, `ConsentRequired`, or
 * `ValidationError` for a 422 whose `detail` lists the problems) and its detail in the message. A
 * timer that needs more consent carries a GARE in `gares`.
 *
 * @example
 * ```ts
 * try { await timers.getJob(jobId); }
 * catch (e) { if (isTimersAPIError(e) && e.status === 404) console.log("no such timer"); else throw e; }
 * ```
 */
export class TimersAPIError<TGare = unknown> extends GlobusAPIError<TGare> {
  override readonly name = "TimersAPIError";

  /** @param init - what core's `GlobusClient` read off the answer. */
  constructor(init: GlobusAPIErrorInit, options: GlobusErrorOptions = {}) {
    super(withTimersFields(init), options);
  }
}

/**
 * Timers nests its code and detail in `error`, or (for a request it cannot validate) answers
 * FastAPI's `detail` list of `{loc, msg}`; core's generic reading looks at neither.
 */
function withTimersFields(init: GlobusAPIErrorInit): GlobusAPIErrorInit {
  const body = init.body as
    | { code?: unknown; error?: { code?: unknown; detail?: unknown }; detail?: unknown }
    | null
    | undefined;
  if (Array.isArray(body?.detail)) {
    const problems = body.detail.map((item: { loc?: unknown; msg?: unknown }) =>
      Array.isArray(item?.loc) ? `${item.loc.join(".")}: ${String(item.msg)}` : String(item?.msg ?? item),
    );
    return { ...init, errorCode: "ValidationError", detail: problems.join("; ") };
  }
  const nested = typeof body?.error === "object" && body.error !== null ? body.error : undefined;
  if (!nested) return init;
  return {
    ...init,
    errorCode:
      typeof body?.code === "string"
        ? body.code
        : typeof nested.code === "string"
          ? nested.code
          : init.errorCode,
    detail: typeof nested.detail === "string" ? nested.detail : init.detail,
  };
}

/** True for a {@link TimersAPIError}, from any realm. */
export const isTimersAPIError: (value: unknown) => value is TimersAPIError = errorGuard(TimersAPIError, [
  "TimersAPIError",
]);
