import { AccessTokenAuthorizer } from "@globus-app/core";
import { type Emulator, FLOWS_ALL_SCOPE, flowUserScope } from "@globus-app/emulator";
import { FlowsClient } from "../src/flows/flows-client.ts";
import { SpecificFlowClient } from "../src/flows/specific-flow-client.ts";
import { serviceToken } from "./groups-fixture.ts";
import { ADA } from "./transfer-fixture.ts";

const clientOptions = { retryLimit: 0, maxRetryDelayMs: 20 } as const;

/** A FlowsClient on the emulator's Flows port with a fixed token of `identity` for `scope` (default Flows' `all`). */
export function flowsAs(emu: Emulator, identity = ADA.id, scope = FLOWS_ALL_SCOPE): FlowsClient {
  return new FlowsClient({
    baseUrl: emu.serviceUrls.flows,
    authorizer: new AccessTokenAuthorizer(serviceToken(emu, scope, identity)),
    ...clientOptions,
  });
}

/** A SpecificFlowClient with a fixed token of `identity` for the flow's `user` scope (or `scope`). */
export function flowAs(emu: Emulator, flowId: string, identity = ADA.id, scope = flowUserScope(flowId)) {
  return new SpecificFlowClient(flowId, {
    baseUrl: emu.serviceUrls.flows,
    authorizer: new AccessTokenAuthorizer(serviceToken(emu, scope, identity)),
    ...clientOptions,
  });
}
