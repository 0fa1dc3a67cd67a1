import os from "node:os";
import {
  type AuthLoginClient,
  type AuthorizationRequest,
  BaseLoginFlowManager,
  type BaseLoginFlowManagerOptions,
  GlobusSDKUsageError,
  type LoginFlowManagerContext,
  type LoginFlowOptions,
  LoginTimeoutError,
  type TokenResponse,
} from "@globus-app/core";
import { CALLBACK_HOST, CallbackServer, htmlPage, type LocalServerLandingPage } from "./callback-server.ts";
import { defaultNamedGrant } from "./default-named-grant.ts";
import { formatAuthorizeUrlBanner } from "./format-authorize-url-banner.ts";
import type { LoginAuthParams } from "./internal/login-auth-params.ts";
import { raceAbort } from "./internal/race-abort.ts";
import { throwIfAborted } from "./internal/throw-if-aborted.ts";

export type { LocalServerLandingPage } from "./callback-server.ts";

const DEFAULT_TIMEOUT_MS = 5 * 60 * 1000;

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
 * Only a GET of the callback path at the server's own loopback `Host` counts (other hosts answer
 * 400, other paths 404, other methods 405). Callbacks are read with the shared rules
 * (`parseLoginCallback`): one whose `state` is missing, repeated or another login's (stale tab,
 * forged link) answers 400 and the login keeps waiting, so a stray request cannot kill a pending
 * login. A callback with the right state and an `error` (the person clicked Deny) fails the login
 * with a `LoginDeniedError`; one naming another issuer (`iss`) with a `LoginIssuerMismatchError`.
 * The server closes, with every connection, after the first valid callback, on timeout and on abort.
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
   * @throws LocalServerError when the server cannot listen (port in use, not permitted).
   * @throws LoginFlowError when a callback with the right state carries neither a code nor an error.
   * @throws LoginDeniedError when Globus sends an error back (`access_denied` on Deny).
   * @throws LoginIssuerMismatchError when the callback names another issuer (`iss`, RFC 9207).
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
      const started = request;
      server.expectCallback((url) => this.readCallback(url, started));
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
    return raceAbort(this.exchangeCode(request, code, options), signals);
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
      `    ssh -N -L ${server.port}:${CALLBACK_HOST}:${server.port} ${host}\n`,
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
