import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { isLoginDeniedError, isLoginStateMismatchError, LocalServerError } from "@globus-app/core";

/** The address the loopback server listens on (RFC 8252 §8.3: the IP literal, not `localhost`). */
export const CALLBACK_HOST = "127.0.0.1";

/** What {@link LocalServerLoginFlowManager.renderLandingPage} shows the person after the callback. */
export interface LocalServerLandingPage {
  /** `"success"` when a code arrived; `"failure"` for an error from Globus or a rejected callback. */
  readonly outcome: "success" | "failure";
  /** One plain-text sentence (Globus's own words for an error); the renderer must HTML-escape it. */
  readonly message: string;
}

/** Reads a callback URL into its code, or throws the callback's typed error (`parseLoginCallback`). */
export type CallbackReader = (url: URL) => string;

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and quoted attributes. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** A minimal, script-free HTML page: a heading and plain-text paragraphs, escaped. */
export function htmlPage(heading: string, paragraphs: readonly string[]): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Globus Login</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}h1{color:#2e5793;font-size:1.5rem}</style>
</head>
<body>
<h1>${escapeHtml(heading)}</h1>
${body}
</body>
</html>
`;
}

// No scripts, no subresources, no referrer: the callback URL holds the code.
const PAGE_HEADERS = {
  "Content-Type": "text/html; charset=utf-8",
  "Cache-Control": "no-store",
  Connection: "close",
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
};

/**
 * The loopback server of one login: answers the callback, then closes with every connection.
 * Requests must name the server itself in `Host` (`127.0.0.1:<port>`, `localhost:<port>` or
 * `[::1]:<port>`): a page that rebinds its own host name to 127.0.0.1 (DNS rebinding) is refused.
 */
export class CallbackServer {
  readonly #server: Server;
  readonly #sockets: Set<Socket>;
  readonly #callbackPath: string;
  readonly #render: (page: LocalServerLandingPage) => string;
  readonly #hosts: ReadonlySet<string>;
  #read: CallbackReader | undefined;
  #done = false;
  #resolve!: (code: string) => void;
  #reject!: (error: Error) => void;
  /** Settles with the first valid callback's code. */
  readonly code: Promise<string>;
  readonly port: number;
  readonly redirectUri: string;

  private constructor(
    server: Server,
    sockets: Set<Socket>,
    port: number,
    callbackPath: string,
    render: (page: LocalServerLandingPage) => string,
  ) {
    this.#server = server;
    this.#sockets = sockets;
    this.port = port;
    this.#callbackPath = callbackPath;
    this.#render = render;
    this.#hosts = new Set([`${CALLBACK_HOST}:${port}`, `localhost:${port}`, `[::1]:${port}`]);
    this.redirectUri = `http://${CALLBACK_HOST}:${port}${callbackPath}`;
    this.code = new Promise<string>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Nothing awaits `code` until the login URL exists; a failure before then must not go unhandled.
    this.code.catch(() => {});
  }

  /**
   * Listens on {@link CALLBACK_HOST}:`port` (0: a free port).
   *
   * @throws LocalServerError when the port cannot be listened on.
   */
  static async listen(
    port: number,
    callbackPath: string,
    render: (page: LocalServerLandingPage) => string,
  ): Promise<CallbackServer> {
    // Imported at the first local-server login: it costs every cold start a few ms otherwise.
    const { createServer } = await import("node:http");
    return new Promise<CallbackServer>((resolve, reject) => {
      const sockets = new Set<Socket>();
      let instance: CallbackServer | undefined;
      const server = createServer((req, res) => {
        try {
          if (instance) instance.#handle(req, res);
          else {
            res.writeHead(503, PAGE_HEADERS);
            res.end();
          }
        } catch {
          // A throw here would be an uncaught exception that ends the whole process.
          if (!res.headersSent) res.writeHead(500, PAGE_HEADERS);
          res.end();
        }
      });
      server.on("connection", (socket: Socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
      });
      const onError = (error: NodeJS.ErrnoException): void => {
        server.off("listening", onListening);
        server.close();
        reject(
          new LocalServerError(
            `The login server could not listen on ${CALLBACK_HOST}:${port}${error.code ? ` (${error.code})` : ""}; ${
              error.code === "EADDRINUSE" ? "the port is in use, choose another" : "choose another port"
            } or use the command-line login.`,
            { cause: error },
          ),
        );
      };
      const onListening = (): void => {
        server.off("error", onError);
        const bound = (server.address() as AddressInfo).port;
        instance = new CallbackServer(server, sockets, bound, callbackPath, render);
        // A server error after listening (rare: EMFILE) fails the login instead of crashing.
        const created = instance;
        server.on("error", (error) =>
          created.#settle(() =>
            created.#reject(new LocalServerError("The login server failed.", { cause: error })),
          ),
        );
        resolve(created);
      };
      server.once("error", onError);
      server.once("listening", onListening);
      server.listen({ host: CALLBACK_HOST, port });
    });
  }

  /** Callbacks are accepted from now on, read (and checked) by `read`. */
  expectCallback(read: CallbackReader): void {
    this.#read = read;
  }

  /** The app's landing page, or the default one when its renderer throws (the login must still settle). */
  #page(page: LocalServerLandingPage): string {
    try {
      return this.#render(page);
    } catch {
      return htmlPage(page.outcome === "success" ? "Login successful" : "Login failed", [
        page.message,
        "You may close this tab and return to the terminal.",
      ]);
    }
  }

  #settle(action: () => void): void {
    if (this.#done) return;
    this.#done = true;
    action();
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const send = (status: number, body: string, after?: () => void, headers: Record<string, string> = {}) => {
      if (after) {
        // Settle once the page is flushed, so closing the server cannot cut it off.
        let ran = false;
        const run = (): void => {
          if (ran) return;
          ran = true;
          after();
        };
        res.once("finish", run);
        res.once("close", run);
      }
      res.writeHead(status, { ...PAGE_HEADERS, ...headers });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (!this.#hosts.has(req.headers.host?.toLowerCase() ?? "")) {
      send(400, htmlPage("Bad request", ["This server only answers at its own loopback address."]));
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? "/", `http://${CALLBACK_HOST}`);
    } catch {
      send(400, htmlPage("Bad request", ["This address is not understood."]));
      return;
    }
    if (url.pathname !== this.#callbackPath) {
      send(404, htmlPage("Not found", ["This server only receives the Globus login callback."]));
      return;
    }
    if (req.method !== "GET") {
      send(405, htmlPage("Method not allowed", ["The Globus login callback is a GET request."]), undefined, {
        Allow: "GET",
      });
      return;
    }
    if (this.#done) {
      send(
        409,
        htmlPage("Login already finished", ["This login has already finished; return to the terminal."]),
      );
      return;
    }
    let code: string;
    try {
      if (!this.#read) throw new LocalServerError("No login is waiting for a callback yet.");
      code = this.#read(url);
    } catch (error) {
      this.#refuse(error, send);
      return;
    }
    this.#done = true;
    send(
      200,
      this.#page({ outcome: "success", message: "Globus sent the login back to the application." }),
      () => this.#resolve(code),
    );
  }

  /**
   * Answers a callback the reader refused. One that belongs to no login here (another tab's, an old
   * link, a forgery) is refused and the login keeps waiting, so a stray request cannot end it;
   * this login's own refusal (Deny, a wrong issuer, no code) ends the login with that error.
   */
  #refuse(error: unknown, send: (status: number, body: string, after?: () => void) => void): void {
    if (isLoginStateMismatchError(error) || !this.#read) {
      send(
        400,
        this.#page({
          outcome: "failure",
          message:
            "This login response does not belong to the login in progress. Use the most recent login link.",
        }),
      );
      return;
    }
    const failure = error instanceof Error ? error : new LocalServerError("The login callback was refused.");
    this.#done = true;
    const message = isLoginDeniedError(error)
      ? `Globus Auth refused the login: ${error.errorDescription ?? error.error}`
      : failure.message;
    send(isLoginDeniedError(error) ? 200 : 400, this.#page({ outcome: "failure", message }), () =>
      this.#reject(failure),
    );
  }

  /** Stops listening and ends every connection; resolves when all are closed. */
  close(): Promise<void> {
    this.#done = true;
    return new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      // Browsers keep idle keep-alive and speculative connections open; they would hold close() up.
      const closeAll = (this.#server as { closeAllConnections?: () => void }).closeAllConnections;
      closeAll?.call(this.#server);
      for (const socket of this.#sockets) socket.destroy();
    });
  }
}
