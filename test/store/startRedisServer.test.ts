import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { canStartRedisServer, redisAnswers, startRedisServer } from '../helpers/redis.ts';

// The fault-injection suites lean on this helper; prove its knobs do what they say.
describe.skipIf(!canStartRedisServer())('startRedisServer (test helper)', () => {
  it('pauses, resumes, and restarts with its AOF data intact', async () => {
    const server = await startRedisServer({ appendonly: true });
    const client = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    client.on('error', () => {});
    try {
      await client.set('k', 'v');
      const pidBefore = server.pid;

      server.pause();
      expect(await redisAnswers(server.url, 300)).toBe(false);
      server.resume();
      expect(await redisAnswers(server.url, 1000)).toBe(true);

      await server.restart();
      expect(server.pid).not.toBe(pidBefore);
      const fresh = new Redis(server.url);
      expect(await fresh.get('k')).toBe('v');
      await fresh.quit();

      await server.stop();
      expect(await redisAnswers(server.url, 300)).toBe(false);
      expect(server.process.exitCode !== null || server.process.signalCode !== null).toBe(true);
    } finally {
      client.disconnect();
      await server.stop();
    }
  });
});
