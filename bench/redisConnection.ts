import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * A connection for the bench. `maxRetriesPerRequest: null` is what BullMQ
 * workers require; the flowstate store gets the same, so neither side is
 * favoured by client settings.
 */
export function connectRedis(url: string, extra: RedisOptions = {}): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, ...extra });
  redis.on('error', () => {
    // Errors surface on the commands that fail; the bench reports those.
  });
  return redis;
}

/** A key prefix no other run uses: `bench:<uuid>:`. */
export function benchPrefix(): string {
  return `bench:${randomUUID()}:`;
}

/** Deletes every key starting with `prefix` (SCAN + UNLINK; the bench owns the prefix). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** Resolves true when Redis at `url` answers PING within `timeoutMs`. */
export async function redisAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await Promise.race([redis.connect().then(() => redis.ping()), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs))]);
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
