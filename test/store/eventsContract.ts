import { expect, it } from 'vitest';
import type { WorkflowEvent } from '../../shared/events.ts';
import type { WorkflowStatus } from '../../shared/status.ts';
import { makeRecord, nextVersion } from './fixtures.ts';
import { sleep, type OpenStore } from './storeTestKit.ts';

const at = '2026-01-01T00:00:00.000Z';
const event = (id: number, type: WorkflowEvent['type'] = 'task.started'): WorkflowEvent => ({ id, at, type, step: 0, task: 'a', attempt: 1 });

/** The history part of the store contract: append with the state, skip what is stored, page, cap, expire. */
export function eventsContract(open: OpenStore): void {
  it('appends events with the write that carries them, skips ids it has, and pages oldest first', async () => {
    const store = await open();
    const record = makeRecord();
    await store.create({ ...record, events: [event(1, 'workflow.created')] });
    expect((await store.get(record.id))!.lastEventId).toBe(1);
    const v2 = nextVersion(record, 'running');
    expect(await store.saveMany([{ ...v2, events: [event(2, 'workflow.started'), event(3)] }])).toEqual({ conflicts: [] });
    // A later write re-sends 3 (its answer was lost, say) and adds 4 and 5: 3 is not stored twice.
    const v3 = nextVersion(v2, 'running');
    await store.saveMany([{ ...v3, events: [event(3), event(4, 'task.succeeded'), event(5, 'workflow.succeeded')] }]);
    // A conflicting write appends nothing.
    expect(await store.saveMany([{ ...nextVersion(v2, 'failed'), events: [event(6, 'workflow.failed')] }])).toEqual({ conflicts: [record.id] });

    const all = await store.events(record.id, 0, 100);
    expect(all!.items.map((e) => [e.id, e.type])).toEqual([
      [1, 'workflow.created'],
      [2, 'workflow.started'],
      [3, 'task.started'],
      [4, 'task.succeeded'],
      [5, 'workflow.succeeded'],
    ]);
    expect(all!.items[2]).toEqual(event(3));
    expect(all!.next_cursor).toBeNull();
    const first = await store.events(record.id, 0, 2);
    expect(first!.items.map((e) => e.id)).toEqual([1, 2]);
    expect(first!.next_cursor).toBe('2');
    const rest = await store.events(record.id, Number(first!.next_cursor), 10);
    expect(rest!.items.map((e) => e.id)).toEqual([3, 4, 5]);
    expect(rest!.next_cursor).toBeNull();
    expect(await store.events(record.id, 5, 10)).toEqual({ items: [], next_cursor: null });
    expect(await store.events('no-such-workflow', 0, 10)).toBeNull();
    expect(await store.getStatusAt(record.id)).toEqual({ status: v3.status as WorkflowStatus, eventId: 5 });
    expect(await store.getStatusAt('no-such-workflow')).toBeNull();
  });

  it('keeps the newest maxEvents events of a workflow', async () => {
    const store = await open({ maxEvents: 10 });
    const record = makeRecord();
    await store.create({ ...record, events: [event(1, 'workflow.created')] });
    let current = record;
    for (let batch = 0; batch < 5; batch++) {
      current = nextVersion(current, 'running');
      await store.saveMany([{ ...current, events: Array.from({ length: 10 }, (_, i) => event(2 + batch * 10 + i)) }]);
    }
    const page = await store.events(record.id, 0, 100);
    expect(page!.items.map((e) => e.id)).toEqual(Array.from({ length: 10 }, (_, i) => 42 + i));
    expect((await store.get(record.id))!.lastEventId).toBe(51);
  });

  it('pages a long history brought by writes of many events, at any page size, before and after the cap trims it', async () => {
    const store = await open({ maxEvents: 100 });
    const record = makeRecord();
    await store.create({ ...record, events: [event(1, 'workflow.created')] });
    let current = record;
    let nextId = 2;
    const write = async (count: number) => {
      current = nextVersion(current, 'running');
      await store.saveMany([{ ...current, events: Array.from({ length: count }, () => event(nextId++)) }]);
    };
    const pages = async (after: number, limit: number) => {
      const ids: number[] = [];
      for (let cursor: number | null = after; cursor !== null; ) {
        const page = await store.events(record.id, cursor, limit);
        ids.push(...page!.items.map((e) => e.id));
        cursor = page!.next_cursor === null ? null : Number(page!.next_cursor);
      }
      return ids;
    };
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    for (const count of [150, 150, 150, 1]) await write(count);
    expect(await pages(0, 7)).toEqual(range(353, 452));
    expect(await pages(0, 1000)).toEqual(range(353, 452));
    expect(await pages(400, 30)).toEqual(range(401, 452));
    await write(1000);
    expect(await pages(0, 7)).toEqual(range(1353, 1452));
    expect(await pages(1399, 64)).toEqual(range(1400, 1452));
    expect((await store.events(record.id, 1420, 5))!.items.map((e) => e.id)).toEqual(range(1421, 1425));
    expect((await store.get(record.id))!.lastEventId).toBe(1452);
  });

  it('marks a cancel request on the record for whoever runs it next', async () => {
    const store = await open();
    const record = makeRecord();
    await store.create(record);
    expect((await store.get(record.id))!.cancelRequested).toBeUndefined();
    await store.requestCancel(record.id);
    expect((await store.get(record.id))!.cancelRequested).toBe(true);
    // A request for an unknown id creates nothing.
    await store.requestCancel('no-such-workflow');
    expect(await store.get('no-such-workflow')).toBeNull();
  });

  it('lets the history expire with its finished workflow', async () => {
    const store = await open({ retentionSeconds: 0.3 });
    const record = makeRecord();
    await store.create({ ...record, events: [event(1, 'workflow.created')] });
    await store.saveMany([{ ...nextVersion(record, 'succeeded'), events: [event(2, 'workflow.succeeded')] }]);
    expect((await store.events(record.id, 0, 10))!.items).toHaveLength(2);
    await sleep(700);
    expect(await store.events(record.id, 0, 10)).toBeNull();
  });
}

/** The counts part of the store contract: one per state, from the listing indexes. */
export function countsContract(open: OpenStore): void {
  it('counts the workflows in each state', async () => {
    const store = await open();
    const a = makeRecord();
    const b = makeRecord();
    const c = makeRecord();
    for (const r of [a, b, c]) await store.create(r);
    await store.saveMany([nextVersion(a, 'running'), nextVersion(b, 'failed')]);
    expect(await store.counts()).toEqual({ pending: 1, running: 1, succeeded: 0, failed: 1, cancelled: 0 });
  });
}
