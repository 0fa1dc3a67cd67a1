export type { LoginFlowHarness, LoginFlowRun } from "./login-flow-conformance.ts";
export { describeLoginFlowConformance } from "./login-flow-conformance.ts";
export type { TokenStorageFixture, TokenStorageHarness } from "./token-storage-conformance.ts";
export { describeTokenStorageConformance, sampleTokenData } from "./token-storage-conformance.ts";
