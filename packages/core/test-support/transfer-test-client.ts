import { GlobusClient, type GlobusClientOptions } from "../src/http/globus-client.ts";
import { TransferScopes } from "../src/scopes/scope-collections.ts";

/**
 * The two Transfer calls core's own tests make (endpoint search, directory listing), on core's
 * `GlobusClient` alone: core must not depend on `@globus-app/services`, whose `TransferClient` is
 * the real one. Registers `transfer:all` with a bound app.
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
