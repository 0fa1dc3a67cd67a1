// The shape of the packages' sources, checked on every `npm test`:
// - no import circle, among a package's files or among the packages (type imports count: a circle
//   of types is still two modules that cannot be understood one without the other); a dynamic
//   `import()` is not an edge — it is how the page load and the login chunk are split;
// - no source file over 400 lines unless it opens with a comment (saying why it is kept whole).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../", import.meta.url));
const packagesDir = join(repoRoot, "packages");
const MAX_LINES = 400;

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
