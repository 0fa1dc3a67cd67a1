import { computeError } from "./compute-routes.ts";
import type { EmulatedService } from "./emulator-routes.ts";
import { flowsError } from "./flows-routes.ts";
import { groupsError } from "./groups-routes.ts";
import { searchError } from "./search-routes.ts";
import type { ServiceErrorWriter } from "./service-request.ts";
import { timersError } from "./timers-routes.ts";
import { transferError } from "./transfer-answers.ts";

/**
 * @internal Each fake service's own error writer, and whether its codes are `UPPER_SNAKE` (Groups,
 * Flows, Timers, Compute) or `CamelCase` (Transfer, Search): what an injected 5xx or 429 on that
 * service answers with, as its other errors do.
 */
export const SERVICE_ERROR_WRITERS: Readonly<
  Record<EmulatedService, { readonly write: ServiceErrorWriter; readonly upperCodes: boolean }>
> = {
  transfer: { write: transferError, upperCodes: false },
  groups: { write: groupsError, upperCodes: true },
  search: { write: searchError, upperCodes: false },
  flows: { write: flowsError, upperCodes: true },
  timer: { write: timersError, upperCodes: true },
  compute: { write: computeError, upperCodes: true },
};

/** @internal The code an injected answer of `status` carries on a service, in its style. */
export function injectedFaultCode(status: number, upperCodes: boolean): string {
  const words =
    status === 429
      ? ["Too", "Many", "Requests"]
      : status === 503
        ? ["Service", "Unavailable"]
        : ["Internal", "Error"];
  return upperCodes ? words.join("_").toUpperCase() : words.join("");
}
