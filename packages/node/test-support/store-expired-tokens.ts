import type { TokenStorage } from "@globus-app/core";
import { type EmulatorControl, SAMPLE_CONFIDENTIAL_CLIENT } from "@globus-app/emulator";

const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";

/**
 * Stores a person's tokens for Auth and Transfer, issued by the emulator to its sample confidential
 * client with refresh tokens, but already expired: the next use of them must refresh.
 */
export async function storeExpiredTokens(
  control: EmulatorControl,
  storage: TokenStorage,
  identityId: string,
): Promise<void> {
  const issued = control.issueTokens({
    clientId: SAMPLE_CONFIDENTIAL_CLIENT.id,
    identity: identityId,
    scope: `openid ${TRANSFER_ALL}`,
    refreshTokens: true,
  });
  const expired = Math.floor(Date.now() / 1000) - 60;
  await storage.storeTokenDataByResourceServer(
    Object.fromEntries(
      [issued, ...issued.other_tokens].map((token) => [
        token.resource_server,
        {
          resource_server: token.resource_server,
          identity_id: identityId,
          scope: token.scope,
          access_token: token.access_token,
          refresh_token: token.refresh_token ?? null,
          expires_at_seconds: expired,
          token_type: "Bearer",
        },
      ]),
    ),
  );
}
