import { isGlobusAPIError, MemoryTokenStorage, NativeAppAuthClient, UserApp } from "@globus-app/core";
import { EmulatorAutoApproveLoginFlow } from "@globus-app/core/testing/emulator";
import {
  type Emulator,
  SAMPLE_GROUP_ID,
  SAMPLE_INDEX_ID,
  SAMPLE_NATIVE_CLIENT,
  SEARCH_INGEST_SCOPE,
  SEARCH_SEARCH_SCOPE,
  startEmulator,
} from "@globus-app/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sampleEntries, searchAs } from "../../test-support/search-fixture.ts";
import { ADA, ALAN, GRACE, rejection } from "../../test-support/transfer-fixture.ts";
import { isSearchAPIError, type SearchAPIError } from "./search-api-error.ts";
import { SearchClient } from "./search-client.ts";
import { SearchQuery, SearchScrollQuery } from "./search-query.ts";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ autoApprove: true });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.control.resetClock();
  emu.control.clearFaults();
  emu.control.resetCounts();
});

async function apiError(promise: Promise<unknown>): Promise<SearchAPIError> {
  const error = await rejection(promise);
  expect(isSearchAPIError(error), String(error)).toBe(true);
  return error as SearchAPIError;
}

/** Lets queued tasks run: they wait a second of emulator time. */
const runTasks = () => emu.control.advanceClock(2);

/** A fresh index of Ada's holding `count` public sample entries. */
async function indexWith(count: number): Promise<string> {
  const search = searchAs(emu);
  const { id } = await search.createIndex(`index ${Math.random()}`, "for a test");
  if (count > 0) {
    await search.ingest(id, { ingest_type: "GMetaList", ingest_data: { gmeta: sampleEntries(count) } });
    runTasks();
  }
  return id;
}

const subjects = (page: { gmeta: { subject: string }[] }) => page.gmeta.map((result) => result.subject);

describe("SearchClient: queries", () => {
  it("searches with GET; each caller sees what visible_to grants (public, identity, group)", async () => {
    const anonymous = await searchAs(emu, null).search(SAMPLE_INDEX_ID, "*", { limit: 100 });
    expect(anonymous).toMatchObject({ total: 10, count: 10, offset: 0, has_next_page: false });
    expect((await searchAs(emu, ADA.id).search(SAMPLE_INDEX_ID, "*")).total).toBe(12);
    expect((await searchAs(emu, GRACE.id).search(SAMPLE_INDEX_ID, "*")).total).toBe(11); // the sample group's
    expect((await searchAs(emu, ALAN.id).search(SAMPLE_INDEX_ID, "*")).total).toBe(10);

    const ada = searchAs(emu);
    const protein = await ada.search(SAMPLE_INDEX_ID, "protein", { limit: 2, offset: 2, advanced: true });
    expect(protein).toMatchObject({ total: 6, count: 2, offset: 2, has_next_page: true });
    expect(protein.gmeta[0]?.entries[0]).toMatchObject({
      entry_id: null,
      content: { keywords: ["protein", "structure"] },
    });
    const cryo = await ada.search(SAMPLE_INDEX_ID, "instrument:cryo-em -year:2021");
    expect(cryo.gmeta.map((r) => r.entries[0]?.content.instrument)).toEqual([
      "cryo-em",
      "cryo-em",
      "cryo-em",
    ]);
    expect((await ada.search(SAMPLE_INDEX_ID, "spectra OR year:2020")).total).toBe(9);
    const log = emu.control.requestLog().filter((entry) => entry.endpoint === "search");
    expect(log[1]).toMatchObject({ method: "GET", path: `/search/v1/index/${SAMPLE_INDEX_ID}/search` });
    expect(log.at(-1)?.params).toMatchObject({ q: "spectra OR year:2020" });

    const refused = await apiError(ada.search(SAMPLE_INDEX_ID, "*", { offset: 9990, limit: 20 }));
    expect(refused).toMatchObject({ status: 400, name: "SearchAPIError" });
    const missing = await apiError(ada.search("00000000-0000-4000-8000-000000000000", "*"));
    expect(missing).toMatchObject({ status: 404, errorCode: "NotFound.NoSuchIndex" });
    expect(missing.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(isGlobusAPIError(missing)).toBe(true);
  });

  it("posts a SearchQuery: filters, facets, boosts, sort, offset and limit", async () => {
    const ada = searchAs(emu);
    const query = new SearchQuery("*", { limit: 5 })
      .addFilter("instrument", ["cryo-em", "mass-spec"], { type: "match_any" })
      .addFilter("year", [{ from: 2021, to: "*" }], { type: "range" })
      .addFacet("Instruments", "instrument")
      .addFacet("Total size", "size_gb", { type: "sum" })
      .addFacet("Sizes", "size_gb", {
        type: "numeric_histogram",
        size: 2,
        histogramRange: { low: 0, high: 200 },
      })
      .addSort("size_gb", "desc");
    expect(query.toJSON()).toMatchObject({
      q: "*",
      limit: 5,
      sort: [{ field_name: "size_gb", order: "desc" }],
    });
    const page = await ada.postSearch(SAMPLE_INDEX_ID, query);
    const sizes = page.gmeta.map((r) => r.entries[0]?.content.size_gb);
    expect(sizes).toEqual([120, 110, 80, 60, 30]);
    expect(page).toMatchObject({ total: 6, count: 5, has_next_page: true });
    expect(page.facet_results).toEqual([
      expect.objectContaining({
        name: "Instruments",
        buckets: [
          expect.objectContaining({ value: "cryo-em", count: 3 }),
          expect.objectContaining({ value: "mass-spec", count: 3 }),
        ],
      }),
      expect.objectContaining({ name: "Total size", value: 420 }),
      expect.objectContaining({
        name: "Sizes",
        buckets: [
          expect.objectContaining({ value: { from: 0, to: 100 }, count: 4 }),
          expect.objectContaining({ value: { from: 100, to: 200 }, count: 2 }),
        ],
      }),
    ]);
    // offset and limit of the call replace the document's; a boost orders by score.
    const next = await ada.postSearch(SAMPLE_INDEX_ID, query, { offset: 5, limit: 5 });
    expect(next).toMatchObject({ count: 1, offset: 5, has_next_page: false });
    const years = async (q: SearchQuery) =>
      (await ada.postSearch(SAMPLE_INDEX_ID, q)).gmeta.slice(0, 3).map((r) => r.entries[0]?.content.year);
    expect(await years(new SearchQuery("protein OR 2021").addBoost("year", 10))).toEqual([2021, 2021, 2021]);
    expect(await years(new SearchQuery("protein OR 2021").addBoost("keywords", 10))).not.toContain(2021);
    const plain = await ada.postSearch(SAMPLE_INDEX_ID, {
      q: "*",
      filters: [{ type: "exists", field_name: "nope" }],
    });
    expect(plain.total).toBe(0);
    const bad = await apiError(ada.postSearch(SAMPLE_INDEX_ID, { q: "*", filters: [{ type: "fuzzy" }] }));
    expect(bad).toMatchObject({ status: 400, errorCode: "BadRequest.InvalidQuery" });
    expect(
      await apiError(
        ada.postSearch(SAMPLE_INDEX_ID, new SearchQuery("*").addFacet("x", "year", { type: "median" })),
      ),
    ).toMatchObject({
      status: 400,
    });
  });
});

describe("SearchClient: ingest, subjects, entries and tasks", () => {
  it("ingests entries and lists through tasks, then reads, replaces and deletes them", async () => {
    const search = searchAs(emu);
    const indexId = await indexWith(0);
    const single = await search.ingest(indexId, {
      ingest_type: "GMetaEntry",
      ingest_data: { subject: "s1", visible_to: ["public"], content: { title: "first" } },
    });
    expect(single).toMatchObject({ acknowledged: true, num_documents_ingested: 1 });
    expect(await search.getTask(single.task_id)).toMatchObject({
      task_id: single.task_id,
      index_id: indexId,
      task_type: "INGEST",
      state: "PENDING",
      completion_date: null,
    });
    const list = await search.ingest(indexId, {
      ingest_type: "GMetaList",
      ingest_data: {
        gmeta: [
          { subject: "s1", id: "v2", visible_to: ["public"], content: { title: "second version" } },
          {
            subject: "s2",
            visible_to: [`urn:globus:auth:identity:${GRACE.id}`],
            content: { title: "Grace's" },
          },
          {
            subject: "s3",
            visible_to: [`urn:globus:groups:id:${SAMPLE_GROUP_ID}`],
            content: { title: "group's" },
          },
        ],
      },
    });
    runTasks();
    expect((await search.getTask(list.task_id)).state).toBe("SUCCESS");
    const { tasks } = await search.getTaskList(indexId);
    expect(tasks.map((task) => task.task_id).sort()).toEqual([single.task_id, list.task_id].sort());

    const subject = await search.getSubject(indexId, "s1");
    expect(subject.entries.map((e) => [e.entry_id, e.content.title])).toEqual([
      [null, "first"],
      ["v2", "second version"],
    ]);
    expect((await search.getEntry(indexId, "s1", { entryId: "v2" })).entries).toEqual([
      expect.objectContaining({ entry_id: "v2", matched_principal_sets: [["public"]] }),
    ]);
    // Ada may write the index but sees only what visible_to grants her.
    expect(await apiError(search.getSubject(indexId, "s2"))).toMatchObject({ status: 404 });
    expect((await searchAs(emu, GRACE.id).getSubject(indexId, "s2")).entries[0]?.content.title).toBe(
      "Grace's",
    );
    expect((await searchAs(emu, GRACE.id).getSubject(indexId, "s3")).subject).toBe("s3");
    expect(await apiError(searchAs(emu, ALAN.id).getSubject(indexId, "s3"))).toMatchObject({ status: 404 });

    expect(await search.deleteEntry(indexId, "s1", { entryId: "v2" })).toEqual({ removed: true });
    expect(await apiError(search.getEntry(indexId, "s1", { entryId: "v2" }))).toMatchObject({ status: 404 });
    expect(await apiError(search.deleteEntry(indexId, "s1", { entryId: "v2" }))).toMatchObject({
      status: 404,
    });
    const deleted = await search.deleteSubject(indexId, "s1");
    runTasks();
    expect((await search.getTask(deleted.task_id)).task_type).toBe("DELETE_BY_SUBJECT");
    expect(await apiError(search.getSubject(indexId, "s1"))).toMatchObject({ status: 404 });
    expect((await search.getIndex(indexId)).num_subjects).toBe(2);

    const bad = await apiError(
      search.ingest(indexId, {
        ingest_type: "GMetaEntry",
        ingest_data: { subject: "x", visible_to: ["everyone"], content: {} },
      }),
    );
    expect(bad).toMatchObject({ status: 400, errorCode: "BadRequest" });
    expect(await apiError(search.getTask("00000000-0000-4000-8000-000000000000"))).toMatchObject({
      status: 404,
    });
  });

  it("deletes by query and by a batch of subjects, through tasks", async () => {
    const search = searchAs(emu);
    const indexId = await indexWith(20);
    const byQuery = await search.deleteByQuery(
      indexId,
      new SearchQuery("*").addFilter("parity", ["odd"], { type: "match_any" }),
    );
    expect(byQuery.task_id).toEqual(expect.any(String));
    runTasks();
    expect((await search.search(indexId, "*")).total).toBe(10);
    expect((await search.search(indexId, "parity:odd")).total).toBe(0);
    const batch = await search.batchDeleteBySubject(indexId, [
      "https://example.org/d/0000",
      "https://example.org/d/0002",
    ]);
    runTasks();
    expect((await search.getTask(batch.task_id)).message).toContain("2 deleted");
    expect((await search.search(indexId, "*")).total).toBe(8);
    expect(await apiError(search.batchDeleteBySubject(indexId, []))).toMatchObject({ status: 400 });
  });
});

describe("SearchClient: indices and roles", () => {
  it("creates, lists, updates, deletes and reopens indices", async () => {
    const grace = searchAs(emu, GRACE.id);
    const created = await grace.createIndex("Grace's datasets", "all of them");
    expect(created).toMatchObject({
      display_name: "Grace's datasets",
      status: "open",
      permissions: ["owner"],
      num_entries: 0,
    });
    expect((await grace.getIndex(created.id)).description).toBe("all of them");
    expect((await grace.indexList()).index_list.map((index) => index.id)).toContain(created.id);
    expect((await searchAs(emu, ALAN.id).indexList()).index_list.map((index) => index.id)).not.toContain(
      created.id,
    );
    expect((await searchAs(emu, ALAN.id).getIndex(created.id)).permissions).toEqual([]);
    const updated = await grace.updateIndex(created.id, { displayName: "Grace's data" });
    expect(updated).toMatchObject({ display_name: "Grace's data", description: "all of them" });
    expect(
      await apiError(searchAs(emu, ALAN.id).updateIndex(created.id, { description: "mine" })),
    ).toMatchObject({
      status: 403,
    });

    expect(await grace.deleteIndex(created.id)).toEqual({ index_id: created.id, acknowledged: true });
    expect((await grace.getIndex(created.id)).status).toBe("delete-pending");
    const pending = await apiError(grace.search(created.id, "*"));
    expect(pending).toMatchObject({ status: 409, errorCode: "Conflict.IncompatibleIndexStatus" });
    expect(await grace.reopenIndex(created.id)).toEqual({ index_id: created.id, acknowledged: true });
    expect(await apiError(grace.reopenIndex(created.id))).toMatchObject({
      status: 409,
      errorCode: "Conflict.IncompatibleIndexStatus",
    });
    expect((await grace.search(created.id, "*")).total).toBe(0);
    // A deletion becomes final after a day.
    await grace.deleteIndex(created.id);
    emu.control.advanceClock(86_401);
    expect(await apiError(grace.getIndex(created.id))).toMatchObject({
      status: 404,
      errorCode: "NotFound.NoSuchIndex",
    });
  });

  it("grants, lists and revokes roles for identities and groups", async () => {
    const ada = searchAs(emu);
    const indexId = await indexWith(0);
    const entry = {
      ingest_type: "GMetaEntry" as const,
      ingest_data: { subject: "x", visible_to: ["public"], content: {} },
    };
    expect(await apiError(searchAs(emu, ALAN.id).ingest(indexId, entry))).toMatchObject({ status: 403 });
    const writer = await ada.createRole(indexId, {
      role_name: "writer",
      principal: `urn:globus:auth:identity:${ALAN.id}`,
    });
    expect(writer).toMatchObject({ index_id: indexId, principal_type: "identity", role_name: "writer" });
    expect((await searchAs(emu, ALAN.id).ingest(indexId, entry)).acknowledged).toBe(true);
    // A role of a group holds for its active members (Grace, in the sample group).
    const group = await ada.createRole(indexId, {
      role_name: "admin",
      principal: `urn:globus:groups:id:${SAMPLE_GROUP_ID}`,
    });
    expect((await searchAs(emu, GRACE.id).getIndex(indexId)).permissions).toEqual(["admin"]);
    const roles = await searchAs(emu, GRACE.id).getRoleList(indexId);
    expect(roles.role_list.map((role) => role.role_name).sort()).toEqual(["admin", "owner", "writer"]);
    expect(await apiError(searchAs(emu, ALAN.id).getRoleList(indexId))).toMatchObject({ status: 403 });
    expect(
      await apiError(
        searchAs(emu, GRACE.id).createRole(indexId, {
          role_name: "owner",
          principal: `urn:globus:auth:identity:${GRACE.id}`,
        }),
      ),
    ).toMatchObject({ status: 403 });
    expect(await apiError(ada.createRole(indexId, { role_name: "writer", principal: "alan" }))).toMatchObject(
      { status: 400 },
    );

    expect((await ada.deleteRole(indexId, writer.id)).deleted.id).toBe(writer.id);
    expect(await apiError(searchAs(emu, ALAN.id).ingest(indexId, entry))).toMatchObject({ status: 403 });
    const owner = roles.role_list.find((role) => role.role_name === "owner");
    expect(await apiError(ada.deleteRole(indexId, owner?.id as string))).toMatchObject({ status: 409 });
    expect(await apiError(ada.deleteRole(indexId, writer.id))).toMatchObject({ status: 404 });
    await ada.deleteRole(indexId, group.id);
  });
});

describe("SearchClient: paginated calls", () => {
  it("walks search, postSearch and scroll page by page, with maxItems and an AbortSignal", async () => {
    const search = searchAs(emu);
    const indexId = await indexWith(250);
    emu.control.resetCounts();
    const pages: number[] = [];
    for await (const page of search.paginated.search(indexId, "*")) pages.push(page.count);
    expect(pages).toEqual([100, 100, 50]);
    const items = await search.paginated.search(indexId, "entry", { limit: 40 }).toArray();
    expect(items.length).toBe(250);
    expect(new Set(items.map((item) => item.subject)).size).toBe(250);

    const query = new SearchQuery("*")
      .addFilter("parity", ["even"], { type: "match_any" })
      .addSort("n", "desc");
    const evens = await search.paginated.postSearch(indexId, query, { limit: 50 }).toArray();
    expect(evens.map((item) => item.entries[0]?.content.n)).toEqual(
      Array.from({ length: 125 }, (_, i) => 248 - 2 * i),
    );
    emu.control.resetCounts();
    const first = await search.paginated.postSearch(indexId, query, {}, { maxItems: 30 }).toArray();
    expect(first.length).toBe(30);
    expect(emu.control.requestCounts().search).toBe(1);
    expect(emu.control.requestLog(1)[0]?.path).toBe(`/search/v1/index/${indexId}/search`);

    const scrolled: string[] = [];
    let scrollPages = 0;
    for await (const page of search.paginated.scroll(indexId, new SearchScrollQuery("*", { limit: 100 }))) {
      scrollPages++;
      scrolled.push(...subjects(page));
      if (page.has_next_page) expect(page.marker).toEqual(expect.any(String));
      else expect(page.marker).toBeNull();
    }
    expect([scrollPages, new Set(scrolled).size]).toEqual([3, 250]);
    const one = await search.scroll(indexId, { q: "*", limit: 200 });
    const rest = await search.scroll(indexId, { q: "*", limit: 200 }, { marker: one.marker as string });
    expect([one.count, rest.count, rest.marker]).toEqual([200, 50, null]);
    expect(await apiError(search.scroll(indexId, {}, { marker: "garbage" }))).toMatchObject({ status: 400 });

    const controller = new AbortController();
    const walked: number[] = [];
    const walk = (async () => {
      for await (const page of search.paginated.search(
        indexId,
        "*",
        { limit: 10 },
        { signal: controller.signal },
      )) {
        walked.push(page.count);
        if (walked.length === 2) controller.abort();
      }
    })();
    await expect(walk).rejects.toMatchObject({ code: "NETWORK_ABORTED" });
    expect(walked).toEqual([10, 10]);
  });
});

describe("SearchClient: tokens, scopes, retries, an app", () => {
  it("checks scopes: search queries, ingest writes, all manages; anonymous reads public entries only", async () => {
    const indexId = await indexWith(3);
    const searcher = searchAs(emu, ADA.id, { scope: SEARCH_SEARCH_SCOPE });
    expect((await searcher.search(indexId, "*")).total).toBe(3);
    const entry = {
      ingest_type: "GMetaEntry" as const,
      ingest_data: { subject: "y", visible_to: ["public"], content: {} },
    };
    expect(await apiError(searcher.ingest(indexId, entry))).toMatchObject({
      status: 403,
      errorCode: "Forbidden.InsufficientScope",
    });
    const ingester = searchAs(emu, ADA.id, { scope: SEARCH_INGEST_SCOPE });
    expect((await ingester.ingest(indexId, entry)).acknowledged).toBe(true);
    expect(await apiError(ingester.createIndex("x", "y"))).toMatchObject({ status: 403 });
    const anonymous = searchAs(emu, null);
    expect(
      (await anonymous.getSubject(SAMPLE_INDEX_ID, "https://data.example.org/datasets/001")).subject,
    ).toBe("https://data.example.org/datasets/001");
    expect(await apiError(anonymous.indexList())).toMatchObject({ status: 401 });
    expect(await apiError(anonymous.ingest(indexId, entry))).toMatchObject({ status: 401 });
  });

  it("retries a 503 and a rate limit, and is served under <auth url>search/ too", async () => {
    const search = searchAs(emu, ADA.id, { retryLimit: 2 });
    emu.control.injectFault({ endpoint: "search", kind: "server-error", status: 503 });
    emu.control.injectFault({ endpoint: "search", kind: "rate-limit", retryAfter: 0 });
    expect((await search.getIndex(SAMPLE_INDEX_ID)).display_name).toBe("Emulator sample index");
    expect(emu.control.requestCounts().search).toBe(3);
    const mounted = new SearchClient({ baseUrl: `${emu.url}search/`, retryLimit: 0 });
    expect((await mounted.search(SAMPLE_INDEX_ID, "*")).total).toBe(10);
  });

  it("bound to an app, registers search:all and uses the app's token", async () => {
    const loginClient = new NativeAppAuthClient({ clientId: SAMPLE_NATIVE_CLIENT.id, baseUrl: emu.url });
    await using app = new UserApp(`search-app-${Math.random()}`, {
      loginClient,
      config: {
        tokenStorage: new MemoryTokenStorage(),
        loginFlowManager: new EmulatorAutoApproveLoginFlow(loginClient, { requestRefreshTokens: false }),
      },
    });
    const search = new SearchClient({ app, baseUrl: emu.serviceUrls.search });
    expect(app.scopeRequirements["search.api.globus.org"]?.map(String)).toEqual([
      "urn:globus:auth:scope:search.api.globus.org:all",
    ]);
    await app.login();
    expect((await search.search(SAMPLE_INDEX_ID, "*")).total).toBe(12);
  });
});
