import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { EmulatorControl } from "./emulator-control.ts";
import { type EmulatedService, findRoute, type Route } from "./emulator-routes.ts";
import type { EmulatorState } from "./emulator-state.ts";
import { applyFault, droppingResponder } from "./fault-answers.ts";
import type { FaultInjector } from "./faults.ts";
import { BodyTooLargeError, createResponder, type Responder, readBody } from "./http-utils.ts";
import { isoTime } from "./iso-time.ts";
import type { OriginPolicy } from "./origin-policy.ts";
import type { RequestContext, RouteHandler } from "./request-context.ts";
import { type RequestLog, type RequestLogEntry, redactParams } from "./request-log.ts";
import { notAllowed, notFound, preflight, tooLarge } from "./routing-answers.ts";

/** @internal What the request handler shares with the server. */
export interface HandlerDependencies {
  readonly state: EmulatorState;
  readonly control: EmulatorControl;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  /** The emulator's base URL, known once listening. */
  readonly baseUrl: () => string;
  /** Which `Host` names and which browser origins the emulator answers. */
  readonly policy: OriginPolicy;
  /** Aborted when the emulator closes, cutting injected latency short. */
  readonly closing: AbortSignal;
  /**
   * Serve only this fake service, at the root: on the Transfer port `/v0.10/…` is
   * `/transfer/v0.10/…` (its URL is `GLOBUS_SDK_SERVICE_URL_TRANSFER`), and so on for each service.
   */
  readonly serviceAtRoot?: EmulatedService;
  readonly onLog: (message: string) => void;
}

/** What one request's answers may carry: the origin to echo in CORS headers, once known. */
interface CorsDecision {
  origin: string | undefined;
}

/** The request line, as the routes see it. */
interface Target {
  /** The path, with the service's prefix on a service's own port. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Upper-cased. */
  readonly method: string;
}

/** One request past the origin check: the exchange, its responder, and where it goes. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly respond: Responder;
  readonly target: Target;
  /** The origin the answers name in CORS headers, if any. */
  readonly origin: string | undefined;
}

/** A route ready to run: its handler for the method and its decoded path parameters. */
interface RouteCall {
  readonly route: Route;
  readonly handler: RouteHandler;
  readonly pathParams: string[];
}

/** @internal The server's request listener: routing, limits, logging, faults, CORS, and a safety net. */
export function createRequestHandler(
  deps: HandlerDependencies,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const cors: CorsDecision = { origin: undefined };
    handle(deps, req, res, cors).catch((error: unknown) => {
      if (deps.closing.aborted) {
        res.destroy();
        return;
      }
      const detail =
        error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
      deps.onLog(`globus-auth-emulator: internal error answering ${req.method} request: ${detail}`);
      if (res.headersSent) {
        res.destroy();
      } else {
        createResponder(res, cors.origin).oauthError(500, "server_error", "internal emulator error");
      }
    });
  };
}

/**
 * One request, step by step: the `Host` check and the request line, the route, the origin check,
 * the method and path parameters, the body and form, the request log and injected faults, and
 * finally the route's handler. Each step answers the request itself when it ends it.
 */
async function handle(
  deps: HandlerDependencies,
  req: IncomingMessage,
  res: ServerResponse,
  cors: CorsDecision,
): Promise<void> {
  const target = readTarget(deps, req, res);
  if (!target) return;
  const found = findRoute(target.path);
  if (!admitOrigin(deps, req, res, found?.route, target.path, cors)) return;
  const respond = createResponder(res, found?.route.browser ? false : cors.origin);
  if (!found) {
    notFound(respond, target.path);
    return;
  }
  const exchange: Exchange = { req, res, respond, target, origin: cors.origin };
  const call = prepareCall(exchange, found);
  if (!call) return;
  const body = await readRequestBody(exchange, call.route);
  if (!body) return;
  const form = readForm(exchange, call.route, body);
  if (!form) return;
  let dropAnswer = false;
  if (call.route.endpoint !== undefined) {
    const outcome = await logAndInjectFaults(deps, exchange, call.route, call.route.endpoint, form);
    if (outcome === "answered") return;
    dropAnswer = outcome === "drop-answer";
  }
  await call.handler({
    req,
    res,
    state: deps.state,
    control: deps.control,
    baseUrl: deps.baseUrl(),
    method: target.method,
    path: target.path,
    pathParams: call.pathParams,
    query: target.query,
    form,
    body,
    respond: dropAnswer ? droppingResponder(req) : respond,
  } satisfies RequestContext);
}

function parseTarget(raw: string): { path: string; query: URLSearchParams } | undefined {
  try {
    const url = raw.startsWith("/") ? new URL(`http://emulator.invalid${raw}`) : new URL(raw);
    return { path: url.pathname, query: url.searchParams };
  } catch {
    return undefined;
  }
}

/**
 * The request's path, query and method, after the `Host` check (403 unless it names the emulator
 * by a loopback name and its port) and a parse of the request target (400 when malformed).
 */
function readTarget(
  deps: HandlerDependencies,
  req: IncomingMessage,
  res: ServerResponse,
): Target | undefined {
  if (!deps.policy.hostAllowed(req.headers.host)) {
    createResponder(res, undefined).oauthError(
      403,
      "forbidden",
      "the emulator answers only to its loopback address and port in the Host header",
    );
    return undefined;
  }
  const target = parseTarget(req.url ?? "/");
  if (!target) {
    createResponder(res, undefined).oauthError(400, "invalid_request", "malformed request target");
    return undefined;
  }
  // On a service's own port, every path is that service's: nothing else of the emulator is reachable there.
  const path = deps.serviceAtRoot ? `/${deps.serviceAtRoot}${target.path}` : target.path;
  return { path, query: target.query, method: (req.method ?? "GET").toUpperCase() };
}

/**
 * Decides which origin the answers may name in CORS headers, and refuses (403) a web page the
 * control API does not answer. Decided before anything else runs: a refused page must not reach an
 * action, even one whose answer it could never read (form posts and no-cors requests need no CORS
 * to have effects).
 * @returns `false` when the request was refused.
 */
function admitOrigin(
  deps: HandlerDependencies,
  req: IncomingMessage,
  res: ServerResponse,
  route: Route | undefined,
  path: string,
  cors: CorsDecision,
): boolean {
  if (route?.control || path === "/_emulator" || path.startsWith("/_emulator/")) {
    const access = deps.policy.controlAccess(req);
    if (!access.allowed) {
      createResponder(res, undefined).oauthError(
        403,
        "forbidden",
        "the control API does not answer web pages from this origin; allow it with --allow-origin <origin> (allowedOrigins)",
      );
      return false;
    }
    cors.origin = access.corsOrigin;
  } else if (!route?.browser) {
    cors.origin = deps.policy.oauthCorsOrigin(req);
  }
  return true;
}

/**
 * The handler for the request's method and the decoded path parameters; answers a CORS preflight,
 * a method the route does not serve (405) or an undecodable path (404) instead.
 */
function prepareCall(exchange: Exchange, found: { route: Route; captures: string[] }): RouteCall | undefined {
  const { req, res, respond, target, origin } = exchange;
  const { route, captures } = found;
  if (target.method === "OPTIONS" && !route.browser) {
    preflight(req, res, route, origin);
    return undefined;
  }
  const handler = route.methods[target.method === "HEAD" ? "GET" : target.method];
  if (!handler) {
    notAllowed(respond, route, target.method);
    return undefined;
  }
  const pathParams: string[] = [];
  for (const capture of captures) {
    try {
      pathParams.push(decodeURIComponent(capture));
    } catch {
      notFound(respond, target.path);
      return undefined;
    }
  }
  return { route, handler, pathParams };
}

/** The request body (none for GET and HEAD); answers 413 and returns `undefined` for one over 1 MiB. */
async function readRequestBody(exchange: Exchange, route: Route): Promise<Buffer | undefined> {
  const { req, res, respond, target } = exchange;
  if (target.method === "GET" || target.method === "HEAD") return Buffer.alloc(0);
  try {
    return await readBody(req);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    tooLarge(req, res, respond, route);
    return undefined;
  }
}

/**
 * The form parameters of the body: Globus Auth's endpoints take form-encoded bodies only (400 for
 * anything else); the control API and the fake services read their JSON bodies themselves, so
 * their form is empty.
 */
function readForm(exchange: Exchange, route: Route, body: Buffer): URLSearchParams | undefined {
  const { req, respond } = exchange;
  const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const isForm =
    contentType === "application/x-www-form-urlencoded" || (contentType === "" && !route.control);
  if (!route.control && !route.service && body.length > 0 && !isForm) {
    const message = "the body must be application/x-www-form-urlencoded";
    if (route.browser) respond.errorPage(400, "Unsupported request", message);
    else respond.oauthError(400, "invalid_request", message);
    return undefined;
  }
  return isForm && !route.service ? new URLSearchParams(body.toString("utf8")) : new URLSearchParams();
}

/**
 * What the fault injector left of a request: its handler answers it (`answer`), runs but its answer
 * is dropped (`drop-answer`), or it was already answered (an injected fault, or the emulator
 * closed during injected latency).
 */
type FaultOutcome = "answer" | "drop-answer" | "answered";

/** Records the request in the log, then applies the latency and fault queued for its endpoint. */
async function logAndInjectFaults(
  deps: HandlerDependencies,
  exchange: Exchange,
  route: Route,
  endpoint: string,
  form: URLSearchParams,
): Promise<FaultOutcome> {
  const { req, res, respond, origin, target } = exchange;
  const detail = endpointDetail(endpoint, form);
  const entry = logRequest(deps, exchange, endpoint, detail, form);
  const { latencyMs, fault } = deps.faults.take([endpoint, detail]);
  if (latencyMs > 0) {
    try {
      await sleep(latencyMs, undefined, { signal: deps.closing });
    } catch {
      res.destroy();
      return "answered";
    }
  }
  if (!fault) return "answer";
  entry.fault = fault.kind;
  if (fault.kind === "drop-response") return "drop-answer";
  applyFault(fault, req, res, respond, route, target.path, origin);
  return "answered";
}

/** The endpoint name for counts and faults: `token:<grant_type>` for the token endpoint. */
function endpointDetail(endpoint: string, form: URLSearchParams): string {
  if (endpoint !== "token") return endpoint;
  const grant = form.get("grant_type") ?? "";
  return `token:${/^[\x21-\x7e]{1,100}$/.test(grant) ? grant : grant === "" ? "missing" : "invalid"}`;
}

/** Adds the request to the log (secrets redacted); its status is filled in once answered. */
function logRequest(
  deps: HandlerDependencies,
  exchange: Exchange,
  endpoint: string,
  detail: string,
  form: URLSearchParams,
): RequestLogEntry {
  const { req, res, target } = exchange;
  const authorization = req.headers.authorization;
  const origin = req.headers.origin;
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers.authorization = "[redacted]";
  if (typeof origin === "string") headers.origin = origin.slice(0, 200);
  for (const name of ["content-type", "user-agent", "x-globus-client-info"]) {
    if (req.headers[name]) headers[name] = String(req.headers[name]).slice(0, 200);
  }
  const entry = deps.log.record({
    endpoint,
    detail,
    method: target.method,
    path: target.path.slice(0, 500),
    time: isoTime(deps.state.now()),
    params: redactParams(target.query, form),
    headers,
  });
  res.on("finish", () => {
    entry.status = res.statusCode;
  });
  return entry;
}
