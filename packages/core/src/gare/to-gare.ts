import * as v from "valibot";
import type { GARE } from "./gare.ts";
import {
  AUTHORIZATION_PARAMETER_KEYS,
  type GlobusAuthorizationParameters,
} from "./globus-authorization-parameters.ts";

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const PARAM_KEYS = AUTHORIZATION_PARAMETER_KEYS;

const optString = v.nullish(v.string());
const stringList = v.array(v.string());
const optStringList = v.nullish(stringList);
const optBool = v.nullish(v.boolean());
const optListOrCommas = v.nullish(v.union([stringList, v.string()]));

// null is accepted wherever a value is optional: the Python SDK reads keys with dict.get(), so
// null and absent mean the same thing.
const CanonicalParams = v.object({
  session_message: optString,
  session_required_identities: optStringList,
  session_required_policies: optStringList,
  session_required_single_domain: optStringList,
  session_required_mfa: optBool,
  required_scopes: optStringList,
  prompt: optString,
});

const LegacyParams = v.object({
  session_message: optString,
  session_required_identities: optStringList,
  session_required_policies: optListOrCommas,
  session_required_single_domain: optListOrCommas,
  session_required_mfa: optBool,
  prompt: v.nullish(v.literal("login")),
});

type ParamValues = {
  [K in (typeof PARAM_KEYS)[number]]?: string | boolean | readonly string[] | null | undefined;
};

// Object.fromEntries defines own properties, so a "__proto__" key from JSON stays plain data.
function extraOf(obj: JsonObject, known: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([key]) => !known.includes(key)));
}

function params(values: ParamValues, extra: Record<string, unknown>): GlobusAuthorizationParameters {
  const out: Record<string, unknown> = {};
  for (const key of PARAM_KEYS) {
    const value = values[key];
    if (value !== null && value !== undefined) out[key] = Array.isArray(value) ? [...value] : value;
  }
  out.extra = extra;
  return out as GlobusAuthorizationParameters;
}

function splitCommas(value: string | readonly string[] | null | undefined): readonly string[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "string") return value;
  // Unlike Python's bare split(","), blanks around and between entries are dropped: ids and
  // domains never contain spaces, and "a, b" is how people write lists.
  return value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

/** `{"code": str, "authorization_parameters": {...}}` with list-typed fields. */
function canonical(body: JsonObject): GARE | null {
  const code = body.code;
  const raw = body.authorization_parameters;
  if (typeof code !== "string" || !isObject(raw)) return null;
  const parsed = v.safeParse(CanonicalParams, raw);
  if (!parsed.success) return null;
  return {
    code,
    authorization_parameters: params(parsed.output, extraOf(raw, PARAM_KEYS)),
    extra: extraOf(body, ["code", "authorization_parameters"]),
  };
}

/** `authorization_parameters` with no (or any) `code`; policies/domains may be comma-joined. */
function legacyAuthorizationParameters(body: JsonObject): GARE | null {
  const code =
    body.code === undefined || body.code === null || body.code === "" ? "AuthorizationRequired" : body.code;
  const raw = body.authorization_parameters;
  if (typeof code !== "string" || !isObject(raw)) return null;
  const parsed = v.safeParse(LegacyParams, raw);
  if (!parsed.success) return null;
  // The Python SDK files required_scopes of this form under `extra`, so a redriven login would
  // not ask for them; a well-typed list is kept as required_scopes instead.
  const scopes = v.is(stringList, raw.required_scopes) ? raw.required_scopes : undefined;
  const known: readonly string[] =
    scopes === undefined ? PARAM_KEYS.filter((k) => k !== "required_scopes") : PARAM_KEYS;
  return {
    code,
    authorization_parameters: params(
      {
        ...parsed.output,
        session_required_policies: splitCommas(parsed.output.session_required_policies),
        session_required_single_domain: splitCommas(parsed.output.session_required_single_domain),
        required_scopes: scopes,
      },
      extraOf(raw, known),
    ),
    extra: extraOf(body, ["code", "authorization_parameters"]),
  };
}

/** Transfer: `{"code": "ConsentRequired", "required_scopes": [...], "message": ...}`. */
function transferConsentRequired(body: JsonObject): GARE | null {
  if (
    body.code !== "ConsentRequired" ||
    !v.is(stringList, body.required_scopes) ||
    !v.is(optString, body.message)
  ) {
    return null;
  }
  return {
    code: "ConsentRequired",
    authorization_parameters: params(
      { required_scopes: body.required_scopes, session_message: body.message },
      {},
    ),
    extra: extraOf(body, ["code", "required_scopes"]),
  };
}

/** Old action providers: `{"code": "ConsentRequired", "required_scope": "...", "description": ...}`. */
function actionProviderConsentRequired(body: JsonObject): GARE | null {
  const scope = body.required_scope;
  if (body.code !== "ConsentRequired" || typeof scope !== "string" || !v.is(optString, body.description)) {
    return null;
  }
  const nested = body.authorization_parameters;
  return {
    code: "ConsentRequired",
    authorization_parameters: params(
      { required_scopes: [scope], session_message: body.description },
      isObject(nested) ? { ...nested } : {},
    ),
    extra: extraOf(body, ["code", "required_scope", "authorization_parameters"]),
  };
}

/** Auth: `{"error": "dependent_consent_required", "errors": [{"unapproved_scopes": [...]}]}`. */
function authDependentConsentRequired(body: JsonObject): GARE | null {
  if (body.error !== "dependent_consent_required" || !Array.isArray(body.errors)) return null;
  const first: unknown = body.errors[0];
  if (!isObject(first)) return null;
  const scopes = first.unapproved_scopes === undefined ? [] : first.unapproved_scopes;
  if (!v.is(stringList, scopes)) return null;
  return {
    code: "ConsentRequired",
    authorization_parameters: params({ required_scopes: scopes }, {}),
    extra: {},
  };
}

/** One JSON object, every known form in the Python SDK's order; no descent into `errors`. */
function objectToGare(body: JsonObject): GARE | null {
  return (
    canonical(body) ??
    legacyAuthorizationParameters(body) ??
    transferConsentRequired(body) ??
    actionProviderConsentRequired(body) ??
    authDependentConsentRequired(body)
  );
}

function subDocuments(body: JsonObject): JsonObject[] {
  return Array.isArray(body.errors) ? body.errors.filter(isObject) : [];
}

/**
 * Normalises an error body from a Globus service to a {@link GARE}, or `null` if it is not one.
 * Forms are tried in the Python SDK's order, first match wins:
 * 1. canonical `{"code", "authorization_parameters"}`;
 * 2. `authorization_parameters` without `code` (code `AuthorizationRequired`), policies and domains
 *    possibly comma-joined strings (split into lists), `prompt` only `login`;
 * 3. Transfer `{"code": "ConsentRequired", "required_scopes": […]}` (`message` → `session_message`);
 * 4. old action providers `{"code": "ConsentRequired", "required_scope": "…"}` (`description` →
 *    `session_message`);
 * 5. Auth `{"error": "dependent_consent_required", "errors": [{"unapproved_scopes": […]}]}` (code
 *    `ConsentRequired`).
 *
 * The root is tried first, then each object of an `errors` array; the first hit is returned.
 * Anything that is not a JSON object (array, string, number, null, undefined) gives `null`; this
 * function never throws. Null-valued fields count as absent and are left out of the result.
 *
 * @param body - a parsed JSON response body.
 * @example
 * ```ts
 * toGare({ code: "ConsentRequired", required_scopes: ["urn:globus:auth:scope:transfer.api.globus.org:all[*x]"] });
 * // { code: "ConsentRequired", authorization_parameters: { required_scopes: [...], extra: {} }, extra: {} }
 * ```
 */
export function toGare(body: unknown): GARE | null {
  if (!isObject(body)) return null;
  const root = objectToGare(body);
  if (root !== null) return root;
  for (const doc of subDocuments(body)) {
    const gare = objectToGare(doc);
    if (gare !== null) return gare;
  }
  return null;
}

/**
 * Every {@link GARE} in a list of error bodies, in order. For a body with an `errors` array, each
 * object in the array is tried, then the root itself (as the Python SDK's `to_gares` does for API
 * errors); for any other object body, the root alone. Non-GAREs and non-objects are skipped.
 *
 * @param bodies - parsed JSON bodies (a single non-array value is treated as a list of one).
 * @example
 * ```ts
 * toGares([{ errors: [gareA, gareB] }, { code: "NotAnError" }, legacyAuthzBody]).length; // 3
 * ```
 */
export function toGares(bodies: readonly unknown[]): GARE[] {
  const out: GARE[] = [];
  for (const body of Array.isArray(bodies) ? bodies : [bodies]) {
    if (!isObject(body)) continue;
    for (const doc of [...subDocuments(body), body]) {
      const gare = objectToGare(doc);
      if (gare !== null) out.push(gare);
    }
  }
  return out;
}

/**
 * Whether an error body holds a GARE in any known form (`toGare(body) !== null`). Not a type
 * guard: legacy forms are GAREs only after {@link toGare} normalises them.
 *
 * @example
 * ```ts
 * isGare({ authorization_parameters: { session_required_policies: "a,b" } }); // true
 * isGare([1, 2]); // false
 * ```
 */
export function isGare(body: unknown): boolean {
  return toGare(body) !== null;
}

/**
 * Whether any of the bodies holds a GARE ({@link isGare}).
 *
 * @example
 * ```ts
 * hasGares([{ code: "NotAnError" }, { code: "ConsentRequired", required_scope: "x" }]); // true
 * ```
 */
export function hasGares(bodies: readonly unknown[]): boolean {
  return (Array.isArray(bodies) ? bodies : [bodies]).some(isGare);
}
