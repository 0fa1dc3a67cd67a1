import type { IncomingMessage, ServerResponse } from "node:http";
import type { Route } from "./emulator-routes.ts";
import type { ActiveFault } from "./faults.ts";
import { corsHeaders, type Responder } from "./http-utils.ts";

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
