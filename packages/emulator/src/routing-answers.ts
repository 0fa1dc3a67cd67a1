import type { IncomingMessage, ServerResponse } from "node:http";
import type { Route } from "./emulator-routes.ts";
import { corsHeaders, type Responder } from "./http-utils.ts";

/** @internal 404 for a path no route serves, in the format of the service the path belongs to. */
export function notFound(respond: Responder, path: string): void {
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

/** The JSON body of a 405 (Globus Auth's error shapes, both of them). */
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

/**
 * @internal The answer to a CORS preflight (`OPTIONS`) of a non-browser route: 204 with what the
 * route allows for an origin the emulator answers, a bare 403 for any other.
 */
export function preflight(
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

/** @internal 413 for a body over 1 MiB; the connection is closed once the answer is read. */
export function tooLarge(req: IncomingMessage, res: ServerResponse, respond: Responder, route: Route): void {
  const headers = { Connection: "close" };
  const message = "the request body is larger than 1 MiB";
  if (route.browser)
    respond.html(413, `<!doctype html><title>Request too large</title><p>${message}</p>`, headers);
  else respond.oauthError(413, "invalid_request", message, headers);
  // Let the client read the answer, then hang up on a body we will not read.
  res.on("finish", () => setTimeout(() => req.socket.destroy(), 200).unref());
}

/** @internal 405 for a method the route does not serve: an HTML page on browser routes, JSON elsewhere. */
export function notAllowed(respond: Responder, route: Route, method: string): void {
  const allow = Object.keys(route.methods).join(", ");
  if (route.browser) respond.html(405, "<!doctype html><title>Method Not Allowed</title>", { Allow: allow });
  else respond.json(405, methodNotAllowed(method), { Allow: `${allow}, OPTIONS` });
}
