import type { SearchEntryRecord } from "./search-store.ts";
import { asObject } from "./service-request.ts";
import { globMatch } from "./transfer-file-tree.ts";

/** @internal A query document Search would refuse, with the reason. */
export class QueryError extends Error {
  override readonly name = "QueryError";
}

type Leaf = string | number | boolean;

/** Every value at a dotted path of a document, arrays flattened at any depth. */
export function valuesAt(content: unknown, path: string): Leaf[] {
  let current: unknown[] = [content];
  for (const key of path.split(".")) {
    current = current
      .flatMap((value) => (Array.isArray(value) ? value : [value]))
      .map((value) => asObject(value)?.[key])
      .filter((value) => value !== undefined && value !== null);
  }
  return current
    .flatMap((value) => (Array.isArray(value) ? value.flat(Number.POSITIVE_INFINITY) : [value]))
    .filter((value): value is Leaf => ["string", "number", "boolean"].includes(typeof value));
}

/** Every leaf of a document with its dotted path (array positions left out, as Search's field names). */
function leaves(content: unknown, prefix = ""): { path: string; value: Leaf }[] {
  if (Array.isArray(content)) return content.flatMap((item) => leaves(item, prefix));
  const object = asObject(content);
  if (object) {
    return Object.entries(object).flatMap(([key, value]) => leaves(value, prefix ? `${prefix}.${key}` : key));
  }
  return ["string", "number", "boolean"].includes(typeof content)
    ? [{ path: prefix, value: content as Leaf }]
    : [];
}

interface Term {
  readonly negated: boolean;
  readonly field: string | undefined;
  readonly value: string;
}

/** A parsed query: alternatives (OR) of terms that must all hold (AND). */
export interface ParsedQuery {
  readonly alternatives: readonly (readonly Term[])[];
  readonly filters: readonly Record<string, unknown>[];
  readonly boosts: ReadonlyMap<string, number>;
  readonly sort: readonly { field: string; descending: boolean }[];
}

/**
 * Search's query string, as the emulator reads it: whitespace-separated terms that must all match
 * (`AND` may be written), `OR` between alternatives, `-term` or `NOT term` to exclude,
 * `field.path:value` for one field, `"quoted phrases"`, `*` and `?` globs; `*` alone (or nothing)
 * matches everything. A bare term matches any text of the content that contains it, ignoring case.
 */
function parseQueryString(q: string): Term[][] {
  const text = q.trim();
  if (text === "" || text === "*") return [[]];
  const tokens = text.match(/[-+]?(?:[^\s:"()]+:)?(?:"[^"]*"|[^\s"()]+)|[()]/g) ?? [];
  const alternatives: Term[][] = [[]];
  let negateNext = false;
  for (const token of tokens) {
    if (token === "(" || token === ")" || token === "AND" || token === "&&") continue;
    if (token === "OR" || token === "||") {
      alternatives.push([]);
      continue;
    }
    if (token === "NOT") {
      negateNext = true;
      continue;
    }
    let body = token;
    let negated = negateNext;
    negateNext = false;
    if (body.startsWith("-")) {
      negated = true;
      body = body.slice(1);
    } else if (body.startsWith("+")) {
      body = body.slice(1);
    }
    const colon = body.startsWith('"') ? -1 : body.indexOf(":");
    const field = colon > 0 ? body.slice(0, colon) : undefined;
    const value = (colon > 0 ? body.slice(colon + 1) : body).replace(/^"|"$/g, "").toLowerCase();
    if (value === "") throw new QueryError(`Empty term in query '${q.slice(0, 100)}'`);
    (alternatives.at(-1) as Term[]).push({ negated, field, value });
  }
  return alternatives.filter((terms) => terms.length > 0).length > 0
    ? alternatives.filter((terms) => terms.length > 0)
    : [[]];
}

const FILTER_TYPES = ["match_any", "match_all", "range", "exists", "not", "and", "or"];

function checkFilter(filter: unknown): Record<string, unknown> {
  const object = asObject(filter);
  if (!object || !FILTER_TYPES.includes(object.type as string)) {
    throw new QueryError(`Each filter needs a type: one of ${FILTER_TYPES.join(", ")}`);
  }
  const type = object.type as string;
  if (type === "not") checkFilter(object.filter);
  else if (type === "and" || type === "or") {
    if (!Array.isArray(object.filters)) throw new QueryError(`A '${type}' filter needs a list of filters`);
    object.filters.forEach(checkFilter);
  } else {
    if (typeof object.field_name !== "string" || object.field_name === "") {
      throw new QueryError(`A '${type}' filter needs a field_name`);
    }
    if (type !== "exists" && !Array.isArray(object.values)) {
      throw new QueryError(`A '${type}' filter needs a list of values`);
    }
    if (type === "range" && !(object.values as unknown[]).every((range) => asObject(range))) {
      throw new QueryError("A 'range' filter's values are {from, to} objects");
    }
  }
  return object;
}

/**
 * @internal Reads the query part of a search, scroll or delete-by-query document: `q`, `filters`,
 * `boosts`, `sort`. @throws {QueryError} for what Search would refuse.
 */
export function parseQuery(document: Record<string, unknown>): ParsedQuery {
  const q = document.q ?? "";
  if (typeof q !== "string") throw new QueryError("q must be a string");
  const filters = document.filters ?? [];
  if (!Array.isArray(filters)) throw new QueryError("filters must be a list");
  const boosts = new Map<string, number>();
  for (const boost of (document.boosts ?? []) as unknown[]) {
    const object = asObject(boost);
    const factor = object?.factor;
    if (
      !object ||
      typeof object.field_name !== "string" ||
      typeof factor !== "number" ||
      factor < 0 ||
      factor > 10
    ) {
      throw new QueryError("Each boost is {field_name, factor} with a factor from 0 to 10");
    }
    boosts.set(object.field_name, factor);
  }
  if (!Array.isArray(document.boosts ?? [])) throw new QueryError("boosts must be a list");
  const sort = ((document.sort ?? []) as unknown[]).map((item) => {
    const object = asObject(item);
    const order = object?.order ?? "asc";
    if (!object || typeof object.field_name !== "string" || !["asc", "desc"].includes(order as string)) {
      throw new QueryError("Each sort is {field_name, order} with order asc or desc");
    }
    return { field: object.field_name, descending: order === "desc" };
  });
  if (!Array.isArray(document.sort ?? [])) throw new QueryError("sort must be a list");
  return { alternatives: parseQueryString(q), filters: filters.map(checkFilter), boosts, sort };
}

const textOf = (value: Leaf): string => String(value).toLowerCase();

function termHits(term: Term, content: Record<string, unknown>, boosts: ReadonlyMap<string, number>): number {
  const like = (value: Leaf, exact: boolean) => {
    const text = textOf(value);
    if (/[*?]/.test(term.value)) return globMatch(term.value, text);
    return exact ? text === term.value : text.includes(term.value);
  };
  if (term.field !== undefined) {
    const hit = valuesAt(content, term.field).some((value) => like(value, typeof value !== "string"));
    return hit ? (boosts.get(term.field) ?? 1) : 0;
  }
  let score = 0;
  for (const { path, value } of leaves(content)) if (like(value, false)) score += boosts.get(path) ?? 1;
  return score;
}

function compare(a: Leaf, b: Leaf): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function bound(value: unknown): Leaf | undefined {
  return value === "*" || value === undefined || value === null ? undefined : (value as Leaf);
}

/** @internal Whether an entry's content passes a filter. // wire: unverified (range `to` exclusive) */
export function passes(filter: Record<string, unknown>, content: Record<string, unknown>): boolean {
  switch (filter.type) {
    case "not":
      return !passes(filter.filter as Record<string, unknown>, content);
    case "and":
      return (filter.filters as Record<string, unknown>[]).every((f) => passes(f, content));
    case "or":
      return (filter.filters as Record<string, unknown>[]).some((f) => passes(f, content));
  }
  const values = valuesAt(content, filter.field_name as string);
  const wanted = (filter.values as unknown[] | undefined) ?? [];
  const has = (w: unknown) => values.some((v) => String(v) === String(w));
  switch (filter.type) {
    case "exists":
      return values.length > 0;
    case "match_any":
      return wanted.some(has);
    case "match_all":
      return wanted.every(has);
    default:
      return wanted.some((range) => {
        const { from, to } = range as { from?: unknown; to?: unknown };
        const [low, high] = [bound(from), bound(to)];
        return values.some((v) => {
          const x = typeof v === "string" && typeof low === "number" ? Number(v) : v;
          return (low === undefined || compare(x, low) >= 0) && (high === undefined || compare(x, high) < 0);
        });
      });
  }
}

/** @internal An entry's score for a query: 0 when it does not match. */
export function score(query: ParsedQuery, entry: SearchEntryRecord): number {
  if (!query.filters.every((filter) => passes(filter, entry.content))) return 0;
  let best = 0;
  for (const terms of query.alternatives) {
    let total = 0;
    let matched = true;
    for (const term of terms) {
      const hits = termHits(term, entry.content, query.boosts);
      if (term.negated ? hits > 0 : hits === 0) {
        matched = false;
        break;
      }
      total += term.negated ? 0 : hits;
    }
    if (matched) best = Math.max(best, terms.length === 0 ? 1 : total || 1);
  }
  return best;
}

/** @internal Orders scored subjects: by the query's sort fields, else by score, then subject. */
export function orderResults(
  query: ParsedQuery,
  results: { subject: string; score: number; entries: SearchEntryRecord[] }[],
): void {
  const first = (entries: SearchEntryRecord[], field: string): Leaf | undefined =>
    entries.flatMap((entry) => valuesAt(entry.content, field))[0];
  results.sort((a, b) => {
    for (const { field, descending } of query.sort) {
      const [x, y] = [first(a.entries, field), first(b.entries, field)];
      if (x === undefined || y === undefined) {
        if (x !== y) return x === undefined ? 1 : -1;
        continue;
      }
      const order = compare(x, y);
      if (order !== 0) return descending ? -order : order;
    }
    return b.score - a.score || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0);
  });
}

const DATE_PREFIX: Readonly<Record<string, number>> = {
  year: 4,
  month: 7,
  day: 10,
  hour: 13,
  minute: 16,
  second: 19,
};

/**
 * @internal Facet results over the matching subjects' entries: `terms` (count of subjects per
 * value), `numeric_histogram`, `date_histogram` (year, month, day, hour, minute, second), `sum`,
 * `avg`. // wire: unverified (the emulator's bucket shapes for histograms)
 * @throws {QueryError} for a facet Search would refuse.
 */
export function facetResults(facets: unknown, subjects: readonly SearchEntryRecord[][]): unknown[] {
  if (facets === undefined) return [];
  if (!Array.isArray(facets)) throw new QueryError("facets must be a list");
  return facets.map((raw) => {
    const facet = asObject(raw);
    const name = facet?.name;
    const field = facet?.field_name;
    const type = facet?.type ?? "terms";
    if (!facet || typeof field !== "string" || field === "")
      throw new QueryError("Each facet needs a field_name");
    const label = typeof name === "string" ? name : field;
    const perSubject = subjects.map((entries) => [
      ...new Set(entries.flatMap((entry) => valuesAt(entry.content, field))),
    ]);
    const bucket = (value: unknown, count: number) => ({
      "@datatype": "GBucket",
      "@version": "2017-09-01",
      value,
      count,
    });
    const result = (extra: Record<string, unknown>) => ({
      "@datatype": "GFacetResult",
      "@version": "2017-09-01",
      name: label,
      ...extra,
    });
    const countBy = (key: (value: Leaf) => string | undefined) => {
      const counts = new Map<string, number>();
      for (const values of perSubject) {
        for (const k of new Set(values.map(key).filter((k): k is string => k !== undefined))) {
          counts.set(k, (counts.get(k) ?? 0) + 1);
        }
      }
      return counts;
    };
    switch (type) {
      case "terms": {
        const size = facet.size ?? 10;
        if (!Number.isInteger(size) || (size as number) < 1)
          throw new QueryError("A facet's size must be a positive integer");
        const counts = countBy((value) => String(value));
        const buckets = [...counts]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, size as number)
          .map(([value, count]) => bucket(value, count));
        return result({ buckets });
      }
      case "numeric_histogram": {
        const range = asObject(facet.histogram_range);
        const size = facet.size;
        const [low, high] = [Number(range?.low), Number(range?.high)];
        if (!range || !Number.isFinite(low) || !Number.isFinite(high) || high <= low) {
          throw new QueryError("A numeric_histogram facet needs histogram_range {low, high} with low < high");
        }
        if (!Number.isInteger(size) || (size as number) < 1)
          throw new QueryError("A numeric_histogram facet needs a size");
        const width = (high - low) / (size as number);
        const buckets = Array.from({ length: size as number }, (_, i) => {
          const [from, to] = [low + i * width, low + (i + 1) * width];
          const count = perSubject.filter((values) =>
            values.some((v) => typeof v === "number" && v >= from && v < to),
          ).length;
          return bucket({ from, to }, count);
        });
        return result({ buckets });
      }
      case "date_histogram": {
        const prefix = DATE_PREFIX[facet.date_interval as string];
        if (prefix === undefined) {
          throw new QueryError(
            `A date_histogram facet needs a date_interval: ${Object.keys(DATE_PREFIX).join(", ")}`,
          );
        }
        const counts = countBy((value) =>
          typeof value === "string" ? value.slice(0, prefix) : String(value),
        );
        return result({ buckets: [...counts].sort().map(([value, count]) => bucket(value, count)) });
      }
      case "sum":
      case "avg": {
        const numbers = perSubject.flat().filter((v): v is number => typeof v === "number");
        const sum = numbers.reduce((total, n) => total + n, 0);
        return result({ value: type === "sum" ? sum : numbers.length ? sum / numbers.length : null });
      }
      default:
        throw new QueryError(`Unknown facet type '${String(type).slice(0, 50)}'`);
    }
  });
}
