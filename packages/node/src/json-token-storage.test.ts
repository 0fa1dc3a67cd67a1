import { execFileSync } from "node:child_process";
import { chownSync, existsSync } from "node:fs";
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import process from "node:process";
import { isTokenStorageError, type TokenStorageData } from "@globus-app/core";
import { describeTokenStorageConformance, sampleTokenData } from "@globus-app/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectEveryCallRefused } from "../test-support/expect-refused.ts";
import { PYTHON_TOKEN_RECORD_KEYS } from "../test-support/python-token-record-keys.ts";
import { JSONTokenStorage } from "./json-token-storage.ts";
import { WRITER_VERSION } from "./writer-version.ts";

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), "globus-json-storage-"));
}

describeTokenStorageConformance("JSONTokenStorage", {
  setup: async () => {
    const dir = await tempDir();
    const file = path.join(dir, "app", "tokens.json");
    return {
      create: (namespace) => new JSONTokenStorage(file, { namespace }),
      // Truncated mid-record, as a crashed non-atomic writer would leave it, tokens included.
      corrupt: async () =>
        writeFile(
          file,
          '{"data": {"DEFAULT": {"a": {"access_token": "access-a", "refresh_token": "refresh-a',
        ),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
});

/** A token file as the Python SDK writes it, indented (one record "a"): byte-for-byte checks use it. */
const prettyPythonFile = (): string =>
  JSON.stringify(
    { data: { DEFAULT: { a: sampleTokenData("a") } }, format_version: "2.0", "globus-sdk.version": "3.50.0" },
    null,
    2,
  );

describe("JSONTokenStorage", () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await tempDir();
    file = path.join(dir, "tokens.json");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Expects `fn` to fail with a TokenStorageError naming the file, and the file to be unchanged. */
  async function expectRefused(fn: () => Promise<unknown>): Promise<string> {
    const before = await readFile(file);
    const error = await fn().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isTokenStorageError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(file);
    expect((error as { location?: string }).location).toBe(file);
    expect(await readFile(file)).toEqual(before);
    return message;
  }

  describe("file format", () => {
    it("writes the Python SDK's v2 document: compact, keys in order, nulls omitted", async () => {
      const storage = new JSONTokenStorage(file, { namespace: "foo" });
      const auth = sampleTokenData("auth.globus.org", { refresh_token: null, identity_id: null });
      const transfer = sampleTokenData("transfer.api.globus.org", { token_type: null });
      await storage.storeTokenDataByResourceServer({
        "auth.globus.org": auth,
        "transfer.api.globus.org": transfer,
      });

      const text = await readFile(file, "utf8");
      const expected = {
        data: {
          foo: {
            "auth.globus.org": {
              resource_server: "auth.globus.org",
              scope: "urn:globus:auth:scope:auth.globus.org:all",
              access_token: "access-auth.globus.org",
              expires_at_seconds: 1_900_000_000,
              token_type: "Bearer",
            },
            "transfer.api.globus.org": {
              resource_server: "transfer.api.globus.org",
              identity_id: "ae341a98-d274-11e5-b888-dbae3a8ba545",
              scope: "urn:globus:auth:scope:transfer.api.globus.org:all",
              access_token: "access-transfer.api.globus.org",
              refresh_token: "refresh-transfer.api.globus.org",
              expires_at_seconds: 1_900_000_000,
            },
          },
        },
        format_version: "2.0",
        "globus-sdk.version": WRITER_VERSION,
      };
      expect(JSON.parse(text)).toEqual(expected);
      // Byte-exact: compact and in the Python SDK's key order (toEqual ignores order).
      expect(text).toBe(JSON.stringify(expected));
      expect(Object.keys(JSON.parse(text))).toEqual(["data", "format_version", "globus-sdk.version"]);
      // No token_type: the record has none, and null values are left out.
      expect(Object.keys(JSON.parse(text).data.foo["transfer.api.globus.org"])).toEqual(
        PYTHON_TOKEN_RECORD_KEYS.filter((key) => key !== "token_type"),
      );
    });

    it("writes expiries as whole seconds, which the Python SDK requires", async () => {
      const storage = new JSONTokenStorage(file);
      await storage.storeTokenDataByResourceServer({
        a: sampleTokenData("a", { expires_at_seconds: 1_900_000_000.75 }),
      });
      expect(JSON.parse(await readFile(file, "utf8")).data.DEFAULT.a.expires_at_seconds).toBe(1_900_000_000);
    });

    it("reads a Python-written v2 file, with extra keys and a missing refresh_token", async () => {
      // json.dump's default separators, as the Python SDK writes them.
      await writeFile(
        file,
        '{"data": {"DEFAULT": {"auth.globus.org": {"resource_server": "auth.globus.org", "identity_id": "c8aad43e-d274-11e5-bf98-8b02896cf782", "scope": "openid profile email", "access_token": "at-1", "expires_at_seconds": 1800000000, "token_type": "Bearer", "custom_key": {"x": [1, 2]}}}, "other-app": {"transfer.api.globus.org": {"resource_server": "transfer.api.globus.org", "scope": "urn:globus:auth:scope:transfer.api.globus.org:all", "access_token": "at-2", "refresh_token": "rt-2", "expires_at_seconds": 1800000001}}}, "format_version": "2.0", "globus-sdk.version": "3.54.0"}',
      );
      const storage = new JSONTokenStorage(file);
      expect(await storage.getTokenDataByResourceServer()).toEqual({
        "auth.globus.org": {
          resource_server: "auth.globus.org",
          identity_id: "c8aad43e-d274-11e5-bf98-8b02896cf782",
          scope: "openid profile email",
          access_token: "at-1",
          refresh_token: null,
          expires_at_seconds: 1_800_000_000,
          token_type: "Bearer",
          extra: { custom_key: { x: [1, 2] } },
        },
      });
      const other = new JSONTokenStorage(file, { namespace: "other-app" });
      expect(await other.getTokenData("transfer.api.globus.org")).toEqual({
        resource_server: "transfer.api.globus.org",
        identity_id: null,
        scope: "urn:globus:auth:scope:transfer.api.globus.org:all",
        access_token: "at-2",
        refresh_token: "rt-2",
        expires_at_seconds: 1_800_000_001,
        token_type: null,
      });
    });

    it("keeps other namespaces' records exactly as they were when writing", async () => {
      const foreign = {
        resource_server: "x",
        scope: "s",
        access_token: "t",
        expires_at_seconds: 1,
        weird: [null, { a: 1 }],
      };
      await writeFile(
        file,
        JSON.stringify({
          data: { other: { x: foreign } },
          format_version: "2.0",
          "globus-sdk.version": "3.54.0",
        }),
      );
      await new JSONTokenStorage(file).storeTokenDataByResourceServer({ a: sampleTokenData("a") });
      const written = JSON.parse(await readFile(file, "utf8"));
      expect(Object.keys(written.data)).toEqual(["other", "DEFAULT"]);
      expect(written.data.other).toEqual({ x: foreign });
    });

    const v1 = {
      by_rs: {
        "auth.globus.org": {
          scope: "openid profile email",
          access_token: "v1-at",
          refresh_token: "v1-rt",
          token_type: "Bearer",
          expires_at_seconds: 1_700_000_000,
          resource_server: "auth.globus.org",
        },
        "transfer.api.globus.org": {
          scope: "urn:globus:auth:scope:transfer.api.globus.org:all",
          access_token: "v1-at-2",
          refresh_token: null,
          token_type: "Bearer",
          expires_at_seconds: 1_700_000_001,
          resource_server: "transfer.api.globus.org",
        },
      },
      format_version: "1.0",
      "globus-sdk.version": "3.10.0",
    };

    it("reads a v1 file as the DEFAULT namespace, and no other", async () => {
      await writeFile(file, JSON.stringify(v1, null, 2));
      const storage = new JSONTokenStorage(file);
      const all = await storage.getTokenDataByResourceServer();
      expect(Object.keys(all)).toEqual(["auth.globus.org", "transfer.api.globus.org"]);
      expect(all["auth.globus.org"]).toEqual({
        resource_server: "auth.globus.org",
        identity_id: null,
        scope: "openid profile email",
        access_token: "v1-at",
        refresh_token: "v1-rt",
        expires_at_seconds: 1_700_000_000,
        token_type: "Bearer",
      });
      expect(await new JSONTokenStorage(file, { namespace: "foo" }).getTokenDataByResourceServer()).toEqual(
        {},
      );
    });

    it("rewrites a v1 file as v2 on the next write", async () => {
      await writeFile(file, JSON.stringify(v1));
      await new JSONTokenStorage(file, { namespace: "foo" }).storeTokenDataByResourceServer({
        a: sampleTokenData("a"),
      });
      const written = JSON.parse(await readFile(file, "utf8"));
      expect(Object.keys(written)).toEqual(["data", "format_version", "globus-sdk.version"]);
      expect(written.format_version).toBe("2.0");
      expect(written.by_rs).toBeUndefined();
      expect(Object.keys(written.data)).toEqual(["DEFAULT", "foo"]);
      // Records of namespaces this storage does not own are carried over exactly as read.
      expect(written.data.DEFAULT["transfer.api.globus.org"]).toEqual({
        resource_server: "transfer.api.globus.org",
        scope: "urn:globus:auth:scope:transfer.api.globus.org:all",
        access_token: "v1-at-2",
        refresh_token: null,
        token_type: "Bearer",
        expires_at_seconds: 1_700_000_001,
      });
      expect((await new JSONTokenStorage(file).getTokenData("auth.globus.org"))?.access_token).toBe("v1-at");
    });

    it("reads through a non-atomic writer's half-written file (as the Python SDK writes)", async () => {
      await writeFile(file, '{"data": {"DEFAULT": {"a": {"resource_server"');
      const reading = new JSONTokenStorage(file).getTokenDataByResourceServer();
      await writeFile(
        file,
        JSON.stringify({ data: { DEFAULT: { a: sampleTokenData("a") } }, format_version: "2.0" }),
      );
      expect(Object.keys(await reading)).toEqual(["a"]);
    });

    it("writes nothing when given no records: no file is created, an existing one is left as it is", async () => {
      const storage = new JSONTokenStorage(file);
      await storage.storeTokenDataByResourceServer({});
      expect(existsSync(file)).toBe(false);
      const v1 = JSON.stringify({ by_rs: {}, format_version: "1.0" });
      await writeFile(file, v1);
      await storage.storeTokenDataByResourceServer({});
      expect(await readFile(file, "utf8")).toBe(v1);
    });

    it("leaves the file byte for byte as it was when a remove finds nothing to remove", async () => {
      const pretty = prettyPythonFile();
      await writeFile(file, pretty);
      expect(await new JSONTokenStorage(file).removeTokenData("absent")).toBe(false);
      expect(await new JSONTokenStorage(file, { namespace: "other" }).removeTokenData("a")).toBe(false);
      expect(await readFile(file, "utf8")).toBe(pretty);
    });

    it("treats a missing file as empty and creates neither it nor its folder on read, remove or sign-out", async () => {
      const storage = new JSONTokenStorage(path.join(dir, "missing", "tokens.json"));
      expect(await storage.getTokenDataByResourceServer()).toEqual({});
      expect(await storage.removeTokenData("a")).toBe(false);
      expect(await storage.getUserRecord()).toBeNull();
      await storage.storeUserRecord(null);
      expect(await readdir(dir)).toEqual([]);
    });

    it("re-reads the file on every get, so other writers are seen at once", async () => {
      const storage = new JSONTokenStorage(file);
      await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
      const doc = JSON.parse(await readFile(file, "utf8"));
      doc.data.DEFAULT.a.access_token = "written-by-python";
      await writeFile(file, JSON.stringify(doc));
      expect((await storage.getTokenData("a"))?.access_token).toBe("written-by-python");
    });

    it("handles resource servers and namespaces named like Object.prototype members", async () => {
      const storage = new JSONTokenStorage(file, { namespace: "__proto__" });
      await storage.storeTokenDataByResourceServer({ constructor: sampleTokenData("constructor") });
      expect(Object.keys(await storage.getTokenDataByResourceServer())).toEqual(["constructor"]);
      expect(Object.keys(JSON.parse(await readFile(file, "utf8")).data)).toEqual(["__proto__"]);
    });

    it("records this package's version, kept in step with package.json", async () => {
      const packageJson = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
      expect(WRITER_VERSION).toBe(`${packageJson.version}+globus-app-js`);
    });
  });

  describe("bad files are reported, never replaced", () => {
    const good = sampleTokenData("good");
    const cases: [string, string, RegExp][] = [
      ["not JSON", "{not json", /is not valid JSON\. To recover, delete the file/],
      ["an empty file", "", /is empty/],
      ["a non-object root", "[1, 2]", /does not hold a JSON object at its root/],
      ["a null root", "null", /does not hold a JSON object at its root/],
      ["a blank file", " \n\t", /is empty, which is not valid JSON/],
      [
        "a non-string format_version",
        '{"data": {}, "format_version": 2}',
        /is malformed: 'format_version' must be a string/,
      ],
      [
        "v1 with by_rs that is not an object",
        '{"by_rs": [], "format_version": "1.0"}',
        /holds invalid v1\.0 data \('by_rs' must be an object\)/,
      ],
      [
        "a long unknown format_version (quoted up to 40 characters)",
        `{"data": {}, "format_version": "${"9".repeat(39)}xsecret-at"}`,
        new RegExp(`unknown format \\(format_version="${"9".repeat(39)}x"\\)`),
      ],
      [
        "an unknown format_version",
        '{"data": {}, "format_version": "3.0"}',
        /unknown format \(format_version="3\.0"\)/,
      ],
      ["no format_version", '{"data": {}}', /'format_version' is missing/],
      ["v1 without by_rs", '{"format_version": "1.0"}', /invalid v1\.0 data \(missing 'by_rs'\)/],
      ["v2 without data", '{"format_version": "2.0"}', /'data' is missing/],
      ["data that is not an object", '{"data": [], "format_version": "2.0"}', /'data' must be an object/],
      [
        "a namespace that is not an object",
        '{"data": {"DEFAULT": 5}, "format_version": "2.0"}',
        /'data\.DEFAULT' must be an object/,
      ],
      [
        "a record with a bad field",
        '{"data": {"DEFAULT": {"a": {"resource_server": "a", "scope": 5, "access_token": "secret-at", "expires_at_seconds": 1}}}, "format_version": "2.0"}',
        /Invalid token data in .* at data\.DEFAULT\.a: 'scope' must be a string/,
      ],
      [
        "a record missing a required field",
        '{"data": {"DEFAULT": {"a": {"resource_server": "a", "scope": "s", "expires_at_seconds": 1}}}, "format_version": "2.0"}',
        /at data\.DEFAULT\.a: 'access_token' /,
      ],
      [
        // Its tokens would be handed out for the wrong server, past the scope check of the key's.
        "a record filed under another resource server",
        '{"data": {"DEFAULT": {"a": {"resource_server": "b", "scope": "s", "access_token": "secret-at", "expires_at_seconds": 1}}}, "format_version": "2.0"}',
        /at data\.DEFAULT\.a: 'resource_server' is not the resource server it is stored under/,
      ],
      [
        "a non-string globus-sdk.version",
        '{"data": {}, "format_version": "2.0", "globus-sdk.version": 3}',
        /'globus-sdk\.version' must be a string/,
      ],
    ];

    it.each(cases)("%s", async (_label, content, pattern) => {
      await writeFile(file, content);
      const storage = new JSONTokenStorage(file);
      const message = await expectRefused(() => storage.getTokenDataByResourceServer());
      expect(message).toMatch(pattern);
      expect(message).not.toContain("secret-at");
      // A file's problem has no cause to wrap.
      const error = await storage.getTokenDataByResourceServer().catch((e: unknown) => e);
      expect(Object.hasOwn(error as object, "cause")).toBe(false);
      await expectRefused(() => storage.storeTokenDataByResourceServer({ good }));
      await expectRefused(() => storage.removeTokenData("a"));
    });

    it.skipIf(process.platform === "win32")(
      "refuses a path that is not a regular file (a FIFO would block every read)",
      async () => {
        await mkdir(path.dirname(file), { recursive: true });
        execFileSync("mkfifo", [file]);
        const storage = new JSONTokenStorage(file);
        for (const call of [
          () => storage.getTokenDataByResourceServer(),
          () => storage.storeTokenDataByResourceServer({ good }),
          () => storage.removeTokenData("a"),
        ]) {
          const error = await call().catch((e: unknown) => e);
          expect(isTokenStorageError(error), String(error)).toBe(true);
          expect((error as Error).message).toMatch(/is not a regular file/);
        }
        expect((await stat(file)).isFIFO()).toBe(true);
      },
    );

    it("does not refuse a file whose bad record is in another namespace, and keeps that record", async () => {
      const content = '{"data": {"other": {"a": {"scope": 5}}}, "format_version": "2.0"}';
      await writeFile(file, content);
      const storage = new JSONTokenStorage(file);
      await storage.storeTokenDataByResourceServer({ good });
      expect(JSON.parse(await readFile(file, "utf8")).data.other).toEqual({ a: { scope: 5 } });
    });
  });

  describe("permissions and atomic writes", () => {
    it("creates the file 0600 and missing directories 0700, whatever the umask", async () => {
      let previous: number | undefined;
      try {
        previous = process.umask(0o000);
      } catch {
        // Worker threads cannot change the umask; the default one still gets checked.
      }
      try {
        const nested = path.join(dir, "a", "b", "tokens.json");
        await new JSONTokenStorage(nested).storeTokenDataByResourceServer({ a: sampleTokenData("a") });
        expect((await stat(nested)).mode & 0o777).toBe(0o600);
        expect((await stat(path.join(dir, "a", "b"))).mode & 0o777).toBe(0o700);
        expect((await stat(path.join(dir, "a"))).mode & 0o777).toBe(0o700);
      } finally {
        if (previous !== undefined) process.umask(previous);
      }
      // The existing parent directory is not the storage's to change.
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
    });

    it("tightens an existing file to 0600 on write", async () => {
      await writeFile(file, JSON.stringify({ data: {}, format_version: "2.0" }), { mode: 0o644 });
      await new JSONTokenStorage(file).storeTokenDataByResourceServer({ a: sampleTokenData("a") });
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    });

    it("leaves no temporary or lock files behind, and removes torn ones of killed writers", async () => {
      await writeFile(
        path.join(dir, "tokens.json.3735928559"),
        '{"data": {"DEFAULT": {"a": {"access_token": "at',
      );
      await writeFile(path.join(dir, "tokens.json.20240101"), '{"data": {}, "format_version": "2.0"}');
      await writeFile(path.join(dir, "tokens.json.backup"), "not ours");
      // Names that only contain or start like a legacy temporary name are someone else's files.
      const neighbours = [
        "tokens.json.backup.1",
        "tokens.json.1.bak",
        "tokens.json.12345678901",
        "tokens.json.",
        "tokens-json.7",
      ];
      for (const name of neighbours) await writeFile(path.join(dir, name), "not ours either");
      await writeFile(path.join(dir, "old-tokens.json.42"), "not ours either");
      const storage = new JSONTokenStorage(file);
      await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
      await storage.withLock("refresh:a", async () => storage.removeTokenData("a"));
      // A complete file with a temporary-looking name may be a backup: it stays.
      expect((await readdir(dir)).sort()).toEqual(
        [
          "tokens.json",
          "tokens.json.20240101",
          "tokens.json.backup",
          "old-tokens.json.42",
          ...neighbours,
        ].sort(),
      );
    });
  });

  describe("the signed-in person's record", () => {
    const ada = { sub: "e97b81af-bba5-4d10-849c-0b40ea5084c1", name: "Ada Lovelace" };

    it("is kept in a namespace of its own, which the Python SDK never reads", async () => {
      const storage = new JSONTokenStorage(file);
      expect(await storage.getUserRecord()).toBeNull();
      await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
      expect(await storage.getUserRecord()).toBeNull();
      await storage.storeUserRecord(ada);
      expect(await storage.getUserRecord()).toEqual(ada);
      const document = JSON.parse(await readFile(file, "utf8"));
      expect(document.data["DEFAULT::globus-app:user"]).toEqual({ user: ada });
      expect(Object.keys(document.data.DEFAULT)).toEqual(["a"]);
      expect(await new JSONTokenStorage(file, { namespace: "other" }).getUserRecord()).toBeNull();
    });

    it("is removed by storing null, leaving the tokens; with no record or file, nothing is written", async () => {
      const storage = new JSONTokenStorage(file);
      await storage.storeUserRecord(null);
      expect(existsSync(file)).toBe(false);
      await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
      const withoutUser = await readFile(file, "utf8");
      await storage.storeUserRecord(null);
      expect(await readFile(file, "utf8")).toBe(withoutUser);
      await storage.storeUserRecord(ada);
      await storage.storeUserRecord({ ...ada, name: "Countess of Lovelace" });
      expect(await storage.getUserRecord()).toEqual({ ...ada, name: "Countess of Lovelace" });
      await storage.storeUserRecord(null);
      expect(await storage.getUserRecord()).toBeNull();
      expect(await readFile(file, "utf8")).toBe(withoutUser);
    });

    it("is stored when it is the first thing written, creating the file", async () => {
      const storage = new JSONTokenStorage(path.join(dir, "new", "tokens.json"));
      await storage.storeUserRecord(ada);
      expect(await storage.getUserRecord()).toEqual(ada);
      expect(await new JSONTokenStorage(storage.filePath).getUserRecord()).toEqual(ada);
    });

    it("leaves a file with no record byte for byte as it was when null is stored", async () => {
      const pretty = prettyPythonFile();
      await writeFile(file, pretty);
      await new JSONTokenStorage(file).storeUserRecord(null);
      expect(await readFile(file, "utf8")).toBe(pretty);
    });
  });

  describe("removeUnreadable", () => {
    it("leaves a readable file alone: no copy, no rewrite", async () => {
      const storage = new JSONTokenStorage(file);
      await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
      const before = await readFile(file, "utf8");
      await storage.removeUnreadable();
      expect(await readdir(dir)).toEqual(["tokens.json"]);
      expect(await readFile(file, "utf8")).toBe(before);
    });

    it("waits for the file's lock no longer than lockTimeoutMs", async () => {
      await writeFile(file, "{not json");
      await mkdir(`${file}.lock`);
      const storage = new JSONTokenStorage(file, { lockTimeoutMs: 150 });
      const message = await expectRefused(() => storage.removeUnreadable());
      expect(message).toMatch(/^Timed out after 150 ms waiting for the lock/);
    });
  });

  describe("locking", () => {
    it("takes over a lock left by a dead process once it is stale", async () => {
      await mkdir(`${file}.lock`);
      const old = new Date(Date.now() - 60_000);
      await utimes(`${file}.lock`, old, old);
      // Waiting instead (30 s by default) would outlast the test's own timeout.
      await new JSONTokenStorage(file).storeTokenDataByResourceServer({ a: sampleTokenData("a") });
      expect(await readdir(dir)).toEqual(["tokens.json"]);
    });

    it("times out with a TokenStorageError while a live process holds the lock", async () => {
      await writeFile(file, JSON.stringify({ data: {}, format_version: "2.0" }));
      await mkdir(`${file}.lock`);
      const storage = new JSONTokenStorage(file, { lockTimeoutMs: 150 });
      const message = await expectRefused(() =>
        storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") }),
      );
      expect(message).toMatch(/^Timed out after 150 ms waiting for the lock/);
    });

    it("serialises withLock callers of one key within the process, across instances", async () => {
      const one = new JSONTokenStorage(file);
      const two = new JSONTokenStorage(file);
      const events: string[] = [];
      const task = (storage: JSONTokenStorage, name: string) =>
        storage.withLock("refresh:x", async () => {
          events.push(`${name}:start`);
          await new Promise((resolve) => setTimeout(resolve, 20));
          events.push(`${name}:end`);
          return name;
        });
      expect(await Promise.all([task(one, "a"), task(two, "b"), task(one, "c")])).toEqual(["a", "b", "c"]);
      expect(events).toEqual(["a:start", "a:end", "b:start", "b:end", "c:start", "c:end"]);
    });

    it("does not make different keys or namespaces wait for each other", async () => {
      const one = new JSONTokenStorage(file);
      const other = new JSONTokenStorage(file, { namespace: "other" });
      let release!: () => void;
      const held = one.withLock("refresh:x", () => new Promise<void>((resolve) => (release = resolve)));
      expect(await one.withLock("refresh:y", async () => "y")).toBe("y");
      expect(await other.withLock("refresh:x", async () => "other")).toBe("other");
      release();
      await held;
    });

    it("releases the lock when the function throws", async () => {
      const storage = new JSONTokenStorage(file);
      await expect(storage.withLock("k", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
      expect(await storage.withLock("k", async () => "again")).toBe("again");
    });
  });

  it("forGlobusApp uses the Python SDK's default path and the app's namespace", () => {
    const storage = JSONTokenStorage.forGlobusApp({
      appName: "My App",
      clientId: "6b5e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
      namespace: "userapp-1",
      config: { environment: "sandbox" },
    });
    expect(storage.namespace).toBe("userapp-1");
    expect(storage.filePath).toBe(
      path.join(
        os.homedir(),
        ".globus",
        "app",
        "6b5e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
        "my-app",
        "sandbox-tokens.json",
      ),
    );
    const production = JSONTokenStorage.forGlobusApp({
      appName: "My App",
      clientId: "c",
      namespace: "DEFAULT",
    });
    expect(path.basename(production.filePath)).toBe("tokens.json");
  });

  it("fileExists(): false before the first write, true once a file is there, false when it is gone", async () => {
    const storage = new JSONTokenStorage(path.join(dir, "new", "tokens.json"));
    expect(await storage.fileExists()).toBe(false);
    // Reads (and removals from nothing) create nothing.
    expect(await storage.getTokenDataByResourceServer()).toEqual({});
    expect(await storage.removeTokenData("a")).toBe(false);
    expect(await storage.fileExists()).toBe(false);
    expect(existsSync(path.dirname(storage.filePath))).toBe(false);

    await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
    expect(await storage.fileExists()).toBe(true);
    // Removing the last record keeps the file, as the Python SDK does.
    expect(await storage.removeTokenData("a")).toBe(true);
    expect(await storage.fileExists()).toBe(true);
    await rm(storage.filePath);
    expect(await storage.fileExists()).toBe(false);

    // The Python SDK's check: true after a touch, though an empty file is not a readable token file.
    await writeFile(file, "", { mode: 0o600 });
    const touched = new JSONTokenStorage(file);
    expect(await touched.fileExists()).toBe(true);
    // Moved aside by logout({ removeUnreadable: true }): nothing is at the path any more.
    await touched.removeUnreadable();
    expect(await touched.fileExists()).toBe(false);
  });

  it("keeps what callers pass from what it stores", async () => {
    const storage = new JSONTokenStorage(file);
    const record: TokenStorageData = sampleTokenData("a", { extra: { nested: { n: 1 } } });
    await storage.storeTokenDataByResourceServer({ a: record });
    (record.extra as { nested: { n: number } }).nested.n = 2;
    expect((await storage.getTokenData("a"))?.extra).toEqual({ nested: { n: 1 } });
  });
});

// Findings of the security audit: a token file in a folder another local user can write (a shared
// or group folder on a cluster's login node) must not let that user read the tokens or plant theirs.
describe("JSONTokenStorage refuses token files another user could plant or read", () => {
  const isRoot = process.getuid?.() === 0;
  const notRoot = "chown to another uid needs root; the check itself runs for every user";
  const valid = JSON.stringify({
    data: { DEFAULT: { a: sampleTokenData("a") } },
    format_version: "2.0",
  });
  let dir: string;

  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Every operation of `storage` fails with a TokenStorageError for `location` matching `pattern`. */
  async function expectAllRefused(storage: JSONTokenStorage, pattern: RegExp): Promise<void> {
    const calls = [
      () => storage.getTokenDataByResourceServer(),
      () => storage.storeTokenDataByResourceServer({ b: sampleTokenData("b") }),
      () => storage.removeTokenData("a"),
      () => storage.withLock("refresh:a", async () => "ran"),
      () => storage.fileExists(),
    ];
    await expectEveryCallRefused(calls, pattern, storage.filePath);
  }

  it.skipIf(process.platform === "win32")(
    "refuses a symlink at the token path: reads nothing through it and writes nothing to its target",
    async () => {
      const target = path.join(dir, "victim-elsewhere.json");
      await writeFile(target, valid, { mode: 0o600 });
      const link = path.join(dir, "tokens.json");
      await symlink(target, link);
      const storage = new JSONTokenStorage(link);
      await expectAllRefused(
        storage,
        /tokens\.json' is a symbolic link; token files must be regular files\. Remove the link or choose another path\./,
      );
      expect(await readFile(target, "utf8")).toBe(valid);
      expect((await lstat(link)).isSymbolicLink()).toBe(true);
    },
  );

  it.skipIf(process.platform === "win32")(
    "refuses a dangling symlink and never creates its target",
    async () => {
      const target = path.join(dir, "planted-target.json");
      const link = path.join(dir, "tokens.json");
      await symlink(target, link);
      await expectAllRefused(new JSONTokenStorage(link), /is a symbolic link/);
      expect(existsSync(target)).toBe(false);
    },
  );

  it.skipIf(!isRoot)(`never removes another user's leftover temporary file (${notRoot})`, async () => {
    const file = path.join(dir, "tokens.json");
    const foreign = path.join(dir, "tokens.json.3735928559");
    await writeFile(foreign, '{"data": {"DEFAULT": {"a": {"access_token": "at');
    chownSync(foreign, 12345, 12345);
    const mine = path.join(dir, "tokens.json.3735928560");
    await writeFile(mine, '{"data": {"DEFAULT": {"a": {"access_token": "at');
    await new JSONTokenStorage(file).storeTokenDataByResourceServer({ a: sampleTokenData("a") });
    expect((await readdir(dir)).sort()).toEqual(["tokens.json", "tokens.json.3735928559"]);
  });

  it.skipIf(!isRoot)(`refuses a token file owned by another user (${notRoot})`, async () => {
    const file = path.join(dir, "tokens.json");
    await writeFile(file, valid, { mode: 0o600 });
    chownSync(file, 12345, 12345);
    await expectAllRefused(new JSONTokenStorage(file), /is owned by uid 12345, not by the current user/);
    expect(await readFile(file, "utf8")).toBe(valid);
  });

  it.skipIf(process.platform === "win32").each([
    ["writable by others", 0o777],
    ["writable by its group", 0o770],
  ])("refuses a token file in a folder %s without the sticky bit", async (_label, mode) => {
    const shared = path.join(dir, "shared");
    await mkdir(shared);
    await chmod(shared, mode);
    const file = path.join(shared, "tokens.json");
    await writeFile(file, valid, { mode: 0o600 });
    await expectAllRefused(
      new JSONTokenStorage(file),
      /folder '.*shared' is writable by (group|others) and has no sticky bit.*chmod go-w/,
    );
    expect(await readdir(shared)).toEqual(["tokens.json"]);
  });

  it.skipIf(process.platform === "win32")(
    "refuses a token file when a folder further up is writable by others without the sticky bit",
    async () => {
      const shared = path.join(dir, "shared");
      const file = path.join(shared, "me", "app", "tokens.json");
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await chmod(shared, 0o777);
      await expectAllRefused(new JSONTokenStorage(file), /folder '.*shared' is writable by others/);
      expect(existsSync(file)).toBe(false);
    },
  );

  it.skipIf(process.platform === "win32")(
    "accepts a sticky world-writable folder like /tmp, and a 0700 folder",
    async () => {
      const sticky = path.join(dir, "sticky");
      await mkdir(sticky);
      await chmod(sticky, 0o1777);
      for (const file of [path.join(sticky, "tokens.json"), path.join(dir, "private", "tokens.json")]) {
        const storage = new JSONTokenStorage(file);
        await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") });
        expect(await storage.getTokenData("a")).toEqual(sampleTokenData("a"));
        expect(await storage.withLock("refresh:a", async () => "ran")).toBe("ran");
      }
    },
  );

  it.skipIf(process.platform === "win32")(
    "refuses a symlink planted at the lock path at once, and leaves its target alone",
    async () => {
      const file = path.join(dir, "tokens.json");
      const elsewhere = path.join(dir, "elsewhere");
      await mkdir(elsewhere);
      await symlink(elsewhere, `${file}.lock`);
      // A wait for the lock would outlast the test's own timeout; a refusal names the link.
      const storage = new JSONTokenStorage(file, { lockTimeoutMs: 60_000 });
      const error = await storage.storeTokenDataByResourceServer({ a: sampleTokenData("a") }).catch((e) => e);
      expect(isTokenStorageError(error), String(error)).toBe(true);
      expect((error as Error).message).toMatch(/tokens\.json\.lock' is a symbolic link/);
      expect(existsSync(file)).toBe(false);
      expect(await readdir(elsewhere)).toEqual([]);
    },
  );
});
