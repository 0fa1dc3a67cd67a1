import { ComputeScopes, type GlobusServiceInfo } from "@globus-app/core";
import { ComputeAPIError } from "./compute-api-error.ts";
import type { ComputeCallOptions } from "./compute-documents.ts";

/** @internal What both Compute clients say about Compute. */
export const computeService = (): GlobusServiceInfo => ({
  service: "compute",
  resourceServer: ComputeScopes.resourceServer,
  defaultScopes: ComputeScopes.all,
  createError: (init) => new ComputeAPIError(init),
});

/** @internal The request options of a call. */
export const requestOptions = (options: ComputeCallOptions, json?: unknown) => ({
  query: { ...options.queryParams },
  ...(json === undefined ? {} : { json }),
  ...(options.signal ? { signal: options.signal } : {}),
});
