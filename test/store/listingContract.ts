import { it, expect } from 'vitest';
import type { WorkflowState } from '../../shared/status.ts';
import { createAll, move, rejectionCode, type OpenStore } from './storeTestKit.ts';

/** The listing half of the store contract: order, pages, filters, cursors, resume list. */
export function listingContract(open: OpenStore): void {
  it('lists newest first', async () => {
    const store = await open();
    expect(await store.list({ limit: 10 })).toEqual({ items: [], next_cursor: null });
    const records = await createAll(store, 5);
    const page = await store.list({ limit: 10 });
    expect(page.items.map((s) => s.id)).toEqual(records.map((r) => r.id).reverse());
    expect(page.items[0]).toEqual(records[4].status);
    expect(page.next_cursor).toBeNull();
  });

  it('pages through everything with no duplicates and no gaps, even while workflows are added', async () => {
    const store = await open();
    const records = await createAll(store, 25);
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.list({ limit: 10, cursor });
      seen.push(...page.items.map((s) => s.id));
      sizes.push(page.items.length);
      cursor = page.next_cursor ?? undefined;
      // Newer workflows land before the first page, never inside later ones.
      if (pages++ === 0) await createAll(store, 3);
    } while (cursor !== undefined);
    expect(sizes).toEqual([10, 10, 5]);
    expect(seen).toEqual(records.map((r) => r.id).reverse());
    // A page that ends exactly at the last item says so.
    const exact = await store.list({ limit: 28 });
    expect(exact.items).toHaveLength(28);
    expect(exact.next_cursor).toBeNull();
  });

  it('filters by status, and the filter follows every save', async () => {
    const store = await open();
    const [a, b, c, d] = await createAll(store, 4);
    const ids = async (status: WorkflowState, limit = 10) => (await store.list({ limit, status })).items.map((s) => s.id);
    const aRunning = await move(store, a, 'running');
    await move(store, c, 'running');
    await move(store, d, 'succeeded');
    expect(await ids('running')).toEqual([c.id, a.id]);
    expect(await ids('pending')).toEqual([b.id]);
    expect(await ids('succeeded')).toEqual([d.id]);
    await move(store, aRunning, 'failed');
    expect(await ids('running')).toEqual([c.id]);
    expect(await ids('failed')).toEqual([a.id]);
    expect(await ids('cancelled')).toEqual([]);
    // Unfiltered order is creation order, whatever the states.
    expect((await store.list({ limit: 10 })).items.map((s) => s.id)).toEqual([d.id, c.id, b.id, a.id]);
    const first = await store.list({ limit: 1, status: 'running' });
    expect(first.next_cursor).toBeNull();
  });

  it('pages through a status filter', async () => {
    const store = await open();
    const records = await createAll(store, 9);
    const running = records.filter((_, i) => i % 2 === 0);
    for (const r of running) await move(store, r, 'running');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list({ limit: 2, status: 'running', cursor });
      seen.push(...page.items.map((s) => s.id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined);
    expect(seen).toEqual(running.map((r) => r.id).reverse());
  });

  it('rejects a malformed cursor, limit or status with BAD_REQUEST', async () => {
    const store = await open();
    await createAll(store, 2);
    for (const cursor of ['abc', '-1', '0', '1.5', '', ' 1', '1e3', '99999999999999999999', 'x'.repeat(100)]) {
      expect(await rejectionCode(store.list({ limit: 10, cursor }))).toBe('BAD_REQUEST');
    }
    for (const limit of [0, -1, 1.5, Number.NaN, 1e9]) {
      expect(await rejectionCode(store.list({ limit }))).toBe('BAD_REQUEST');
    }
    expect(await rejectionCode(store.list({ limit: 10, status: 'bogus' as WorkflowState }))).toBe('BAD_REQUEST');
  });

  it('lists unfinished workflows (pending and running) oldest first', async () => {
    const store = await open();
    expect(await store.listUnfinished()).toEqual([]);
    const [a, b, c, d] = await createAll(store, 4);
    await move(store, b, 'running');
    await move(store, c, 'succeeded');
    await move(store, d, 'cancelled');
    const [e] = await createAll(store, 1);
    await move(store, a, 'running');
    expect(await store.listUnfinished()).toEqual([a.id, b.id, e.id]);
  });

}
