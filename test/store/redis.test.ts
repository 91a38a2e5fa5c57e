import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../server/store/RedisStore.ts';
import { canStartRedisServer, deleteKeysWithPrefix, keysWithPrefix, randomPrefix, redisUrlForTests, startRedisServer } from '../helpers/redis.ts';
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

  it.skipIf(!canStartRedisServer())('writes nothing outside its prefix', async () => {
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

  it('writes a batch of 150, events included, and names exactly the workflows that conflict, wherever they fall in it', async () => {
    const prefix = randomPrefix();
    const store = createRedisStore({ redis: new Redis(url!), prefix });
    try {
      const records = Array.from({ length: 150 }, () => makeRecord());
      await Promise.all(records.map((r) => store.create(r)));
      // Every seventh skips a version: the store must refuse it, wherever it falls in the batch.
      const stale = new Set(records.filter((_, i) => i % 7 === 3).map((r) => r.id));
      const writes = records.map((r, i) => {
        const next = nextVersion(r, 'running');
        const events = Array.from({ length: i % 3 }, (_, k) => ({ id: k + 1, at: new Date(0).toISOString(), type: 'workflow.started' as const }));
        return stale.has(r.id) ? nextVersion(next, 'running') : { ...next, events };
      });
      const { conflicts } = await store.saveMany(writes);
      expect(new Set(conflicts)).toEqual(stale);
      expect(conflicts).toHaveLength(stale.size);
      for (const [i, r] of records.entries()) {
        const stored = await store.get(r.id);
        expect(stored?.version, r.id).toBe(stale.has(r.id) ? 1 : 2);
        if (!stale.has(r.id)) expect((await store.events(r.id, 0, 10))?.items.map((e) => e.id)).toEqual(Array.from({ length: i % 3 }, (_, k) => k + 1));
      }
    } finally {
      await store.close();
      await deleteKeysWithPrefix(admin, prefix);
    }
  });

  it('drops expired workflows from its indexes, on list and on later saves', async () => {
    const prefix = randomPrefix();
    const store = createRedisStore({ redis: new Redis(url!), prefix, retentionSeconds: 0.2 });
    const zcard = (key: string) => admin.zcard(`${prefix}${key}`);
    try {
      const finished = [makeRecord(), makeRecord(), makeRecord()];
      for (const r of finished) await store.create(r, `key-${r.id}`);
      await store.saveMany(finished.map((r) => nextVersion(r, 'succeeded')));
      expect(await zcard('idx:all')).toBe(3);
      await new Promise((r) => setTimeout(r, 400));
      // Nobody listed: the next finished workflow sweeps the expired ones out.
      const later = makeRecord();
      await store.create(later);
      await store.saveMany([nextVersion(later, 'failed')]);
      expect(await zcard('idx:all')).toBe(1);
      expect(await zcard('idx:state:succeeded')).toBe(0);
      // Idempotency keys expire with their workflows: nothing grows without bound.
      expect(await admin.exists(...finished.map((r) => `${prefix}idem:key-${r.id}`))).toBe(0);
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

  it('stores the name folded (lname) at create; matches a workflow stored before that field existed on its status (ASCII case folded)', async () => {
    const prefix = randomPrefix();
    const store = createRedisStore({ redis: new Redis(url!), prefix });
    try {
      const legacy = [makeRecord({ name: 'Legacy-ETL' }), makeRecord({ name: 'legacy report' }), makeRecord({ name: 'Ünïcode_OLD' })];
      const current = makeRecord({ name: 'new-ＥＴＬ' });
      for (const r of [...legacy, current]) await store.create(r);
      expect(await admin.hget(`${prefix}wf:${current.id}`, 'lname')).toBe('new-etl');
      // What a store written by an earlier version holds: no 'lname' field.
      for (const r of legacy) await admin.hdel(`${prefix}wf:${r.id}`, 'lname');
      const names = async (name: string) => (await store.list({ limit: 10, name })).items.map((s) => s.name);
      expect(await names('etl')).toEqual(['new-ＥＴＬ', 'Legacy-ETL']);
      expect(await names('LEGACY')).toEqual(['legacy report', 'Legacy-ETL']);
      expect(await names('_old')).toEqual(['Ünïcode_OLD']);
      // Lua lower-cases ASCII only: such a record's non-ASCII capitals match nothing (the filter is lower-cased).
      expect(await names('nïcode')).toEqual(['Ünïcode_OLD']);
      expect(await names('Ünïcode')).toEqual([]);
      expect(await names('nothing like it')).toEqual([]);
      expect((await store.list({ limit: 10 })).items).toHaveLength(4);
    } finally {
      await store.close();
      await deleteKeysWithPrefix(admin, prefix);
    }
  });

  it('pages without gaps or duplicates through long runs of expired ids, with a small scan budget', async () => {
    const prefix = randomPrefix();
    const store = createRedisStore({ redis: new Redis(url!), prefix, retentionSeconds: 0.2, listScanBudget: 2 });
    try {
      const records = [];
      for (let i = 0; i < 20; i++) {
        const r = makeRecord();
        await store.create(r);
        records.push(r);
      }
      // Two runs of expired workflows, one in the middle and one at the oldest end.
      const doomed = [...records.slice(5, 13), ...records.slice(0, 3)];
      await store.saveMany(doomed.map((r) => nextVersion(r, 'cancelled')));
      await new Promise((r) => setTimeout(r, 400));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      let shortPagesWithMore = 0;
      do {
        const page = await store.list({ limit: 2, cursor });
        expect(page.items.length).toBeLessThanOrEqual(2);
        if (page.items.length < 2 && page.next_cursor !== null) shortPagesWithMore++;
        seen.push(...page.items.map((s) => s.id));
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined && ++pages < 50);
      const alive = records.filter((r) => !doomed.includes(r)).map((r) => r.id).reverse();
      expect(seen).toEqual(alive);
      // The budget ran out inside the expired run at least once (that is the path under test).
      expect(shortPagesWithMore).toBeGreaterThan(0);
      expect(await admin.zcard(`${prefix}idx:all`)).toBe(alive.length);
    } finally {
      await store.close();
      await deleteKeysWithPrefix(admin, prefix);
    }
  });
});
