import { bearerToken } from "./http-utils.ts";
import type { RequestContext } from "./request-context.ts";
import type { AccessTokenRecord } from "./token-store.ts";

/**
 * @internal An error answer of a fake service (Groups, Search), thrown by its handlers and shaped
 * by the service's own error writer: the status, the service's code and message, and extra fields.
 */
export class ServiceFault extends Error {
  override readonly name = "ServiceFault";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** @internal Who is calling a fake service. */
export type ServiceCaller =
  | { readonly kind: "anonymous" }
  | { readonly kind: "token"; readonly record: AccessTokenRecord; readonly scopes: ReadonlySet<string> }
  | { readonly kind: "refused"; readonly reason: string };

/**
 * @internal The caller of a fake service: `anonymous` without an `Authorization` header, `token`
 * for an active access token issued for `resourceServer` (with its top-level scope strings), else
 * `refused` with the reason (a token that is unknown, expired, revoked, or another service's).
 */
export function identifyCaller(ctx: RequestContext, resourceServer: string): ServiceCaller {
  const header = ctx.req.headers.authorization;
  if (header === undefined) return { kind: "anonymous" };
  const record = ctx.state.activeAccessToken(bearerToken(header));
  if (!record) return { kind: "refused", reason: "Token is not active" };
  if (record.resourceServer !== resourceServer) {
    return { kind: "refused", reason: `Token is not valid for ${resourceServer}` };
  }
  return { kind: "token", record, scopes: new Set(record.scopes.map((node) => node.scope)) };
}

/**
 * @internal The JSON object body of a request to a fake service.
 * @throws what `fail` makes of the problem: not `application/json`, not JSON, not an object.
 */
export function jsonObjectBody(
  ctx: RequestContext,
  fail: (message: string) => Error,
): Record<string, unknown> {
  const type = (ctx.req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") throw fail("The request body must be application/json");
  let value: unknown;
  try {
    value = JSON.parse(ctx.body.toString("utf8"));
  } catch {
    throw fail("The request body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw fail("The request body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

/** @internal A value as a plain object, when it is one. */
export const asObject = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
