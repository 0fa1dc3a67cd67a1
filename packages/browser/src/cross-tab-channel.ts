import type { BrowserTokenStorageContext } from "./browser-token-storage-context.ts";
import { encodeNameComponent, PRODUCTION } from "./internal/names.ts";
import { reportError } from "./internal/report-error.ts";

/** The kinds of event tabs of one app tell each other about. */
export type CrossTabMessageType = "login" | "logout" | "tokensChanged" | "identityChanged";

/**
 * One event between tabs. Deliberately small and token-free: it says *what* changed, and each tab
 * re-reads storage to learn the new state.
 */
export interface CrossTabMessage {
  /** What happened. */
  type: CrossTabMessageType;
  /** The resource servers whose tokens changed, when the event concerns some. */
  resourceServers?: string[];
  /** The identity now signed in (`null` when none), for `login` and `identityChanged`. */
  identityId?: string | null;
  /** The {@link CrossTabChannel.senderId} of the channel that posted it. */
  senderId: string;
}

/** What {@link CrossTabChannel.post} takes: a message without its `senderId`, which the channel adds. */
export type CrossTabEvent = Omit<CrossTabMessage, "senderId">;

/** Receives the valid messages other tabs post. */
export type CrossTabListener = (message: CrossTabMessage) => void;

const MESSAGE_TYPES: readonly string[] = ["login", "logout", "tokensChanged", "identityChanged"];

function isShortString(value: unknown): value is string {
  return typeof value === "string" && value.length <= 512;
}

/**
 * Checks a message another tab posted: a known `type`, a `senderId` of 1 to 512 characters, at most
 * 1000 `resourceServers` and an `identityId` (or null) of at most 512 characters each. Unknown keys
 * are dropped; anything else makes it undefined, and the channel ignores it. By hand rather than
 * with valibot, which would weigh more than the check on every page load; it accepts exactly what
 * {@link CrossTabMessageSchema} accepts (a property test holds them equal).
 */
export function parseCrossTabMessage(data: unknown): CrossTabMessage | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const { type, resourceServers, identityId, senderId } = data as Record<string, unknown>;
  if (typeof type !== "string" || !MESSAGE_TYPES.includes(type)) return undefined;
  if (!isShortString(senderId) || senderId === "") return undefined;
  if (identityId !== undefined && identityId !== null && !isShortString(identityId)) return undefined;
  const message: CrossTabMessage = { type: type as CrossTabMessageType, senderId };
  if (resourceServers !== undefined) {
    if (!Array.isArray(resourceServers) || resourceServers.length > 1000) return undefined;
    // Indexes rather than every(): a hole is an invalid entry, as for valibot.
    for (let i = 0; i < resourceServers.length; i++) if (!isShortString(resourceServers[i])) return undefined;
    message.resourceServers = [...resourceServers];
  }
  if (identityId !== undefined) message.identityId = identityId;
  return message;
}

function randomId(): string {
  const crypto = (globalThis as { crypto?: Crypto }).crypto;
  // randomUUID needs a secure context; getRandomValues does not.
  if (typeof crypto?.randomUUID === "function") return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto?.getRandomValues?.(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("") + Date.now().toString(36);
}

/** Options of {@link CrossTabChannel}. */
export interface CrossTabChannelOptions {
  /**
   * This channel's id, stamped on what it posts; messages carrying it are ignored on receipt. Share
   * one id between the channels of one tab to hear only other tabs. @default a random id per channel
   */
  senderId?: string | undefined;
}

/**
 * Tells the other tabs (and frames and workers) of the origin what happened in this one — login,
 * logout, tokens changed, identity changed — over a `BroadcastChannel`.
 *
 * The channel opens on first use (never at construction or import) and is a no-op where
 * `BroadcastChannel` does not exist. Incoming messages are validated with
 * {@link CrossTabMessageSchema}; malformed ones are ignored. Messages never carry tokens: `post`
 * copies only the known fields.
 *
 * @example
 * ```ts
 * const channel = CrossTabChannel.forGlobusApp({ clientId, namespace: "DEFAULT" });
 * const unsubscribe = channel.subscribe((message) => {
 *   if (message.type === "logout") showSignedOut();
 * });
 * channel.post({ type: "tokensChanged", resourceServers: ["transfer.api.globus.org"] });
 * ```
 */
export class CrossTabChannel {
  /** The BroadcastChannel name; channels of the same name (and origin) hear each other. */
  readonly name: string;
  /** Stamped on every message this channel posts. */
  readonly senderId: string;
  readonly #listeners = new Set<CrossTabListener>();
  #channel: BroadcastChannel | undefined;
  #closed = false;

  /** @param name - the channel name; see {@link CrossTabChannel.forGlobusApp} for the app's. */
  constructor(name: string, options: CrossTabChannelOptions = {}) {
    this.name = name;
    this.senderId = options.senderId ?? randomId();
  }

  /**
   * The channel of one app: named `globus-app:<clientId>:<environment>:<namespace>` (each part
   * percent-encoded), so only tabs of the same app, environment and namespace hear each other.
   */
  static forGlobusApp(
    context: BrowserTokenStorageContext,
    options: CrossTabChannelOptions = {},
  ): CrossTabChannel {
    const parts = [context.clientId, context.config?.environment ?? PRODUCTION, context.namespace];
    return new CrossTabChannel(`globus-app:${parts.map(encodeNameComponent).join(":")}`, options);
  }

  /** Whether `BroadcastChannel` exists here, i.e. whether this channel can reach other tabs at all. */
  static isSupported(): boolean {
    return typeof (globalThis as { BroadcastChannel?: unknown }).BroadcastChannel === "function";
  }

  /**
   * Sends an event to the other tabs. Only `type`, `resourceServers` and `identityId` are sent.
   *
   * @returns whether it was sent: false when `BroadcastChannel` is missing, the channel is closed, or
   *   the browser refused it.
   */
  post(event: CrossTabEvent): boolean {
    const channel = this.#open();
    if (!channel) return false;
    const message: CrossTabMessage = { type: event.type, senderId: this.senderId };
    if (event.resourceServers !== undefined) message.resourceServers = [...event.resourceServers];
    if (event.identityId !== undefined) message.identityId = event.identityId;
    try {
      channel.postMessage(message);
      return true;
    } catch {
      // A closed or neutered channel; there is no one to tell.
      return false;
    }
  }

  /**
   * Calls `listener` with every valid message another tab posts, until unsubscribed or closed. A
   * listener that throws is reported (`reportError`) and does not stop the others.
   *
   * @returns a function that unsubscribes.
   */
  subscribe(listener: CrossTabListener): () => void {
    if (this.#closed) return () => {};
    const entry: CrossTabListener = (message) => listener(message);
    this.#listeners.add(entry);
    this.#open();
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** Closes the channel and drops every listener; later posts and subscriptions do nothing. Idempotent. */
  close(): void {
    this.#closed = true;
    this.#listeners.clear();
    this.#channel?.close();
    this.#channel = undefined;
  }

  #open(): BroadcastChannel | undefined {
    if (this.#closed) return undefined;
    if (this.#channel) return this.#channel;
    if (!CrossTabChannel.isSupported()) return undefined;
    const channel = new BroadcastChannel(this.name);
    channel.onmessage = (event) => this.#receive(event.data);
    // Node and Deno keep the process alive while a channel listens; a cross-tab hint should not.
    (channel as { unref?: () => void }).unref?.();
    this.#channel = channel;
    return channel;
  }

  #receive(data: unknown): void {
    const received = parseCrossTabMessage(data);
    if (!received || received.senderId === this.senderId) return;
    for (const listener of [...this.#listeners]) {
      // A copy per listener, so one listener cannot change what the next one sees.
      const message: CrossTabMessage = { ...received };
      if (received.resourceServers) message.resourceServers = [...received.resourceServers];
      try {
        listener(message);
      } catch (error) {
        reportError(error);
      }
    }
  }
}
