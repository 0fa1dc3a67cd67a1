/**
 * Vitest browser commands that run a Globus Auth emulator in the Node process for browser tests,
 * which cannot open sockets themselves. Registered in the root vitest.config.ts (browser project);
 * tests call them through `commands` from "vitest/browser" (types below).
 *
 * Node-only and outside `src`, so it never reaches the browser package's build.
 */
import type { Emulator, EmulatorControl, EmulatorOptions, SimulatedLoginOptions } from "@globus-app/emulator";
import { isRunnableDevEnvironment } from "vite";
import type { BrowserCommand, BrowserCommandContext } from "vitest/node";

type EmulatorModule = typeof import("@globus-app/emulator");

/** Emulator options a browser test may set (serialisable ones only). */
export type BrowserEmulatorOptions = Pick<
  EmulatorOptions,
  "autoApprove" | "accessTokenLifetime" | "refreshTokenLifetime" | "rotateRefreshTokens" | "redirectUris"
>;

/** What `startEmulator` hands the browser. */
export interface StartedEmulator {
  /** Pass it to the other commands. */
  id: string;
  /** The emulator's base URL (`http://127.0.0.1:<port>/`), reachable from the page (CORS). */
  url: string;
  /** The fake Transfer's base URL (its own port), reachable from the page (CORS). */
  transferUrl: string;
  /** The fake Groups' base URL (its own port), reachable from the page (CORS). */
  groupsUrl: string;
  /** The fake Search's base URL (its own port), reachable from the page (CORS). */
  searchUrl: string;
  /** The fake Flows' base URL (its own port), reachable from the page (CORS). */
  flowsUrl: string;
  /** The fake Timers' base URL (its own port), reachable from the page (CORS). */
  timerUrl: string;
  /** The fake Compute's base URL (its own port), reachable from the page (CORS). */
  computeUrl: string;
  /** The sample native client's id. */
  nativeClientId: string;
  /** The registered identities. */
  identities: Array<{ id: string; username: string }>;
}

/** The commands as the browser sees them (without the command context). */
export interface EmulatorCommands {
  startEmulator(options?: BrowserEmulatorOptions): Promise<StartedEmulator>;
  stopEmulator(id: string): Promise<void>;
  emulatorControl<M extends keyof EmulatorControl>(
    id: string,
    method: M,
    ...args: Parameters<EmulatorControl[M]>
  ): Promise<ReturnType<EmulatorControl[M]>>;
  /**
   * Plays the browser at the authorize URL (follows the auto-approve redirect, or fills in the
   * consent page and presses Allow or Deny) and returns the callback URL Globus would send it to.
   */
  followAuthorize(url: string, options?: SimulatedLoginOptions): Promise<string>;
}

declare module "vitest/browser" {
  interface BrowserCommands extends EmulatorCommands {}
}

const emulators = new Map<string, Emulator>();
let nextId = 0;

// Through the dev server's SSR module runner: its environment resolves `@globus-app/emulator` with
// the `@globus-app/source` condition (vitest.config.ts's `ssr.resolve.conditions`), so this runs the
// emulator's source as the node tests do. A plain import from the bundled config, and the project's
// own runner (`project.import`, the `__vitest__` environment), both resolve to its possibly stale dist.
function emulatorModule(context: BrowserCommandContext): Promise<EmulatorModule> {
  const ssr = context.project.vite.environments.ssr;
  if (ssr && isRunnableDevEnvironment(ssr)) return ssr.runner.import<EmulatorModule>("@globus-app/emulator");
  return context.project.import<EmulatorModule>("@globus-app/emulator");
}

function emulator(id: string): Emulator {
  const emu = emulators.get(id);
  if (!emu) throw new Error(`No emulator ${id} is running (stopped, or started by another run).`);
  return emu;
}

const startEmulator: BrowserCommand<[options?: BrowserEmulatorOptions]> = async (context, options = {}) => {
  const { startEmulator: start, SAMPLE_NATIVE_CLIENT } = await emulatorModule(context);
  const emu = await start({ ...options, port: 0 });
  const id = String(++nextId);
  emulators.set(id, emu);
  const started: StartedEmulator = {
    id,
    url: emu.url,
    transferUrl: emu.serviceUrls.transfer,
    groupsUrl: emu.serviceUrls.groups,
    searchUrl: emu.serviceUrls.search,
    flowsUrl: emu.serviceUrls.flows,
    timerUrl: emu.serviceUrls.timer,
    computeUrl: emu.serviceUrls.compute,
    nativeClientId: SAMPLE_NATIVE_CLIENT.id,
    identities: emu.identities.map(({ id: identityId, username }) => ({ id: identityId, username })),
  };
  return started;
};

const stopEmulator: BrowserCommand<[id: string]> = async (_context, id) => {
  const emu = emulators.get(id);
  emulators.delete(id);
  await emu?.close();
};

const emulatorControl: BrowserCommand<[id: string, method: keyof EmulatorControl, ...args: unknown[]]> = (
  _context,
  id,
  method,
  ...args
) => {
  const control = emulator(id).control;
  if (typeof control[method] !== "function")
    throw new Error(`The emulator has no control ${String(method)}.`);
  return (control[method] as (...values: unknown[]) => unknown)(...args);
};

const followAuthorize: BrowserCommand<[url: string, options?: SimulatedLoginOptions]> = async (
  context,
  url,
  options,
) => {
  const { simulateBrowserLogin } = await emulatorModule(context);
  return (await simulateBrowserLogin(url, options)).href;
};

/** The commands to put in the browser project's `browser.commands`. */
export const emulatorCommands = { startEmulator, stopEmulator, emulatorControl, followAuthorize };
