import type { IncomingMessage, ServerResponse } from "node:http";
import type { Route } from "./emulator-routes.ts";
import type { ActiveFault } from "./faults.ts";
import { corsHeaders, type Responder } from "./http-utils.ts";
import { injectedFaultCode, SERVICE_ERROR_WRITERS } from "./service-error-writers.ts";

/** @internal A responder that hangs up instead of answering: the `drop-response` fault, after the work is done. */
export function droppingResponder(req: IncomingMessage): Responder {
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

/**
 * An injected 5xx or 429 in the error shape of whoever answers: an HTML page for the browser's
 * endpoints, a fake service's own error body on its routes, an OAuth error on Auth's.
 */
function errorAnswer(
  respond: Responder,
  route: Route,
  path: string,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (route.browser) {
    if (status === 429) respond.html(429, "<!doctype html><title>Too Many Requests</title>", headers);
    else respond.errorPage(status, "Service unavailable", "Injected fault: server error.");
  } else if (route.service) {
    const { write, upperCodes } = SERVICE_ERROR_WRITERS[route.service];
    const withHeaders: Responder = {
      ...respond,
      json: (code, body, more) => respond.json(code, body, { ...headers, ...more }),
    };
    write({ respond: withHeaders, path }, status, injectedFaultCode(status, upperCodes), message);
  } else {
    respond.oauthError(status, status === 429 ? "too_many_requests" : "server_error", message, headers);
  }
}

/**
 * @internal Answers a request with an injected fault instead of its handler: a dropped
 * connection, a 5xx, a 429, malformed JSON or a stalled body (`latency` and `drop-response` are
 * the caller's to apply: they delay or silence the real answer).
 */
export function applyFault(
  fault: ActiveFault,
  req: IncomingMessage,
  res: ServerResponse,
  respond: Responder,
  route: Route,
  path: string,
  origin: string | undefined,
): void {
  switch (fault.kind) {
    case "drop-connection":
      req.socket.destroy();
      return;
    case "server-error":
      errorAnswer(respond, route, path, fault.status, `injected fault: HTTP ${fault.status}`);
      return;
    case "rate-limit":
      errorAnswer(respond, route, path, 429, "injected fault: rate limited", {
        "Retry-After": String(fault.retryAfter),
      });
      return;
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
