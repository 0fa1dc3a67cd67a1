import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

/** A Web-standard handler: what the server-side login handlers are, and what Deno and Bun serve. */
export type WebHandler = (request: Request) => Response | Promise<Response>;

/** Options of {@link toNodeListener}. */
export interface NodeListenerOptions {
  /**
   * The origin requests are addressed to (`https://portal.example.org`). The handlers never trust it
   * for security (return URLs are checked against the `redirectUri`'s origin), but it makes
   * `request.url` right behind a proxy. @default `http://` + the Host header
   */
  origin?: string;
}

/**
 * Serves a Web-standard handler from node:http, and so from Express and Fastify: the request is
 * turned into a `Request` (body streamed), the `Response` written back with every `Set-Cookie`.
 *
 * @example
 * ```ts
 * app.get("/auth/login", toNodeListener(auth.login));            // Express
 * fastify.get("/auth/login", (req, reply) => { reply.hijack(); return toNodeListener(auth.login)(req.raw, reply.raw); });
 * http.createServer(toNodeListener((req) => router(req))).listen(3000); // node:http
 * ```
 */
export function toNodeListener(
  handler: WebHandler,
  options: NodeListenerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    try {
      const response = await handler(toWebRequest(req, options.origin));
      await writeWebResponse(res, response);
    } catch (error) {
      // A handler that throws is the server's bug or an outage: answer 500 without details.
      if (!res.headersSent) {
        res.writeHead(500, { "Content-Type": "text/plain" });
        res.end("Internal Server Error");
      } else res.destroy(error instanceof Error ? error : undefined);
    }
  };
}

/** A node:http request as a Web-standard `Request`. */
export function toWebRequest(req: IncomingMessage, origin?: string): Request {
  const base = origin ?? `http://${req.headers.host ?? "localhost"}`;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(new URL(req.url ?? "/", base), {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
  } as RequestInit);
}

/** Writes a Web-standard `Response` to a node:http response, each `Set-Cookie` as its own header. */
export async function writeWebResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
  res.end();
}
