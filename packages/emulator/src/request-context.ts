import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorControl } from "./emulator-control.ts";
import type { EmulatorState } from "./emulator-state.ts";
import type { Responder } from "./http-utils.ts";

/** @internal Everything a route handler needs about one request. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly state: EmulatorState;
  readonly control: EmulatorControl;
  /** The emulator's base URL, ending with `/`. */
  readonly baseUrl: string;
  readonly method: string;
  readonly path: string;
  /** Decoded captures of the route's path pattern. */
  readonly pathParams: readonly string[];
  readonly query: URLSearchParams;
  /** The form body (empty for other bodies). */
  readonly form: URLSearchParams;
  readonly body: Buffer;
  readonly respond: Responder;
}

/** @internal */
export type RouteHandler = (ctx: RequestContext) => void | Promise<void>;
