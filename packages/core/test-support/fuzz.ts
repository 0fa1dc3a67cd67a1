/**
 * Shared pieces of the seeded fuzz suites (`*.fuzz.test.ts`): the seed and run budget, the
 * "typed outcome, no pollution" assertion, and arbitraries for hostile JSON.
 *
 * Runs are reproducible: every property uses {@link FUZZ_SEED} (fixed unless the environment says
 * otherwise). To explore, run with a random seed and more runs:
 *
 *   FUZZ_SEED=random FUZZ_RUNS=20 npx vitest run --project node packages/core/src/gare/gare.fuzz.test.ts
 *
 * fast-check prints the seed and the shrunk counterexample of a failure; re-run with
 * `FUZZ_SEED=<that seed>` to reproduce it, then pin it as a unit test beside the parser.
 */
import { isGlobusError } from "@globus-app/core";
import fc from "fast-check";

function seedFromEnv(): number {
  const raw = process.env.FUZZ_SEED;
  if (raw === undefined || raw === "") return 0x6c0b05;
  if (raw === "random") return Math.floor(Math.random() * 0x7fffffff);
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer or "random"; got '${raw}'`);
  return seed;
}

/** The seed of every property; printed once so a random run can be replayed. */
export const FUZZ_SEED = seedFromEnv();
if (process.env.FUZZ_SEED) console.info(`fuzz seed: ${FUZZ_SEED}`);

/** Multiplies every property's run count (default 1, which keeps the whole suite to seconds). */
const RUN_FACTOR = Math.max(1, Number(process.env.FUZZ_RUNS ?? "1") || 1);

/**
 * fast-check parameters for one property: the shared seed, `runs` runs (times `FUZZ_RUNS`), and a
 * wall-clock cap so a slow machine shortens the run rather than failing it (a real hang inside one
 * call is caught by {@link expectTypedOutcome}'s per-call budget and the test timeout).
 */
export function fuzzParams<T>(runs: number): fc.Parameters<T> {
  return {
    seed: FUZZ_SEED,
    numRuns: runs * RUN_FACTOR,
    interruptAfterTimeLimit: 500 * RUN_FACTOR,
    markInterruptAsFailure: false,
    endOnFailure: false,
  };
}

/** The longest one parser call may take on any input the suites generate (a generous bound). */
const CALL_BUDGET_MS = 1000;

const PROTOTYPES: ReadonlyArray<[string, object]> = [
  ["Object.prototype", Object.prototype],
  ["Array.prototype", Array.prototype],
  ["Function.prototype", Function.prototype],
];

function snapshot(): string[][] {
  return PROTOTYPES.map(([, proto]) => Reflect.ownKeys(proto).map(String).sort());
}

const BASELINE = snapshot();

/** Fails when a run left a mark on a shared prototype (prototype pollution). */
export function expectNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  for (const key of ["polluted", "p", "isAdmin", "x"]) {
    if (probe[key] !== undefined) throw new Error(`prototype pollution: ({}).${key} is defined`);
  }
  const now = snapshot();
  PROTOTYPES.forEach(([name], i) => {
    if (JSON.stringify(now[i]) !== JSON.stringify(BASELINE[i])) {
      throw new Error(`prototype pollution: ${name} gained or lost keys`);
    }
  });
  if (Object.getPrototypeOf({}) !== Object.prototype)
    throw new Error("prototype pollution: {} lost its prototype");
}

/** What a thrown value must be: one of this library's typed errors (by default any GlobusError). */
export type ErrorCheck = (error: unknown) => boolean;

function failUntyped(error: unknown): never {
  const name = error instanceof Error ? `${error.name}: ${error.message.slice(0, 200)}` : String(error);
  throw new Error(`untyped error escaped the parser: ${name}`, { cause: error });
}

/**
 * Runs `call` and checks the outcome: a result accepted by `isValid`, or a thrown error accepted by
 * `isTypedError` (a plain TypeError, RangeError or SyntaxError is a bug); then that no prototype was
 * polluted and the call stayed within the per-call budget.
 */
export function expectTypedOutcome<T>(
  call: () => T,
  isValid: (result: T) => boolean = () => true,
  isTypedError: ErrorCheck = isGlobusError,
): { ok: true; value: T } | { ok: false; error: unknown } {
  const start = performance.now();
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: call() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  checkOutcome(outcome, start, isValid, isTypedError);
  return outcome;
}

/** {@link expectTypedOutcome} for async calls. */
export async function expectTypedOutcomeAsync<T>(
  call: () => Promise<T>,
  isValid: (result: T) => boolean = () => true,
  isTypedError: ErrorCheck = isGlobusError,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  const start = performance.now();
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await call() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  checkOutcome(outcome, start, isValid, isTypedError, 4 * CALL_BUDGET_MS);
  return outcome;
}

function checkOutcome<T>(
  outcome: { ok: true; value: T } | { ok: false; error: unknown },
  start: number,
  isValid: (result: T) => boolean,
  isTypedError: ErrorCheck,
  budget = CALL_BUDGET_MS,
): void {
  const elapsed = performance.now() - start;
  expectNoPollution();
  if (!outcome.ok && !isTypedError(outcome.error)) failUntyped(outcome.error);
  if (outcome.ok && !isValid(outcome.value)) throw new Error("the parser returned an invalid result");
  if (elapsed > budget) throw new Error(`one call took ${Math.round(elapsed)} ms (budget ${budget} ms)`);
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

/** Strings that have broken parsers before: prototype keys, number look-alikes, odd unicode. */
export const trickyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "",
      " ",
      "__proto__",
      "constructor",
      "prototype",
      "toString",
      "hasOwnProperty",
      "valueOf",
      "NaN",
      "Infinity",
      "-Infinity",
      "1e309",
      "-0",
      "0x10",
      "null",
      "true",
      "\u0000",
      "\ud800",
      "\udfff",
      "\u202e",
      "é",
      "🦆",
      "%",
      "%zz",
      "%00",
      "&",
      "=",
      "?",
      "#",
      "\r\n",
    ),
  },
);

/** A very long string (built once; fast-check only picks it). */
export const LONG_STRING = "x".repeat(50_000);

/** Numbers JSON cannot carry (NaN, ±Infinity) or carries badly (huge, -0, unsafe integers). */
export const trickyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MIN_VALUE,
    -0,
    2 ** 53 + 1,
    1e308,
    -1e308,
    1.5,
  ),
);

function deeplyNested(depth: number, kind: "array" | "object"): unknown {
  // Built with JSON.parse rather than a loop of object literals so the shape is what a wire body
  // would give.
  return kind === "array"
    ? JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`)
    : JSON.parse(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`);
}

// Deep enough to break a recursive walk with a small stack, shallow enough for fast-check to
// print a counterexample that holds one (its printer recurses too).
const DEEP_ARRAY = deeplyNested(1000, "array");
const DEEP_OBJECT = deeplyNested(1000, "object");

/** An object whose own `__proto__` key holds `{polluted: true}` — what JSON.parse makes of one. */
export function withOwnProto(base: Record<string, unknown> = {}): Record<string, unknown> {
  const out = { ...base };
  Object.defineProperty(out, "__proto__", {
    value: { polluted: true, isAdmin: true },
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return out;
}

const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: trickyString },
  { weight: 3, arbitrary: trickyNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, undefined) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      LONG_STRING,
      DEEP_ARRAY,
      DEEP_OBJECT,
      [],
      {},
      Object.create(null),
      JSON.parse('{"__proto__":{"polluted":true}}'),
      JSON.parse('{"constructor":{"prototype":{"polluted":true}}}'),
    ),
  },
);

/** Arbitrary JSON-like values with hostile leaves and keys, a few levels deep. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileLeaf,
    fc.array(tie("value"), { maxLength: 4 }),
    fc
      .array(fc.tuple(trickyString, tie("value")), { maxLength: 4 })
      .map((entries) => Object.fromEntries(entries)),
    fc.dictionary(trickyString, tie("value"), { maxKeys: 3 }).map((obj) => withOwnProto(obj)),
  ),
})).value;

type Path = Array<string | number>;

function containerPaths(value: unknown, path: Path = [], out: Path[] = [], depth = 0): Path[] {
  if (typeof value !== "object" || value === null || depth > 8) return out;
  out.push(path);
  const keys = Array.isArray(value) ? value.keys() : Object.keys(value);
  for (const key of keys) {
    containerPaths((value as Record<string | number, unknown>)[key], [...path, key], out, depth + 1);
  }
  return out;
}

function deepCopy(value: unknown, depth = 0): unknown {
  if (typeof value !== "object" || value === null || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => deepCopy(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty keeps a "__proto__" key an own data property, as JSON.parse does.
    Object.defineProperty(out, key, {
      value: deepCopy(item, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function setOwn(target: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Structure-aware mutations of valid documents: a field (at any depth) replaced by a hostile
 * value, deleted, or joined by a hostile or `__proto__` key; sometimes the result is then sent
 * through JSON, as a wire body would be (NaN becomes null, undefined disappears).
 */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .record({
      doc: valid,
      at: fc.nat(),
      key: fc.nat(),
      op: fc.constantFrom("replace", "delete", "add", "proto", "keep"),
      value: hostileValue,
      newKey: trickyString,
      viaJSON: fc.boolean(),
    })
    .map(({ doc, at, key, op, value, newKey, viaJSON }) => {
      const copy = deepCopy(doc);
      const paths = containerPaths(copy);
      const path = paths[at % Math.max(paths.length, 1)];
      if (path !== undefined) {
        let target = copy as Record<string | number, unknown>;
        for (const step of path) target = target[step] as Record<string | number, unknown>;
        const keys: Array<string | number> = Array.isArray(target) ? [...target.keys()] : Object.keys(target);
        const chosen = keys[key % Math.max(keys.length, 1)];
        if (op === "replace" && chosen !== undefined) setOwn(target, chosen, value);
        else if (op === "delete" && chosen !== undefined) delete target[chosen];
        else if (op === "add") setOwn(target, Array.isArray(target) ? target.length : newKey, value);
        else if (op === "proto" && !Array.isArray(target)) setOwn(target, "__proto__", { polluted: true });
      }
      if (!viaJSON) return copy;
      try {
        return JSON.parse(JSON.stringify(copy) ?? "null");
      } catch {
        // Too deep for JSON.stringify: keep the object as it is.
        return copy;
      }
    });
}

/** encodeURIComponent, except that a lone surrogate (which it refuses) is left as it is. */
function encodeLenient(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The state the callback suites expect; arbitraries put it (or a near miss) in the URLs. */
export const EXPECTED_STATE = "st4te-éxpected";

const queryValue = fc.oneof(
  fc.constantFrom(EXPECTED_STATE, "other-state", "c0de", "access_denied", ""),
  trickyString,
);

/**
 * Login callback URLs and pasted answers: redirect URLs whose query repeats, omits or mangles
 * `code`, `state` and `error` (percent-encoding, fragments, odd schemes), bare codes, and junk.
 */
export const callbackInput: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record({
        base: fc.constantFrom(
          "http://localhost:8080/cb",
          "https://auth.globus.org/v2/web/auth-code",
          "HTTPS://APP.EXAMPLE.ORG/callback#x",
          "http://[::1]:9/cb",
          "javascript:alert(1)//",
          "http://",
          "https://a.b/c?",
        ),
        params: fc.array(
          fc.tuple(
            fc.constantFrom("code", "state", "error", "error_description", "x", "Code", "state "),
            queryValue,
          ),
          { maxLength: 6 },
        ),
        encode: fc.boolean(),
        fragment: fc.option(fc.constantFrom("#code=evil", "#", "#state=x&code=y")),
        pad: fc.constantFrom("", " ", "\n", "\t"),
      })
      .map(({ base, params, encode, fragment, pad }) => {
        const join = base.includes("?") ? "&" : "?";
        const query = params
          .map(([k, v]) => (encode ? `${encodeLenient(k)}=${encodeLenient(v)}` : `${k}=${v}`))
          .join("&");
        return `${pad}${base}${params.length > 0 ? join : ""}${query}${fragment ?? ""}${pad}`;
      }),
  },
  { weight: 1, arbitrary: fc.constantFrom("c0de", "", "   ", "%", `https://x/?code=${"a".repeat(100_000)}`) },
  { weight: 1, arbitrary: trickyString },
);
