export type { TokenStorageFixture, TokenStorageHarness } from "./token-storage-conformance.ts";
export { describeTokenStorageConformance, sampleTokenData } from "./token-storage-conformance.ts";
