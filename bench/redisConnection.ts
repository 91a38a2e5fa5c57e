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

/** Deleting every key under a prefix, and "does Redis answer": the test suites' helpers, shared rather than copied. */
export { deleteKeysWithPrefix, redisAnswers } from '../test/helpers/redis.ts';
