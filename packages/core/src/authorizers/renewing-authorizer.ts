import { loadLoginMachinery } from "../auth/load-login-machinery.ts";
import { GlobusError } from "../errors/globus-error.ts";
import { GlobusSDKUsageError } from "../errors/usage-error.ts";
import type { TokenResponse } from "../storage/token-response.ts";
import type { TokenStorageData } from "../storage/token-storage-data.ts";
import type { GlobusAuthorizer } from "./globus-authorizer.ts";

/** Renew this many seconds before expiry, so a token never expires in flight. */
export const EXPIRES_ADJUST_SECONDS = 60;

/** Options shared by the renewing authorizers. */
export interface RenewingAuthorizerOptions {
  /** A current access token, with its expiry; give both or neither. */
  accessToken?: string;
  /** Expiry of `accessToken`, in epoch seconds. */
  expiresAtSeconds?: number;
  /** Called with every new token response (apps store it here). */
  onRefresh?: (response: TokenResponse) => Promise<void> | void;
  /** Called when a renewal fails, before the error is thrown to the caller. */
  onRefreshError?: (error: unknown) => void;
  /**
   * Runs the renewal under an exclusive lock (across tabs or processes), so that one token request
   * serves every caller. Pair it with `reload`.
   */
  withLock?: <T>(fn: () => Promise<T>) => Promise<T>;
  /**
   * Re-reads the stored record inside the lock: when another tab or process renewed the token
   * meanwhile, the authorizer adopts it instead of asking Globus again.
   */
  reload?: () => Promise<TokenStorageData | null>;
  /**
   * The resource server the renewed token must be for. A renewal that answers for another is
   * refused before anything is adopted or stored: storing it would replace that server's tokens.
   */
  resourceServer?: string;
}

function nowSeconds(): number {
  return Date.now() / 1000;
}

/**
 * Base of authorizers that can get a new access token by themselves (refresh token, client
 * credentials). Single flight: however many callers need a new token at once, one request is made.
 */
export abstract class RenewingAuthorizer implements GlobusAuthorizer {
  #accessToken: string | undefined;
  #expiresAtSeconds: number | undefined;
  #rejectedToken: string | undefined;
  #inflight: Promise<void> | undefined;
  readonly #options: RenewingAuthorizerOptions;

  constructor(options: RenewingAuthorizerOptions = {}) {
    if ((options.accessToken === undefined) !== (options.expiresAtSeconds === undefined)) {
      throw new GlobusSDKUsageError(
        "A renewing authorizer cannot be initialized with one of accessToken and expiresAtSeconds. Either provide both or neither.",
      );
    }
    this.#accessToken = options.accessToken;
    this.#expiresAtSeconds = options.expiresAtSeconds;
    this.#options = options;
  }

  /** Asks Globus Auth for a new token. */
  protected abstract requestNewToken(): Promise<TokenResponse>;

  /** The scopes a renewal asks for, when the authorizer names them (for error messages). */
  protected get requestedScopes(): string | undefined {
    return undefined;
  }

  /** Adopts a refresh token a renewal returned (rotation). */
  protected adoptRefreshToken(_record: TokenStorageData): void {}

  /** When the current access token expires (epoch seconds), if one is held. */
  get expiresAtSeconds(): number | undefined {
    return this.#expiresAtSeconds;
  }

  #isUsable(token: string | undefined, expiresAt: number | undefined): token is string {
    return (
      token !== undefined &&
      token !== this.#rejectedToken &&
      expiresAt !== undefined &&
      nowSeconds() <= expiresAt - EXPIRES_ADJUST_SECONDS
    );
  }

  /** Makes sure a usable access token is held, renewing it (once for all callers) if needed. */
  async ensureValidToken(): Promise<string> {
    if (this.#isUsable(this.#accessToken, this.#expiresAtSeconds)) return this.#accessToken;
    this.#inflight ??= this.#renew().finally(() => {
      this.#inflight = undefined;
    });
    await this.#inflight;
    // One renewal per call: a token that lives shorter than the renewal margin is still used rather
    // than renewed again in a loop.
    const token = this.#accessToken;
    if (token === undefined || token === this.#rejectedToken) {
      throw new GlobusError("The token renewal did not produce a usable access token.");
    }
    return token;
  }

  async #renew(): Promise<void> {
    const renew = async () => {
      if (this.#options.reload) {
        const stored = await this.#options.reload();
        if (stored) {
          this.adoptRefreshToken(stored);
          if (this.#isUsable(stored.access_token, stored.expires_at_seconds)) {
            this.#accessToken = stored.access_token;
            this.#expiresAtSeconds = stored.expires_at_seconds;
            return;
          }
        }
      }
      let response: TokenResponse;
      try {
        response = await this.requestNewToken();
      } catch (error) {
        this.#options.onRefreshError?.(error);
        throw error;
      }
      // requestNewToken loaded the login chunk: its check of the answer costs no fetch.
      const record = (await loadLoginMachinery()).renewedRecord(
        response,
        this.#options.resourceServer,
        this.requestedScopes,
      );
      this.#accessToken = record.access_token;
      this.#expiresAtSeconds = record.expires_at_seconds;
      this.adoptRefreshToken(record);
      await this.#options.onRefresh?.(response);
    };
    await (this.#options.withLock ? this.#options.withLock(renew) : renew());
  }

  async getAuthorizationHeader(): Promise<string> {
    return `Bearer ${await this.ensureValidToken()}`;
  }

  /** Marks the current token as rejected (after a 401) so the next header renews it. */
  async handleMissingAuthorization(): Promise<boolean> {
    this.#rejectedToken = this.#accessToken;
    this.#expiresAtSeconds = undefined;
    return true;
  }

  /** What `JSON.stringify` shows: the kind and expiry, never a token or secret. */
  toJSON(): Record<string, unknown> {
    return { type: this.constructor.name, expiresAtSeconds: this.#expiresAtSeconds };
  }
}
