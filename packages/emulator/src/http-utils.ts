import { randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { renderErrorPage } from "./html.ts";

/** Largest request body accepted; bigger ones get 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** @internal Thrown while reading a body that exceeds {@link MAX_BODY_BYTES}. */
export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
}

/** @internal Reads a request body, refusing more than `limit` bytes. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        // Stop buffering but keep draining so the 413 can still be written.
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** @internal Response helpers bound to one request; they add CORS and caching headers. */
export interface Responder {
  json(status: number, body: unknown, headers?: Record<string, string>): void;
  html(status: number, html: string, headers?: Record<string, string>): void;
  redirect(location: string): void;
  /** An OAuth error: `{"error", "error_description"}`. */
  oauthError(status: number, error: string, description: string, headers?: Record<string, string>): void;
  /** A Globus API error: `{"errors":[…], "error", "error_description"}`. */
  globusError(status: number, code: string, title: string, detail: string): void;
  /** The HTML error page of the browser-facing endpoints. */
  errorPage(status: number, title: string, message: string): void;
}

/**
 * @internal Headers that let a browser page on `origin` read a JSON answer; for `undefined` (an
 * origin the emulator does not answer, or none) only `Vary`, since the answer depends on it.
 */
export function corsHeaders(origin: string | undefined): Record<string, string> {
  if (origin === undefined) return { Vary: "Origin" };
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Expose-Headers": "Retry-After, WWW-Authenticate",
    Vary: "Origin",
  };
}

/**
 * @internal Response helpers for one request. `cors`: the allowed origin to echo, `undefined` for
 * none, `false` for the HTML pages (which never answer CORS).
 */
export function createResponder(res: ServerResponse, cors: string | undefined | false): Responder {
  const base = (): Record<string, string> => ({
    "Cache-Control": "no-store",
    Pragma: "no-cache",
    "X-Content-Type-Options": "nosniff",
    ...(cors === false ? {} : corsHeaders(cors)),
  });
  const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      ...base(),
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": String(Buffer.byteLength(text)),
      ...headers,
    });
    res.end(text);
  };
  const html = (status: number, page: string, headers: Record<string, string> = {}): void => {
    res.writeHead(status, {
      ...base(),
      "Content-Type": "text/html; charset=utf-8",
      "Content-Length": String(Buffer.byteLength(page)),
      // Pages carry codes and reflect parameters: no scripts, no framing, no referrer leaks.
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "no-referrer",
      ...headers,
    });
    res.end(page);
  };
  return {
    json,
    html,
    redirect(location) {
      res.writeHead(302, {
        ...base(),
        Location: location,
        "Referrer-Policy": "no-referrer",
        "Content-Length": "0",
      });
      res.end();
    },
    oauthError(status, error, description, headers) {
      json(status, { error, error_description: description }, headers);
    },
    globusError(status, code, title, detail) {
      json(status, {
        errors: [{ status: String(status), id: randomUUID(), code, title, detail }],
        error: code.toLowerCase(),
        error_description: title,
      });
    },
    errorPage(status, title, message) {
      html(status, renderErrorPage(title, message));
    },
  };
}

/** @internal Credentials from `Authorization: Basic …`; `"malformed"` for a broken header. */
export function parseBasicAuth(
  header: string | undefined,
): { id: string; secret: string } | "malformed" | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic[ ]+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match?.[1]) return "malformed";
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return "malformed";
  // RFC 6749 §2.3.1 form-encodes both parts (oauth4webapi does); Python sends them raw. Accept both.
  const id = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (id === undefined || secret === undefined) return "malformed";
  return { id, secret };
}

function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/** @internal The token of an `Authorization: Bearer …` header. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+([\x21-\x7e]+)\s*$/i.exec(header);
  return match?.[1];
}

/** @internal Constant-time string comparison for secrets. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** @internal The first of `names` given more than once (OAuth forbids repeated parameters). */
export function repeatedParameter(params: URLSearchParams, names: readonly string[]): string | undefined {
  return names.find((name) => params.getAll(name).length > 1);
}

/** @internal `uri` with `params` appended to its query (undefined values skipped). */
export function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.append(key, value);
  return url.href;
}
