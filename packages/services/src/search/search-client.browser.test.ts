import { AccessTokenAuthorizer } from "@globus-app/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "vitest/browser";
import type { StartedEmulator } from "../../../browser/test-support/emulator-commands.ts";
import { isSearchAPIError, SearchClient, SearchQuery, SearchScrollQuery } from "../index.ts";

const SEARCH_ALL = "urn:globus:auth:scope:search.api.globus.org:all";

let emu: StartedEmulator;
let search: SearchClient;
beforeAll(async () => {
  emu = await commands.startEmulator();
  search = await searchAs(emu.identities[0]?.id as string);
});
afterAll(() => commands.stopEmulator(emu.id));

/** A SearchClient with a `search:all` token of `identity`. */
async function searchAs(identity: string): Promise<SearchClient> {
  const tokens = await commands.emulatorControl(emu.id, "issueTokens", {
    clientId: emu.nativeClientId,
    scope: SEARCH_ALL,
    identity,
  });
  return new SearchClient({
    baseUrl: emu.searchUrl,
    authorizer: new AccessTokenAuthorizer(tokens.access_token),
    retryLimit: 0,
  });
}

/** A new index of Ada's holding `count` public entries `s<n>` ({ n, parity }), ingested. */
async function indexWith(count: number): Promise<string> {
  const { id } = await search.createIndex(`browser ${crypto.randomUUID()}`, "for a test");
  if (count > 0) {
    const gmeta = Array.from({ length: count }, (_, n) => ({
      subject: `s${String(n).padStart(3, "0")}`,
      visible_to: ["public"],
      content: { n, parity: n % 2 === 0 ? "even" : "odd" },
    }));
    await search.ingest(id, { ingest_type: "GMetaList", ingest_data: { gmeta } });
    await runTasks();
  }
  return id;
}

/** Lets the emulator's Search run its pending tasks (each takes a second on its clock). */
const runTasks = () => commands.emulatorControl(emu.id, "advanceClock", 2);

/** The status and code of the SearchAPIError a call fails with. */
async function searchError(promise: Promise<unknown>): Promise<{ status: number; errorCode: string }> {
  const error = await promise.then(
    () => {
      throw new Error("resolved instead of rejecting");
    },
    (e: unknown) => e,
  );
  expect(isSearchAPIError(error)).toBe(true);
  return error as { status: number; errorCode: string };
}

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

  it("searches with GET and scrolls by marker, and walks search and postSearch page by page", async () => {
    const indexId = await indexWith(45);
    const got = await search.search(indexId, "parity:even", { limit: 5, offset: 5 });
    expect([got.total, got.count, got.offset, got.has_next_page]).toEqual([23, 5, 5, true]);
    expect(got.gmeta.every((result) => result.entries[0]?.content.parity === "even")).toBe(true);

    const sizes: number[] = [];
    for await (const page of search.paginated.search(indexId, "*", { limit: 20 })) sizes.push(page.count);
    expect(sizes).toEqual([20, 20, 5]);
    const odds = await search.paginated
      .postSearch(indexId, new SearchQuery("*").addFilter("parity", ["odd"]).addSort("n", "asc"), {
        limit: 10,
      })
      .toArray();
    expect(odds.map((result) => result.entries[0]?.content.n)).toEqual(
      Array.from({ length: 22 }, (_, i) => 2 * i + 1),
    );

    const first = await search.scroll(indexId, new SearchScrollQuery("*", { limit: 30 }));
    expect([first.count, first.has_next_page, typeof first.marker]).toEqual([30, true, "string"]);
    const rest = await search.scroll(indexId, { q: "*", limit: 30 }, { marker: first.marker as string });
    expect([rest.count, rest.has_next_page, rest.marker]).toEqual([15, false, null]);
    const subjects = new Set([...first.gmeta, ...rest.gmeta].map((result) => result.subject));
    expect(subjects.size).toBe(45);
  });

  it("reads and deletes entries and subjects, deletes by query and by subjects, and lists tasks", async () => {
    const indexId = await indexWith(10);
    const ingested = await search.ingest(indexId, {
      ingest_type: "GMetaEntry",
      ingest_data: { subject: "s000", id: "v2", visible_to: ["public"], content: { n: 0, version: 2 } },
    });
    await runTasks();
    const subject = await search.getSubject(indexId, "s000");
    expect(subject.entries.map((entry) => entry.entry_id)).toEqual([null, "v2"]);
    expect((await search.getEntry(indexId, "s000", { entryId: "v2" })).entries[0]?.content).toEqual({
      n: 0,
      version: 2,
    });
    expect(await search.deleteEntry(indexId, "s000", { entryId: "v2" })).toEqual({ removed: true });
    expect(await searchError(search.getEntry(indexId, "s000", { entryId: "v2" }))).toMatchObject({
      status: 404,
    });

    const bySubject = await search.deleteSubject(indexId, "s000");
    const byQuery = await search.deleteByQuery(indexId, new SearchQuery("*").addFilter("parity", ["odd"]));
    const batch = await search.batchDeleteBySubject(indexId, ["s002", "s004"]);
    await runTasks();
    expect((await search.getTask(bySubject.task_id)).task_type).toBe("DELETE_BY_SUBJECT");
    expect((await search.getTask(batch.task_id)).state).toBe("SUCCESS");
    expect(await searchError(search.getSubject(indexId, "s000"))).toMatchObject({ status: 404 });
    const left = await search.search(indexId, "*");
    expect(left.gmeta.map((result) => result.subject).sort()).toEqual(["s006", "s008"]);
    const { tasks } = await search.getTaskList(indexId);
    expect(tasks.map((task) => task.task_id)).toEqual(
      expect.arrayContaining([ingested.task_id, bySubject.task_id, byQuery.task_id, batch.task_id]),
    );
    expect(tasks.every((task) => task.index_id === indexId && task.state === "SUCCESS")).toBe(true);
  });

  it("lists, updates, deletes and reopens indices; grants, lists and revokes roles", async () => {
    const grace = { id: emu.identities[1]?.id as string };
    const indexId = await indexWith(0);
    expect((await search.indexList()).index_list.map((index) => index.id)).toContain(indexId);
    const graces = await searchAs(grace.id);
    expect((await graces.indexList()).index_list.map((index) => index.id)).not.toContain(indexId);
    expect(
      await search.updateIndex(indexId, { displayName: "renamed", description: "changed" }),
    ).toMatchObject({
      id: indexId,
      display_name: "renamed",
      description: "changed",
    });

    const entry = {
      ingest_type: "GMetaEntry" as const,
      ingest_data: { subject: "x", visible_to: ["public"], content: {} },
    };
    expect(await searchError(graces.ingest(indexId, entry))).toMatchObject({ status: 403 });
    const writer = await search.createRole(indexId, {
      role_name: "writer",
      principal: `urn:globus:auth:identity:${grace.id}`,
    });
    expect(writer).toMatchObject({ index_id: indexId, role_name: "writer", principal_type: "identity" });
    expect((await graces.ingest(indexId, entry)).acknowledged).toBe(true);
    const roles = await search.getRoleList(indexId);
    expect(roles.role_list.map((role) => role.role_name).sort()).toEqual(["owner", "writer"]);
    expect((await search.deleteRole(indexId, writer.id)).deleted.id).toBe(writer.id);
    expect(await searchError(graces.ingest(indexId, entry))).toMatchObject({ status: 403 });

    expect(await search.deleteIndex(indexId)).toEqual({ index_id: indexId, acknowledged: true });
    expect((await search.getIndex(indexId)).status).toBe("delete-pending");
    expect(await searchError(search.search(indexId, "*"))).toMatchObject({ status: 409 });
    expect(await search.reopenIndex(indexId)).toEqual({ index_id: indexId, acknowledged: true });
    expect((await search.getIndex(indexId)).status).toBe("open");
  });

  it("SearchQuery's setters and SearchScrollQuery.setMarker shape what the emulator answers", async () => {
    const indexId = await indexWith(10);
    const page = await search.postSearch(
      indexId,
      new SearchQuery("*")
        .setQuery("parity:even")
        .setAdvanced(true)
        .setLimit(2)
        .setOffset(1)
        .addSort("n", "asc"),
    );
    expect([page.total, page.count, page.offset]).toEqual([5, 2, 1]);
    expect(page.gmeta.map((result) => result.entries[0]?.content.n)).toEqual([2, 4]);
    const first = await search.scroll(indexId, new SearchScrollQuery("*").setLimit(6));
    const rest = await search.scroll(
      indexId,
      new SearchScrollQuery("*", { limit: 6 }).setMarker(first.marker as string),
    );
    expect([first.count, rest.count, rest.marker]).toEqual([6, 4, null]);
    expect(new Set([...first.gmeta, ...rest.gmeta].map((result) => result.subject)).size).toBe(10);
  });
});
