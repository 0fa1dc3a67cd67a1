import { ScopeParseError } from "./scope-parse-error.ts";

/** Where {@link parseScopeText} puts what it reads (`ScopeGraph`'s builder). @internal */
export interface ScopeGraphSink {
  /** A top-level scope, optional when marked `*`. */
  addRoot(name: string, optional: boolean): void;
  /** A dependency of `parent`, optional when marked `*`. */
  addEdge(parent: string, child: string, optional: boolean): void;
}

const SPACE = 0x20;
const STAR = 0x2a;
const OPEN = 0x5b;
const CLOSE = 0x5d;

// Globus separates scopes with ASCII spaces only; tabs and line breaks are treated the same way
// because a scope token can never contain them (RFC 6749 §3.3), so nothing valid is lost.
function isSpace(c: number): boolean {
  return c === SPACE || (c >= 0x09 && c <= 0x0d);
}

function isSpecial(c: number): boolean {
  return c === STAR || c === OPEN || c === CLOSE || isSpace(c);
}

/** Checks what may follow `[` at `i` (a scope string, after optional spaces). */
function checkAfterOpen(text: string, i: number): void {
  let j = i + 1;
  while (j < text.length && isSpace(text.charCodeAt(j))) j++;
  if (j === text.length) throw new ScopeParseError("ended in left bracket");
  if (text.charCodeAt(j) === CLOSE) throw new ScopeParseError("found empty brackets");
  if (text.charCodeAt(j) === OPEN) throw new ScopeParseError("found double left-bracket");
}

/**
 * Parses one scope string (`a *b[c d[e]]`) into a graph, in one pass over its characters: each
 * top-level scope becomes a root, each bracketed one an edge from its parent.
 *
 * @throws ScopeParseError for a malformed string, naming what is wrong (never quoting the string).
 * @internal
 */
export function parseScopeText(graph: ScopeGraphSink, text: string): void {
  const n = text.length;
  const parents: string[] = [];
  let prev: "none" | "name" | "star" | "open" | "close" = "none";
  let spaceBefore = false;
  let optional = false;
  let lastName = "";
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      spaceBefore = true;
      i++;
      continue;
    }
    const next = i + 1 < n ? text.charCodeAt(i + 1) : -1;
    if (c === STAR) {
      if (next === -1) throw new ScopeParseError("ended in optional marker");
      if (isSpace(next)) throw new ScopeParseError("'*' must not be followed by a space");
      if (next === STAR || next === OPEN || next === CLOSE) {
        throw new ScopeParseError("a scope string must always follow an optional marker");
      }
      // The Python SDK silently splits `foo*bar` into `foo *bar`; that is almost surely a typo.
      if (prev === "name" && !spaceBefore) {
        throw new ScopeParseError("'*' may only appear at the start of a scope string, not inside one");
      }
      optional = true;
      prev = "star";
    } else if (c === OPEN) {
      if (spaceBefore) throw new ScopeParseError("'[' cannot have a preceding space");
      if (prev !== "name") throw new ScopeParseError("found '[' without a preceding scope string");
      checkAfterOpen(text, i);
      parents.push(lastName);
      prev = "open";
    } else if (c === CLOSE) {
      if (parents.length === 0) throw new ScopeParseError("found ']' with no matching '[' preceding it");
      if (next !== -1 && next !== CLOSE && !isSpace(next)) {
        throw new ScopeParseError("']' may only be followed by a space or ']'");
      }
      parents.pop();
      prev = "close";
    } else {
      const start = i;
      while (i < n && !isSpecial(text.charCodeAt(i))) i++;
      const name = text.slice(start, i);
      const parent = parents[parents.length - 1];
      if (parent === undefined) graph.addRoot(name, optional);
      else graph.addEdge(parent, name, optional);
      optional = false;
      lastName = name;
      prev = "name";
      spaceBefore = false;
      continue;
    }
    spaceBefore = false;
    i++;
  }
  if (parents.length > 0) throw new ScopeParseError("unclosed brackets, missing ']'");
}
