/** Every runtime export of `@globus-app/browser`, sorted: the import tests (Node and Worker) check it. */
export const PUBLIC_EXPORTS = [
  "ClientApp",
  "CrossTabChannel",
  "CrossTabMessageSchema",
  "FallbackTokenStorage",
  "IndexedDBTokenStorage",
  "LocalStorageTokenStorage",
  "POPUP_CALLBACK_MESSAGE_TYPE",
  "PopupLoginFlowManager",
  "RedirectLoginFlowManager",
  "UserApp",
  "browserPlatform",
  "completePopupLogin",
  "isIndexedDBAvailable",
  "isWebLocksAvailable",
  "parseCrossTabMessage",
  "withWebLock",
];
