/**
 * Browser-side helpers of the browser tests: an emulator run by the Node-side commands
 * (emulator-commands.ts), fresh clients, and real navigations through Globus Auth's redirects.
 */
import { NativeAppAuthClient } from "@globus-app/core";
import type { EmulatorControl } from "@globus-app/emulator";
import { commands, userEvent } from "vitest/browser";
import type { BrowserEmulatorOptions, StartedEmulator } from "./emulator-commands.ts";

export const TRANSFER = "transfer.api.globus.org";
export const TRANSFER_ALL = "urn:globus:auth:scope:transfer.api.globus.org:all";
export const SCOPES = ["openid", TRANSFER_ALL];

/** The redirect URI page that runs the library (it calls `completePopupLogin`). */
export function callbackUrl(): string {
  return new URL("/packages/browser/test-support/callback.html", location.origin).href;
}

/** A redirect URI page that runs no script at all. */
export function plainCallbackUrl(): string {
  return new URL("/packages/browser/test-support/plain-callback.html", location.origin).href;
}

/** An emulator in the Node process, driven from the page. */
export class TestEmulator {
  readonly info: StartedEmulator;

  constructor(info: StartedEmulator) {
    this.info = info;
  }

  /** Starts one; stop it in `afterAll`. */
  static async start(options: BrowserEmulatorOptions = {}): Promise<TestEmulator> {
    return new TestEmulator(await commands.startEmulator(options));
  }

  get url(): string {
    return this.info.url;
  }

  /** Calls `emulator.control[method](...args)` in Node. */
  control<M extends keyof EmulatorControl>(
    method: M,
    ...args: Parameters<EmulatorControl[M]>
  ): Promise<ReturnType<EmulatorControl[M]>> {
    return commands.emulatorControl(this.info.id, method, ...args);
  }

  /**
   * Registers a new native client, so each test has its own IndexedDB database and cross-tab
   * channel (test files share this origin and run side by side).
   */
  async newClientId(): Promise<string> {
    const id = crypto.randomUUID();
    await this.control("registerClient", { id, name: "browser test" });
    return id;
  }

  loginClient(clientId: string): NativeAppAuthClient {
    return new NativeAppAuthClient({ clientId, baseUrl: this.url });
  }

  stop(): Promise<void> {
    return commands.stopEmulator(this.info.id);
  }
}

/** A `navigate` option that records the authorize URL instead of leaving the page. */
export function captureNavigation(): { navigate: (url: string) => void; next: () => Promise<string> } {
  let waiting: ((url: string) => void) | undefined;
  const seen: string[] = [];
  return {
    navigate(url) {
      if (waiting) {
        waiting(url);
        waiting = undefined;
      } else seen.push(url);
    },
    next() {
      const url = seen.shift();
      if (url !== undefined) return Promise.resolve(url);
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
  };
}

/**
 * Loads `url` (an authorize URL) in a real iframe and resolves with the address it finally lands
 * on — the callback page on this origin, after the emulator's auto-approve redirect.
 */
export function navigateInFrame(url: string, timeoutMs = 5_000): Promise<string> {
  const frame = document.createElement("iframe");
  frame.hidden = true;
  const landed = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the callback page did not load")), timeoutMs);
    frame.addEventListener("load", () => {
      clearTimeout(timer);
      try {
        resolve(frame.contentWindow?.location.href ?? "");
      } catch {
        reject(new Error("the authorize URL did not come back to this origin (an error page?)"));
      }
    });
  });
  frame.src = url;
  document.body.append(frame);
  return landed.finally(() => frame.remove());
}

/** Removes every pending redirect login of this tab. */
export function clearPendingLogins(): void {
  for (const key of Object.keys(sessionStorage)) {
    if (key.startsWith("globus-app:login:")) sessionStorage.removeItem(key);
  }
}

/** Waits until `check` holds (polling), or fails after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error("timed out waiting for a condition");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Runs `action` from a real click (Playwright clicks a button), as a page's login button would;
 * resolves once clicked, with the action's promise wrapped (so it is not awaited here).
 */
export async function fromClick<T>(action: () => Promise<T>): Promise<{ running: Promise<T> }> {
  const button = document.createElement("button");
  button.textContent = "Sign in";
  let started: Promise<T> | undefined;
  button.addEventListener("click", () => {
    started = action();
    started.catch(() => {});
  });
  document.body.append(button);
  await userEvent.click(button);
  if (!started) throw new Error("the click did not reach the button");
  return { running: started };
}
