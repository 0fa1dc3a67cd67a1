import { DEFAULT_NAMESPACE, TokenStorageError } from "@globus-app/core";
import { unreadableHint } from "./unreadable-token-storage.ts";
import { WRITER_VERSION } from "./writer-version.ts";

/** A parsed token file: namespace → resource server → the record's JSON object, as read. */
export type TokenFileNamespaces = Map<string, Map<string, unknown>>;

const FORMAT_VERSION = "2.0";

/**
 * Parses and checks a JSON token file (the Python SDK's v2 format, or v1 read as namespace
 * `DEFAULT`) except the records themselves, which `JSONTokenStorage` checks per namespace.
 * Messages name the file and the problem, never the file's content.
 *
 * @param filePath - the file the text came from, named in errors.
 * @throws TokenStorageError when the text is empty, not JSON, or not a valid v1 or v2 document.
 * @example
 * ```ts
 * const namespaces = parseTokenFile(await readFile(file, "utf8"), file);
 * namespaces.get("DEFAULT")?.get("auth.globus.org"); // the record's JSON object
 * ```
 */
export function parseTokenFile(text: string, filePath: string): TokenFileNamespaces {
  const fail = (problem: string) =>
    new TokenStorageError(`Token storage file '${filePath}' ${problem}. ${unreadableHint(filePath)}`, {
      location: filePath,
    });
  if (text.trim() === "") throw fail("is empty, which is not valid JSON");
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    // The parser's message quotes the text around the error, which may be a token: leave it out.
    throw fail("is not valid JSON");
  }
  if (!isPlainObject(root)) throw fail("does not hold a JSON object at its root");
  const version = root["globus-sdk.version"];
  if (version !== undefined && typeof version !== "string")
    throw fail("is malformed: 'globus-sdk.version' must be a string");
  const formatVersion = root.format_version;
  if (formatVersion === undefined) throw fail("is malformed: 'format_version' is missing");
  if (typeof formatVersion !== "string") throw fail("is malformed: 'format_version' must be a string");

  if (formatVersion === "1.0") {
    const byResourceServer = root.by_rs;
    if (byResourceServer === undefined) throw fail("holds invalid v1.0 data (missing 'by_rs')");
    if (!isPlainObject(byResourceServer)) throw fail("holds invalid v1.0 data ('by_rs' must be an object)");
    return new Map([[DEFAULT_NAMESPACE, new Map(Object.entries(byResourceServer))]]);
  }
  if (formatVersion !== FORMAT_VERSION) {
    throw fail(`is in an unknown format (format_version=${JSON.stringify(formatVersion.slice(0, 40))})`);
  }
  const data = root.data;
  if (data === undefined) throw fail("is malformed: 'data' is missing");
  if (!isPlainObject(data)) throw fail("is malformed: 'data' must be an object");
  const namespaces: TokenFileNamespaces = new Map();
  for (const [namespace, records] of Object.entries(data)) {
    if (!isPlainObject(records)) throw fail(`is malformed: 'data.${namespace}' must be an object`);
    namespaces.set(namespace, new Map(Object.entries(records)));
  }
  return namespaces;
}

/**
 * The text of a v2 token file holding `namespaces`: compact JSON, keys in the Python SDK's order
 * (`data`, `format_version`, `globus-sdk.version`), this package's writer version.
 *
 * @example
 * ```ts
 * formatTokenFile(new Map([["DEFAULT", new Map()]]));
 * // '{"data":{"DEFAULT":{}},"format_version":"2.0","globus-sdk.version":"0.1.0+globus-app-js"}'
 * ```
 */
export function formatTokenFile(namespaces: TokenFileNamespaces): string {
  const document = {
    data: Object.fromEntries(
      [...namespaces].map(([namespace, records]) => [namespace, Object.fromEntries(records)]),
    ),
    format_version: FORMAT_VERSION,
    "globus-sdk.version": WRITER_VERSION,
  };
  return JSON.stringify(document);
}

/** Whether `text` is not JSON at all (torn or garbage), as opposed to JSON of the wrong shape. */
export function isUnparsable(text: string): boolean {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
