// Fails unless every mutated file kills at least `--min` percent (default 90) of its mutants, as
// Stryker's JSON report (reports/mutation/mutation.json) counts them. Stryker's own
// `thresholds.break` applies to the whole run only. Run by `npm run test:mutation` after Stryker.
//
// Score as Stryker computes it: (killed + timed out) / (killed + timed out + survived + no coverage);
// mutants that do not compile, fail at run time or are disabled in the source do not count.
//
//   node scripts/check-mutation-scores.mjs [--report <file>] [--min <percent>]
import { readFile } from "node:fs/promises";
import path from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    report: { type: "string", default: "reports/mutation/mutation.json" },
    min: { type: "string", default: "90" },
  },
});
const min = Number(values.min);
if (!Number.isFinite(min) || min < 0 || min > 100) {
  console.error(`--min must be a percentage; got '${values.min}'`);
  process.exit(2);
}

let report;
try {
  report = JSON.parse(await readFile(values.report, "utf8"));
} catch (error) {
  console.error(`Cannot read the mutation report '${values.report}': ${error.message}. Run Stryker first.`);
  process.exit(2);
}

const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);
const rows = Object.entries(report.files ?? {})
  .map(([file, { mutants }]) => {
    const detected = mutants.filter((m) => DETECTED.has(m.status)).length;
    const valid = detected + mutants.filter((m) => UNDETECTED.has(m.status)).length;
    // A file with no valid mutant has nothing left to kill.
    const score = valid === 0 ? 100 : (100 * detected) / valid;
    return { file: path.relative(process.cwd(), path.resolve(file)), score, detected, valid };
  })
  .sort((a, b) => a.file.localeCompare(b.file));

if (rows.length === 0) {
  console.error(`The mutation report '${values.report}' lists no files.`);
  process.exit(1);
}
const width = Math.max(...rows.map((row) => row.file.length));
const failing = rows.filter((row) => row.score < min);
for (const row of rows) {
  const mark = row.score < min ? "FAIL" : "ok  ";
  console.log(
    `${mark} ${row.file.padEnd(width)} ${row.score.toFixed(2).padStart(6)} %  (${row.detected}/${row.valid})`,
  );
}
if (failing.length > 0) {
  console.error(`\n${failing.length} file(s) below the ${min} % mutation score every file must reach.`);
  process.exit(1);
}
console.log(`\nEvery file kills at least ${min} % of its mutants.`);
