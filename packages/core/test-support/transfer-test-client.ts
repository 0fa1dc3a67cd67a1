import { TransferScopes } from "../scopes/scope-collections.ts";
import { GlobusClient, type GlobusClientOptions } from "./globus-client.ts";

/**
 * A small client for Globus Transfer (the calls the demo and tests need): endpoint search and
 * directory listing. Registers `transfer:all` with a bound app. Use `get`/`post` for the rest of the API.
 *
 * @example
 * ```ts
 * const transfer = new TransferClient({ app });
 * const { DATA } = await transfer.endpointSearch("tutorial");
 * ```
 */
export class TransferClient extends GlobusClient {
  constructor(options: GlobusClientOptions = {}) {
    super(options, {
      service: "transfer",
      resourceServer: TransferScopes.resourceServer,
      defaultScopes: TransferScopes.all,
    });
  }

  /** Searches endpoints and collections by text. */
  endpointSearch(filterFulltext: string, options: { limit?: number } = {}): Promise<{ DATA: unknown[] }> {
    return this.get("v0.10/endpoint_search", {
      query: { filter_fulltext: filterFulltext, limit: options.limit },
    });
  }

  /** Lists a directory of a collection. */
  operationLs(collectionId: string, options: { path?: string } = {}): Promise<{ DATA: unknown[] }> {
    return this.get(`v0.10/operation/endpoint/${encodeURIComponent(collectionId)}/ls`, {
      query: { path: options.path },
    });
  }
}
