import { AsyncLocalStorage } from "node:async_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import {
  assertStorableTokenData,
  BaseTokenStorage,
  DEFAULT_NAMESPACE,
  GlobusSDKUsageError,
  isGlobusError,
  KeyedMutex,
  type TokenStorageData,
  TokenStorageError,
} from "@globus-app/core";
import { parseStoredRecord, redactedUrl } from "./parse-stored-record.ts";
import { createRedisClient, type RedisClient } from "./redis-client.ts";
import { ACQUIRE, EXTEND, LOCK_LOST, RELEASE, REMOVE, STORE } from "./redis-scripts.ts";
import { tokenRecordToJSON } from "./token-record-json.ts";

/** Options of {@link RedisTokenStorage}: give `url` or `client`. */
export interface RedisTokenStorageOptions {
  /** A Redis URL (`redis://:password@host:6379/0`, `rediss://` for TLS); the storage connects with ioredis and closes the connection. */
  url?: string | undefined;
  /** An ioredis client you made (Sentinel, TLS options…); never closed by the storage. */
  client?: RedisClient | undefined;
  /** The namespace to read and write: one per person in a portal (their identity id). @default "DEFAULT" */
  namespace?: string | undefined;
  /** Prefix of every key the storage makes, to share a Redis with other data. @default "globus-app:" */
  keyPrefix?: string | undefined;
  /** How long {@link RedisTokenStorage.withLock} waits for another holder. @default 30000 */
  lockTimeoutMs?: number | undefined;
  /**
   * How long a lock lives unless its holder extends it (every third of this while it runs): the
   * longest a lock of a holder that died (crash, `kill -9`, lost network) blocks the others. @default 10000
   */
  lockTtlMs?: number | undefined;
}

interface SharedRedis {
  readonly location: string;
  readonly prefix: string;
  readonly lockTimeoutMs: number;
  readonly lockTtlMs: number;
  readonly makeClient: () => Promise<RedisClient>;
  readonly ownsClient: boolean;
  readonly queue: KeyedMutex;
  /** The lock (key and fencing token) held by the current async context, which guards its writes. */
  readonly lockContext: AsyncLocalStorage<{ lockKey: string; fence: string; held: boolean }>;
  client: Promise<RedisClient> | undefined;
  closed: boolean;
}

/** Handed from forNamespace to the constructor it calls at once, so siblings share without a public parameter. */
let siblingOf: SharedRedis | undefined;

const FIRST_RETRY_MS = 2;
const MAX_RETRY_MS = 25;

/**
 * Keeps tokens in Redis, so several server processes and machines (replicas of a portal behind a
 * load balancer) share one store. Each namespace is one hash (`<prefix>tokens:<namespace>`, a field
 * per resource server holding the record's JSON, as the SQLite storage's rows do), and the set
 * `<prefix>namespaces` indexes the namespaces that have records. Nothing expires by itself: refresh
 * tokens live for months. Keep Redis persistent (AOF or RDB) if people should stay signed in across
 * its restarts.
 *
 * {@link RedisTokenStorage.withLock} is a lock in Redis (`SET key <fencing token> NX PX <ttl>`,
 * extended while its holder runs), so a token refresh is single-flight across every replica. Each
 * lock carries a fencing token from one counter, and the holder's writes go through only while the
 * lock still holds that token: a holder that stalled past its lock's lifetime cannot overwrite what
 * the next holder stored. Use one Redis primary (not a cluster: the scripts touch two keys).
 *
 * One storage per namespace; {@link RedisTokenStorage.forNamespace} makes siblings that share the
 * connection. The driver is the optional peer dependency `ioredis` (`npm install ioredis`), loaded
 * on first use.
 *
 * @example
 * ```ts
 * const tokens = new RedisTokenStorage({ url: process.env.REDIS_URL });
 * const forAda = tokens.forNamespace(identityId);
 * await tokens.close(); // closes the connection
 * ```
 */
export class RedisTokenStorage extends BaseTokenStorage {
  readonly #shared: SharedRedis;
  readonly #root: boolean;

  /**
   * Connects on first use.
   *
   * @throws GlobusSDKUsageError when neither or both of `url` and `client` are given, or a time is
   *   not a positive number.
   */
  constructor(options: RedisTokenStorageOptions) {
    super(options.namespace ?? DEFAULT_NAMESPACE);
    const shared = siblingOf;
    siblingOf = undefined;
    this.#root = shared === undefined;
    this.#shared = shared ?? RedisTokenStorage.#share(options);
  }

  static #share(options: RedisTokenStorageOptions): SharedRedis {
    const { url, client } = options;
    if ((url === undefined) === (client === undefined)) {
      throw new GlobusSDKUsageError("RedisTokenStorage needs exactly one of url and client.");
    }
    const lockTtlMs = options.lockTtlMs ?? 10_000;
    const lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
    for (const [name, value] of [
      ["lockTtlMs", lockTtlMs],
      ["lockTimeoutMs", lockTimeoutMs],
    ] as const) {
      if (!Number.isFinite(value) || value <= 0) {
        throw new GlobusSDKUsageError(
          `RedisTokenStorage's ${name} must be a positive number of milliseconds.`,
        );
      }
    }
    const prefix = options.keyPrefix ?? "globus-app:";
    return {
      location: `${url === undefined ? "redis client" : redactedUrl(url)}#${prefix}`,
      prefix,
      lockTimeoutMs,
      lockTtlMs: Math.trunc(lockTtlMs),
      ownsClient: client === undefined,
      makeClient: client ? async () => client : () => createRedisClient(url as string),
      queue: new KeyedMutex(),
      lockContext: new AsyncLocalStorage(),
      client: undefined,
      closed: false,
    };
  }

  /** Where the tokens live, without credentials: `redis://host:port/db#prefix`. */
  get location(): string {
    return this.#shared.location;
  }

  /**
   * A storage of another namespace over the same connection, for one person of a portal. Costs
   * nothing; closing it does not close the connection (closing the storage you constructed does).
   */
  forNamespace(namespace: string): RedisTokenStorage {
    siblingOf = this.#shared;
    return new RedisTokenStorage({ namespace });
  }

  /** @throws TokenStorageError when Redis fails or holds a bad record. */
  async getTokenDataByResourceServer(): Promise<Record<string, TokenStorageData>> {
    const client = await this.#client();
    const all = await this.#run(() => client.hgetall(this.#tokensKey));
    return Object.fromEntries(
      Object.entries(all).map(([resourceServer, json]) => [
        resourceServer,
        this.#parse(resourceServer, json),
      ]),
    );
  }

  /** @throws TokenStorageError when Redis fails or the record is bad. */
  override async getTokenData(resourceServer: string): Promise<TokenStorageData | null> {
    const client = await this.#client();
    const json = await this.#run(() => client.hget(this.#tokensKey, resourceServer));
    return json === null ? null : this.#parse(resourceServer, json);
  }

  /**
   * Stores every record atomically. Inside {@link RedisTokenStorage.withLock}, only while the lock
   * is still this holder's.
   *
   * @throws TokenStorageError when Redis fails, or the lock was lost (expired and taken by another).
   */
  async storeTokenDataByResourceServer(data: Readonly<Record<string, TokenStorageData>>): Promise<void> {
    assertStorableTokenData(data);
    const entries = Object.entries(data);
    if (entries.length === 0) return;
    const fields = entries.flatMap(([resourceServer, record]) => [
      resourceServer,
      JSON.stringify(tokenRecordToJSON(record)),
    ]);
    await this.#script(STORE, fields);
  }

  /** @throws TokenStorageError when Redis fails, or the lock was lost (inside `withLock`). */
  async removeTokenData(resourceServer: string): Promise<boolean> {
    return (await this.#script(REMOVE, [resourceServer, ""])) === 1;
  }

  /**
   * Every namespace that has records (in a portal: every person with tokens), each once, in no
   * particular order.
   *
   * @example
   * ```ts
   * for await (const identityId of storage.iterNamespaces()) console.log(identityId);
   * ```
   */
  async *iterNamespaces(): AsyncGenerator<string, void, undefined> {
    const client = await this.#client();
    // SMEMBERS through eval keeps the client interface to four commands.
    const members = await this.#run(() =>
      client.eval("return redis.call('SMEMBERS', KEYS[1])", 1, this.#namespacesKey),
    );
    for (const member of members as string[]) yield String(member);
  }

  /**
   * Runs `fn` holding the lock `key` of this namespace, across every process and machine that uses
   * this Redis, and within this process (a queue). The lock is `SET <prefix>lock:… <fencing token>
   * NX PX lockTtlMs`, polled until free, extended every `lockTtlMs / 3` while `fn` runs and deleted
   * after (only if still this holder's). Storage writes inside `fn` check the fencing token.
   * Not re-entrant for the same key.
   *
   * @throws TokenStorageError when the lock is not free within `lockTimeoutMs`, or Redis fails.
   */
  override withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const lockKey = `${this.#shared.prefix}lock:${this.namespace}\0${key}`;
    return this.#shared.queue.run(lockKey, async () => {
      const client = await this.#client();
      const fence = await this.#acquire(client, lockKey, key);
      const holder = { lockKey, fence, held: true };
      const extend = setInterval(
        () => {
          void client.eval(EXTEND, 1, lockKey, fence, this.#shared.lockTtlMs).catch(() => undefined);
        },
        Math.max(1, Math.floor(this.#shared.lockTtlMs / 3)),
      );
      // A refresh should not keep a process alive that is otherwise done.
      extend.unref?.();
      try {
        return await this.#shared.lockContext.run(holder, fn);
      } finally {
        clearInterval(extend);
        holder.held = false;
        await client.eval(RELEASE, 1, lockKey, fence).catch(() => undefined);
      }
    });
  }

  async #acquire(client: RedisClient, lockKey: string, key: string): Promise<string> {
    const deadline = Date.now() + this.#shared.lockTimeoutMs;
    let delay = FIRST_RETRY_MS;
    for (;;) {
      const fence = await this.#run(() =>
        client.eval(ACQUIRE, 2, lockKey, `${this.#shared.prefix}fence`, this.#shared.lockTtlMs),
      );
      if (typeof fence === "number" && fence > 0) return String(fence);
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new TokenStorageError(
          `Timed out after ${this.#shared.lockTimeoutMs} ms waiting for the lock '${key}' of namespace '${this.namespace}' in '${this.location}'; another process holds it (a lock of a process that died frees itself within ${this.#shared.lockTtlMs} ms).`,
          { location: this.location },
        );
      }
      // Jittered backoff: waiting replicas spread out instead of polling in lockstep.
      await sleep(Math.min(remaining, delay * (0.5 + Math.random())));
      delay = Math.min(delay * 1.5, MAX_RETRY_MS);
    }
  }

  /**
   * Deletes the records of this namespace that do not parse (`logout({ removeUnreadable: true })`
   * calls it); readable records and other namespaces stay. A record changed meanwhile is left alone.
   *
   * @throws TokenStorageError when Redis fails.
   */
  async removeUnreadable(): Promise<void> {
    const client = await this.#client();
    const all = await this.#run(() => client.hgetall(this.#tokensKey));
    for (const [resourceServer, json] of Object.entries(all)) {
      try {
        this.#parse(resourceServer, json);
      } catch {
        await this.#script(REMOVE, [resourceServer, json]);
      }
    }
  }

  /**
   * Closes the storage. The storage you constructed from a `url` closes its connection (and so every
   * sibling's); siblings and clients you passed in are left alone. Idempotent.
   */
  override async close(): Promise<void> {
    if (!this.#root || this.#shared.closed) return;
    this.#shared.closed = true;
    const client = this.#shared.client;
    if (client && this.#shared.ownsClient) await client.then((c) => c.quit()).catch(() => undefined);
  }

  get #tokensKey(): string {
    return `${this.#shared.prefix}tokens:${this.namespace}`;
  }

  get #namespacesKey(): string {
    return `${this.#shared.prefix}namespaces`;
  }

  /** Runs a write script with the lock guard of the current context, if any. */
  async #script(script: string, args: string[]): Promise<unknown> {
    const client = await this.#client();
    const lock = this.#shared.lockContext.getStore();
    const guard = lock?.held ? lock : undefined;
    return this.#run(() =>
      client.eval(
        script,
        3,
        this.#tokensKey,
        this.#namespacesKey,
        guard?.lockKey ?? "",
        guard?.fence ?? "",
        this.namespace,
        ...args,
      ),
    );
  }

  #client(): Promise<RedisClient> {
    if (this.#shared.closed) {
      return Promise.reject(new GlobusSDKUsageError(`RedisTokenStorage '${this.location}' is closed.`));
    }
    if (!this.#shared.client) {
      const made = this.#shared.makeClient();
      this.#shared.client = made;
      made.catch(() => {
        if (this.#shared.client === made) this.#shared.client = undefined;
      });
    }
    return this.#shared.client;
  }

  async #run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isGlobusError(error)) throw error;
      const detail = error instanceof Error ? error.message : String(error);
      if (detail.includes(LOCK_LOST)) {
        throw new TokenStorageError(
          `A write to '${this.location}' (namespace '${this.namespace}') was refused: this holder's lock expired and another process took it, so its data may be stale. Raise lockTtlMs if holders stall this long.`,
          { location: this.location },
        );
      }
      // Redis's messages name commands and keys' types, never the values written.
      throw new TokenStorageError(`Redis token storage '${this.location}' failed: ${detail}.`, {
        location: this.location,
        cause: error,
      });
    }
  }

  #parse(resourceServer: string, json: unknown): TokenStorageData {
    return parseStoredRecord(json, resourceServer, this.location, this.namespace);
  }
}
