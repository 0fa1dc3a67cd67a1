import { GlobusClient, type GlobusClientOptions } from "@globus-app/core";
import type {
  ComputeCallOptions,
  ComputeFunctionData,
  ComputeFunctionRegistration,
  ComputeV3SubmitData,
  ComputeV3SubmitResult,
} from "./compute-documents.ts";
import { computeService, requestOptions } from "./compute-service.ts";

/**
 * A client for Globus Compute's v3 API: function registration and per-endpoint batch submission.
 * The Python SDK's `ComputeClientV3` in camelCase, async; read tasks back with
 * {@link ComputeClientV2.getTask}. Bound to an app it registers Compute's `all`.
 *
 * @example
 * ```ts
 * const v3 = new ComputeClientV3({ app });
 * const { tasks } = await v3.submit(endpointId, { tasks: { [functionId]: [payload] } });
 * ```
 */
export class ComputeClientV3 extends GlobusClient {
  /**
   * @param options - as {@link ComputeClientV2}'s.
   * @throws {GlobusSDKUsageError} for both `app` and `authorizer`, or an environment that is not the app's.
   */
  constructor(options: GlobusClientOptions = {}) {
    super(options, computeService());
  }

  /**
   * Registers a function (its serialized code).
   * @throws {ComputeAPIError} `BAD_REQUEST` (400) without a name or code.
   * @example
   * ```ts
   * const { function_uuid } = await v3.registerFunction({ function_name: "add", function_code: serialized });
   * ```
   */
  registerFunction(
    data: ComputeFunctionData,
    options: ComputeCallOptions = {},
  ): Promise<ComputeFunctionRegistration> {
    // wire: unverified — POST v3/functions
    return this.request("post", "v3/functions", requestOptions(options, data));
  }

  /**
   * Submits a batch of tasks to one endpoint: payloads by function id.
   * @throws {ComputeAPIError} `ENDPOINT_NOT_FOUND` / `FUNCTION_NOT_FOUND` (404).
   * @example
   * ```ts
   * const { task_group_id, tasks } = await v3.submit(endpointId, { tasks: { [functionId]: [a, b] } });
   * ```
   */
  submit(
    endpointId: string,
    data: ComputeV3SubmitData,
    options: ComputeCallOptions = {},
  ): Promise<ComputeV3SubmitResult> {
    // wire: unverified — POST v3/endpoints/<id>/submit
    return this.request(
      "post",
      `v3/endpoints/${encodeURIComponent(endpointId)}/submit`,
      requestOptions(options, data),
    );
  }
}
