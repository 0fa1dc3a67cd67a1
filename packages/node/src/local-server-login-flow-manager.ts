import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import os from "node:os";
import {
  type AuthLoginClient,
  type AuthorizationRequest,
  BaseLoginFlowManager,
  type BaseLoginFlowManagerOptions,
  GlobusSDKUsageError,
  LocalServerError,
  LoginDeniedError,
  type LoginFlowManagerContext,
  type LoginFlowOptions,
  LoginTimeoutError,
  type TokenResponse,
} from "@globus-app/core";
import {
  defaultNamedGrant,
  formatAuthorizeUrlBanner,
  type LoginAuthParams,
  raceAbort,
  throwIfAborted,
} from "./command-line-login-flow-manager.ts";

const DEFAULT_TIMEOUT_MS = 5 * 60 * 1000;
const HOST = "127.0.0.1";

/** Options of {@link LocalServerLoginFlowManager}. */
export interface LocalServerLoginFlowManagerOptions extends BaseLoginFlowManagerOptions {
  /**
   * The loopback port. A fixed port lets a person on SSH keep one port forwarding for every login.
   * @default 0 (the system picks a free port per login)
   */
  port?: number | undefined;
  /** The path Globus redirects to; every other path answers 404. @default "/callback" */
  callbackPath?: string | undefined;
  /** How long to wait for the browser to come back. @default 300000 (5 minutes) */
  timeoutMs?: number | undefined;
  /**
   * Shows the authorize URL in a browser; resolves false (or throws) when it could not, and the URL
   * is then printed. An injected opener decides alone: the SSH and display checks belong to the
   * default, which skips SSH sessions and Linux without `DISPLAY`/`WAYLAND_DISPLAY` and otherwise
   * uses the `open` package (loaded on first use).
   */
  openBrowser?: ((url: string) => Promise<boolean>) | undefined;
  /** Where the URL (when no browser opens) and progress lines go. @default `process.stderr` */
  output?: NodeJS.WritableStream | undefined;
  /** The environment the default opener inspects. @default `process.env`, read at each login */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Cancels every login this manager runs (as does the signal given to `runLoginFlow`). */
  signal?: AbortSignal | undefined;
}

/** What {@link LocalServerLoginFlowManager.renderLandingPage} shows the person after the callback. */
export interface LocalServerLandingPage {
  /** `"success"` when a code arrived; `"failure"` for an error from Globus or a rejected callback. */
  readonly outcome: "success" | "failure";
  /** One plain-text sentence (Globus's own words for an error); the renderer must HTML-escape it. */
  readonly message: string;
}

/**
 * Why the default opener would not try to open a browser here, or undefined when it would: an SSH
 * session (`SSH_TTY` or `SSH_CONNECTION` set), or Linux and other Unixes without a graphical
 * display (`DISPLAY` and `WAYLAND_DISPLAY` unset; WSL excepted, which opens the Windows browser).
 * Apps can use it to choose between `"local-server"` and `"command-line"` up front.
 *
 * @example
 * ```ts
 * const loginFlowManager = browserUnavailableReason() ? "command-line" : "local-server";
 * ```
 */
export function browserUnavailableReason(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: string = process.platform,
): string | undefined {
  if (env.SSH_TTY || env.SSH_CONNECTION) return "this is an SSH session";
  if (platform === "win32" || platform === "darwin") return undefined;
  if (env.DISPLAY || env.WAYLAND_DISPLAY || env.WSL_DISTRO_NAME) return undefined;
  return "no graphical display: DISPLAY and WAYLAND_DISPLAY are unset";
}

/**
 * Logs a person in through their browser and a loopback HTTP server on `127.0.0.1`, as desktop
 * apps do (RFC 8252): opens the system browser at Globus's authorize URL and receives the code at
 * `http://127.0.0.1:<port>/callback`. Native clients only (Globus accepts any loopback port for
 * them).
 *
 * Unlike the Python SDK, it does not give up where no browser can be opened (SSH sessions, Linux
 * without a display, an opener that fails): it prints the URL, with a hint about SSH port
 * forwarding, and keeps waiting.
 *
 * Only a GET of the callback path counts (other paths answer 404, other methods 405). A callback
 * whose `state` is missing or belongs to another login (stale tab, forged link) answers 400 and the
 * login keeps waiting, so a stray request cannot kill a pending login. A callback with the right
 * state and an `error` (the person clicked Deny) fails the login with a `LoginDeniedError`. The
 * server closes, with every connection, after the first valid callback, on timeout and on abort.
 *
 * @throws GlobusSDKUsageError from the constructor for a port outside 0–65535, a callback path not
 *   starting with `/`, or a timeout that is not a positive number.
 * @example
 * ```ts
 * const flow = new LocalServerLoginFlowManager(loginClient, { timeoutMs: 120_000 });
 * const app = new UserApp("my-app", { loginClient, config: { loginFlowManager: flow } });
 * await app.login();
 * ```
 */
export class LocalServerLoginFlowManager extends BaseLoginFlowManager {
  /** The loopback port (0: a free one per login). */
  readonly port: number;
  /** The callback path. */
  readonly callbackPath: string;
  /** How long a login waits for the browser, in milliseconds. */
  readonly timeoutMs: number;
  readonly #openBrowser: ((url: string) => Promise<boolean>) | undefined;
  readonly #output: NodeJS.WritableStream | undefined;
  readonly #env: Readonly<Record<string, string | undefined>> | undefined;
  readonly #signal: AbortSignal | undefined;

  constructor(loginClient: AuthLoginClient, options: LocalServerLoginFlowManagerOptions = {}) {
    super(loginClient, options);
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new GlobusSDKUsageError(`port must be an integer from 0 to 65535 (got ${port}).`);
    }
    const callbackPath = options.callbackPath ?? "/callback";
    if (!callbackPath.startsWith("/") || /[?#\s]/.test(callbackPath)) {
      throw new GlobusSDKUsageError('callbackPath must be a URL path starting with "/".');
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
      throw new GlobusSDKUsageError("timeoutMs must be a positive number of milliseconds.");
    }
    this.port = port;
    this.callbackPath = callbackPath;
    this.timeoutMs = timeoutMs;
    this.#openBrowser = options.openBrowser;
    this.#output = options.output;
    this.#env = options.env;
    this.#signal = options.signal;
  }

  /**
   * Provider form, used for `loginFlowManager: "local-server"`: names the grant
   * `"<appName> on <hostname>"` and takes the refresh-token choice from the app's config.
   *
   * @throws GlobusSDKUsageError for a confidential client, or when `config.loginRedirectUri` is set
   *   (the redirect is always the loopback server's).
   */
  static forGlobusApp(context: LoginFlowManagerContext): LocalServerLoginFlowManager {
    if (context.loginClient.isConfidential) {
      throw new GlobusSDKUsageError("LocalServerLoginFlowManager is only supported for Native Apps.");
    }
    if (context.config.loginRedirectUri !== undefined) {
      throw new GlobusSDKUsageError("Cannot define a custom redirect_uri for LocalServerLoginFlowManager.");
    }
    return new LocalServerLoginFlowManager(context.loginClient, {
      requestRefreshTokens: context.config.requestRefreshTokens,
      prefillNamedGrant: defaultNamedGrant(context.appName),
      idTokenDecoder: context.idTokenDecoder,
    });
  }

  /** The stream progress lines and, when needed, the URL go to. */
  protected get output(): NodeJS.WritableStream {
    return this.#output ?? process.stderr;
  }

  /**
   * Starts the loopback server, sends the person to Globus, waits for the callback and exchanges
   * the code.
   *
   * @throws LocalServerError when the server cannot listen (port in use, not permitted), or a
   *   callback with the right state carries neither a code nor an error.
   * @throws LoginDeniedError when Globus sends an error back (`access_denied` on Deny).
   * @throws LoginTimeoutError when no valid callback arrives within `timeoutMs`.
   * @throws LoginCancelledError when `options.signal` (or the constructor's) aborts.
   * @throws GlobusAPIError when Globus refuses the code.
   */
  async runLoginFlow(authParams: LoginAuthParams, options: LoginFlowOptions = {}): Promise<TokenResponse> {
    const signals = [this.#signal, options.signal];
    throwIfAborted(signals);
    const server = await CallbackServer.listen(this.port, this.callbackPath, (page) =>
      this.renderLandingPage(page),
    );
    let request: AuthorizationRequest;
    let code: string;
    let finished = false;
    try {
      request = await this.startAuthorization(authParams, server.redirectUri);
      throwIfAborted(signals);
      server.expectState(request.state);
      const callback = raceAbort(withTimeout(server.code, this.timeoutMs), signals);
      // Waiting starts now: the browser may come back while the opener is still running.
      callback.catch(() => {});
      void this.#showUrl(request.url, server).then(
        (message) => {
          if (!finished) this.output.write(message);
        },
        () => {},
      );
      code = await callback;
    } finally {
      finished = true;
      await server.close();
    }
    return raceAbort(this.exchangeCode(request, code), signals);
  }

  /**
   * The HTML page the browser shows after the callback. Override to brand it; HTML-escape
   * `page.message`. The default is a minimal page titled "Globus Login" that sends the person back
   * to the terminal.
   */
  renderLandingPage(page: LocalServerLandingPage): string {
    const heading = page.outcome === "success" ? "Login successful" : "Login failed";
    return htmlPage(heading, [page.message, "You may close this tab and return to the terminal."]);
  }

  /** Opens the browser, or says why not; returns what to print. */
  async #showUrl(url: string, server: CallbackServer): Promise<string> {
    let reason: string | undefined;
    if (this.#openBrowser) {
      reason = await this.#openBrowser(url).then(
        (opened) => (opened ? undefined : "the browser opener declined"),
        () => "the browser opener failed",
      );
    } else {
      const env = this.#env ?? process.env;
      reason = browserUnavailableReason(env) ?? (await openSystemBrowser(url));
    }
    const wait = `Waiting up to ${formatDuration(this.timeoutMs)} for the login to finish...\n`;
    if (reason === undefined) return `A browser was opened to log in with Globus. ${wait}`;
    const host = hostnameOrPlaceholder();
    return [
      formatAuthorizeUrlBanner(url),
      `Could not open a browser (${reason}); open the URL above yourself.\n`,
      `Globus then sends that browser to ${server.redirectUri}, so it must run on this machine,\n`,
      "or reach it through SSH port forwarding started from your own computer:\n",
      `    ssh -N -L ${server.port}:${HOST}:${server.port} ${host}\n`,
      this.port === 0 ? "(A fixed port, the `port` option, lets one forwarding serve every login.)\n" : "",
      'Or log in with the "command-line" flow, which needs no port.\n',
      wait,
    ].join("");
  }
}

/** Opens `url` with the `open` package; resolves a reason on failure, undefined on success. */
async function openSystemBrowser(url: string): Promise<string | undefined> {
  try {
    // Loaded here: it spawns processes, and most runs of an app never need it.
    const { default: open } = await import("open");
    const child = await open(url);
    // A detached opener must not keep a script alive (and its errors must not crash it).
    child.on("error", () => {});
    return undefined;
  } catch {
    // The error text can include the command line, which holds the URL and its state value.
    return "the system browser could not be started";
  }
}

function hostnameOrPlaceholder(): string {
  try {
    return os.hostname() || "<this host>";
  } catch {
    return "<this host>";
  }
}

function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return ms === 60_000 ? "1 minute" : `${ms / 60_000} minutes`;
  const seconds = Math.max(1, Math.round(ms / 1000));
  return seconds === 1 ? "1 second" : `${seconds} seconds`;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new LoginTimeoutError(timeoutMs)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

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

function htmlPage(heading: string, paragraphs: readonly string[]): string {
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

const encoder = new TextEncoder();

/** Compares `state`s in constant time, with node:crypto's `timingSafeEqual`. */
type StateMatcher = (received: string, expected: string) => boolean;

/** The loopback server of one login: answers the callback, then closes with every connection. */
class CallbackServer {
  readonly #server: Server;
  readonly #sockets: Set<Socket>;
  readonly #callbackPath: string;
  readonly #render: (page: LocalServerLandingPage) => string;
  readonly #stateMatches: StateMatcher;
  #expectedState: string | undefined;
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
    stateMatches: StateMatcher,
  ) {
    this.#server = server;
    this.#stateMatches = stateMatches;
    this.#sockets = sockets;
    this.port = port;
    this.#callbackPath = callbackPath;
    this.#render = render;
    this.redirectUri = `http://${HOST}:${port}${callbackPath}`;
    this.code = new Promise<string>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Nothing awaits `code` until the login URL exists; a failure before then must not go unhandled.
    this.code.catch(() => {});
  }

  static async listen(
    port: number,
    callbackPath: string,
    render: (page: LocalServerLandingPage) => string,
  ): Promise<CallbackServer> {
    // Imported at the first local-server login: together they cost every cold start ~6 ms otherwise.
    const [{ createServer }, { timingSafeEqual }] = await Promise.all([
      import("node:http"),
      import("node:crypto"),
    ]);
    const stateMatches: StateMatcher = (received, expected) => {
      const a = encoder.encode(received);
      const b = encoder.encode(expected);
      return a.length === b.length && timingSafeEqual(a, b);
    };
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
            `The login server could not listen on ${HOST}:${port}${error.code ? ` (${error.code})` : ""}; ${
              error.code === "EADDRINUSE" ? "the port is in use, choose another" : "choose another port"
            } or use the command-line login.`,
            { cause: error },
          ),
        );
      };
      const onListening = (): void => {
        server.off("error", onError);
        const bound = (server.address() as AddressInfo).port;
        instance = new CallbackServer(server, sockets, bound, callbackPath, render, stateMatches);
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
      server.listen({ host: HOST, port });
    });
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

  /** Callbacks are accepted from now on, when they carry `state`. */
  expectState(state: string): void {
    this.#expectedState = state;
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
    let url: URL;
    try {
      url = new URL(req.url ?? "/", `http://${HOST}`);
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
    const query = url.searchParams;
    const repeated = ["state", "code", "error", "error_description"].find((n) => query.getAll(n).length > 1);
    const state = query.get("state");
    if (
      repeated !== undefined ||
      state === null ||
      this.#expectedState === undefined ||
      !this.#stateMatches(state, this.#expectedState)
    ) {
      // Not this login's answer (another tab, an old link, a forgery): refuse it and keep waiting.
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
    const error = query.get("error");
    if (error) {
      const description = query.get("error_description") ?? undefined;
      this.#done = true;
      send(
        200,
        this.#page({
          outcome: "failure",
          message: `Globus Auth refused the login: ${description ?? error}`,
        }),
        () => this.#reject(new LoginDeniedError(error, description)),
      );
      return;
    }
    const code = query.get("code");
    if (!code) {
      this.#done = true;
      send(
        400,
        this.#page({ outcome: "failure", message: "The login response carried no authorization code." }),
        () => this.#reject(new LocalServerError("The login callback carried neither a code nor an error.")),
      );
      return;
    }
    this.#done = true;
    send(
      200,
      this.#page({ outcome: "success", message: "Globus sent the login back to the application." }),
      () => this.#resolve(code),
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
