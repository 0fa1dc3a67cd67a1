import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** The runtimes a README example can be marked runnable for. */
export type ExampleRuntime = "node" | "deno" | "bun";

/** A code block of a README marked runnable. */
export interface ReadmeExample {
  /** Path from the repository root, e.g. `README.md`. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  runtime: ExampleRuntime;
  code: string;
}

/**
 * The marker a README puts on the line before a code fence to have the block run by the tests:
 * `<!-- runnable: node -->`. An HTML comment, so readers of the rendered README never see it, and
 * the example text stays exactly what a reader copies.
 */
const RUNNABLE = /^<!--\s*runnable:\s*(node|deno|bun)\s*-->\s*$/;

/**
 * The address README examples use for the local emulator: its default (`npm run emulator`), so an
 * example works as printed against an emulator started by hand. The tests rewrite it to their own
 * emulator on a free port.
 */
export const README_EMULATOR_URL = "http://127.0.0.1:8700/";

/** Every runnable example of the root README and each package's README, in file order. */
export function readmeExamples(repoRoot: string): ReadmeExample[] {
  const files = [
    "README.md",
    ...readdirSync(path.join(repoRoot, "packages"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join("packages", entry.name, "README.md"))
      .sort(),
  ];
  const examples: ReadmeExample[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(path.join(repoRoot, file), "utf8");
    } catch {
      continue; // a package without a README
    }
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const marker = RUNNABLE.exec(lines[i] as string);
      if (!marker) continue;
      const fence = lines[i + 1] ?? "";
      if (!/^```(ts|js|typescript|javascript)\s*$/.test(fence)) {
        throw new Error(`${file}:${i + 1}: a runnable marker must stand right before a ts or js code fence`);
      }
      const end = lines.indexOf("```", i + 2);
      if (end < 0) throw new Error(`${file}:${i + 2}: unclosed code fence`);
      examples.push({
        file,
        line: i + 2,
        runtime: marker[1] as ExampleRuntime,
        code: `${lines.slice(i + 2, end).join("\n")}\n`,
      });
      i = end;
    }
  }
  return examples;
}
