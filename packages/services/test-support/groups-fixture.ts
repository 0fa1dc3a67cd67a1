import { AccessTokenAuthorizer } from "@globus-app/core";
import { type Emulator, GROUPS_ALL_SCOPE, SAMPLE_NATIVE_CLIENT } from "@globus-app/emulator";
import { GroupsClient } from "../src/groups/groups-client.ts";
import { ADA } from "./transfer-fixture.ts";

/** A token of `identity` (default Ada) for `scope` (default `groups:all`), minted by the emulator. */
export function serviceToken(emu: Emulator, scope: string, identity = ADA.id): string {
  return emu.control.issueTokens({ clientId: SAMPLE_NATIVE_CLIENT.id, scope, identity }).access_token;
}

/** A GroupsClient on the emulator's Groups port with a fixed token of `identity` for `scope`. */
export function groupsAs(
  emu: Emulator,
  identity = ADA.id,
  options: { scope?: string; retryLimit?: number } = {},
): GroupsClient {
  return new GroupsClient({
    baseUrl: emu.serviceUrls.groups,
    authorizer: new AccessTokenAuthorizer(serviceToken(emu, options.scope ?? GROUPS_ALL_SCOPE, identity)),
    retryLimit: options.retryLimit ?? 0,
    maxRetryDelayMs: 20,
  });
}
