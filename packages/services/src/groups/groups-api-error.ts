import {
  errorGuard,
  GlobusAPIError,
  type GlobusAPIErrorInit,
  type GlobusErrorOptions,
} from "@globus-app/core";

/**
 * Globus Groups answered with an error status. A {@link GlobusAPIError} (so `isGlobusAPIError`
 * holds) with Groups' code in `errorCode` (e.g. `GROUP_NOT_FOUND`, `FORBIDDEN`) and its `detail` in
 * the message. Per-identity refusals of a batch membership action are not errors: they come back in
 * the answer's `errors`.
 *
 * @example
 * ```ts
 * try { await groups.getGroup(groupId); }
 * catch (e) { if (isGroupsAPIError(e) && e.status === 404) console.log("no such group"); else throw e; }
 * ```
 */
export class GroupsAPIError<TGare = unknown> extends GlobusAPIError<TGare> {
  override readonly name = "GroupsAPIError";

  /** @param init - what core's `GlobusClient` read off the answer. */
  constructor(init: GlobusAPIErrorInit, options: GlobusErrorOptions = {}) {
    super(withDetail(init), options);
  }
}

/** Groups puts its message in `detail`, which core's generic reading does not look at. */
function withDetail(init: GlobusAPIErrorInit): GlobusAPIErrorInit {
  if (init.detail !== undefined) return init;
  const body = init.body as { detail?: unknown } | null | undefined;
  return typeof body?.detail === "string" ? { ...init, detail: body.detail } : init;
}

/** True for a {@link GroupsAPIError}, from any realm. */
export const isGroupsAPIError: (value: unknown) => value is GroupsAPIError = errorGuard(GroupsAPIError, [
  "GroupsAPIError",
]);
