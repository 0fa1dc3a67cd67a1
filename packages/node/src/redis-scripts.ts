// The Lua scripts of RedisTokenStorage. Scripts run atomically in Redis: each either applies whole or
// not at all. A write script with a lock key and fence checks, in the same step, that the lock still
// holds that fence, so a holder whose lock expired cannot overwrite what the next holder stored.

/** Redis's reply when a write inside a lock finds the lock no longer its own. */
export const LOCK_LOST = "GLOBUS_APP_LOCK_LOST";

/**
 * Stores fields of a namespace's hash and indexes the namespace.
 * KEYS: tokens hash, namespaces set, lock key (or "") · ARGV: fence (or ""), namespace, field, value…
 */
export const STORE = `
if ARGV[1] ~= '' and redis.call('GET', KEYS[3]) ~= ARGV[1] then return redis.error_reply('${LOCK_LOST}') end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('SADD', KEYS[2], ARGV[2])
return 1`;

/**
 * Removes one field (only if it still holds the expected value), and the namespace from the index
 * when its hash is gone; returns 1 when a field was removed.
 * KEYS as {@link STORE} · ARGV: fence (or ""), namespace, field, expected value (or "" for any)
 */
export const REMOVE = `
if ARGV[1] ~= '' and redis.call('GET', KEYS[3]) ~= ARGV[1] then return redis.error_reply('${LOCK_LOST}') end
if ARGV[4] ~= '' and redis.call('HGET', KEYS[1], ARGV[3]) ~= ARGV[4] then return 0 end
local removed = redis.call('HDEL', KEYS[1], ARGV[3])
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[2]) end
return removed`;

/**
 * Takes the lock if free; returns its fencing token, or 0. The token comes from one counter, so a
 * later holder always has a larger token than an earlier one.
 * KEYS: lock key, fence counter · ARGV: ttl ms
 */
export const ACQUIRE = `
local fence = redis.call('INCR', KEYS[2])
if redis.call('SET', KEYS[1], fence, 'NX', 'PX', ARGV[1]) then return fence end
return 0`;

/** Extends the lock's life while it is still this holder's. KEYS: lock key · ARGV: fence, ttl ms */
export const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** Deletes the lock if it is still this holder's. KEYS: lock key · ARGV: fence */
export const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
