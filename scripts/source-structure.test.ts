// The shape of the packages' sources, checked on every `npm test`:
// - no import circle, among a package's files or among the packages (type imports count: a circle
//   of types is still two modules that cannot be understood one without the other); a dynamic
//   `import()` is not an edge — it is how the page load and the login chunk are split;
// - no source file over 400 lines unless it opens with a comment (saying why it is kept whole);
// - no block of 6 or more lines of logic repeated, within a file or across files and packages (see
//   `logicLines` for what counts as logic, and `ALLOWED_REPEATS` for the few kept, each with why).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../", import.meta.url));
const packagesDir = join(repoRoot, "packages");
const MAX_LINES = 400;
const MIN_REPEAT = 6;

/**
 * Repeats kept on purpose, each with the reason: the two files (relative to `packages/`) and the
 * first line of the block, trimmed.
 */
const ALLOWED_REPEATS: { files: [string, string]; first: string; why: string }[] = [
  {
    files: ["core/src/auth/auth-login-client.ts", "core/src/auth/login-machinery.ts"],
    first: "grantType: TokenGrantType,",
    why:
      "AuthLoginClient.tokenGrant is the page-load stand-in for LoginMachinery's, which stays in the login " +
      "chunk (loaded on first use); both declare the parameters of one protected API, where TypeDoc shows them",
  },
];

/** Every non-test TypeScript source of `packages/<name>/src`. */
function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (
        /\.tsx?$/.test(entry.name) &&
        !/\.test\.tsx?$/.test(entry.name) &&
        !entry.name.endsWith(".d.ts")
      )
        files.push(path);
    }
  };
  for (const pkg of readdirSync(packagesDir, { withFileTypes: true })) {
    if (pkg.isDirectory()) walk(join(packagesDir, pkg.name, "src"));
  }
  return files.sort();
}

/** The module specifiers of a file's static imports and re-exports (`import type` included). */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      specifiers.push(statement.moduleSpecifier.text);
    }
  }
  return specifiers;
}

/** One circle of each strongly connected component of `graph` that has one, as a path back to its start. */
function findCircles(graph: Map<string, string[]>): string[][] {
  const circles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string): void => {
    state.set(node, "open");
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") circles.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return circles;
}

/** A line that counts for the repeat check: its text trimmed, and where it is (1-based). */
interface LogicLine {
  file: string;
  line: number;
  text: string;
}

/**
 * The lines of `text` that carry logic, trimmed. Left out: blank lines, comments (whole-line `//`
 * and `/* … *\/` blocks, TSDoc included), lines of brackets, parentheses and punctuation only
 * (`}`, `});`, `],`), and `import` and `export … from` statements (a list of names is not logic).
 */
function logicLines(file: string, text: string): LogicLine[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const importLines = new Set<number>();
  for (const statement of source.statements) {
    if (
      ts.isImportDeclaration(statement) ||
      ts.isImportEqualsDeclaration(statement) ||
      (ts.isExportDeclaration(statement) && statement.moduleSpecifier)
    ) {
      const first = source.getLineAndCharacterOfPosition(statement.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(statement.end).line;
      for (let line = first; line <= last; line++) importLines.add(line);
    }
  }
  const lines: LogicLine[] = [];
  let inComment = false;
  for (const [index, raw] of text.split("\n").entries()) {
    const trimmed = raw.trim();
    if (inComment) {
      inComment = !trimmed.includes("*/");
    } else if (trimmed.startsWith("/*")) {
      inComment = !trimmed.includes("*/");
    } else if (
      trimmed !== "" &&
      !trimmed.startsWith("//") &&
      !/^[()[\]{};,]+$/.test(trimmed) &&
      !importLines.has(index)
    ) {
      lines.push({ file, line: index + 1, text: trimmed });
    }
  }
  return lines;
}

/** One block of at least `min` logic lines found twice: where each copy starts and ends. */
interface Repeat {
  first: LogicLine;
  firstEnd: LogicLine;
  second: LogicLine;
  secondEnd: LogicLine;
}

/**
 * Every block of `min` or more consecutive logic lines that occurs twice, across `sources` or
 * within one, as the longest run each pair of copies shares (a block found three times is three
 * pairs).
 */
function findRepeats(sources: LogicLine[][], min: number): Repeat[] {
  const windowKey = (lines: LogicLine[], at: number): string =>
    lines
      .slice(at, at + min)
      .map((line) => line.text)
      .join("\n");
  const starts = new Map<string, [number, number][]>();
  sources.forEach((lines, source) => {
    for (let at = 0; at + min <= lines.length; at++) {
      const key = windowKey(lines, at);
      const list = starts.get(key);
      if (list) list.push([source, at]);
      else starts.set(key, [[source, at]]);
    }
  });
  const textAt = (source: number, at: number): string | undefined => sources[source]?.[at]?.text;
  const repeats: Repeat[] = [];
  for (const copies of starts.values()) {
    for (const [i, [sourceA, atA]] of copies.entries()) {
      for (const [sourceB, atB] of copies.slice(i + 1)) {
        // Reported once, from where the shared run begins.
        if (atA > 0 && atB > 0 && textAt(sourceA, atA - 1) === textAt(sourceB, atB - 1)) continue;
        let length = min;
        while (
          textAt(sourceA, atA + length) !== undefined &&
          textAt(sourceA, atA + length) === textAt(sourceB, atB + length)
        )
          length++;
        const a = sources[sourceA] as LogicLine[];
        const b = sources[sourceB] as LogicLine[];
        repeats.push({
          first: a[atA] as LogicLine,
          firstEnd: a[atA + length - 1] as LogicLine,
          second: b[atB] as LogicLine,
          secondEnd: b[atB + length - 1] as LogicLine,
        });
      }
    }
  }
  return repeats;
}

const files = sourceFiles();
const packageOf = (file: string): string => relative(packagesDir, file).split("/")[0] as string;

describe("the packages' sources", () => {
  it("have no import circle between files", () => {
    const known = new Set(files);
    const graph = new Map(
      files.map((file) => [
        file,
        staticImports(file)
          .filter((specifier) => specifier.startsWith("."))
          .map((specifier) => resolve(dirname(file), specifier))
          .filter((target) => known.has(target)),
      ]),
    );
    const circles = findCircles(graph).map((circle) =>
      circle.map((file) => relative(packagesDir, file)).join(" → "),
    );
    expect(circles).toEqual([]);
  });

  it("have no import circle between packages", () => {
    const graph = new Map<string, string[]>();
    for (const file of files) {
      const from = packageOf(file);
      const targets = staticImports(file)
        .map((specifier) => /^@globus-app\/([^/]+)/.exec(specifier)?.[1])
        .filter((target): target is string => target !== undefined && target !== from);
      graph.set(from, [...new Set([...(graph.get(from) ?? []), ...targets])]);
    }
    expect(findCircles(graph).map((circle) => circle.join(" → "))).toEqual([]);
  });

  it(`have no file over ${MAX_LINES} lines that does not open with a comment saying why`, () => {
    const unexplained = files.filter((file) => {
      const text = readFileSync(file, "utf8");
      return text.split("\n").length > MAX_LINES && !/^\s*(\/\/|\/\*)/.test(text);
    });
    expect(unexplained.map((file) => relative(packagesDir, file))).toEqual([]);
  });

  it(`repeat no block of ${MIN_REPEAT} or more lines of logic`, () => {
    const name = (file: string): string => relative(packagesDir, file);
    const repeats = findRepeats(
      files.map((file) => logicLines(file, readFileSync(file, "utf8"))),
      MIN_REPEAT,
    ).filter(
      (repeat) =>
        !ALLOWED_REPEATS.some(
          (allowed) =>
            allowed.first === repeat.first.text &&
            allowed.files.join() === [name(repeat.first.file), name(repeat.second.file)].sort().join(),
        ),
    );
    expect(
      repeats.map(
        (r) =>
          `${name(r.first.file)}:${r.first.line}-${r.firstEnd.line} = ${name(r.second.file)}:${r.second.line}-${r.secondEnd.line}`,
      ),
    ).toEqual([]);
  });

  it("finds a repeated block of logic when there is one (the check itself)", () => {
    const body = ["const a = f(x);", "if (!a) return;", "g(a);", "h(a);", "i(a);", "return a;"];
    const one = logicLines(
      "one.ts",
      ["import {", "  f,", '} from "./f.ts";', "function one(x) {", ...body, "}", ""].join("\n"),
    );
    // The same logic, indented differently, with a comment, blank lines and brackets in between.
    const two = logicLines(
      "two.ts",
      [
        "function two(x) {",
        "  {",
        "    // note",
        ...body.slice(0, 3),
        "",
        "    /**",
        "     * doc",
        "     */",
        "  }",
        ...body.slice(3).map((l) => `      ${l}`),
        "}",
      ].join("\n"),
    );
    expect(one.map((line) => line.text)).toEqual(["function one(x) {", ...body]);
    const [repeat, ...more] = findRepeats([one, two], MIN_REPEAT);
    expect(more).toEqual([]);
    expect(repeat).toMatchObject({
      first: { file: "one.ts", line: 5 },
      firstEnd: { file: "one.ts", line: 10 },
      second: { file: "two.ts", line: 4 },
      secondEnd: { file: "two.ts", line: 14 },
    });
    // One line fewer in common is no repeat.
    expect(findRepeats([one, logicLines("three.ts", body.slice(1).join("\n"))], MIN_REPEAT)).toEqual([]);
    // Within one file too.
    expect(
      findRepeats([logicLines("four.ts", [...body, "x();", ...body].join("\n"))], MIN_REPEAT),
    ).toHaveLength(1);
  });

  it("finds a circle when there is one (the check itself)", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    expect(findCircles(graph)).toEqual([["a", "b", "c", "a"]]);
    expect(
      findCircles(
        new Map([
          ["a", ["b"]],
          ["b", []],
        ]),
      ),
    ).toEqual([]);
  });
});
