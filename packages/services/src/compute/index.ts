/**
 * Globus Compute: {@link ComputeClientV2} and {@link ComputeClientV3} (as the Python SDK splits
 * them), {@link ComputeAPIError}, and the documents Compute takes and answers with.
 *
 * @packageDocumentation
 */
export { ComputeAPIError, isComputeAPIError } from "./compute-api-error.ts";
export { ComputeClientV2 } from "./compute-client-v2.ts";
export { ComputeClientV3 } from "./compute-client-v3.ts";
export type {
  ComputeCallOptions,
  ComputeEndpointDocument,
  ComputeEndpointStatusDocument,
  ComputeFunctionData,
  ComputeFunctionDocument,
  ComputeFunctionRegistration,
  ComputeTaskBatchDocument,
  ComputeTaskDocument,
  ComputeTaskGroupDocument,
  ComputeV2SubmitData,
  ComputeV2SubmitResult,
  ComputeV3SubmitData,
  ComputeV3SubmitResult,
  ComputeVersionDocument,
} from "./compute-documents.ts";
