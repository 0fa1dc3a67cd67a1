import { randomUUID } from "node:crypto";
import type { AccessTokenRecord } from "./emulator-state.ts";
import { bearerToken } from "./http-utils.ts";
import type { RequestContext } from "./request-context.ts";
import { dataAccessScope, TRANSFER_ALL_SCOPE, TRANSFER_RESOURCE_SERVER } from "./scope-registry.ts";
import { isUuid } from "./stable-uuid.ts";

/** A collection the fake Transfer API lists in `endpoint_search`. */
export interface SampleCollection {
  readonly id: string;
  readonly displayName: string;
  readonly description: string;
  readonly ownerString: string;
  readonly highAssurance: boolean;
}

/**
 * Collections known to the fake Transfer API's search. `ls` answers for any collection UUID; these
 * are just what `endpoint_search` finds.
 */
export const SAMPLE_COLLECTIONS: readonly SampleCollection[] = [
  {
    id: "f6cd964d-7ab7-44cf-8a05-777a55f598ee",
    displayName: "Emulator Tutorial Collection 1",
    description: "Sample guest collection of the Globus Auth emulator",
    ownerString: "ada@example.org",
    highAssurance: false,
  },
  {
    id: "2ddeacb8-1052-43eb-9863-d437ef0fa9c0",
    displayName: "Emulator Tutorial Collection 2",
    description: "Another sample guest collection",
    ownerString: "grace@example.org",
    highAssurance: false,
  },
  {
    id: "96348e9e-93dd-432f-93b9-b015d71f2fbb",
    displayName: "Emulator High Assurance Collection",
    description:
      "Sample mapped collection; pair it with control.requireMfa(), requirePolicies() or requireDataAccess()",
    ownerString: "alan@example.net",
    highAssurance: true,
  },
];

/** @internal Transfer's error body. */
function transferError(ctx: RequestContext, status: number, code: string, message: string, extra = {}): void {
  ctx.respond.json(status, {
    code,
    message,
    request_id: randomUUID().slice(0, 8),
    resource: ctx.path.slice("/transfer".length),
    ...extra,
  });
}

/** The caller's active Transfer token; sends Transfer's 401 and returns `undefined` otherwise. */
function authenticate(ctx: RequestContext): AccessTokenRecord | undefined {
  const header = ctx.req.headers.authorization;
  if (header === undefined) {
    transferError(ctx, 401, "AuthenticationFailed", "No Authorization header provided");
    return undefined;
  }
  const record = ctx.state.activeAccessToken(bearerToken(header));
  if (!record) {
    transferError(ctx, 401, "AuthenticationFailed", "Token is not active");
    return undefined;
  }
  if (record.resourceServer !== TRANSFER_RESOURCE_SERVER) {
    transferError(ctx, 401, "AuthenticationFailed", "Token is not valid for the Transfer service");
    return undefined;
  }
  return record;
}

function endpointDocument(collection: SampleCollection): Record<string, unknown> {
  return {
    DATA_TYPE: "endpoint",
    id: collection.id,
    display_name: collection.displayName,
    canonical_name: `${collection.ownerString}#${collection.displayName.toLowerCase().replace(/\s+/g, "-")}`,
    owner_string: collection.ownerString,
    description: collection.description,
    organization: "Globus Auth emulator",
    entity_type: collection.highAssurance ? "GCSv5_mapped_collection" : "GCSv5_guest_collection",
    high_assurance: collection.highAssurance,
    public: true,
    gcs_version: "5.4.80",
    non_functional: false,
    activated: true,
    DATA: [],
  };
}

/** `GET /transfer/v0.10/endpoint_search?filter_fulltext=…`. */
export function handleEndpointSearch(ctx: RequestContext): void {
  if (!authenticate(ctx)) return;
  const text = (ctx.query.get("filter_fulltext") ?? "").toLowerCase().trim();
  const limit = Number(ctx.query.get("limit") ?? "25");
  const offset = Number(ctx.query.get("offset") ?? "0");
  if (
    !Number.isInteger(limit) ||
    limit < 1 ||
    limit > 100 ||
    !Number.isInteger(offset) ||
    offset < 0 ||
    offset > 10_000
  ) {
    transferError(ctx, 400, "ClientError.BadRequest", "limit must be 1-100 and offset 0-10000");
    return;
  }
  const matches = SAMPLE_COLLECTIONS.filter((collection) =>
    [collection.displayName, collection.description, collection.ownerString, collection.id].some((field) =>
      field.toLowerCase().includes(text),
    ),
  );
  const page = matches.slice(offset, offset + limit);
  ctx.respond.json(200, {
    DATA_TYPE: "endpoint_list",
    offset,
    limit,
    has_next_page: offset + limit < matches.length,
    DATA: page.map(endpointDocument),
  });
}

/** `GET /transfer/v0.10/endpoint/<id>`. */
export function handleEndpoint(ctx: RequestContext): void {
  if (!authenticate(ctx)) return;
  const id = (ctx.pathParams[0] ?? "").toLowerCase();
  const collection = SAMPLE_COLLECTIONS.find((candidate) => candidate.id === id);
  if (!collection) {
    transferError(ctx, 404, "EndpointNotFound", `No such endpoint '${id}'`);
    return;
  }
  ctx.respond.json(200, endpointDocument(collection));
}

/** Transfer's 403 GARE for a session that lacks what the collection requires. */
function authorizationRequired(
  ctx: RequestContext,
  message: string,
  parameters: Record<string, unknown>,
): void {
  transferError(ctx, 403, "AuthorizationRequired", message, {
    authorization_parameters: { session_message: message, ...parameters },
  });
}

/**
 * `GET /transfer/v0.10/operation/endpoint/<id>/ls`: 401 without a live Transfer token, 403 with a
 * GARE when the collection's configured MFA, policy or data_access requirement is unmet (checked in
 * that order), else a listing.
 */
export function handleLs(ctx: RequestContext): void {
  const record = authenticate(ctx);
  if (!record) return;
  const id = (ctx.pathParams[0] ?? "").toLowerCase();
  if (!isUuid(id)) {
    transferError(ctx, 404, "EndpointNotFound", `No such endpoint '${id}'`);
    return;
  }
  const requirement = ctx.state.requirements.get(id);
  const dataAccessScopeString = `${TRANSFER_ALL_SCOPE}[*${dataAccessScope(id)}]`;
  const requiredScopes = [requirement?.dataAccess ? dataAccessScopeString : TRANSFER_ALL_SCOPE];
  if (requirement?.mfa && !record.mfa) {
    authorizationRequired(ctx, `Collection ${id} requires a multi-factor authentication session`, {
      session_required_mfa: true,
      required_scopes: requiredScopes,
    });
    return;
  }
  // Only the unmet policies: the ones already satisfied need no new login.
  const missingPolicies = requirement?.policies.filter((policy) => !record.policies.includes(policy)) ?? [];
  if (missingPolicies.length > 0) {
    authorizationRequired(
      ctx,
      `Collection ${id} requires a session satisfying the authentication policies ${missingPolicies.join(", ")}`,
      { session_required_policies: missingPolicies, required_scopes: requiredScopes },
    );
    return;
  }
  if (
    requirement?.dataAccess &&
    !ctx.state.hasConsentedDependency(
      record.subject,
      record.clientId,
      TRANSFER_ALL_SCOPE,
      dataAccessScope(id),
    )
  ) {
    const message = `Missing required data_access consent for collection ${id}`;
    transferError(ctx, 403, "ConsentRequired", message, {
      required_scopes: requiredScopes,
      authorization_parameters: { session_message: message, required_scopes: requiredScopes },
    });
    return;
  }
  const path = ctx.query.get("path") || "/~/";
  const modified = "2024-01-02 03:04:05+00:00";
  const files = [
    { name: "data", type: "dir", size: 4096 },
    { name: "README.txt", type: "file", size: 1024 },
    { name: "results.csv", type: "file", size: 52_431 },
  ].map((file) => ({
    DATA_TYPE: "file",
    ...file,
    last_modified: modified,
    permissions: file.type === "dir" ? "0755" : "0644",
    user: "emulator",
    group: "emulator",
    link_target: null,
  }));
  ctx.respond.json(200, {
    DATA_TYPE: "file_list",
    endpoint: id,
    path,
    absolute_path: null,
    length: files.length,
    total: files.length,
    rename_supported: true,
    symlink_supported: false,
    DATA: files,
  });
}
