import { Redis } from 'ioredis';
import { RedisUnreachableError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { createMemoryStore } from './MemoryStore.ts';
import { createRedisStore } from './RedisStore.ts';
import { redactRedisUrl } from './redactRedisUrl.ts';
import type { WorkflowStore } from './WorkflowStore.ts';

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** Redis to use; unset = the in-memory store. */
  redisUrl?: string;
  /** Prefix of every Redis key (default `flowstate:`). */
  redisPrefix?: string;
  /** Seconds a finished workflow is kept; unset = forever. */
  retentionSeconds?: number;
  /** How long start-up waits for Redis to answer before falling back to memory (default 2000). */
  connectTimeoutMs?: number;
  /**
   * How long one Redis command may take before it is rejected as UNAVAILABLE
   * (default 2000), so a stalled Redis makes writes fail and be retried instead of hanging.
   */
  commandTimeoutMs?: number;
  /** Events kept per workflow (MAX_EVENTS_PER_WORKFLOW). */
  maxEvents?: number;
  /**
   * Redis configured but not answering: false makes openStore reject (a
   * cluster process, or REDIS_FALLBACK=false); true (default) falls back to
   * memory and calls `onFallback` with the reason.
   */
  fallback?: boolean;
  onFallback?: (reason: string) => void;
  logger: Logger;
}

/** Backoff between reconnect attempts: 50 ms doubling, capped at 2 s, forever. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt, 10), 2000);
}

/**
 * Opens the store the configuration asks for. With a Redis URL, Redis must
 * answer within `connectTimeoutMs`; if it does not, one warning is logged and
 * the in-memory store is returned, so the server still starts.
 *
 * The connection never queues commands while Redis is away: a write then
 * rejects at once with UNAVAILABLE (the engine retries it) instead of waiting
 * out ioredis' offline queue, and the client keeps reconnecting in the background.
 */
export async function openStore(options: OpenStoreOptions): Promise<WorkflowStore> {
  const { logger, retentionSeconds } = options;
  if (!options.redisUrl) {
    logger.info('no Redis configured; running on the in-memory store — workflows will not survive a restart');
    return createMemoryStore({ retentionSeconds, maxEvents: options.maxEvents });
  }
  const connectTimeoutMs = options.connectTimeoutMs ?? 2000;
  const where = redactRedisUrl(options.redisUrl);
  const redis = new Redis(options.redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs ?? 2000,
    retryStrategy: reconnectDelayMs,
  });

  let lastError: Error | undefined;
  const onStartupError = (error: Error) => {
    lastError = error;
  };
  redis.on('error', onStartupError);
  const answered = await answersWithin(redis, connectTimeoutMs);
  if (!answered) {
    // The startup listener stays: a socket error still in flight must not reach
    // ioredis' "unhandled error" printout after we give up.
    redis.disconnect();
    const seconds = Number((connectTimeoutMs / 1000).toFixed(1));
    const reason = `Redis at ${where} did not answer within ${seconds} s (${lastError?.message ?? 'timeout'})`;
    if (options.fallback === false) throw new RedisUnreachableError(reason);
    options.onFallback?.(reason);
    logger.warn(
      `Redis at ${where} did not answer within ${seconds} s; running on the in-memory store — workflows will not survive a restart`,
      { redis: where, reason: lastError?.message ?? 'timeout' },
    );
    return createMemoryStore({ retentionSeconds, maxEvents: options.maxEvents });
  }

  redis.off('error', onStartupError);
  watchConnection(redis, where, logger);
  logger.info('using the Redis store', { redis: where, prefix: options.redisPrefix ?? 'flowstate:' });
  return createRedisStore({ redis, prefix: options.redisPrefix ?? 'flowstate:', retentionSeconds, maxEvents: options.maxEvents });
}

// Connects (the retry strategy keeps trying in the background) and resolves
// true once Redis answers a PING, or false when the time is up.
async function answersWithin(redis: Redis, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const ready = new Promise<true>((resolve) => {
    redis.once('ready', () => resolve(true));
  });
  redis.connect().catch(() => {
    // The first attempt failed; 'ready' may still come from a reconnect before the deadline.
  });
  try {
    if (!(await Promise.race([ready, timeUp]))) return false;
    return await Promise.race([redis.ping().then(() => true as const, () => false as const), timeUp]);
  } finally {
    clearTimeout(timer);
  }
}

// One warning when the connection drops and one line when it is back; ioredis
// would otherwise print every failed reconnect attempt as an unhandled error.
function watchConnection(redis: Redis, where: string, logger: Logger): void {
  let down = false;
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  // 'reconnecting' comes only after an unplanned loss (not after close()).
  redis.on('reconnecting', () => {
    if (down) return;
    down = true;
    logger.warn('lost the Redis connection; writes fail (and are retried) until it is back', {
      redis: where,
      reason: lastError?.message ?? 'connection closed',
    });
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info('Redis connection restored', { redis: where });
  });
}
