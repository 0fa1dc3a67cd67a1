import { GlobusError } from "./globus-error.ts";
import { GLOBUS_ERROR_CODES } from "./globus-error-codes.ts";

// Its own module: the list of every code is needed only where foreign errors are classified (the
// login chunk, service clients), not by a page load.
const ALL_CODES: ReadonlySet<string> = new Set(GLOBUS_ERROR_CODES);

/** True for any error of this library's hierarchy, from any realm (checked by `code`). */
export function isGlobusError(value: unknown): value is GlobusError {
  return (
    value instanceof GlobusError ||
    (typeof value === "object" &&
      value !== null &&
      typeof (value as { name?: unknown }).name === "string" &&
      ALL_CODES.has((value as { code?: unknown }).code as string))
  );
}
