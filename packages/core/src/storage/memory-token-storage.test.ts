import { describeTokenStorageConformance } from "../testing/token-storage-conformance.ts";
import { MemoryTokenStorage } from "./memory-token-storage.ts";
import type { TokenStorageData } from "./token-storage-data.ts";

describeTokenStorageConformance("MemoryTokenStorage", {
  setup: () => {
    const backing = new Map<string, Map<string, TokenStorageData>>();
    return { create: (namespace) => new MemoryTokenStorage({ namespace, backing }) };
  },
});
