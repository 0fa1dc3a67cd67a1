export type {
  CrossTabChannelOptions,
  CrossTabEvent,
  CrossTabListener,
  CrossTabMessage,
  CrossTabMessageType,
} from "./cross-tab-channel.ts";
export { CrossTabChannel, CrossTabMessageSchema } from "./cross-tab-channel.ts";
export type { FallbackListener, FallbackTokenStorageOptions } from "./fallback-token-storage.ts";
export { FallbackTokenStorage } from "./fallback-token-storage.ts";
export type { IndexedDBTokenStorageOptions } from "./indexed-db-token-storage.ts";
export { IndexedDBTokenStorage, isIndexedDBAvailable } from "./indexed-db-token-storage.ts";
export type { LocalStorageTokenStorageOptions } from "./local-storage-token-storage.ts";
export { LocalStorageTokenStorage } from "./local-storage-token-storage.ts";
export type { TokenStorageContext } from "./token-storage-context.ts";
export type { WebLockOptions } from "./web-lock.ts";
export { isWebLocksAvailable, withWebLock } from "./web-lock.ts";
