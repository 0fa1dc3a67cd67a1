import type { GlobusUser } from "../storage/globus-user.ts";

/** Where an event started: in this app instance, or in another tab or process. */
export type GlobusAppEventSource = "local" | "remote";

/** The events an app emits, with their payloads. Payloads never contain tokens. */
export interface GlobusAppEventMap {
  /** A login stored new tokens. */
  login: { identityId: string | null; resourceServers: string[]; source: GlobusAppEventSource };
  /** A logout removed tokens. */
  logout: { resourceServers: string[]; source: GlobusAppEventSource };
  /** Stored tokens changed (login, refresh, logout, another tab). */
  tokensChanged: { resourceServers: string[]; source: GlobusAppEventSource };
  /** An access token was renewed. */
  refresh: { resourceServer: string; source: GlobusAppEventSource };
  /** A renewal failed; the error is also thrown to the caller. */
  refreshFailed: { resourceServer: string; error: unknown };
  /** The identity behind the stored tokens changed (or was forgotten). */
  identityChanged: {
    identityId: string | null;
    /** The person now signed in (see `GlobusApp.getUser`), or null. */
    user: GlobusUser | null;
    source: GlobusAppEventSource;
  };
  /** The configured storage could not be used; tokens now live in memory for this page. */
  storageFallback: { error: unknown };
}

/** A listener of event `K`. */
export type GlobusAppListener<K extends keyof GlobusAppEventMap> = (event: GlobusAppEventMap[K]) => void;

/** A small typed event emitter; a listener that throws never breaks the app or other listeners. */
export class GlobusAppEvents {
  readonly #listeners = new Map<keyof GlobusAppEventMap, Set<(event: never) => void>>();

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof GlobusAppEventMap>(event: K, listener: GlobusAppListener<K>): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as (event: never) => void);
    return () => {
      set.delete(listener as (event: never) => void);
    };
  }

  /** Calls every listener of `event`. */
  emit<K extends keyof GlobusAppEventMap>(event: K, payload: GlobusAppEventMap[K]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        (listener as GlobusAppListener<K>)(payload);
      } catch (error) {
        // A broken listener must not break a login or the other listeners; surface it all the same.
        console.error(`globus-app: a "${String(event)}" listener threw`, error);
      }
    }
  }

  /** Removes every listener. */
  clear(): void {
    this.#listeners.clear();
  }
}
