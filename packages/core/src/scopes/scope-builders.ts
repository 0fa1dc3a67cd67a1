import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { Scope } from "./scope.ts";
import {
  defineScopeCollection,
  type ScopeCollection,
  TimersScopes,
  TransferScopes,
  urlScope,
  urnScope,
} from "./scope-collections.ts";

/** One id, or any iterable (array, set, generator) of ids. */
export type IdOrIds = string | Iterable<string>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Stricter than Python's uuid.UUID() (no braces, urn: prefix or missing dashes): the id is pasted
// verbatim into a scope string, and Globus Auth only knows the canonical form.
function checkUuid(name: string, value: unknown): string {
  if (typeof value !== "string") {
    throw new GlobusSDKUsageError(`'${name}' must be a UUID string (value='${String(value)}')`);
  }
  if (!UUID.test(value)) throw new GlobusSDKUsageError(`'${name}' must be a valid UUID (value='${value}')`);
  return value;
}

function checkUuids(name: string, ids: IdOrIds): string[] {
  if (typeof ids === "string") return [checkUuid(name, ids)];
  if (ids === null || typeof ids !== "object" || !(Symbol.iterator in ids)) {
    return [checkUuid(name, ids)];
  }
  // Copied first so that a generator can be read once and still be validated in full.
  return [...ids].map((id, i) => checkUuid(`${name}[${i}]`, id));
}

function dataAccess(collectionId: string): Scope {
  return urlScope(collectionId, "data_access").withOptional(true);
}

/**
 * The `data_access` scope of one Globus Connect Server (mapped, non-high-assurance) collection:
 * `https://auth.globus.org/scopes/<collectionId>/data_access` (required, not optional).
 *
 * @throws {GlobusSDKUsageError} `'collection_id' must be a valid UUID (value='…')`.
 * @example
 * ```ts
 * String(collectionDataAccessScope("b8c5a4b4-0000-4c4e-9a1e-1f1c3f3b2d00"));
 * // "https://auth.globus.org/scopes/b8c5a4b4-0000-4c4e-9a1e-1f1c3f3b2d00/data_access"
 * ```
 */
export function collectionDataAccessScope(collectionId: string): Scope {
  return urlScope(checkUuid("collection_id", collectionId), "data_access");
}

/**
 * Scopes of one Globus Connect Server collection (the Python SDK's `GCSCollectionScopes`): resource
 * server = the collection id; `data_access` and `https` in URL form.
 *
 * @throws {GlobusSDKUsageError} `'collection_id' must be a valid UUID (value='…')`.
 * @example
 * ```ts
 * String(gcsCollectionScopes(id).https); // "https://auth.globus.org/scopes/<id>/https"
 * ```
 */
export function gcsCollectionScopes(
  collectionId: string,
): Readonly<{ resourceServer: string; data_access: Scope; https: Scope }> & ScopeCollection {
  const id = checkUuid("collection_id", collectionId);
  return defineScopeCollection(id, {
    data_access: urlScope(id, "data_access"),
    https: urlScope(id, "https"),
  });
}

/**
 * Scopes of one Globus Connect Server endpoint (the Python SDK's `GCSEndpointScopes`): resource
 * server = the endpoint's client id; `manage_collections` in URN form.
 *
 * @throws {GlobusSDKUsageError} `'endpoint_id' must be a valid UUID (value='…')`.
 * @example
 * ```ts
 * String(gcsEndpointScopes(id).manage_collections); // "urn:globus:auth:scope:<id>:manage_collections"
 * ```
 */
export function gcsEndpointScopes(
  endpointId: string,
): Readonly<{ resourceServer: string; manage_collections: Scope }> & ScopeCollection {
  const id = checkUuid("endpoint_id", endpointId);
  return defineScopeCollection(id, { manage_collections: urnScope(id, "manage_collections") });
}

/**
 * Scopes of one flow (the Python SDK's `SpecificFlowScopes`): resource server = the flow id; `user`
 * = `https://auth.globus.org/scopes/<flowId>/flow_<flowId with - replaced by _>_user`, the scope
 * needed to run the flow.
 *
 * @throws {GlobusSDKUsageError} `'flow_id' must be a valid UUID (value='…')`.
 * @example
 * ```ts
 * String(specificFlowScopes("00000000-ec3c-427d-bfb5-51049530122b").user);
 * // "https://auth.globus.org/scopes/00000000-ec3c-427d-bfb5-51049530122b/flow_00000000_ec3c_427d_bfb5_51049530122b_user"
 * ```
 */
export function specificFlowScopes(
  flowId: string,
): Readonly<{ resourceServer: string; user: Scope }> & ScopeCollection {
  const id = checkUuid("flow_id", flowId);
  return defineScopeCollection(id, { user: urlScope(id, `flow_${id.replaceAll("-", "_")}_user`) });
}

/**
 * Transfer `all` with an optional `data_access` dependency per collection — what the Python SDK's
 * `TransferClient.add_app_data_access_scope` registers:
 * `urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/<id>/data_access …]`.
 * Only for non-high-assurance GCS mapped collections (others answer "Unknown Scope" at login).
 *
 * @param collectionIds - one collection id or an iterable of them.
 * @throws {GlobusSDKUsageError} `'collection_ids' must be a valid UUID (value='…')`, or
 *   `'collection_ids[<i>]' …` for the i-th item of an iterable.
 * @example
 * ```ts
 * String(transferWithDataAccess([idA, idB]));
 * // "urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/<idA>/data_access *https://auth.globus.org/scopes/<idB>/data_access]"
 * ```
 */
export function transferWithDataAccess(collectionIds: IdOrIds): Scope {
  return TransferScopes.all.withDependencies(checkUuids("collection_ids", collectionIds).map(dataAccess));
}

/**
 * Timers `timer[transfer:all[*data_access …]]` — what the Python SDK's
 * `TimersClient.add_app_transfer_data_access_scope` registers, for transfer timers on GCS mapped
 * collections.
 *
 * @throws {GlobusSDKUsageError} a collection id is not a valid UUID (`'collection_ids…'`).
 * @example
 * ```ts
 * String(timerWithTransferDataAccess(id));
 * // "https://auth.globus.org/scopes/524230d7-…/timer[urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/<id>/data_access]]"
 * ```
 */
export function timerWithTransferDataAccess(collectionIds: IdOrIds): Scope {
  return TimersScopes.timer.withDependency(transferWithDataAccess(collectionIds));
}

/**
 * Timers `timer[<flow user scope> …]` — what the Python SDK's `TimersClient.add_app_flow_user_scope`
 * registers, for flow timers.
 *
 * @throws {GlobusSDKUsageError} `'flow_ids' must be a valid UUID (value='…')` (or `'flow_ids[<i>]'`).
 * @example
 * ```ts
 * String(timerWithFlowUser(flowId)); // "https://auth.globus.org/scopes/524230d7-…/timer[https://auth.globus.org/scopes/<flowId>/flow_…_user]"
 * ```
 */
export function timerWithFlowUser(flowIds: IdOrIds): Scope {
  return TimersScopes.timer.withDependencies(
    checkUuids("flow_ids", flowIds).map((id) => specificFlowScopes(id).user),
  );
}

/**
 * A flow's `user` scope with an optional Transfer `all` that has an optional `data_access` per
 * collection: `<flow user>[*transfer:all[*data_access …]]` — what the Python SDK's
 * `SpecificFlowClient.add_app_transfer_data_access_scope` registers.
 *
 * @throws {GlobusSDKUsageError} `'flow_id' …` or `'collection_ids…' must be a valid UUID (value='…')`.
 * @example
 * ```ts
 * String(flowUserWithTransferDataAccess(flowId, collectionId));
 * // "https://auth.globus.org/scopes/<flowId>/flow_…_user[*urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/<collectionId>/data_access]]"
 * ```
 */
export function flowUserWithTransferDataAccess(flowId: string, collectionIds: IdOrIds): Scope {
  const user = specificFlowScopes(flowId).user;
  const transfer = TransferScopes.all
    .withOptional(true)
    .withDependencies(checkUuids("collection_ids", collectionIds).map(dataAccess));
  return user.withDependency(transfer);
}
