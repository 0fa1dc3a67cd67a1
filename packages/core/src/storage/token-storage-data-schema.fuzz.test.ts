import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { fuzzParams, hostileValue, mutated, trickyNumber, trickyString } from "../../test-support/fuzz.ts";
import { sampleTokenData } from "../testing/index.ts";
import {
  assertStorableTokenData,
  parseTokenStorageData,
  tokenStorageDataToJSON,
} from "./token-storage-data.ts";
import { TokenStorageDataSchema } from "./token-storage-data-schema.ts";

// parseTokenStorageData checks records by hand (it is on every page load); it must accept exactly
// what the valibot schema it replaced accepts, with the messages that schema's issues gave.

/** The old valibot-based check, word for word: the reference the hand-written one must equal. */
function referenceParse(value: unknown): { problem: string } | { output: Record<string, unknown> } {
  const result = v.safeParse(TokenStorageDataSchema, value);
  if (result.success) return { output: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join(".") ?? "(record)";
  let expectation: string;
  if (issue.input === undefined && issue.kind === "schema") expectation = "is missing";
  else if (issue.expected === "string") expectation = "must be a string";
  else if (issue.expected === "number") expectation = "must be a number";
  else if (issue.expected?.includes("null")) expectation = "must be a string or null";
  else if (issue.expected === "Object") expectation = "must be an object";
  else expectation = issue.expected ? `must be ${issue.expected}` : "is invalid";
  return { problem: `'${path}' ${expectation}` };
}

function handParse(value: unknown): { problem: string } | { output: Record<string, unknown> } {
  try {
    const data = parseTokenStorageData(value, "here");
    const { extra, ...known } = data;
    return { output: { ...known, ...extra } };
  } catch (error) {
    return { problem: String((error as Error).message).replace("Invalid token data in here: ", "") };
  }
}

const fieldValue = fc.oneof(
  trickyString,
  trickyNumber,
  fc.constantFrom(null, undefined, true, false, [], {}, Number.NaN, Number.POSITIVE_INFINITY),
  hostileValue,
);
const KEYS = [
  "resource_server",
  "identity_id",
  "scope",
  "access_token",
  "refresh_token",
  "expires_at_seconds",
  "token_type",
  "extra_key",
  "__proto__",
  "constructor",
  "prototype",
];
const record = fc.dictionary(fc.constantFrom(...KEYS), fieldValue, { maxKeys: 9 });

describe("the hand-written stored-record check", () => {
  it("accepts and refuses exactly what TokenStorageDataSchema does, with its messages", () => {
    const valid = fc.constant(null).map(() => tokenStorageDataToJSON(sampleTokenData("rs")));
    fc.assert(
      fc.property(fc.oneof(record, mutated(valid), hostileValue, valid), (value) => {
        const hand = handParse(value);
        const reference = referenceParse(value);
        if ("problem" in reference) expect(hand).toEqual(reference);
        else {
          expect("output" in hand).toBe(true);
          const output = (hand as { output: Record<string, unknown> }).output;
          // parseTokenStorageData truncates the expiry to whole seconds, as it always did.
          const expected = {
            ...reference.output,
            expires_at_seconds: Math.trunc(reference.output.expires_at_seconds as number),
          };
          expect(output).toEqual(expected);
          expect(Object.keys(output)).toEqual(Object.keys(expected));
        }
      }),
      fuzzParams(2000),
    );
  });

  it("refuses before storing exactly what the schema refuses", () => {
    fc.assert(
      fc.property(record, (value) => {
        const data = { rs: { ...value, resource_server: "rs" } as never };
        let schemaRefuses: boolean;
        try {
          schemaRefuses = !v.safeParse(TokenStorageDataSchema, tokenStorageDataToJSON(data.rs)).success;
        } catch {
          // A value that cannot even be written as JSON (an object as the expiry): refused either way.
          schemaRefuses = true;
        }
        let refused = false;
        try {
          assertStorableTokenData(data);
        } catch {
          refused = true;
        }
        expect(refused).toBe(schemaRefuses);
      }),
      fuzzParams(1000),
    );
  });
});
