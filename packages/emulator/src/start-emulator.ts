import type { KeyObject } from "node:crypto";
import type { EmulatorClient, EmulatorIdentity } from "./client-identity-registry.ts";
import { createControl, type EmulatorControl, resolveAutoApprove } from "./emulator-control.ts";
import type { EmulatedService } from "./emulator-routes.ts";
import { type AutoApprove, EmulatorState } from "./emulator-state.ts";
import { FaultInjector } from "./faults.ts";
import { createSigningKey, importPrivateJwk, sharedSigningKey } from "./id-token-signer.ts";
import { isLoopbackBindHost, normalizeAllowedOrigin } from "./origin-policy.ts";
import { RequestLog } from "./request-log.ts";
import type { ClientRegistration, IdentityRegistration } from "./sample-data.ts";
import { SAMPLE_CONFIDENTIAL_CLIENT, SAMPLE_IDENTITIES, SAMPLE_NATIVE_CLIENT } from "./sample-data.ts";
import { type ServerSettings, startServers } from "./start-servers.ts";
import { applySnapshot, readStateFile, snapshotOf, writeStateFile } from "./state-file.ts";
import type { TokenLifetimes } from "./token-store.ts";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** TCP port; `0` (the default here; the CLI defaults to 8700) picks a free one. */
  readonly port?: number | undefined;
  /**
   * TCP port of the fake Transfer API, which answers at the root of its own port (as
   * `https://transfer.api.globus.org/` does) as well as under `<url>transfer/`; `0` (the default
   * here; the CLI defaults to the Auth port + 1, or 0 with `--port 0`) picks a free one.
   */
  readonly transferPort?: number | undefined;
  /**
   * TCP port of the fake Groups API (root of its own port, as `https://groups.api.globus.org/`, and
   * under `<url>groups/`); `0` (the default here; the CLI defaults to the Auth port + 2) picks a free one.
   */
  readonly groupsPort?: number | undefined;
  /**
   * TCP port of the fake Search API (root of its own port, as `https://search.api.globus.org/`, and
   * under `<url>search/`); `0` (the default here; the CLI defaults to the Auth port + 3) picks a free one.
   */
  readonly searchPort?: number | undefined;
  /**
   * TCP port of the fake Flows API (root of its own port, as `https://flows.automate.globus.org/`,
   * and under `<url>flows/`); `0` (the default here; the CLI defaults to the Auth port + 4) picks a free one.
   */
  readonly flowsPort?: number | undefined;
  /**
   * TCP port of the fake Timers API (root of its own port, as `https://timer.automate.globus.org/`,
   * and under `<url>timer/`); `0` (the default here; the CLI defaults to the Auth port + 5) picks a free one.
   */
  readonly timerPort?: number | undefined;
  /**
   * TCP port of the fake Compute API (root of its own port, as `https://compute.api.globus.org/`,
   * and under `<url>compute/`); `0` (the default here; the CLI defaults to the Auth port + 6) picks a free one.
   */
  readonly computePort?: number | undefined;
  /**
   * Address to bind; default `127.0.0.1`. Only loopback (`127.0.0.0/8`, `localhost`, `::1`) unless
   * {@link EmulatorOptions.unsafeNonLoopbackHost} is set.
   */
  readonly host?: string | undefined;
  /**
   * Allow a `host` beyond loopback (`0.0.0.0`, a LAN address…). Unsafe: anyone who can reach the
   * port gets tokens for every registered identity, reads and changes everything through the
   * unauthenticated control API, and the `Host` check against DNS rebinding is off for wildcard
   * addresses. Default `false`: such a `host` is refused.
   */
  readonly unsafeNonLoopbackHost?: boolean | undefined;
  /**
   * Browser origins (`http://localhost:3000`) that may use the control API (`/_emulator/…`) and the
   * OAuth endpoints cross-origin, besides the emulator's own. The OAuth endpoints also answer the
   * origins of registered redirect URIs (and any loopback origin while a native client is
   * registered); the control API answers browsers only from these. Default none.
   */
  readonly allowedOrigins?: readonly string[] | undefined;
  /** Clients to register; when absent or empty, {@link SAMPLE_NATIVE_CLIENT} and {@link SAMPLE_CONFIDENTIAL_CLIENT}. */
  readonly clients?: readonly ClientRegistration[] | undefined;
  /** Redirect URIs allowed for every client (compared exactly). */
  readonly redirectUris?: readonly string[] | undefined;
  /** Identities that can sign in; when absent or empty, {@link SAMPLE_IDENTITIES}. */
  readonly identities?: readonly IdentityRegistration[] | undefined;
  /**
   * Skip the consent page: `true` approves as the first allowed identity, an identity id (or
   * username) as that one when the request allows it. Default `false` (a real HTML page).
   */
  readonly autoApprove?: AutoApprove | undefined;
  /** Access token lifetime in seconds; default 172800. */
  readonly accessTokenLifetime?: number | undefined;
  /** Refresh token idle lifetime in seconds; default 15552000 (180 days). */
  readonly refreshTokenLifetime?: number | undefined;
  /** Issue a new refresh token on every refresh (the old one stops working); default `false`, like Globus. */
  readonly rotateRefreshTokens?: boolean | undefined;
  /**
   * Persist clients, identities, consents, tokens, sessions and the signing key in this JSON file
   * (written atomically, mode 0600) and reload them on the next start.
   */
  readonly stateFile?: string | undefined;
  /** How many recent requests `control.requestLog()` keeps; default 200. */
  readonly requestLogSize?: number | undefined;
  /** A `kid` for the signing key, published in `jwk.json` and id_token headers; default none, like Globus. */
  readonly keyId?: string | undefined;
  /**
   * Generate a signing key for this emulator alone. By default emulators in one process share one
   * key (RSA generation is slow) unless a state file provides one.
   */
  readonly freshSigningKey?: boolean | undefined;
  /** Receives diagnostics (internal errors, state-file problems); never tokens or secrets. Default: none. */
  readonly onLog?: ((message: string) => void) | undefined;
}

/** The base URLs of the emulated services, each ending with `/`: what `GLOBUS_SDK_SERVICE_URL_<SERVICE>` takes. */
export interface EmulatorServiceUrls {
  /** Globus Auth, e.g. `http://127.0.0.1:8700/` (the emulator's {@link Emulator.url}). */
  readonly auth: string;
  /** The fake Transfer at the root of its own port, e.g. `http://127.0.0.1:8701/`. */
  readonly transfer: string;
  /** The fake Groups at the root of its own port, e.g. `http://127.0.0.1:8702/`. */
  readonly groups: string;
  /** The fake Search at the root of its own port, e.g. `http://127.0.0.1:8703/`. */
  readonly search: string;
  /** The fake Flows at the root of its own port, e.g. `http://127.0.0.1:8704/`. */
  readonly flows: string;
  /** The fake Timers at the root of its own port, e.g. `http://127.0.0.1:8705/`. */
  readonly timer: string;
  /** The fake Compute at the root of its own port, e.g. `http://127.0.0.1:8706/`. */
  readonly compute: string;
}

/** A running emulator. */
export interface Emulator {
  /** Base URL ending with `/`, e.g. `http://127.0.0.1:8700/`; use it as the Globus Auth service URL. */
  readonly url: string;
  /**
   * The services' base URLs: `auth` ({@link Emulator.url}), and `transfer`, `groups` and `search`
   * (each fake on its own port; each is also mounted at `<url><service>/`).
   */
  readonly serviceUrls: EmulatorServiceUrls;
  /** The id_token issuer: {@link Emulator.url} without the trailing slash. */
  readonly issuer: string;
  /** Registered clients (a snapshot each time it is read). */
  readonly clients: readonly EmulatorClient[];
  /** Registered identities (a snapshot each time it is read). */
  readonly identities: readonly EmulatorIdentity[];
  /** Test controls. */
  readonly control: EmulatorControl;
  /** Stops listening, destroys every connection, saves the state file; resolves when all sockets are closed. */
  close(): Promise<void>;
  /** Same as {@link Emulator.close}, for `await using emu = await startEmulator()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

const DEFAULT_ACCESS_LIFETIME = 172_800;
const DEFAULT_REFRESH_LIFETIME = 15_552_000;

function checkLifetime(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer (seconds)`);
  return value;
}

/**
 * Starts a local Globus Auth emulator (plus fake Transfer, Groups and Search APIs, each on its own
 * port) on real sockets.
 *
 * @throws {RangeError} for invalid options; {@link StateFileError} for an unusable state file;
 *   {@link RegistrationError} for invalid clients or identities; the listen error (e.g. `EADDRINUSE`).
 * @example
 * const emu = await startEmulator({ autoApprove: true });
 * // … point your app at emu.url …
 * await emu.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const settings = checkOptions(options);
  const state = await createState(options, settings);
  const faults = new FaultInjector();
  const log = new RequestLog(settings.logSize);
  const control = createControl(state, faults, log);
  const closing = new AbortController();
  const { onLog } = settings;
  const { baseUrl, serviceUrls, servers, sockets } = await startServers(settings, {
    state,
    control,
    faults,
    log,
    closing: closing.signal,
    onLog,
  });
  state.issuer = baseUrl.slice(0, -1);
  const flush = persistState(state, options.stateFile, closing.signal, onLog);

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      flush();
      closing.abort();
      state.onChange = () => {};
      let open = servers.length;
      for (const listening of servers) {
        listening.close(() => {
          if (--open === 0) resolve();
        });
        listening.closeAllConnections();
      }
      for (const socket of sockets) socket.destroy();
    });
    return closed;
  };
  return {
    url: baseUrl,
    serviceUrls,
    issuer: state.issuer,
    get clients() {
      return [...state.clients.values()];
    },
    get identities() {
      return [...state.identities.values()];
    },
    control,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** The options {@link startEmulator} needs besides the registrations, checked, with defaults. */
interface Settings extends ServerSettings {
  readonly lifetimes: TokenLifetimes;
  readonly logSize: number;
  readonly onLog: (message: string) => void;
}

/** @throws {RangeError} for a bad port, a non-loopback host (unless allowed), a bad origin, lifetime or log size. */
function checkOptions(options: EmulatorOptions): Settings {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError("port must be an integer from 0 to 65535");
  const servicePorts = {
    transfer: options.transferPort ?? 0,
    groups: options.groupsPort ?? 0,
    search: options.searchPort ?? 0,
    flows: options.flowsPort ?? 0,
    timer: options.timerPort ?? 0,
    compute: options.computePort ?? 0,
  } satisfies Record<EmulatedService, number>;
  for (const [service, servicePort] of Object.entries(servicePorts)) {
    if (!Number.isInteger(servicePort) || servicePort < 0 || servicePort > 65535)
      throw new RangeError(`${service}Port must be an integer from 0 to 65535`);
  }
  const host = options.host ?? "127.0.0.1";
  if (!isLoopbackBindHost(host) && options.unsafeNonLoopbackHost !== true) {
    throw new RangeError(
      `refusing to listen on ${host}: the emulator hands out tokens to anyone who asks, holds client secrets ` +
        "and has an unauthenticated control API, so it stays on loopback (127.0.0.1, localhost, ::1); " +
        "set unsafeNonLoopbackHost (CLI: --unsafe-non-loopback-host) to expose it anyway",
    );
  }
  const allowedOrigins = (options.allowedOrigins ?? []).map(normalizeAllowedOrigin);
  const accessToken = checkLifetime(
    options.accessTokenLifetime,
    DEFAULT_ACCESS_LIFETIME,
    "accessTokenLifetime",
  );
  const refreshToken = checkLifetime(
    options.refreshTokenLifetime,
    DEFAULT_REFRESH_LIFETIME,
    "refreshTokenLifetime",
  );
  const logSize = options.requestLogSize ?? 200;
  if (!Number.isInteger(logSize) || logSize < 0)
    throw new RangeError("requestLogSize must be a non-negative integer");
  const onLog = options.onLog ?? (() => {});
  return {
    port,
    servicePorts,
    host,
    allowedOrigins,
    lifetimes: { accessToken, refreshToken },
    logSize,
    onLog,
  };
}

/**
 * The emulator's state: loaded from the state file when there is one (its signing key included),
 * then the configured (or sample) clients and identities registered over it.
 */
async function createState(options: EmulatorOptions, settings: Settings): Promise<EmulatorState> {
  const snapshot = options.stateFile === undefined ? undefined : readStateFile(options.stateFile);
  let signingKey: KeyObject;
  if (snapshot) signingKey = importPrivateJwk(snapshot.signingKey);
  else signingKey = options.freshSigningKey ? await createSigningKey() : await sharedSigningKey();

  const state = new EmulatorState(signingKey, options.keyId, {
    lifetimes: settings.lifetimes,
    autoApprove: false,
    rotateRefreshTokens: options.rotateRefreshTokens ?? false,
  });
  if (snapshot) applySnapshot(state, snapshot);
  const clients = options.clients?.length
    ? options.clients
    : [SAMPLE_NATIVE_CLIENT, SAMPLE_CONFIDENTIAL_CLIENT];
  for (const client of clients) state.registerClient(client);
  const identities = options.identities?.length ? options.identities : SAMPLE_IDENTITIES;
  for (const identity of identities) state.registerIdentity(identity);
  state.globalRedirectUris = [...(options.redirectUris ?? [])];
  state.autoApprove = resolveAutoApprove(state, options.autoApprove ?? false);
  return state;
}

/**
 * Keeps the state file up to date: writes it now, then once after every burst of changes (the
 * several changes one request makes coalesce into one write). Does nothing without a state file.
 * @returns a function that writes a pending change at once (for close).
 */
function persistState(
  state: EmulatorState,
  stateFile: string | undefined,
  closing: AbortSignal,
  onLog: (message: string) => void,
): () => void {
  let saveScheduled = false;
  const save = (): void => {
    saveScheduled = false;
    if (stateFile === undefined) return;
    try {
      writeStateFile(stateFile, snapshotOf(state));
    } catch (error) {
      onLog(`globus-auth-emulator: cannot write state file: ${(error as Error).message}`);
    }
  };
  if (stateFile !== undefined) {
    state.onChange = () => {
      if (saveScheduled || closing.aborted) return;
      saveScheduled = true;
      setImmediate(() => {
        if (saveScheduled) save();
      });
    };
    save();
  }
  return () => {
    if (saveScheduled) save();
  };
}
