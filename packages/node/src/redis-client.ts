import { GlobusSDKUsageError } from "@globus-app/core";

/**
 * A Redis connection: the commands of an ioredis client `RedisTokenStorage` uses, structurally (so
 * `ioredis` stays an optional dependency, and a compatible client can stand in).
 */
export interface RedisClient {
  /** Every field of a hash (`HGETALL`). */
  hgetall(key: string): Promise<Record<string, string>>;
  /** One field of a hash (`HGET`), or null. */
  hget(key: string, field: string): Promise<string | null>;
  /** Runs a Lua script atomically (`EVAL`): the storage's writes and lock operations. */
  eval(script: string, numberOfKeys: number, ...args: Array<string | number>): Promise<unknown>;
  /** Closes the connection politely (`QUIT`). */
  quit(): Promise<unknown>;
}

/**
 * Connects to `url` with ioredis, imported on first use. Connection trouble is reported by the
 * commands that fail, not logged.
 *
 * @throws GlobusSDKUsageError when the optional package `ioredis` is not installed.
 * @example
 * ```ts
 * const client = await createRedisClient(process.env.REDIS_URL!);
 * ```
 */
export async function createRedisClient(url: string): Promise<RedisClient> {
  let Redis: typeof import("ioredis").Redis;
  try {
    ({ Redis } = await import("ioredis"));
  } catch {
    throw new GlobusSDKUsageError(
      "RedisTokenStorage needs the optional package ioredis: install it with `npm install ioredis`.",
    );
  }
  const client = new Redis(url, { maxRetriesPerRequest: 3 });
  // ioredis reports connection trouble as 'error' events and logs them when nobody listens; the
  // commands that fail meanwhile reject with their own errors, which reach the caller.
  client.on("error", () => undefined);
  return client as unknown as RedisClient;
}
