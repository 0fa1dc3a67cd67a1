import type { RequestContext } from "./request-context.ts";
import type { AccessTokenRecord } from "./token-store.ts";
import type { TransferStore } from "./transfer-store.ts";

/** @internal One Transfer call: the request and the caller's live Transfer token. */
export type TransferHandler = (ctx: RequestContext, caller: AccessTokenRecord, store: TransferStore) => void;

/** @internal A Transfer route: a pattern on the path after `/transfer/v0.10/`. */
export interface TransferRoute {
  readonly pattern: RegExp;
  readonly methods: Readonly<Partial<Record<string, TransferHandler>>>;
}

const UUID_PART = "([^/]+)";

/** @internal The pattern of a path after `/transfer/v0.10/`; each `:id` captures one segment. */
export const transferPath = (path: string): RegExp => new RegExp(`^${path.replaceAll(":id", UUID_PART)}$`);
