import * as v from "valibot";
import { encodeNameComponent, PRODUCTION } from "./internal/names.ts";
import { reportError } from "./internal/report-error.ts";
import type { TokenStorageContext } from "./token-storage-context.ts";

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

// `check`s rather than picklist/maxLength/minLength: one valibot action for every refinement of the
// browser bundle (see core's `finiteNumber`).
const shortString = v.pipe(
  v.string(),
  v.check((value) => value.length <= 512),
);

/**
 * Valibot schema of an incoming {@link CrossTabMessage}. Unknown keys are dropped; anything else
 * (wrong types, oversize arrays or strings) makes the message invalid, and the channel ignores it.
 */
export const CrossTabMessageSchema = v.object({
  type: v.pipe(
    v.string(),
    v.check((type) => MESSAGE_TYPES.includes(type)),
    v.transform((type) => type as CrossTabMessageType),
  ),
  resourceServers: v.optional(
    v.pipe(
      v.array(shortString),
      v.check((list) => list.length <= 1000),
    ),
  ),
  identityId: v.optional(v.nullable(shortString)),
  senderId: v.pipe(
    shortString,
    v.check((id) => id.length > 0),
  ),
});

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
  static forGlobusApp(context: TokenStorageContext, options: CrossTabChannelOptions = {}): CrossTabChannel {
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
    const result = v.safeParse(CrossTabMessageSchema, data);
    if (!result.success || result.output.senderId === this.senderId) return;
    const { type, resourceServers, identityId, senderId } = result.output;
    for (const listener of [...this.#listeners]) {
      const message: CrossTabMessage = { type, senderId };
      if (resourceServers !== undefined) message.resourceServers = [...resourceServers];
      if (identityId !== undefined) message.identityId = identityId;
      try {
        listener(message);
      } catch (error) {
        reportError(error);
      }
    }
  }
}
