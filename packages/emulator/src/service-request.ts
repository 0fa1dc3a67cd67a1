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

/**
 * @internal A fake service's route: a pattern on the path after the service's prefix, and per
 * method what serves it (`H`: the service's handler, with whatever else its runner needs).
 */
export interface ServiceRoute<H> {
  readonly pattern: RegExp;
  readonly methods: Readonly<Partial<Record<string, H>>>;
}

/**
 * @internal The pattern of a path after a fake service's prefix, e.g. `task/:id/cancel`; each `:id`
 * captures one segment. With `trailingSlash` a `/` may end the path too (Flows, Timers, Compute).
 */
export function servicePath(path: string, options: { trailingSlash?: boolean } = {}): RegExp {
  return new RegExp(`^${path.replaceAll(":id", "([^/]+)")}${options.trailingSlash ? "/?" : ""}$`);
}

/**
 * @internal Answers a fake service's error in that service's own shape: the status, the service's
 * code and message, and extra fields (a GARE's, say) where the service puts them.
 */
export type ServiceErrorWriter = (
  ctx: Pick<RequestContext, "respond" | "path">,
  status: number,
  code: string,
  detail: string,
  extra?: Readonly<Record<string, unknown>>,
) => void;

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
