import { badRequest } from "./transfer-answers.ts";
import { globMatch } from "./transfer-file-tree.ts";

// Transfer's query syntax for listings: `filter` (field:value/field:value) and `orderby`.

/** @internal `field:value/field:value` → field → value (Transfer's filter syntax). */
export function parseFilter(raw: string | null, fields: readonly string[]): Map<string, string> {
  const filters = new Map<string, string>();
  if (raw === null || raw === "") return filters;
  for (const part of raw.split("/")) {
    const colon = part.indexOf(":");
    const field = colon < 0 ? part : part.slice(0, colon);
    if (colon < 0 || !fields.includes(field)) {
      throw badRequest(`Invalid filter '${part.slice(0, 100)}'; fields: ${fields.join(", ")}`);
    }
    filters.set(field, part.slice(colon + 1));
  }
  return filters;
}

/** @internal A text filter value: `~glob` (or `~text`: contains), `!~…`, `!=x`, `=x`, or a comma list of exact values. */
export function textMatches(filter: string, value: string | null): boolean {
  const text = value ?? "";
  const like = (pattern: string) =>
    /[*?]/.test(pattern)
      ? globMatch(pattern.toLowerCase(), text.toLowerCase())
      : text.toLowerCase().includes(pattern.toLowerCase());
  if (filter.startsWith("!~")) return !like(filter.slice(2));
  if (filter.startsWith("~")) return like(filter.slice(1));
  if (filter.startsWith("!=")) return text !== filter.slice(2);
  if (filter.startsWith("=")) return text === filter.slice(1);
  return filter.split(",").includes(text);
}

/** @internal A number filter: `>n`, `>=n`, `<n`, `<=n`, `=n` or `n`. */
export function numberMatches(filter: string, value: number): boolean {
  const match = /^(>=|<=|>|<|=)?(\d+)$/.exec(filter);
  if (!match) throw badRequest(`Invalid number filter '${filter.slice(0, 50)}'`);
  const n = Number(match[2]);
  switch (match[1]) {
    case ">":
      return value > n;
    case ">=":
      return value >= n;
    case "<":
      return value < n;
    case "<=":
      return value <= n;
    default:
      return value === n;
  }
}

/** @internal A time range filter `start,end` (either may be empty) on an ISO time. */
export function timeMatches(filter: string, time: number | null): boolean {
  if (time === null) return false;
  const [start = "", end = ""] = filter.split(",");
  const parse = (text: string) => {
    const value = Date.parse(text.replace(" ", "T"));
    if (Number.isNaN(value)) throw badRequest(`Invalid time '${text.slice(0, 50)}' in filter`);
    return value / 1000;
  };
  return (start === "" || time >= parse(start)) && (end === "" || time <= parse(end));
}

/** @internal `field ASC, field DESC` → a comparator. */
export function orderBy<T>(
  raw: string | null,
  fields: Record<string, (item: T) => string | number>,
  fallback: string,
) {
  const keys = (raw === null || raw === "" ? fallback : raw).split(",").map((part) => {
    const [field = "", direction = "ASC"] = part.trim().split(/\s+/);
    const get = fields[field];
    if (!get || !["ASC", "DESC"].includes(direction.toUpperCase())) {
      throw badRequest(
        `Invalid orderby '${part.trim().slice(0, 100)}'; fields: ${Object.keys(fields).join(", ")}`,
      );
    }
    return { get, sign: direction.toUpperCase() === "DESC" ? -1 : 1 };
  });
  return (a: T, b: T): number => {
    for (const { get, sign } of keys) {
      const [x, y] = [get(a), get(b)];
      if (x !== y) return (x < y ? -1 : 1) * sign;
    }
    return 0;
  };
}
