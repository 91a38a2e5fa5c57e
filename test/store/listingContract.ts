import { it, expect } from 'vitest';
import { MAX_NAME_FILTER_LENGTH } from '../../shared/api.ts';
import type { WorkflowState } from '../../shared/status.ts';
import type { WorkflowRecord } from '../../server/store/WorkflowStore.ts';
import { makeRecord } from './fixtures.ts';
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

  it('filters by name: the names that contain the text, ignoring case; alone and with a status', async () => {
    const store = await open();
    const names = ['Nightly-ETL', 'report', 'etl_backfill', 'ÉTÉ summer', 'a.b(c)[d]%e', 'ＥＴＬ full-width', 'daily report'];
    const records: WorkflowRecord[] = [];
    for (const name of names) {
      const record = makeRecord({ name });
      await store.create(record);
      records.push(record);
    }
    const [nightly, report, backfill, summer, punct, wide, daily] = records;
    const listed = async (options: { name: string; status?: WorkflowState }) => (await store.list({ limit: 10, ...options })).items.map((s) => s.name);
    expect(await listed({ name: 'etl' })).toEqual([wide.status.name, backfill.status.name, nightly.status.name]);
    expect(await listed({ name: 'ETL' })).toEqual(await listed({ name: 'etl' }));
    expect(await listed({ name: 'nightly-etl' })).toEqual([nightly.status.name]);
    expect(await listed({ name: 'nightly etl' })).toEqual([]);
    expect(await listed({ name: 'REPORT' })).toEqual([daily.status.name, report.status.name]);
    // Unicode lower case, not ASCII only.
    expect(await listed({ name: 'été' })).toEqual([summer.status.name]);
    // Plain text: no character is a pattern ('.', '%', '(' and '[' match only themselves).
    for (const text of ['.', '%', '(c)', '[d]', 'a.b(c)[d]%e']) expect(await listed({ name: text }), text).toEqual([punct.status.name]);
    expect(await listed({ name: '.*' })).toEqual([]);
    // Empty matches every name.
    expect(await listed({ name: '' })).toHaveLength(names.length);
    // With a status, both apply; the status filter follows saves.
    await move(store, nightly, 'running');
    await move(store, report, 'running');
    expect(await listed({ name: 'etl', status: 'running' })).toEqual([nightly.status.name]);
    expect(await listed({ name: 'etl', status: 'pending' })).toEqual([wide.status.name, backfill.status.name]);
    expect(await listed({ name: 'summer', status: 'running' })).toEqual([]);
  });

  it('pages through a name filter, alone and with a status, with no gaps or duplicates', async () => {
    const store = await open();
    const records: WorkflowRecord[] = [];
    for (let i = 0; i < 23; i++) {
      const record = makeRecord({ name: i % 3 === 0 ? `Import_${i}` : `export_${i}` });
      await store.create(record);
      records.push(record);
    }
    for (const r of records.filter((_, i) => i % 2 === 0)) await move(store, r, 'running');
    const walk = async (options: { name: string; status?: WorkflowState }) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.list({ limit: 2, cursor, ...options });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((s) => s.id));
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined && ++pages < 100);
      return seen;
    };
    const imports = records.filter((_, i) => i % 3 === 0);
    expect(await walk({ name: 'IMPORT' })).toEqual(imports.map((r) => r.id).reverse());
    const runningImports = records.filter((_, i) => i % 3 === 0 && i % 2 === 0);
    expect(await walk({ name: 'import', status: 'running' })).toEqual(runningImports.map((r) => r.id).reverse());
    expect(await walk({ name: 'no such name' })).toEqual([]);
  });

  it('finds a rare name within the scan budget: short pages whose cursor resumes where the budget stopped', async () => {
    const store = await open({ listScanBudget: 3 });
    const records: WorkflowRecord[] = [];
    for (let i = 0; i < 30; i++) {
      const record = makeRecord({ name: i === 2 || i === 17 || i === 18 ? `Rare_${i}` : `common_${i}` });
      await store.create(record);
      records.push(record);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let calls = 0;
    let shortPagesWithMore = 0;
    do {
      const page = await store.list({ limit: 2, cursor, name: 'RARE' });
      calls++;
      if (page.items.length < 2 && page.next_cursor !== null) shortPagesWithMore++;
      seen.push(...page.items.map((s) => s.id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined && calls < 100);
    expect(seen).toEqual([records[18].id, records[17].id, records[2].id]);
    // Each call examined at most limit + budget = 5 entries: 30 entries took at least 6 calls.
    expect(calls).toBeGreaterThanOrEqual(6);
    expect(shortPagesWithMore).toBeGreaterThan(0);
    // Unfiltered pages fill up as before: the budget is spent only on entries not listed.
    expect((await store.list({ limit: 20 })).items).toHaveLength(20);
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
    // A name filter is bounded (MAX_NAME_FILTER_LENGTH) and Unicode text.
    expect((await store.list({ limit: 10, name: 'w'.repeat(MAX_NAME_FILTER_LENGTH) })).items).toEqual([]);
    for (const name of ['w'.repeat(MAX_NAME_FILTER_LENGTH + 1), 'half \ud800 a pair', 42 as unknown as string]) {
      expect(await rejectionCode(store.list({ limit: 10, name }))).toBe('BAD_REQUEST');
    }
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
