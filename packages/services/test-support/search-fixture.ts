import { AccessTokenAuthorizer } from "@globus-app/core";
import { type Emulator, SEARCH_ALL_SCOPE } from "@globus-app/emulator";
import { SearchClient } from "../src/search/search-client.ts";
import { serviceToken } from "./groups-fixture.ts";
import { ADA } from "./transfer-fixture.ts";

/**
 * A SearchClient on the emulator's Search port with a fixed token of `identity` for `scope`
 * (default `search:all`); `identity: null` for one without a token (public entries only).
 */
export function searchAs(
  emu: Emulator,
  identity: string | null = ADA.id,
  options: { scope?: string; retryLimit?: number } = {},
): SearchClient {
  return new SearchClient({
    baseUrl: emu.serviceUrls.search,
    ...(identity === null
      ? {}
      : {
          authorizer: new AccessTokenAuthorizer(
            serviceToken(emu, options.scope ?? SEARCH_ALL_SCOPE, identity),
          ),
        }),
    retryLimit: options.retryLimit ?? 0,
    maxRetryDelayMs: 20,
  });
}

/** `count` public entries `https://example.org/d/<n>` with a title, a number and a parity. */
export function sampleEntries(count: number, visibleTo: string[] = ["public"]) {
  return Array.from({ length: count }, (_, i) => ({
    subject: `https://example.org/d/${String(i).padStart(4, "0")}`,
    visible_to: visibleTo,
    content: { title: `Entry ${i}`, n: i, parity: i % 2 === 0 ? "even" : "odd" },
  }));
}
