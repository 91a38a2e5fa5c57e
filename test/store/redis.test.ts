import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../server/store/RedisStore.ts';
import { deleteKeysWithPrefix, keysWithPrefix, randomPrefix, redisUrlForTests, startRedisServer } from '../helpers/redis.ts';
import { runStoreContract } from './contract.ts';
import { makeRecord, nextVersion } from './fixtures.ts';

const url = await redisUrlForTests();

describe.skipIf(url === null)('Redis store', () => {
  // One connection for cleanup and inspection; each store gets its own (it closes it).
  const admin = new Redis(url!);
  afterAll(() => admin.quit());

  runStoreContract('redis', async (options) => {
    const prefix = randomPrefix();
    const store = createRedisStore({ redis: new Redis(url!), prefix, ...options });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await deleteKeysWithPrefix(admin, prefix);
      },
    };
  });

  it('writes nothing outside its prefix', async () => {
    // A private, empty Redis: anything in it that lacks the prefix came from the store.
    const server = await startRedisServer();
    const prefix = randomPrefix();
    const redis = new Redis(server.url);
    const store = createRedisStore({ redis, prefix, retentionSeconds: 0.2 });
    try {
      const records = [makeRecord(), makeRecord(), makeRecord()];
      await store.create(records[0], 'a key with spaces and * glob ? chars');
      await store.create(records[1]);
      await store.create(records[2], '../../etc/passwd');
      await store.saveMany([nextVersion(records[0], 'running'), nextVersion(records[1], 'succeeded'), nextVersion(records[2], 'failed')]);
      await store.list({ limit: 10 });
      await store.list({ limit: 1, status: 'running' });
      await store.listUnfinished();
      await new Promise((r) => setTimeout(r, 400));
      await store.list({ limit: 10 });
      const inspector = new Redis(server.url);
      const all = await keysWithPrefix(inspector, '');
      await inspector.quit();
      expect(all.length).toBeGreaterThan(0);
      expect(all.filter((k) => !k.startsWith(prefix))).toEqual([]);
    } finally {
      await store.close();
      await server.stop();
    }
  });

  it('drops expired workflows from its indexes, on list and on later saves', async () => {
    const prefix = randomPrefix();
    const store = createRedisStore({ redis: new Redis(url!), prefix, retentionSeconds: 0.2 });
    const zcard = (key: string) => admin.zcard(`${prefix}${key}`);
    try {
      const finished = [makeRecord(), makeRecord(), makeRecord()];
      for (const r of finished) await store.create(r);
      await store.saveMany(finished.map((r) => nextVersion(r, 'succeeded')));
      expect(await zcard('idx:all')).toBe(3);
      await new Promise((r) => setTimeout(r, 400));
      // Nobody listed: the next finished workflow sweeps the expired ones out.
      const later = makeRecord();
      await store.create(later);
      await store.saveMany([nextVersion(later, 'failed')]);
      expect(await zcard('idx:all')).toBe(1);
      expect(await zcard('idx:state:succeeded')).toBe(0);
      expect(await zcard('idx:expiring')).toBe(1);
      await new Promise((r) => setTimeout(r, 400));
      // And a list call removes what it finds gone.
      expect(await store.list({ limit: 10 })).toEqual({ items: [], next_cursor: null });
      expect(await zcard('idx:all')).toBe(0);
      expect(await zcard('idx:state:failed')).toBe(0);
    } finally {
      await store.close();
      await deleteKeysWithPrefix(admin, prefix);
    }
  });
});
