import { AccessTokenAuthorizer } from "@globus-app/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "vitest/browser";
import type { StartedEmulator } from "../../../browser/test-support/emulator-commands.ts";
import { isSearchAPIError, SearchClient, SearchQuery } from "../index.ts";

const SEARCH_ALL = "urn:globus:auth:scope:search.api.globus.org:all";

let emu: StartedEmulator;
let search: SearchClient;
beforeAll(async () => {
  emu = await commands.startEmulator();
  const tokens = await commands.emulatorControl(emu.id, "issueTokens", {
    clientId: emu.nativeClientId,
    scope: SEARCH_ALL,
  });
  search = new SearchClient({
    baseUrl: emu.searchUrl,
    authorizer: new AccessTokenAuthorizer(tokens.access_token),
    retryLimit: 0,
  });
});
afterAll(() => commands.stopEmulator(emu.id));

describe("SearchClient in Chromium", () => {
  it("creates an index, ingests, queries with facets and pages against the emulator's Search port (CORS)", async () => {
    const { id } = await search.createIndex("from the browser", "a test");
    const gmeta = Array.from({ length: 30 }, (_, i) => ({
      subject: `s${i}`,
      visible_to: ["public"],
      content: { n: i, kind: i % 3 === 0 ? "three" : "other" },
    }));
    const { task_id } = await search.ingest(id, { ingest_type: "GMetaList", ingest_data: { gmeta } });
    await commands.emulatorControl(emu.id, "advanceClock", 2);
    expect((await search.getTask(task_id)).state).toBe("SUCCESS");
    const page = await search.postSearch(
      id,
      new SearchQuery("*").addFacet("Kinds", "kind").addSort("n", "desc"),
    );
    expect(page.total).toBe(30);
    expect(page.gmeta[0]?.entries[0]?.content.n).toBe(29);
    expect(page.facet_results?.[0]?.buckets?.map((b) => [b.value, b.count])).toEqual([
      ["other", 20],
      ["three", 10],
    ]);
    const pages: number[] = [];
    for await (const scrolled of search.paginated.scroll(id, { q: "*", limit: 12 }))
      pages.push(scrolled.count);
    expect(pages).toEqual([12, 12, 6]);
    const error = await search.getIndex("00000000-0000-4000-8000-000000000000").catch((e: unknown) => e);
    expect(isSearchAPIError(error) && error.errorCode).toBe("NotFound.NoSuchIndex");
  });
});
