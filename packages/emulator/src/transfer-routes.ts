import { bearerToken } from "./http-utils.ts";
import type { RequestContext } from "./request-context.ts";
import { TRANSFER_RESOURCE_SERVER } from "./scope-registry.ts";
import type { AccessTokenRecord } from "./token-store.ts";
import { GareFault } from "./transfer-access.ts";
import { TRANSFER_ACCESS_RULE_ROUTES } from "./transfer-access-rule-routes.ts";
import { TransferFault, transferError } from "./transfer-answers.ts";
import { TRANSFER_BOOKMARK_ROUTES } from "./transfer-bookmark-routes.ts";
import { TRANSFER_ENDPOINT_ROUTES } from "./transfer-endpoint-routes.ts";
import { TRANSFER_FILE_ROUTES } from "./transfer-file-routes.ts";
import { TreeError } from "./transfer-file-tree.ts";
import { TRANSFER_ROLE_ROUTES } from "./transfer-role-routes.ts";
import type { TransferHandler, TransferRoute } from "./transfer-route.ts";
import { TRANSFER_TASK_ROUTES } from "./transfer-task-routes.ts";

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

/** @internal Runs a Transfer handler: authentication, the clock's effect on tasks, Transfer's errors. */
export function runTransfer(ctx: RequestContext, handler: TransferHandler): void {
  const caller = authenticate(ctx);
  if (!caller) return;
  const store = ctx.state.transfer;
  store.settle();
  try {
    handler(ctx, caller, store);
  } catch (error) {
    if (error instanceof TransferFault) {
      transferError(ctx, error.status, error.code, error.message);
    } else if (error instanceof GareFault) {
      transferError(ctx, 403, error.code, error.message, error.extra);
    } else if (error instanceof TreeError) {
      const [status, code] = {
        "not-found": [404, "ClientError.NotFound"],
        exists: [502, "ExternalError.MkdirFailed.Exists"],
        "not-a-directory": [502, "ExternalError.DirListingFailed.NotDirectory"],
        "is-a-directory": [502, "ExternalError.IsADirectory"],
        "invalid-path": [400, "ClientError.BadRequest"],
      }[error.kind] as [number, string];
      transferError(ctx, status, code, error.message);
    } else {
      throw error;
    }
  }
}

/**
 * @internal The fake Transfer's routes, by path after `/transfer/v0.10/`, one file per resource:
 * endpoints (collections), roles, access rules, bookmarks, file operations, tasks.
 */
export const TRANSFER_ROUTES: readonly TransferRoute[] = [
  ...TRANSFER_ENDPOINT_ROUTES,
  ...TRANSFER_ROLE_ROUTES,
  ...TRANSFER_ACCESS_RULE_ROUTES,
  ...TRANSFER_BOOKMARK_ROUTES,
  ...TRANSFER_FILE_ROUTES,
  ...TRANSFER_TASK_ROUTES,
];
