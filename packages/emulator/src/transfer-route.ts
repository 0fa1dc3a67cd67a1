import type { RequestContext } from "./request-context.ts";
import type { ServiceRoute } from "./service-request.ts";
import type { AccessTokenRecord } from "./token-store.ts";
import type { TransferStore } from "./transfer-store.ts";

/** @internal One Transfer call: the request and the caller's live Transfer token. */
export type TransferHandler = (ctx: RequestContext, caller: AccessTokenRecord, store: TransferStore) => void;

/** @internal A Transfer route: a pattern on the path after `/transfer/v0.10/`. */
export type TransferRoute = ServiceRoute<TransferHandler>;
