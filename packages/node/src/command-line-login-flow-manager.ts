import { createInterface } from "node:readline";
import {
  type AuthLoginClient,
  BaseLoginFlowManager,
  type BaseLoginFlowManagerOptions,
  CommandLineEOFError,
  GlobusSDKUsageError,
  isLoginCallback,
  LoginCancelledError,
  LoginFlowError,
  type LoginFlowManagerContext,
  type LoginFlowOptions,
  type TokenResponse,
} from "@globus-app/core";
import { defaultNamedGrant } from "./default-named-grant.ts";
import { formatAuthorizeUrlBanner } from "./format-authorize-url-banner.ts";
import type { LoginAuthParams } from "./internal/login-auth-params.ts";
import { raceAbort } from "./internal/race-abort.ts";
import { throwIfAborted } from "./internal/throw-if-aborted.ts";

/**
 * Where the Node login flows write to the person when no stream is injected: stdout when it is a
 * terminal, else stderr, so `my-script > out.json` keeps the login text out of the script's data.
 * Read at each call, never at import.
 *
 * @example
 * ```ts
 * defaultLoginOutput().write("Logging in...\n");
 * ```
 */
export function defaultLoginOutput(): NodeJS.WritableStream {
  return process.stdout.isTTY ? process.stdout : process.stderr;
}

/** Options of {@link CommandLineLoginFlowManager}. */
export interface CommandLineLoginFlowManagerOptions extends BaseLoginFlowManagerOptions {
  /**
   * Where Globus sends the browser after login. @default for native clients the login client's
   * `defaultNativeRedirectUri` (`https://auth.globus.org/v2/web/auth-code`, Globus's page that shows
   * the code); confidential clients must pass their registered redirect URI.
   */
  redirectUri?: string | undefined;
  /** Where the code is read from, one line. @default `process.stdin` */
  input?: NodeJS.ReadableStream | undefined;
  /** Where the URL and the prompt are written. @default stdout when it is a terminal, else stderr */
  output?: NodeJS.WritableStream | undefined;
  /** Cancels every login this manager runs (as does the signal given to `runLoginFlow`). */
  signal?: AbortSignal | undefined;
}

/** Options of {@link CommandLineLoginFlowManager.promptForCode}. */
export interface PromptForCodeOptions {
  /** Stops reading when aborted (the flow then rejects with a `LoginCancelledError`). */
  signal?: AbortSignal | undefined;
}

/**
 * Logs a person in from a terminal, as the Python SDK's command-line flow does: prints the
 * authorize URL, the person opens it in any browser (on any machine), signs in, and pastes back the
 * authorization code Globus shows them. Works over SSH and in containers; needs an interactive
 * standard input. The default login flow of apps in Node.
 *
 * What the person pastes is tied to this login one of two ways. A native client's login uses PKCE,
 * so a bare code is accepted: only this process knows the verifier it must be exchanged with. A
 * confidential client's login has no PKCE (Globus documents PKCE for native apps only), so only the
 * whole redirect address is accepted, and its `state` must be this login's. A pasted address is
 * always read with the shared callback rules (`parseLoginCallback`): its `state` must match, and an
 * `error` in it fails the login.
 *
 * An empty line asks again; end of input (Ctrl-D, or a closed pipe) fails the login.
 *
 * @throws GlobusSDKUsageError from the constructor for a confidential client without `redirectUri`.
 * @example
 * ```ts
 * const flow = new CommandLineLoginFlowManager(loginClient, { requestRefreshTokens: true });
 * const app = new UserApp("my-app", { loginClient, config: { loginFlowManager: flow } });
 * await app.login();
 * ```
 */
export class CommandLineLoginFlowManager extends BaseLoginFlowManager {
  /** The redirect URI sent to Globus. */
  readonly redirectUri: string;
  readonly #input: NodeJS.ReadableStream | undefined;
  readonly #output: NodeJS.WritableStream | undefined;
  readonly #signal: AbortSignal | undefined;

  constructor(loginClient: AuthLoginClient, options: CommandLineLoginFlowManagerOptions = {}) {
    super(loginClient, options);
    if (options.redirectUri === undefined && loginClient.isConfidential) {
      throw new GlobusSDKUsageError("Use of a Confidential client requires an explicit redirect_uri.");
    }
    this.redirectUri = options.redirectUri ?? loginClient.defaultNativeRedirectUri;
    this.#input = options.input;
    this.#output = options.output;
    this.#signal = options.signal;
  }

  /**
   * Provider form, used for `loginFlowManager: "command-line"`: names the grant
   * `"<appName> on <hostname>"`, and takes the redirect URI (`config.loginRedirectUri`) and the
   * refresh-token choice from the app's config.
   *
   * @throws GlobusSDKUsageError for a confidential client without `config.loginRedirectUri`.
   */
  static forGlobusApp(context: LoginFlowManagerContext): CommandLineLoginFlowManager {
    return new CommandLineLoginFlowManager(context.loginClient, {
      redirectUri: context.config.loginRedirectUri,
      requestRefreshTokens: context.config.requestRefreshTokens,
      prefillNamedGrant: defaultNamedGrant(context.appName),
      idTokenDecoder: context.idTokenDecoder,
    });
  }

  /** The stream the URL and prompt go to (resolved on each use, so a later TTY change is seen). */
  protected get output(): NodeJS.WritableStream {
    return this.#output ?? defaultLoginOutput();
  }

  /**
   * Prints the authorize URL and waits for the code, then exchanges it.
   *
   * @throws CommandLineEOFError when input ends before a code is entered.
   * @throws LoginCancelledError when `options.signal` (or the constructor's) aborts.
   * @throws LoginStateMismatchError when a pasted redirect URL carries no state or another login's.
   * @throws LoginFlowError when a confidential client's login is given a bare code.
   * @throws LoginDeniedError when a pasted redirect URL carries an OAuth error.
   * @throws GlobusAPIError when Globus refuses the code (mistyped, expired, already used).
   */
  async runLoginFlow(authParams: LoginAuthParams, options: LoginFlowOptions = {}): Promise<TokenResponse> {
    const signals = [this.#signal, options.signal];
    throwIfAborted(signals);
    const request = await this.startAuthorization(authParams, this.redirectUri);
    throwIfAborted(signals);
    await this.printAuthorizeUrl(request.url);
    const answer = await raceAbort(this.promptForCode({ signal: mergeSignals(signals) }), signals);
    const code = isLoginCallback(answer) ? this.readCallback(answer, request) : answer;
    // The default prompt asks again on an empty line; an override may still hand one back.
    if (code === "") throw new LoginFlowError("No authorization code was entered.");
    if (code === answer && request.codeVerifier === null) {
      // Without PKCE nothing ties a bare code to this login: an attacker's code, pasted by a person
      // who was talked into it, would log them in as the attacker (RFC 9700 §4.5).
      throw new LoginFlowError(
        "A confidential client's login cannot take a bare authorization code: paste the whole address of the page Globus sent you to (it carries the state that ties it to this login).",
      );
    }
    return raceAbort(this.exchangeCode(request, code, options), signals);
  }

  /**
   * Shows the authorize URL to the person. Override to present it differently (a QR code, a
   * clipboard copy); the default prints the Python SDK's banner to {@link output}.
   */
  printAuthorizeUrl(url: string): void | Promise<void> {
    this.output.write(formatAuthorizeUrlBanner(url));
  }

  /**
   * Asks for the authorization code and returns it trimmed. Override to read it another way. The
   * default writes `Enter the resulting Authorization Code here: ` to {@link output} and reads one
   * line from the input; an empty line asks again.
   *
   * @throws CommandLineEOFError when input ends first.
   */
  promptForCode(options: PromptForCodeOptions = {}): Promise<string> {
    const input = this.#input ?? process.stdin;
    const output = this.output;
    const prompt = "Enter the resulting Authorization Code here: ";
    return new Promise<string>((resolve, reject) => {
      // terminal: false: no echo or line editing of our own; a TTY's cooked mode already does both.
      const rl = createInterface({ input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
      let settled = false;
      const finish = (action: () => void): void => {
        if (settled) return;
        settled = true;
        options.signal?.removeEventListener("abort", onAbort);
        rl.off("line", onLine);
        rl.off("close", onClose);
        rl.close();
        action();
      };
      const onLine = (line: string): void => {
        const code = line.trim();
        if (code === "") {
          output.write(prompt);
          return;
        }
        finish(() => resolve(code));
      };
      const onClose = (): void => {
        finish(() => {
          // The person's cursor is still after the prompt; end the line so later output starts clean.
          output.write("\n");
          reject(
            new CommandLineEOFError(
              "An EOF was read when an authorization code was expected. (Are you running this in an interactive terminal?)",
            ),
          );
        });
      };
      const onAbort = (): void => {
        finish(() => reject(new LoginCancelledError(undefined, { cause: options.signal?.reason })));
      };
      if (options.signal?.aborted) {
        onAbort();
        return;
      }
      options.signal?.addEventListener("abort", onAbort, { once: true });
      rl.on("line", onLine);
      rl.on("close", onClose);
      output.write(prompt);
    });
  }
}

/** One signal that aborts when any of `signals` does (undefined when there are none). */
function mergeSignals(signals: readonly (AbortSignal | undefined)[]): AbortSignal | undefined {
  const active = signals.filter((s): s is AbortSignal => s !== undefined);
  if (active.length <= 1) return active[0];
  // AbortSignal.any drops its listeners with the merged signal; runtimes without it (older Bun)
  // still get cancellation from raceAbort, only the reader then stays until its input ends.
  return typeof AbortSignal.any === "function" ? AbortSignal.any(active) : active[0];
}
