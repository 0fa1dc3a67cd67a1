import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import {
  handleConsents,
  handleIdentities,
  handleJwks,
  handleOpenidConfiguration,
  handleUserinfo,
} from "./api-routes.ts";
import { handleAuthCodePage, handleAuthorizeGet, handleAuthorizePost } from "./authorize-endpoint.ts";
import { COMPUTE_ROUTES, runCompute } from "./compute-routes.ts";
import { CONTROL_ROUTES, handleControlIndex } from "./control-routes.ts";
import type { EmulatorControl } from "./emulator-control.ts";
import type { EmulatorState } from "./emulator-state.ts";
import type { ActiveFault, FaultInjector } from "./faults.ts";
import { FLOWS_ROUTES, runFlows } from "./flows-routes.ts";
import { GROUPS_ROUTES, runGroups } from "./groups-routes.ts";
import { BodyTooLargeError, corsHeaders, createResponder, type Responder, readBody } from "./http-utils.ts";
import { isoTime } from "./iso-time.ts";
import type { OriginPolicy } from "./origin-policy.ts";
import type { RequestContext, RouteHandler } from "./request-context.ts";
import { type RequestLog, redactParams } from "./request-log.ts";
import { runSearch, SEARCH_ROUTES } from "./search-routes.ts";
import { runTimers, TIMERS_ROUTES } from "./timers-routes.ts";
import { handleIntrospect, handleRevoke, handleToken } from "./token-endpoint.ts";
import { runTransfer, TRANSFER_ROUTES } from "./transfer-routes.ts";
import { handleWebLogout } from "./web-logout-endpoint.ts";

interface Route {
  readonly pattern: RegExp;
  /** Name for counts, logs and faults; `undefined` for control routes, which are neither. */
  readonly endpoint: string | undefined;
  readonly methods: Readonly<Partial<Record<string, RouteHandler>>>;
  /** Browser-facing: HTML errors and no CORS. */
  readonly browser?: boolean;
  readonly control?: boolean;
  /** A fake service API (JSON bodies, the service's errors), and which. */
  readonly service?: EmulatedService;
}

/** The services the emulator fakes besides Auth, each on its own port and under `/<service>/`. */
export const EMULATED_SERVICES = ["transfer", "groups", "search", "flows", "timer", "compute"] as const;
/** @internal One of {@link EMULATED_SERVICES}. */
export type EmulatedService = (typeof EMULATED_SERVICES)[number];

/** A fake service's routes mounted under `/<service>/<version>/`, each call run by `run`. */
function mount<H>(
  service: EmulatedService,
  prefix: string,
  routes: readonly { pattern: RegExp; methods: Readonly<Partial<Record<string, H>>> }[],
  run: (ctx: RequestContext, handler: H) => void,
): Route[] {
  return routes.map((route) => ({
    // Flows has no version segment: its paths start at the root.
    pattern: new RegExp(
      `^/${service}/${prefix === "" ? "" : `${prefix.replace(".", "\\.")}/`}${route.pattern.source.slice(1)}`,
    ),
    endpoint: service,
    methods: Object.fromEntries(
      Object.entries(route.methods).map(([method, handler]) => [
        method,
        (ctx: RequestContext) => run(ctx, handler as H),
      ]),
    ),
    service,
  }));
}

const exact = (path: string): RegExp => new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);

const ROUTES: readonly Route[] = [
  {
    pattern: exact("/.well-known/openid-configuration"),
    endpoint: "openid-configuration",
    methods: { GET: handleOpenidConfiguration },
  },
  { pattern: exact("/jwk.json"), endpoint: "jwks", methods: { GET: handleJwks } },
  {
    pattern: exact("/v2/oauth2/authorize"),
    endpoint: "authorize",
    methods: { GET: handleAuthorizeGet, POST: handleAuthorizePost },
    browser: true,
  },
  {
    pattern: exact("/v2/web/auth-code"),
    endpoint: "auth-code",
    methods: { GET: handleAuthCodePage },
    browser: true,
  },
  {
    pattern: exact("/v2/web/logout"),
    endpoint: "web-logout",
    methods: { GET: handleWebLogout },
    browser: true,
  },
  { pattern: exact("/v2/oauth2/token"), endpoint: "token", methods: { POST: handleToken } },
  { pattern: exact("/v2/oauth2/token/revoke"), endpoint: "revoke", methods: { POST: handleRevoke } },
  {
    pattern: exact("/v2/oauth2/token/introspect"),
    endpoint: "introspect",
    methods: { POST: handleIntrospect },
  },
  {
    pattern: exact("/v2/oauth2/userinfo"),
    endpoint: "userinfo",
    methods: { GET: handleUserinfo, POST: handleUserinfo },
  },
  { pattern: exact("/v2/api/identities"), endpoint: "identities", methods: { GET: handleIdentities } },
  {
    pattern: /^\/v2\/api\/identities\/([^/]+)\/consents$/,
    endpoint: "consents",
    methods: { GET: handleConsents },
  },
  ...mount("transfer", "v0.10", TRANSFER_ROUTES, runTransfer),
  ...mount("groups", "v2", GROUPS_ROUTES, runGroups),
  ...mount("search", "v1", SEARCH_ROUTES, runSearch),
  ...mount("flows", "", FLOWS_ROUTES, runFlows),
  ...mount("timer", "", TIMERS_ROUTES, runTimers),
  ...mount("compute", "", COMPUTE_ROUTES, runCompute),
  { pattern: /^\/_emulator\/?$/, endpoint: undefined, methods: { GET: handleControlIndex }, control: true },
  ...CONTROL_ROUTES.map((route) => ({
    pattern: exact(route.path),
    endpoint: undefined,
    methods: route.methods,
    control: true,
  })),
];

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

function parseTarget(raw: string): { path: string; query: URLSearchParams } | undefined {
  try {
    const url = raw.startsWith("/") ? new URL(`http://emulator.invalid${raw}`) : new URL(raw);
    return { path: url.pathname, query: url.searchParams };
  } catch {
    return undefined;
  }
}

/** What one request's answers may carry: the origin to echo in CORS headers, once known. */
interface CorsDecision {
  origin: string | undefined;
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

async function handle(
  deps: HandlerDependencies,
  req: IncomingMessage,
  res: ServerResponse,
  cors: CorsDecision,
): Promise<void> {
  if (!deps.policy.hostAllowed(req.headers.host)) {
    createResponder(res, undefined).oauthError(
      403,
      "forbidden",
      "the emulator answers only to its loopback address and port in the Host header",
    );
    return;
  }
  const target = parseTarget(req.url ?? "/");
  if (!target) {
    createResponder(res, undefined).oauthError(400, "invalid_request", "malformed request target");
    return;
  }
  const { query } = target;
  // On a service's own port, every path is that service's: nothing else of the emulator is reachable there.
  const path = deps.serviceAtRoot ? `/${deps.serviceAtRoot}${target.path}` : target.path;
  const method = (req.method ?? "GET").toUpperCase();
  let route: Route | undefined;
  let captures: string[] = [];
  for (const candidate of ROUTES) {
    const match = candidate.pattern.exec(path);
    if (match) {
      route = candidate;
      captures = match.slice(1);
      break;
    }
  }
  // Decided before anything else runs: a refused page must not reach an action, even one whose
  // answer it could never read (form posts and no-cors requests need no CORS to have effects).
  if (route?.control || path === "/_emulator" || path.startsWith("/_emulator/")) {
    const access = deps.policy.controlAccess(req);
    if (!access.allowed) {
      createResponder(res, undefined).oauthError(
        403,
        "forbidden",
        "the control API does not answer web pages from this origin; allow it with --allow-origin <origin> (allowedOrigins)",
      );
      return;
    }
    cors.origin = access.corsOrigin;
  } else if (!route?.browser) {
    cors.origin = deps.policy.oauthCorsOrigin(req);
  }
  const respond = createResponder(res, route?.browser ? false : cors.origin);
  if (!route) {
    notFound(respond, path);
    return;
  }
  if (method === "OPTIONS" && !route.browser) {
    preflight(req, res, route, cors.origin);
    return;
  }
  const handler = route.methods[method === "HEAD" ? "GET" : method];
  if (!handler) {
    const allow = Object.keys(route.methods).join(", ");
    if (route.browser)
      respond.html(405, "<!doctype html><title>Method Not Allowed</title>", { Allow: allow });
    else respond.json(405, methodNotAllowed(method), { Allow: `${allow}, OPTIONS` });
    return;
  }
  const pathParams: string[] = [];
  for (const capture of captures) {
    try {
      pathParams.push(decodeURIComponent(capture));
    } catch {
      notFound(respond, path);
      return;
    }
  }

  let body: Buffer = Buffer.alloc(0);
  if (method !== "GET" && method !== "HEAD") {
    try {
      body = await readBody(req);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      tooLarge(req, res, respond, route);
      return;
    }
  }
  const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const isForm =
    contentType === "application/x-www-form-urlencoded" || (contentType === "" && !route.control);
  if (!route.control && !route.service && body.length > 0 && !isForm) {
    const message = "the body must be application/x-www-form-urlencoded";
    if (route.browser) respond.errorPage(400, "Unsupported request", message);
    else respond.oauthError(400, "invalid_request", message);
    return;
  }
  const form = isForm && !route.service ? new URLSearchParams(body.toString("utf8")) : new URLSearchParams();

  let dropAnswer = false;
  if (route.endpoint !== undefined) {
    const endpoint = route.endpoint;
    let detail = endpoint;
    if (endpoint === "token") {
      const grant = form.get("grant_type") ?? "";
      detail = `token:${/^[\x21-\x7e]{1,100}$/.test(grant) ? grant : grant === "" ? "missing" : "invalid"}`;
    }
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
      method,
      path: path.slice(0, 500),
      time: isoTime(deps.state.now()),
      params: redactParams(query, form),
      headers,
    });
    res.on("finish", () => {
      entry.status = res.statusCode;
    });
    const { latencyMs, fault } = deps.faults.take([endpoint, detail]);
    if (latencyMs > 0) {
      try {
        await sleep(latencyMs, undefined, { signal: deps.closing });
      } catch {
        res.destroy();
        return;
      }
    }
    if (fault) {
      entry.fault = fault.kind;
      if (fault.kind !== "drop-response") {
        applyFault(fault, req, res, respond, route, cors.origin);
        return;
      }
      dropAnswer = true;
    }
  }

  await handler({
    req,
    res,
    state: deps.state,
    control: deps.control,
    baseUrl: deps.baseUrl(),
    method,
    path,
    pathParams,
    query,
    form,
    body,
    respond: dropAnswer ? droppingResponder(req) : respond,
  } satisfies RequestContext);
}

/** A responder that hangs up instead of answering: the `drop-response` fault, after the work is done. */
function droppingResponder(req: IncomingMessage): Responder {
  const hangUp = (): void => {
    req.socket.destroy();
  };
  return {
    json: hangUp,
    html: hangUp,
    redirect: hangUp,
    oauthError: hangUp,
    globusError: hangUp,
    errorPage: hangUp,
  };
}

function notFound(respond: Responder, path: string): void {
  if (path.startsWith("/search/")) {
    respond.json(404, {
      "@datatype": "GError",
      "@version": "2017-09-01",
      status: 404,
      code: "NotFound.Generic",
      message: "No such resource",
    });
  } else if (path.startsWith("/flows/")) {
    // wire: unverified (Flows' 404 for a path it does not serve)
    respond.json(404, { error: { code: "NOT_FOUND", detail: "No such resource" }, debug_id: "not-found" });
  } else if (path.startsWith("/timer/")) {
    // wire: unverified (Timers' 404 for a path it does not serve)
    respond.json(404, { error: { code: "NOT_FOUND", detail: "No such resource", status: 404 } });
  } else if (path.startsWith("/compute/")) {
    // wire: unverified (Compute's 404 for a path it does not serve)
    respond.json(404, { code: "NOT_FOUND", reason: "No such resource", http_status_code: 404 });
  } else if (path.startsWith("/groups/")) {
    // wire: unverified (Groups' 404 for a path it does not serve)
    respond.json(404, { code: "NOT_FOUND", detail: "No such resource", status: 404 });
  } else if (path.startsWith("/transfer/")) {
    respond.json(404, {
      code: "ClientError.NotFound",
      message: "No such resource",
      resource: path.slice(9, 200),
    });
  } else {
    respond.globusError(404, "NOT_FOUND", "Not Found", "No such endpoint in the Globus Auth emulator");
  }
}

function methodNotAllowed(method: string): unknown {
  return {
    errors: [
      {
        status: "405",
        code: "METHOD_NOT_ALLOWED",
        title: "Method Not Allowed",
        detail: `${method.slice(0, 20)} is not allowed here`,
      },
    ],
    error: "method_not_allowed",
    error_description: "Method Not Allowed",
  };
}

function preflight(
  req: IncomingMessage,
  res: ServerResponse,
  route: Route,
  origin: string | undefined,
): void {
  if (origin === undefined) {
    // No CORS headers at all: the browser refuses the request, Private Network Access included.
    res.writeHead(403, { ...corsHeaders(undefined), "Content-Length": "0" });
    res.end();
    return;
  }
  const headers: Record<string, string> = {
    ...corsHeaders(origin),
    "Access-Control-Allow-Methods": [...Object.keys(route.methods), "OPTIONS"].join(", "),
    // X-Globus-Client-Info: Globus allows it (the Globus JS SDK sends it from browsers).
    "Access-Control-Allow-Headers": "Authorization, Content-Type, X-Globus-Client-Info",
    "Access-Control-Max-Age": "600",
    Vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
    "Content-Length": "0",
  };
  // Chrome's Private Network Access asks before a public page may call a loopback server; only
  // an origin allowed above gets that grant.
  if (req.headers["access-control-request-private-network"] === "true") {
    headers["Access-Control-Allow-Private-Network"] = "true";
  }
  res.writeHead(204, headers);
  res.end();
}

function tooLarge(req: IncomingMessage, res: ServerResponse, respond: Responder, route: Route): void {
  const headers = { Connection: "close" };
  const message = "the request body is larger than 1 MiB";
  if (route.browser)
    respond.html(413, `<!doctype html><title>Request too large</title><p>${message}</p>`, headers);
  else respond.oauthError(413, "invalid_request", message, headers);
  // Let the client read the answer, then hang up on a body we will not read.
  res.on("finish", () => setTimeout(() => req.socket.destroy(), 200).unref());
}

function applyFault(
  fault: ActiveFault,
  req: IncomingMessage,
  res: ServerResponse,
  respond: Responder,
  route: Route,
  origin: string | undefined,
): void {
  switch (fault.kind) {
    case "drop-connection":
      req.socket.destroy();
      return;
    case "server-error":
      if (route.browser)
        respond.errorPage(fault.status, "Service unavailable", "Injected fault: server error.");
      else respond.oauthError(fault.status, "server_error", `injected fault: HTTP ${fault.status}`);
      return;
    case "rate-limit": {
      const headers = { "Retry-After": String(fault.retryAfter) };
      if (route.browser) respond.html(429, "<!doctype html><title>Too Many Requests</title>", headers);
      else respond.oauthError(429, "too_many_requests", "injected fault: rate limited", headers);
      return;
    }
    case "malformed-json": {
      const text = '{"error": "injected fault", "access_token": "trunc';
      res.writeHead(200, {
        "Cache-Control": "no-store",
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": String(Buffer.byteLength(text)),
        ...(route.browser ? {} : corsHeaders(origin)),
      });
      res.end(text);
      return;
    }
    case "stall-body":
      res.writeHead(200, {
        "Cache-Control": "no-store",
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": "1048576",
        ...(route.browser ? {} : corsHeaders(origin)),
      });
      res.write('{"access_token": "');
      return;
    case "latency":
    case "drop-response":
      return;
  }
}
