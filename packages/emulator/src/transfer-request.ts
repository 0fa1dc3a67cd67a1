import type { RequestContext } from "./request-context.ts";
import { jsonObjectBody } from "./service-request.ts";
import { isUuid } from "./stable-uuid.ts";
import { badRequest, fault } from "./transfer-answers.ts";
import type { SampleCollection } from "./transfer-collections.ts";
import type { TransferStore } from "./transfer-store.ts";

// Reading a Transfer request: its JSON body, the collection its path names, integer parameters.

/** @internal The JSON object body of a request; `ClientError.BadRequest` otherwise. */
export const jsonBody = (ctx: RequestContext): Record<string, unknown> => jsonObjectBody(ctx, badRequest);

/** @internal Refuses a body whose `DATA_TYPE` is given and is not `expected`. */
export function dataType(body: Record<string, unknown>, expected: string): void {
  if (body.DATA_TYPE !== undefined && body.DATA_TYPE !== expected) {
    throw badRequest(`Expected DATA_TYPE '${expected}', got '${String(body.DATA_TYPE).slice(0, 50)}'`);
  }
}

/** @internal A collection id from the path: a UUID (lower-cased); unknown UUIDs get a sample tree. */
export function collectionId(ctx: RequestContext, index = 0): string {
  const id = (ctx.pathParams[index] ?? "").toLowerCase();
  if (!isUuid(id)) throw fault(404, "EndpointNotFound", `No such endpoint '${id.slice(0, 100)}'`);
  return id;
}

/** @internal A collection the emulator describes (a sample); `EndpointNotFound` otherwise. */
export function knownCollection(ctx: RequestContext, store: TransferStore, index = 0): SampleCollection {
  const id = collectionId(ctx, index);
  const collection = store.collection(id);
  if (!collection) throw fault(404, "EndpointNotFound", `No such endpoint '${id}'`);
  return collection;
}

/** @internal An integer query parameter from `min` to `max`; `fallback` when absent or empty. */
export function integerParam(
  ctx: RequestContext,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = ctx.query.get(name);
  if (raw === null || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`Invalid ${name} '${raw.slice(0, 20)}': must be an integer from ${min} to ${max}`);
  }
  return value;
}
