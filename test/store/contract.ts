import { afterEach, describe, expect, it } from 'vitest';
import type { WorkflowStore } from '../../server/store/WorkflowStore.ts';
import { makeRecord, nextVersion } from './fixtures.ts';
import { listingContract } from './listingContract.ts';
import { countsContract, eventsContract } from './eventsContract.ts';
import { createAll, move, rejectionCode, sleep, type MakeStore, type StoreOptions } from './storeTestKit.ts';

export type { MakeStore } from './storeTestKit.ts';

/**
 * The behaviour every WorkflowStore promises, as one suite: run it once per
 * backend (memory, Redis) so the two can never drift apart.
 */
export function runStoreContract(name: string, makeStore: MakeStore): void {
  describe(`WorkflowStore contract: ${name}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      while (cleanups.length > 0) await cleanups.pop()!();
    });
    async function open(options?: StoreOptions): Promise<WorkflowStore> {
      const { store, cleanup } = await makeStore(options);
      cleanups.push(cleanup);
      return store;
    }

    it('round-trips a record through create, get and getStatus', async () => {
      const store = await open();
      const record = makeRecord();
      expect(await store.create(record)).toEqual({ id: record.id, created: true });
      expect(await store.get(record.id)).toEqual(record);
      expect(await store.getStatus(record.id)).toEqual(record.status);
      expect(await store.get('no-such-workflow')).toBeNull();
      expect(await store.getStatus('no-such-workflow')).toBeNull();
      await store.ping();
    });

    it('keeps its own copies: mutating what went in or came out changes nothing stored', async () => {
      const store = await open();
      const record = makeRecord();
      const original = structuredClone(record);
      await store.create(record);
      record.status.name = 'mutated';
      record.status.steps[0].tasks[0].params.timeout = 999;
      record.definition.steps.pop();
      const fetched = (await store.get(record.id))!;
      expect(fetched).toEqual(original);
      fetched.status.steps[0].status = 'failed';
      (await store.getStatus(record.id))!.name = 'mutated again';
      (await store.list({ limit: 10 })).items[0].status = 'cancelled';
      expect(await store.get(record.id)).toEqual(original);

      const next = nextVersion(original, 'running');
      const saved = structuredClone(next);
      await store.saveMany([next]);
      (next.snapshot as { value: unknown }).value = 'mutated';
      next.status.error = 'mutated';
      expect(await store.get(record.id)).toEqual(saved);
    });

    it('keeps a handed-over create and final write as written, and still hands out copies of them', async () => {
      const store = await open();
      const record = makeRecord();
      const created = structuredClone(record);
      await store.create({ ...record, handedOver: true });
      const first = (await store.get(record.id))!;
      expect(first).toEqual({ ...created, lastEventId: 0 });
      first.definition.steps.pop();
      first.status.steps[0].tasks[0].params.timeout = 999;
      expect(await store.get(record.id)).toEqual({ ...created, lastEventId: 0 });
      const ended = { ...nextVersion(record, 'succeeded'), snapshot: null };
      const events = [{ id: 1, at: ended.status.created_at, type: 'workflow.succeeded' as const }];
      const expected = structuredClone(ended);
      expect(await store.saveMany([{ ...ended, events, handedOver: true }])).toEqual({ conflicts: [] });
      expect(await store.get(record.id)).toEqual({ ...expected, lastEventId: 1 });
      // What comes out is a copy, read after read, in every way out.
      (await store.getStatus(record.id))!.steps[0].status = 'failed';
      (await store.get(record.id))!.status.name = 'mutated';
      (await store.getStatusAt(record.id))!.status.error = 'mutated';
      (await store.list({ limit: 10 })).items[0].status = 'cancelled';
      (await store.events(record.id, 0, 10))!.items[0].type = 'workflow.failed';
      expect(await store.getStatus(record.id)).toEqual(expected.status);
      expect((await store.events(record.id, 0, 10))!.items).toEqual(events);
      // The same write again (its answer lost) is not a conflict.
      expect(await store.saveMany([{ ...ended, events, handedOver: true }])).toEqual({ conflicts: [] });
    });

    it('refuses a second create of the same id and a first version other than 1', async () => {
      const store = await open();
      const record = makeRecord();
      await store.create(record);
      const other = makeRecord({ id: record.id, name: 'another_workflow' });
      expect(await rejectionCode(store.create(other))).toBe('CONFLICT');
      expect(await rejectionCode(store.create({ ...makeRecord(), version: 2 }))).toBe('INTERNAL');
      expect(await store.get(record.id)).toEqual(record);
    });

    it('treats an identical retry of a create that landed as done, with or without a key', async () => {
      const store = await open();
      const record = makeRecord();
      expect(await store.create(record)).toEqual({ id: record.id, created: true });
      expect(await store.create(structuredClone(record))).toEqual({ id: record.id, created: true });
      const keyed = makeRecord();
      expect(await store.create(keyed, 'retry-key')).toEqual({ id: keyed.id, created: true });
      expect(await store.create(structuredClone(keyed), 'retry-key')).toEqual({ id: keyed.id, created: true });
      // Once it has moved on, the old create is not "the same" any more.
      await move(store, record, 'running');
      expect(await rejectionCode(store.create(record))).toBe('CONFLICT');
      expect((await store.list({ limit: 10 })).items).toHaveLength(2);
    });

    it('refuses every call once closed', async () => {
      const store = await open();
      await store.close();
      expect(await rejectionCode(store.ping())).toBe('UNAVAILABLE');
      expect(await rejectionCode(store.getStatus('any'))).toBe('UNAVAILABLE');
      expect(await rejectionCode(store.saveMany([nextVersion(makeRecord())]))).toBe('UNAVAILABLE');
    });

    it('saves over the previous version, and writes the definition only at create', async () => {
      const store = await open();
      const record = makeRecord();
      await store.create(record);
      const running = nextVersion(record, 'running');
      running.definition = { ...running.definition, name: 'changed later' };
      expect(await store.saveMany([running])).toEqual({ conflicts: [] });
      const stored = (await store.get(record.id))!;
      expect(stored.version).toBe(2);
      expect(stored.status).toEqual(running.status);
      expect(stored.snapshot).toEqual(running.snapshot);
      expect(stored.definition).toEqual(record.definition);
    });

    it('reports a save over a stale or missing version as a conflict and writes nothing', async () => {
      const store = await open();
      const record = makeRecord();
      await store.create(record);
      const mine = nextVersion(record, 'running');
      const theirs = nextVersion(record, 'cancelled');
      expect(await store.saveMany([mine])).toEqual({ conflicts: [] });
      expect(await store.saveMany([theirs])).toEqual({ conflicts: [record.id] });
      const skipping = nextVersion(nextVersion(mine, 'failed'), 'failed');
      expect(await store.saveMany([skipping])).toEqual({ conflicts: [record.id] });
      const unknown = nextVersion(makeRecord(), 'running');
      expect(await store.saveMany([unknown])).toEqual({ conflicts: [unknown.id] });
      expect(await store.get(record.id)).toEqual(mine);
      expect((await store.list({ limit: 10, status: 'cancelled' })).items).toEqual([]);
      expect(await store.get(unknown.id)).toBeNull();
    });

    it('treats an identical retry of a write that landed as done, not as a conflict', async () => {
      const store = await open();
      const record = makeRecord();
      await store.create(record);
      const running = nextVersion(record, 'running');
      await store.saveMany([running]);
      expect(await store.saveMany([structuredClone(running)])).toEqual({ conflicts: [] });
      expect((await store.get(record.id))!.version).toBe(2);
    });

    it('saves many records in one call, in order, reporting exactly the stale ones', async () => {
      const store = await open();
      const records = await createAll(store, 120);
      const stale = new Set([records[3].id, records[77].id]);
      // Another writer moved these on (to a state the batch does not say, so they differ from it).
      for (const id of stale) await move(store, records.find((r) => r.id === id)!, 'cancelled');
      const batch = records.map((r) => nextVersion(r, 'running'));
      // The same workflow twice in one batch: version 3 builds on the version 2 before it.
      const third = nextVersion(batch[10], 'succeeded');
      const result = await store.saveMany([...batch, third]);
      expect(new Set(result.conflicts)).toEqual(stale);
      expect(result.conflicts).toHaveLength(2);
      expect(await store.get(records[10].id)).toMatchObject({ version: 3, status: { status: 'succeeded' } });
      expect(await store.get(records[50].id)).toMatchObject({ version: 2, status: { status: 'running' } });
      expect(await store.saveMany([])).toEqual({ conflicts: [] });
    });

    it('returns the first workflow for a reused idempotency key and creates nothing', async () => {
      const store = await open();
      const first = makeRecord();
      const second = makeRecord();
      expect(await store.create(first, 'key-1')).toEqual({ id: first.id, created: true });
      expect(await store.create(second, 'key-1')).toEqual({ id: first.id, created: false });
      expect(await store.get(second.id)).toBeNull();
      const third = makeRecord();
      expect(await store.create(third, 'key-2')).toEqual({ id: third.id, created: true });
      expect((await store.list({ limit: 10 })).items.map((s) => s.id)).toEqual([third.id, first.id]);
    });

    it('makes exactly one workflow from concurrent creates with one key', async () => {
      const store = await open();
      const records = Array.from({ length: 20 }, () => makeRecord());
      const results = await Promise.all(records.map((r) => store.create(r, 'same-key')));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const winner = results.find((r) => r.created)!.id;
      expect(results.every((r) => r.id === winner)).toBe(true);
      const page = await store.list({ limit: 50 });
      expect(page.items.map((s) => s.id)).toEqual([winner]);
    });

    it('expires finished workflows after the retention, and keeps unfinished ones', async () => {
      const store = await open({ retentionSeconds: 0.3 });
      const [done, busy, failed] = await createAll(store, 3);
      await store.create(makeRecord({ id: 'unused' }), 'other-key');
      const keyed = makeRecord();
      expect(await store.create(keyed, 'retained-key')).toEqual({ id: keyed.id, created: true });
      const doneNow = await move(store, done, 'succeeded');
      await move(store, busy, 'running');
      await move(store, failed, 'failed');
      await move(store, keyed, 'cancelled');
      expect(await store.getStatus(done.id)).toMatchObject({ status: 'succeeded' });
      await sleep(700);
      expect(await store.get(done.id)).toBeNull();
      expect(await store.getStatus(failed.id)).toBeNull();
      expect(await store.get(busy.id)).toMatchObject({ version: 2, status: { status: 'running' } });
      const page = await store.list({ limit: 10 });
      expect(page.items.map((s) => s.id).sort()).toEqual([busy.id, 'unused'].sort());
      expect((await store.list({ limit: 10, status: 'succeeded' })).items).toEqual([]);
      expect(await store.listUnfinished()).toEqual([busy.id, 'unused']);
      // The expired workflow is gone for writers too, and its idempotency key is free again.
      const late = nextVersion(doneNow, 'succeeded');
      expect(await store.saveMany([late])).toEqual({ conflicts: [done.id] });
      const again = makeRecord();
      expect(await store.create(again, 'retained-key')).toEqual({ id: again.id, created: true });
    });

    it('keeps finished workflows forever when no retention is set', async () => {
      const store = await open();
      const [record] = await createAll(store, 1);
      await move(store, record, 'succeeded');
      await sleep(300);
      expect(await store.getStatus(record.id)).toMatchObject({ status: 'succeeded' });
    });

    listingContract(open);
    eventsContract(open);
    countsContract(open);
  });
}
