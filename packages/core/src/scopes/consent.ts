import * as v from "valibot";
import { ConsentParseError } from "./consent-parse-error.ts";

/**
 * One consent from Globus Auth's consents API: a person's grant for `client` to use `scope_name`,
 * valid only through the chain of consents in `dependency_path` (root first, this consent last).
 * Wire names, as Auth sends them.
 */
export interface Consent {
  /** The consent's id. */
  readonly id: number;
  /** The client the grant was given to. */
  readonly client: string;
  /** The scope's id. */
  readonly scope: string;
  /** The scope string, e.g. `urn:globus:auth:scope:transfer.api.globus.org:all`. */
  readonly scope_name: string;
  /** The identity that gave the consent. */
  readonly effective_identity: string;
  /** Consent ids from the root consent to this one (ends with `id`); length 1 for a root. */
  readonly dependency_path: readonly number[];
  /** ISO-8601 creation time. */
  readonly created: string;
  /** ISO-8601 last update time. */
  readonly updated: string;
  /** ISO-8601 time of last use (`null` accepted: never used). */
  readonly last_used: string | null;
  /** e.g. `approved`. */
  readonly status: string;
  /** Whether the grant allows refresh tokens. */
  readonly allows_refresh: boolean;
  /** Whether Auth approved it without asking the person. */
  readonly auto_approved: boolean;
  /** True for an optional (`*`) dependent consent. */
  readonly atomically_revocable: boolean;
}

// A `check` rather than valibot's `integer()`: see `finiteNumber`.
const integer = v.pipe(v.number(), v.check<number>(Number.isInteger));

/**
 * Valibot schema of one {@link Consent} (unknown keys are dropped).
 *
 * @example
 * ```ts
 * v.is(ConsentSchema, body.consents[0]);
 * ```
 */
export const ConsentSchema = v.object({
  id: integer,
  client: v.string(),
  scope: v.string(),
  scope_name: v.string(),
  effective_identity: v.string(),
  dependency_path: v.array(integer),
  created: v.string(),
  updated: v.string(),
  last_used: v.nullable(v.string()),
  status: v.string(),
  allows_refresh: v.boolean(),
  auto_approved: v.boolean(),
  atomically_revocable: v.boolean(),
});

/** What a consent field holds when it is not valid: valibot's `expected` text for it. */
type FieldFault = (value: unknown) => string | undefined;

// valibot's number() refuses NaN ("number"); the integer check then fails with no type to name.
const integerFault: FieldFault = (value) =>
  typeof value !== "number" || Number.isNaN(value)
    ? "number"
    : Number.isInteger(value)
      ? undefined
      : "another type";
const typeFault =
  (type: "string" | "boolean"): FieldFault =>
  (value) =>
    typeof value === type ? undefined : type;
const stringFault = typeFault("string");
const booleanFault = typeFault("boolean");

/**
 * ConsentSchema's fields in its order, checked by hand in {@link parseConsent} so that the consents
 * check of the login chunk does not carry valibot; a property test holds the two equal (same
 * acceptance, same first fault and expected type).
 */
const CONSENT_FIELDS: ReadonlyArray<readonly [keyof Consent, FieldFault]> = [
  ["id", integerFault],
  ["client", stringFault],
  ["scope", stringFault],
  ["scope_name", stringFault],
  ["effective_identity", stringFault],
  [
    "dependency_path",
    (value) => {
      if (!Array.isArray(value)) return "Array";
      for (const item of value) {
        const fault = integerFault(item);
        if (fault !== undefined) return fault;
      }
      return undefined;
    },
  ],
  ["created", stringFault],
  ["updated", stringFault],
  ["last_used", (value) => (value === null ? undefined : stringFault(value))],
  ["status", stringFault],
  ["allows_refresh", booleanFault],
  ["auto_approved", booleanFault],
  ["atomically_revocable", booleanFault],
];

/**
 * Validates one consent object from Auth (the Python SDK's `Consent.load`).
 *
 * @returns a frozen copy holding only the known keys.
 * @throws {ConsentParseError} `Failed to load Consent object. Missing required key: '<key>'.`, or
 *   `… Invalid value for key '<key>' …` for a value of the wrong type; `rawConsent` is the input.
 * @example
 * ```ts
 * const consent = parseConsent(body.consents[0]);
 * consent.scope_name; // "urn:globus:auth:scope:transfer.api.globus.org:all"
 * ```
 */
export function parseConsent(data: unknown): Consent {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ConsentParseError("Failed to load Consent object. Expected a JSON object.", {
      rawConsent: data,
    });
  }
  const record = data as Record<string, unknown>;
  for (const [key] of CONSENT_FIELDS) {
    if (record[key] === undefined) {
      throw new ConsentParseError(`Failed to load Consent object. Missing required key: '${key}'.`, {
        rawConsent: data,
      });
    }
  }
  const consent: Record<string, unknown> = {};
  for (const [key, fault] of CONSENT_FIELDS) {
    const expected = fault(record[key]);
    if (expected !== undefined) {
      throw new ConsentParseError(
        `Failed to load Consent object. Invalid value for key '${key}' (expected ${expected}).`,
        { rawConsent: data },
      );
    }
    consent[key] = record[key];
  }
  const path = Object.freeze([...(consent.dependency_path as number[])]);
  return Object.freeze({ ...consent, dependency_path: path }) as Consent;
}

/**
 * Validates the body of `GET /v2/api/identities/<identity id>/consents` (`{"consents": [...]}`).
 *
 * @throws {ConsentParseError} the body has no `consents` array, or a consent is malformed.
 * @internal
 */
export function parseConsentsResponse(body: unknown): Consent[] {
  const consents = (body as { consents?: unknown } | null)?.consents;
  if (typeof body !== "object" || body === null || Array.isArray(body) || !Array.isArray(consents)) {
    throw new ConsentParseError("Failed to load consents: expected a JSON object with a 'consents' array.");
  }
  // An index loop, not map(): map skips the holes of a sparse array, which must fail as missing consents.
  const parsed: Consent[] = [];
  for (let i = 0; i < consents.length; i++) parsed.push(parseConsent(consents[i]));
  return parsed;
}
