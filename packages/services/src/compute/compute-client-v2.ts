import { GlobusClient, type GlobusClientOptions } from "@globus-app/core";
import type {
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
  ComputeVersionDocument,
} from "./compute-documents.ts";
import { computeService, requestOptions } from "./compute-service.ts";

const id = (value: string): string => encodeURIComponent(value);

/**
 * A client for Globus Compute's v2 API: versions, endpoints and their status, functions, batch
 * submission and tasks. The Python SDK's `ComputeClientV2` (also its `ComputeClient`), method for
 * method in camelCase, async; payloads and results are serialized as the Globus Compute SDK does
 * (this client does not serialize). Bound to an app it registers Compute's `all`. Errors are
 * {@link ComputeAPIError}s.
 *
 * @example
 * ```ts
 * const compute = new ComputeClientV2({ app });
 * const { status } = await compute.getEndpointStatus(endpointId);
 * ```
 */
export class ComputeClientV2 extends GlobusClient {
  /**
   * @param options - `app` (registers `https://auth.globus.org/scopes/facd7ccc-…/all` with it) or
   *   `authorizer`; `baseUrl` (default: `GLOBUS_SDK_SERVICE_URL_COMPUTE`, else the environment's
   *   Compute), retries, timeouts.
   * @throws {GlobusSDKUsageError} for both `app` and `authorizer`, or an environment that is not the app's.
   */
  constructor(options: GlobusClientOptions = {}) {
    super(options, computeService());
  }

  /**
   * Compute's version, or (with `service: "all"`) the versions of the API, SDK and endpoint it wants.
   * @example
   * ```ts
   * const { api, min_sdk_version } = (await compute.getVersion({ service: "all" })) as ComputeVersionDocument;
   * ```
   */
  getVersion(
    options: ComputeCallOptions & { service?: string } = {},
  ): Promise<ComputeVersionDocument | string> {
    // wire: unverified
    return this.request(
      "get",
      "v2/version",
      requestOptions({ ...options, queryParams: { service: options.service, ...options.queryParams } }),
    );
  }

  /**
   * The endpoints the caller may use.
   * @example
   * ```ts
   * for (const endpoint of await compute.getEndpoints()) console.log(endpoint.uuid, endpoint.name);
   * ```
   */
  getEndpoints(options: ComputeCallOptions = {}): Promise<ComputeEndpointDocument[]> {
    // wire: unverified — GET v2/endpoints
    return this.request("get", "v2/endpoints", requestOptions(options));
  }

  /**
   * An endpoint.
   * @throws {ComputeAPIError} `ENDPOINT_NOT_FOUND` (404).
   * @example
   * ```ts
   * const { name } = await compute.getEndpoint(endpointId);
   * ```
   */
  getEndpoint(endpointId: string, options: ComputeCallOptions = {}): Promise<ComputeEndpointDocument> {
    return this.request("get", `v2/endpoints/${id(endpointId)}`, requestOptions(options));
  }

  /**
   * Whether an endpoint is online, and its workers.
   * @throws {ComputeAPIError} `ENDPOINT_NOT_FOUND` (404).
   * @example
   * ```ts
   * if ((await compute.getEndpointStatus(endpointId)).status !== "online") console.log("offline");
   * ```
   */
  getEndpointStatus(
    endpointId: string,
    options: ComputeCallOptions = {},
  ): Promise<ComputeEndpointStatusDocument> {
    return this.request("get", `v2/endpoints/${id(endpointId)}/status`, requestOptions(options));
  }

  /**
   * Registers a function (its serialized code).
   * @throws {ComputeAPIError} `BAD_REQUEST` (400) without a name or code.
   * @example
   * ```ts
   * const { function_uuid } = await compute.registerFunction({ function_name: "add", function_code: serialized });
   * ```
   */
  registerFunction(
    data: ComputeFunctionData,
    options: ComputeCallOptions = {},
  ): Promise<ComputeFunctionRegistration> {
    return this.request("post", "v2/functions", requestOptions(options, data));
  }

  /**
   * A registered function.
   * @throws {ComputeAPIError} `FUNCTION_NOT_FOUND` (404).
   * @example
   * ```ts
   * const { function_name } = await compute.getFunction(functionId);
   * ```
   */
  getFunction(functionId: string, options: ComputeCallOptions = {}): Promise<ComputeFunctionDocument> {
    return this.request("get", `v2/functions/${id(functionId)}`, requestOptions(options));
  }

  /**
   * Deletes a function; its owner only.
   * @throws {ComputeAPIError} `FUNCTION_NOT_FOUND` (404), `FORBIDDEN` (403).
   * @example
   * ```ts
   * await compute.deleteFunction(functionId);
   * ```
   */
  deleteFunction(functionId: string, options: ComputeCallOptions = {}): Promise<Record<string, unknown>> {
    return this.request("delete", `v2/functions/${id(functionId)}`, requestOptions(options));
  }

  /**
   * Submits a batch of tasks, each `[functionId, endpointId, payload]`.
   * @throws {ComputeAPIError} `FUNCTION_NOT_FOUND`/`ENDPOINT_NOT_FOUND` (404).
   * @example
   * ```ts
   * const { results } = await compute.submit({ tasks: [[functionId, endpointId, payload]] });
   * ```
   */
  submit(data: ComputeV2SubmitData, options: ComputeCallOptions = {}): Promise<ComputeV2SubmitResult> {
    return this.request("post", "v2/submit", requestOptions(options, data));
  }

  /**
   * A task's status, and its serialized result once done.
   * @throws {ComputeAPIError} `TASK_NOT_FOUND` (404).
   * @example
   * ```ts
   * const { status, result } = await compute.getTask(taskId);
   * ```
   */
  getTask(taskId: string, options: ComputeCallOptions = {}): Promise<ComputeTaskDocument> {
    return this.request("get", `v2/tasks/${id(taskId)}`, requestOptions(options));
  }

  /**
   * The status of several tasks at once.
   * @example
   * ```ts
   * const { results } = await compute.getTaskBatch([taskA, taskB]);
   * ```
   */
  getTaskBatch(
    taskIds: string | Iterable<string>,
    options: ComputeCallOptions = {},
  ): Promise<ComputeTaskBatchDocument> {
    const task_ids = typeof taskIds === "string" ? [taskIds] : [...taskIds];
    return this.request("post", "v2/batch_status", requestOptions(options, { task_ids }));
  }

  /**
   * The tasks of a task group.
   * @throws {ComputeAPIError} `TASK_GROUP_NOT_FOUND` (404).
   * @example
   * ```ts
   * const { tasks } = await compute.getTaskGroup(taskGroupId);
   * ```
   */
  getTaskGroup(taskGroupId: string, options: ComputeCallOptions = {}): Promise<ComputeTaskGroupDocument> {
    return this.request("get", `v2/taskgroup/${id(taskGroupId)}`, requestOptions(options));
  }
}
