import type { RequestContext } from "./request-context.ts";
import { facetResults, orderResults, type ParsedQuery, parseQuery, score } from "./search-query-engine.ts";
import {
  badRequest,
  fault,
  indexFromPath,
  needRole,
  needScope,
  principalsOf,
  type SearchCaller,
  type SearchHandler,
  type SearchRoute,
} from "./search-request.ts";
import type { SearchEntryRecord, SearchIndexRecord, SearchStore } from "./search-store.ts";
import { asObject, jsonObjectBody, servicePath } from "./service-request.ts";

// An index's entries: queries (search, scroll, a subject, an entry) and writes (ingest and the
// deletions), which tasks apply.

/** A subject's result: the entries the caller may see, with the principals that let them. */
function gmetaResult(
  subject: string,
  entries: readonly SearchEntryRecord[],
  holds: (principal: string) => boolean,
): Record<string, unknown> {
  return {
    "@datatype": "GMetaResult",
    "@version": "2019-08-27",
    subject,
    entries: entries.map((entry) => ({
      content: entry.content,
      entry_id: entry.entryId,
      matched_principal_sets: [entry.visibleTo.filter(holds)],
    })),
  };
}

/** The subjects matching a query among what the caller may see, ordered. */
function matchingSubjects(
  ctx: RequestContext,
  caller: SearchCaller,
  index: SearchIndexRecord,
  query: ParsedQuery,
) {
  const holds = principalsOf(ctx, caller);
  const bySubject = new Map<string, { subject: string; score: number; entries: SearchEntryRecord[] }>();
  for (const entry of index.entries) {
    if (!entry.visibleTo.some(holds)) continue;
    const points = score(query, entry);
    if (points === 0) continue;
    const result = bySubject.get(entry.subject) ?? { subject: entry.subject, score: 0, entries: [] };
    result.score = Math.max(result.score, points);
    result.entries.push(entry);
    bySubject.set(entry.subject, result);
  }
  const results = [...bySubject.values()];
  orderResults(query, results);
  return { results, holds };
}

function integer(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined || value === null || value === "") return fallback;
  const number = typeof value === "string" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number) || number < 0 || number > max) {
    throw badRequest(`${name} must be an integer from 0 to ${max}`);
  }
  return number;
}

/** Search answers at most this many results in all: `offset + limit` stays within it. */
const RESULT_WINDOW = 10_000;

/** A `GSearchResult` page for a query document. */
function searchPage(
  ctx: RequestContext,
  caller: SearchCaller,
  store: SearchStore,
  document: Record<string, unknown>,
) {
  needScope(caller, "query");
  const index = indexFromPath(ctx, store);
  const offset = integer(document.offset, "offset", 0, RESULT_WINDOW - 1);
  const limit = integer(document.limit, "limit", 10, RESULT_WINDOW);
  if (offset + limit > RESULT_WINDOW) throw badRequest(`offset + limit must not exceed ${RESULT_WINDOW}`);
  if (document.advanced !== undefined && typeof document.advanced !== "boolean") {
    throw badRequest("advanced must be true or false");
  }
  const query = parseQuery(document);
  const { results, holds } = matchingSubjects(ctx, caller, index, query);
  const page = results.slice(offset, offset + limit);
  const facets = facetResults(
    document.facets,
    results.map((r) => r.entries),
  );
  ctx.respond.json(200, {
    "@datatype": "GSearchResult",
    "@version": "2017-09-01",
    count: page.length,
    offset,
    total: results.length,
    has_next_page: offset + page.length < results.length && offset + limit < RESULT_WINDOW,
    gmeta: page.map((r) => gmetaResult(r.subject, r.entries, holds)),
    ...(document.facets === undefined ? {} : { facet_results: facets }),
  });
}

// Queries

/** `GET index/<id>/search?q=&offset=&limit=&advanced=`. */
const searchGet: SearchHandler = (ctx, caller, store) => {
  const advanced = ctx.query.get("advanced");
  if (advanced !== null && !["true", "false", "True", "False"].includes(advanced)) {
    throw badRequest("advanced must be true or false");
  }
  searchPage(ctx, caller, store, {
    q: ctx.query.get("q") ?? "",
    offset: ctx.query.get("offset") ?? undefined,
    limit: ctx.query.get("limit") ?? undefined,
    ...(advanced === null ? {} : { advanced: advanced.toLowerCase() === "true" }),
  });
};

/** `POST index/<id>/search`: the whole query document. */
const searchPost: SearchHandler = (ctx, caller, store) => {
  searchPage(ctx, caller, store, jsonObjectBody(ctx, badRequest));
};

/** A scroll marker: where the next page starts, opaque to clients. // wire: unverified (its form) */
const encodeMarker = (offset: number): string =>
  Buffer.from(JSON.stringify({ o: offset })).toString("base64url");
function decodeMarker(marker: unknown): number {
  if (marker === undefined || marker === null) return 0;
  try {
    const offset = (JSON.parse(Buffer.from(String(marker), "base64url").toString("utf8")) as { o?: unknown })
      .o;
    if (typeof offset === "number" && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // Falls through to the refusal.
  }
  throw badRequest("Invalid scroll marker");
}

/** `POST index/<id>/scroll`: every match, page by page, beyond the 10000 window; `marker` pages on. */
const scroll: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "query");
  const index = indexFromPath(ctx, store);
  const document = jsonObjectBody(ctx, badRequest);
  const limit = integer(document.limit, "limit", 10, RESULT_WINDOW);
  const offset = decodeMarker(document.marker);
  const { results, holds } = matchingSubjects(ctx, caller, index, parseQuery(document));
  const page = results.slice(offset, offset + limit);
  const more = offset + page.length < results.length;
  ctx.respond.json(200, {
    "@datatype": "GScrollResponse",
    "@version": "2017-09-01",
    count: page.length,
    total: results.length,
    has_next_page: more,
    marker: more ? encodeMarker(offset + page.length) : null,
    gmeta: page.map((r) => gmetaResult(r.subject, r.entries, holds)),
  });
};

function subjectParam(ctx: RequestContext): string {
  const subject = ctx.query.get("subject");
  if (subject === null || subject === "") throw badRequest("The subject parameter is required");
  return subject;
}

/** `GET index/<id>/subject?subject=`: the entries of a subject the caller may see. */
const getSubject: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "query");
  const index = indexFromPath(ctx, store);
  const subject = subjectParam(ctx);
  const holds = principalsOf(ctx, caller);
  const entries = index.entries.filter((e) => e.subject === subject && e.visibleTo.some(holds));
  if (entries.length === 0)
    throw fault(404, "NotFound.Generic", `No subject '${subject.slice(0, 200)}' is visible`);
  ctx.respond.json(200, gmetaResult(subject, entries, holds));
};

/** `GET index/<id>/entry?subject=&entry_id=`: one entry. // wire: unverified (the answer's shape) */
const getEntry: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "query");
  const index = indexFromPath(ctx, store);
  const subject = subjectParam(ctx);
  const entryId = ctx.query.get("entry_id") || null;
  const holds = principalsOf(ctx, caller);
  const entry = index.entries.find(
    (e) => e.subject === subject && e.entryId === entryId && e.visibleTo.some(holds),
  );
  if (!entry) throw fault(404, "NotFound.Generic", `No such entry of subject '${subject.slice(0, 200)}'`);
  ctx.respond.json(200, gmetaResult(subject, [entry], holds));
};

// Writes

const PRINCIPAL = /^(public|urn:globus:auth:identity:[0-9a-f-]{36}|urn:globus:groups:id:[0-9a-f-]{36})$/;

function gmetaEntry(raw: unknown): SearchEntryRecord {
  const entry = asObject(raw);
  if (!entry) throw badRequest("Each GMetaEntry must be an object");
  const { subject, visible_to: visibleTo, content, id } = entry;
  if (typeof subject !== "string" || subject === "" || subject.length > 8192) {
    throw badRequest("A GMetaEntry needs a subject (a non-empty string)");
  }
  if (
    !Array.isArray(visibleTo) ||
    visibleTo.length === 0 ||
    !visibleTo.every((p) => typeof p === "string" && PRINCIPAL.test(p))
  ) {
    throw badRequest(
      "A GMetaEntry needs visible_to: 'public', urn:globus:auth:identity:<id> or urn:globus:groups:id:<id> principals",
    );
  }
  if (!asObject(content)) throw badRequest("A GMetaEntry needs a content object");
  if (id !== undefined && id !== null && typeof id !== "string")
    throw badRequest("A GMetaEntry's id must be a string");
  return {
    subject,
    entryId: typeof id === "string" && id !== "" ? id : null,
    content: content as Record<string, unknown>,
    visibleTo: [...new Set(visibleTo as string[])],
  };
}

/** `POST index/<id>/ingest`: a GMetaEntry or a GMetaList, applied by a task. // wire: unverified (answer fields) */
const ingest: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "write");
  const index = indexFromPath(ctx, store);
  needRole(ctx, caller, index, "writer");
  const document = jsonObjectBody(ctx, badRequest);
  const data = asObject(document.ingest_data);
  if (!data) throw badRequest("ingest_data must be an object");
  let entries: SearchEntryRecord[];
  if (document.ingest_type === "GMetaEntry") entries = [gmetaEntry(data)];
  else if (document.ingest_type === "GMetaList") {
    if (!Array.isArray(data.gmeta) || data.gmeta.length === 0)
      throw badRequest("A GMetaList needs a non-empty gmeta list");
    entries = data.gmeta.map(gmetaEntry);
  } else throw badRequest("ingest_type must be GMetaEntry or GMetaList");
  const task = store.addTask(index.id, "INGEST", { kind: "ingest", entries });
  ctx.respond.json(200, {
    acknowledged: true,
    success: true,
    task_id: task.id,
    num_documents_ingested: entries.length,
    as_identity: null,
  });
};

/** `POST index/<id>/delete_by_query`: what matches `q` and `filters`, removed by a task. */
const deleteByQuery: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "write");
  const index = indexFromPath(ctx, store);
  needRole(ctx, caller, index, "writer");
  const document = jsonObjectBody(ctx, badRequest);
  parseQuery(document);
  const task = store.addTask(index.id, "DELETE_BY_QUERY", { kind: "delete_by_query", query: document });
  ctx.respond.json(200, { acknowledged: true, task_id: task.id });
};

/** `POST index/<id>/batch_delete_by_subject`: `{subjects: […]}`, removed by a task. */
const batchDeleteBySubject: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "write");
  const index = indexFromPath(ctx, store);
  needRole(ctx, caller, index, "writer");
  const { subjects } = jsonObjectBody(ctx, badRequest);
  if (!Array.isArray(subjects) || subjects.length === 0 || !subjects.every((s) => typeof s === "string")) {
    throw badRequest("subjects must be a non-empty list of strings");
  }
  const task = store.addTask(index.id, "DELETE_BY_SUBJECT", { kind: "delete_subjects", subjects });
  ctx.respond.json(200, { acknowledged: true, task_id: task.id });
};

/** `DELETE index/<id>/subject?subject=`: every entry of a subject, removed by a task. */
const deleteSubject: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "write");
  const index = indexFromPath(ctx, store);
  needRole(ctx, caller, index, "writer");
  const task = store.addTask(index.id, "DELETE_BY_SUBJECT", {
    kind: "delete_subjects",
    subjects: [subjectParam(ctx)],
  });
  ctx.respond.json(200, { acknowledged: true, task_id: task.id });
};

/** `DELETE index/<id>/entry?subject=&entry_id=`: one entry, at once. // wire: unverified (answer) */
const deleteEntry: SearchHandler = (ctx, caller, store) => {
  needScope(caller, "write");
  const index = indexFromPath(ctx, store);
  needRole(ctx, caller, index, "writer");
  const subject = subjectParam(ctx);
  const entryId = ctx.query.get("entry_id") || null;
  const before = index.entries.length;
  index.entries = index.entries.filter((e) => !(e.subject === subject && e.entryId === entryId));
  if (index.entries.length === before) throw fault(404, "NotFound.Generic", "No such entry");
  store.changed();
  ctx.respond.json(200, { removed: true });
};

/** @internal The fake Search's routes of an index's entries: queries and writes. */
export const SEARCH_ENTRY_ROUTES: readonly SearchRoute[] = [
  { pattern: servicePath("index/:id/search"), methods: { GET: searchGet, POST: searchPost } },
  { pattern: servicePath("index/:id/scroll"), methods: { POST: scroll } },
  { pattern: servicePath("index/:id/ingest"), methods: { POST: ingest } },
  { pattern: servicePath("index/:id/delete_by_query"), methods: { POST: deleteByQuery } },
  { pattern: servicePath("index/:id/batch_delete_by_subject"), methods: { POST: batchDeleteBySubject } },
  { pattern: servicePath("index/:id/subject"), methods: { GET: getSubject, DELETE: deleteSubject } },
  { pattern: servicePath("index/:id/entry"), methods: { GET: getEntry, DELETE: deleteEntry } },
];
