import { AccessTokenAuthorizer } from "@globus-app/core";
import { type Emulator, SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT } from "@globus-app/emulator";
import { TransferClient } from "../src/transfer/transfer-client.ts";

export const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
export const [ADA, GRACE, ALAN] = SAMPLE_IDENTITIES as unknown as [
  { id: string; username: string },
  { id: string; username: string },
  { id: string; username: string },
];
export const TUTORIAL_1 = "f6cd964d-7ab7-44cf-8a05-777a55f598ee";
export const TUTORIAL_2 = "2ddeacb8-1052-43eb-9863-d437ef0fa9c0";

/** A Transfer token of `identity` (default Ada), minted by the emulator. */
export function transferToken(emu: Emulator, identity = ADA.id, options: { mfa?: boolean } = {}): string {
  const issued = emu.control.issueTokens({
    clientId: SAMPLE_NATIVE_CLIENT.id,
    scope: TRANSFER_ALL,
    identity,
    ...(options.mfa ? { mfa: true } : {}),
  });
  return issued.access_token;
}

/** A TransferClient on the emulator's Transfer port with a fixed token of `identity`. */
export function transferAs(
  emu: Emulator,
  identity = ADA.id,
  options: { retryLimit?: number; maxRetryDelayMs?: number; mfa?: boolean } = {},
): TransferClient {
  return new TransferClient({
    baseUrl: emu.serviceUrls.transfer,
    authorizer: new AccessTokenAuthorizer(transferToken(emu, identity, options)),
    retryLimit: options.retryLimit ?? 0,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 20,
  });
}

/** The rejection of a promise that must reject. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("resolved instead of rejecting");
    },
    (error: unknown) => error,
  );
}
