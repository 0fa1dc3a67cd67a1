import { randomUUID } from "node:crypto";
import type { RequestContext } from "./request-context.ts";

/** @internal Thrown by Transfer handlers; runTransfer answers with it as Transfer would. */
export class TransferFault extends Error {
  override readonly name = "TransferFault";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// Transfer's answers: the faults handlers throw (answered by runTransfer), and the error and
// result bodies, each with a `request_id` and the `resource` path.

/** @internal A fault Transfer answers with its status, code and message. */
export const fault = (status: number, code: string, message: string): TransferFault =>
  new TransferFault(status, code, message);
/** @internal 400 `ClientError.BadRequest`. */
export const badRequest = (message: string): TransferFault => fault(400, "ClientError.BadRequest", message);
/** @internal 404 `ClientError.NotFound`: "`what` not found". */
export const notFound = (what: string): TransferFault =>
  fault(404, "ClientError.NotFound", `${what} not found`);
/** @internal 403 `PermissionDenied`. */
export const denied = (message: string): TransferFault => fault(403, "PermissionDenied", message);

/** @internal A `request_id` shaped like Transfer's: nine hex digits. */
export const requestId = (): string => randomUUID().replaceAll("-", "").slice(0, 9);

/** The `code`, `message`, `request_id` and `resource` (the path after `/transfer`) of an answer. */
const transferMessage = (ctx: Pick<RequestContext, "path">, code: string, message: string) => ({
  code,
  message,
  request_id: requestId(),
  resource: ctx.path.slice("/transfer".length),
});

/** @internal Transfer's error body: `{ code, message, request_id, resource }` and any extras. */
export function transferError(
  ctx: Pick<RequestContext, "respond" | "path">,
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  ctx.respond.json(status, { ...transferMessage(ctx, code, message), ...extra });
}

/** @internal Transfer's `{ DATA_TYPE, code, message, … }` answer to a change (`DATA_TYPE` `result` unless said). */
export function transferResult(
  ctx: RequestContext,
  status: number,
  code: string,
  message: string,
  dataType = "result",
): void {
  ctx.respond.json(status, { DATA_TYPE: dataType, ...transferMessage(ctx, code, message) });
}
