import type { GlobusApp, GlobusAppEventMap, GlobusUser } from "@globus-app/core";

/** What the hooks read of an app; replaced (never mutated) so `useSyncExternalStore` sees changes. */
export interface AppSnapshot {
  /** False until the first read of the user and login state (and any redirect login) finished. */
  readonly ready: boolean;
  readonly user: GlobusUser | null;
  readonly loginRequired: boolean;
  /** Bumped on every token change, so authorizers are fetched anew. */
  readonly version: number;
}

/** Options of the redirect login an app's store completes once. */
export interface RedirectOptions {
  readonly enabled: boolean;
  readonly callbackUrl: string | undefined;
  readonly onRedirect: ((result: { returnUrl: string }) => void) | undefined;
  readonly onRedirectError: ((error: unknown) => void) | undefined;
}

/** The snapshot before anything was read, and the only one on a server (SSR has no storage). */
export const INITIAL_SNAPSHOT: AppSnapshot = Object.freeze({
  ready: false,
  user: null,
  loginRequired: true,
  version: 0,
});

// The events after which the signed-in person or the login state may differ; other tabs' included.
const CHANGE_EVENTS = ["login", "logout", "tokensChanged", "identityChanged", "refreshFailed"] as const;

type RedirectCapable = GlobusApp & {
  handleRedirect?: (url?: string) => Promise<{ returnUrl: string } | null>;
};

/**
 * One store per app (not per provider or hook), so StrictMode's double mounts, several providers
 * and every hook share one redirect completion and one set of event listeners.
 */
export class AppStore {
  readonly app: GlobusApp;
  #snapshot: AppSnapshot = INITIAL_SNAPSHOT;
  readonly #listeners = new Set<() => void>();
  #unsubscribeApp: (() => void) | undefined;
  #redirect: Promise<void> | undefined;
  #redirectOptions: RedirectOptions | undefined;
  #reads = 0;

  constructor(app: GlobusApp) {
    this.app = app;
  }

  /** Sets the redirect options; only the first call counts, as the redirect completes once. */
  configureRedirect(options: RedirectOptions): void {
    this.#redirectOptions ??= options;
  }

  getSnapshot = (): AppSnapshot => this.#snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    if (!this.#unsubscribeApp) {
      const offs = CHANGE_EVENTS.map((event) =>
        this.app.on(event as keyof GlobusAppEventMap, () => this.refresh(true)),
      );
      this.#unsubscribeApp = () => {
        for (const off of offs) off();
      };
      // Events missed while nobody listened (or the first read) are caught up by reading again.
      this.refresh(false);
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        this.#unsubscribeApp?.();
        this.#unsubscribeApp = undefined;
      }
    };
  };

  /** Completes a redirect login at most once per app, whoever asks first. */
  completeRedirect(): Promise<void> {
    this.#redirect ??= (async () => {
      const options = this.#redirectOptions;
      const app = this.app as RedirectCapable;
      if (!options?.enabled || typeof app.handleRedirect !== "function") return;
      try {
        const result = await app.handleRedirect(options.callbackUrl);
        if (!result) return;
        if (options.onRedirect) options.onRedirect(result);
        else if (typeof history !== "undefined" && result.returnUrl !== location.href) {
          history.replaceState(history.state, "", result.returnUrl);
        }
      } catch (error) {
        // A denied or failed login must not leave the page loading forever; the app decides.
        if (options.onRedirectError) options.onRedirectError(error);
        else console.error("globus-app: completing the redirect login failed", error);
      }
    })();
    return this.#redirect;
  }

  /** Reads the user and login state again; the newest read wins when reads overlap. */
  refresh(tokensChanged: boolean): void {
    const read = ++this.#reads;
    if (tokensChanged) this.#set({ ...this.#snapshot, version: this.#snapshot.version + 1 });
    void (async () => {
      await this.completeRedirect();
      let user: GlobusUser | null = null;
      let loginRequired = true;
      try {
        [user, loginRequired] = await Promise.all([this.app.getUser(), this.app.loginRequired()]);
      } catch {
        // A closed app or unreadable storage: show the signed-out state rather than none at all.
      }
      if (read !== this.#reads) return;
      this.#set({ ...this.#snapshot, ready: true, user, loginRequired });
    })();
  }

  #set(snapshot: AppSnapshot): void {
    this.#snapshot = snapshot;
    for (const listener of [...this.#listeners]) listener();
  }
}

const stores = new WeakMap<GlobusApp, AppStore>();

/** The app's store, created on first use. */
export function storeOf(app: GlobusApp): AppStore {
  let store = stores.get(app);
  if (!store) {
    store = new AppStore(app);
    stores.set(app, store);
  }
  return store;
}
