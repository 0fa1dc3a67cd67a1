import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { isTokenStorageError, type TokenStorage, type TokenStorageData } from "@globus-app/core";
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectTypedOutcomeAsync,
  fuzzParams,
  hostileValue,
  mutated,
  trickyString,
} from "../../core/test-support/fuzz.ts";
import { JSONTokenStorage } from "./json-token-storage.ts";
import { SQLiteTokenStorage } from "./sqlite-token-storage.ts";

// What a read may return: a record for the resource server asked for (or null), or every record
// keyed by its own resource server; anything else (a function, an inherited value) is a bug.
function isRecord(value: unknown, resourceServer?: string): value is TokenStorageData {
  if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype) {
    return false;
  }
  const record = value as TokenStorageData;
  return (
    typeof record.access_token === "string" &&
    Number.isInteger(record.expires_at_seconds) &&
    (resourceServer === undefined || record.resource_server === resourceServer)
  );
}

function isRecordMap(value: Record<string, TokenStorageData>): boolean {
  return Object.entries(value).every(([rs, record]) => isRecord(record, rs));
}

const resourceServer = fc.oneof(
  fc.constantFrom("auth.globus.org", "transfer.api.globus.org"),
  fc.constantFrom("constructor", "__proto__", "toString", "hasOwnProperty", ""),
  trickyString,
);

const record = fc.record({
  resource_server: fc.constantFrom("auth.globus.org", "transfer.api.globus.org"),
  identity_id: fc.option(trickyString),
  scope: trickyString,
  access_token: trickyString,
  refresh_token: fc.option(trickyString),
  expires_at_seconds: fc.integer({ min: 0, max: 2 ** 40 }),
  token_type: fc.constantFrom("Bearer", null),
});

const records = fc
  .array(record, { maxLength: 3 })
  .map((list) => Object.fromEntries(list.map((r) => [r.resource_server, r])));

const tokenFile = fc.oneof(
  fc.record({
    data: fc.record({ DEFAULT: records, other: records }),
    format_version: fc.constant("2.0"),
    "globus-sdk.version": fc.constant("3.50.0"),
  }),
  fc.record({ by_rs: records, format_version: fc.constant("1.0") }),
);

/** File contents: mutated token files (as JSON), hostile JSON, and bytes that are not JSON. */
const fileText = fc.oneof(
  { weight: 6, arbitrary: mutated(tokenFile).map((doc) => JSON.stringify(doc) ?? "null") },
  { weight: 2, arbitrary: hostileValue.map((doc) => JSON.stringify(doc) ?? "null") },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.constantFrom("", " ", "\uFEFF{}", '{"format_version":"2.0","data":{}', "\u0000"),
    ),
  },
);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "globus-fuzz-storage-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const isStorageError = (error: unknown) => isTokenStorageError(error);

/** Both reads of `storage` give well-formed records (or none), or a TokenStorageError. */
async function expectTypedReads(storage: TokenStorage, rs: string): Promise<void> {
  await expectTypedOutcomeAsync(
    () => storage.getTokenData(rs),
    (found) => found === null || isRecord(found, rs),
    isStorageError,
  );
  await expectTypedOutcomeAsync(() => storage.getTokenDataByResourceServer(), isRecordMap, isStorageError);
}

describe("JSONTokenStorage reads under fuzzing", () => {
  it("any file content gives records or a TokenStorageError, and a read never changes the file", async () => {
    const file = path.join(dir, "tokens.json");
    await fc.assert(
      fc.asyncProperty(fileText, resourceServer, async (text, rs) => {
        await writeFile(file, text);
        const before = await readFile(file);
        const storage = new JSONTokenStorage(file);
        await expectTypedReads(storage, rs);
        expect(await readFile(file)).toEqual(before);
        expect(await readdir(dir)).toEqual(["tokens.json"]);
      }),
      // Reads of unparsable files wait out a possible concurrent writer (tens of ms): few runs.
      fuzzParams(40),
    );
  });
});

describe("SQLiteTokenStorage reads under fuzzing", () => {
  it("any token_data_json value gives records or a TokenStorageError", async () => {
    const file = path.join(dir, "tokens.db");
    // Let the storage create its schema, then plant rows behind its back.
    const setup = new SQLiteTokenStorage(file);
    await setup.open();
    await setup.close();
    const db = new Database(file);
    const plant = db.prepare(
      "INSERT OR REPLACE INTO token_storage(namespace, resource_server, token_data_json) VALUES (?, ?, ?)",
    );
    const value = fc.oneof(
      { weight: 4, arbitrary: mutated(record).map((doc) => JSON.stringify(doc) ?? "null") },
      { weight: 2, arbitrary: hostileValue.map((doc) => JSON.stringify(doc) ?? "null") },
      // Not null: the column is NOT NULL, so no writer can leave one.
      { weight: 1, arbitrary: fc.oneof(trickyString, fc.integer(), fc.double()) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }).map((bytes) => Buffer.from(bytes)) },
    );
    const storage = new SQLiteTokenStorage(file);
    try {
      await fc.assert(
        fc.asyncProperty(resourceServer, value, async (rs, json) => {
          db.prepare("DELETE FROM token_storage").run();
          plant.run("DEFAULT", rs, json);
          await expectTypedReads(storage, rs);
        }),
        fuzzParams(100),
      );
    } finally {
      await storage.close();
      db.close();
    }
  });
});
