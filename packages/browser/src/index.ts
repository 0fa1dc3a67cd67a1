export { ClientApp, UserApp } from "./browser-apps.ts";
export type { BrowserLoginFlowName, BrowserTokenStorageName } from "./browser-platform.ts";
export { browserPlatform } from "./browser-platform.ts";
export type {
  CrossTabChannelOptions,
  CrossTabEvent,
  CrossTabListener,
  CrossTabMessage,
  CrossTabMessageType,
} from "./cross-tab-channel.ts";
export { CrossTabChannel, parseCrossTabMessage } from "./cross-tab-channel.ts";
export { CrossTabMessageSchema } from "./cross-tab-message-schema.ts";
export type { FallbackListener, FallbackTokenStorageOptions } from "./fallback-token-storage.ts";
export { FallbackTokenStorage } from "./fallback-token-storage.ts";
export type { IndexedDBTokenStorageOptions } from "./indexed-db-token-storage.ts";
export { IndexedDBTokenStorage, isIndexedDBAvailable } from "./indexed-db-token-storage.ts";
export type { LocalStorageTokenStorageOptions } from "./local-storage-token-storage.ts";
export { LocalStorageTokenStorage } from "./local-storage-token-storage.ts";
export type {
  OpenWindow,
  PopupCallbackMessage,
  PopupLoginFlowManagerOptions,
} from "./popup-login-flow-manager.ts";
export {
  completePopupLogin,
  POPUP_CALLBACK_MESSAGE_TYPE,
  PopupLoginFlowManager,
} from "./popup-login-flow-manager.ts";
export type { RedirectLoginFlowManagerOptions, RedirectLoginResult } from "./redirect-login-flow-manager.ts";
export { RedirectLoginFlowManager } from "./redirect-login-flow-manager.ts";
export type { WebLockOptions } from "./web-lock.ts";
export { isWebLocksAvailable, withWebLock } from "./web-lock.ts";
