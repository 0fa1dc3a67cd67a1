import type { GlobusErrorCode } from "./globus-error-codes.ts";

export type { GlobusErrorCode };

/** Options accepted by every error of the hierarchy. */
export interface GlobusErrorOptions {
  /** The underlying failure, kept as the standard ES2022 `cause` (never serialised). */
  cause?: unknown;
}

/**
 * Base class of every error this library throws.
 *
 * Each subclass has a literal `name` (safe under minification) and a stable `code`. Messages never
 * contain tokens, secrets, authorization codes or PKCE verifiers, and `JSON.stringify(error)` yields
 * only `name`, `code`, `message` and the documented public fields of the subclass.
 *
 * @example
 * ```ts
 * try { await app.getAuthorizer("transfer.api.globus.org"); }
 * catch (e) { if (isGlobusError(e)) console.error(e.code, e.message); }
 * ```
 */
export class GlobusError extends Error {
  override readonly name: string = "GlobusError";
  /** Stable machine-readable code. */
  readonly code: GlobusErrorCode;

  constructor(message: string, code: GlobusErrorCode = "GLOBUS_ERROR", options: GlobusErrorOptions = {}) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    this.code = code;
  }

  /** A serialisation with no cause, stack or secret: `{ name, code, message, ...publicFields }`. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (!(key in out)) out[key] = value;
    }
    return out;
  }
}

/**
 * Builds a type guard that recognises instances of `ctor` and, across realms (popups, iframes,
 * workers, duplicated bundles), any error whose `name` is one of `names`.
 */
// Guards are module-level constants: without the annotation bundlers keep every guard (and its
// error class) an app never calls.
/* @__NO_SIDE_EFFECTS__ */
export function errorGuard<T extends Error>(
  ctor: abstract new (...args: never[]) => T,
  names: readonly string[],
): (value: unknown) => value is T {
  const known = new Set(names);
  return (value: unknown): value is T =>
    value instanceof ctor ||
    (typeof value === "object" &&
      value !== null &&
      typeof (value as { name?: unknown }).name === "string" &&
      known.has((value as { name: string }).name) &&
      typeof (value as { code?: unknown }).code === "string");
}

/**
 * A stand-in for a thrown value that keeps only its name and message, for use as a `cause` (and its
 * message inside ours): HTTP and OAuth libraries attach requests (with `Authorization` headers) and
 * response bodies (with tokens) to their errors, and `console.log(error)` prints causes in full. A
 * `SyntaxError`'s message is replaced: JSON parsers quote the text around the fault, which in a
 * token response is part of a token.
 */
export function safeCause(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const safe = new Error(
    error.name === "SyntaxError"
      ? "the body is not valid JSON (the parser's message, which quotes it, is left out)"
      : error.message,
  );
  safe.name = error.name;
  return safe;
}
