import { describe, expect, it } from 'vitest';
import type { WorkflowStatus } from '../../shared/status.ts';
import { locateJsonPath } from '../../client/dashboard/create/locateJsonPath.ts';
import { mergeWorkflows } from '../../client/dashboard/list/mergeWorkflows.ts';
import { readPages, type PageQuery } from '../../client/dashboard/list/readPages.ts';
import { buildTimeline } from '../../client/dashboard/workflow/timelineModel.ts';

function wf(id: string, created: string, status: WorkflowStatus['status'] = 'running'): WorkflowStatus {
  return { id, name: id, status, priority: 'normal', created_at: created, started_at: created, finished_at: null, error: null, steps: [] };
}

describe('locateJsonPath: a server-named field found in the text a person wrote', () => {
  const text = JSON.stringify({ name: 'x', steps: [{ execution_type: 'parallel', tasks: [{ name: 'a' }, { name: 'b', params: { timeout: -1 } }] }] }, null, 2);

  it('finds a nested key, with its line', () => {
    const span = locateJsonPath(text, 'steps.0.tasks.1.params.timeout')!;
    expect(text.slice(span.start, span.end)).toBe('"timeout": -1');
    expect(span.line).toBe(text.split('\n').findIndex((l) => l.includes('"timeout"')) + 1);
  });

  it('finds an array item, and a missing key points at the object that should hold it', () => {
    const item = locateJsonPath(text, 'steps.0.tasks.0')!;
    expect(JSON.parse(text.slice(item.start, item.end))).toEqual({ name: 'a' });
    const missing = locateJsonPath(text, 'steps.0.tasks.0.id')!;
    expect(text[missing.start]).toBe('{');
    expect(locateJsonPath(text, '(root)')).toMatchObject({ start: 0, line: 1 });
  });

  it('keys with escapes and strings with brackets do not confuse it', () => {
    const tricky = '{"a\\"b": "}]", "x": {"y": [1, "[", {"z": true}]}}';
    const span = locateJsonPath(tricky, 'x.y.2.z')!;
    expect(tricky.slice(span.start, span.end)).toBe('"z": true');
  });
});

describe('mergeWorkflows: fresh statuses folded into the loaded list', () => {
  const a = wf('a', '2026-01-01T00:00:03.000Z');
  const b = wf('b', '2026-01-01T00:00:02.000Z');
  const c = wf('c', '2026-01-01T00:00:01.000Z');

  it('returns the same array when nothing a row shows changed', () => {
    const loaded = [a, b];
    expect(mergeWorkflows(loaded, [{ ...a }, { ...b }])).toBe(loaded);
  });

  it('replaces changed ones, inserts new ones in creation order, drops removed ones', () => {
    const done = { ...b, status: 'succeeded' as const, finished_at: '2026-01-01T00:00:05.000Z' };
    const d = wf('d', '2026-01-01T00:00:04.000Z');
    const bc = wf('bc', '2026-01-01T00:00:01.500Z');
    const merged = mergeWorkflows([a, b, c], [done, d, bc], new Set(['a']));
    expect(merged.map((w) => w.id)).toEqual(['d', 'b', 'bc', 'c']);
    expect(merged[1]).toBe(done);
    expect(merged[3]).toBe(c);
  });
});

describe('buildTimeline: where the time went', () => {
  const status: WorkflowStatus = {
    ...wf('w', '2026-01-01T00:00:00.000Z', 'succeeded'),
    finished_at: '2026-01-01T00:00:05.000Z',
    steps: [
      {
        index: 0,
        execution_type: 'sequential',
        fail_fast: false,
        status: 'succeeded',
        tasks: [
          { id: 't', name: 'fail', params: {}, optional: false, status: 'succeeded', attempts: 2, error: null, started_at: '2026-01-01T00:00:00.000Z', finished_at: '2026-01-01T00:00:04.000Z' },
        ],
      },
    ],
  };
  const at = (s: number) => new Date(Date.parse('2026-01-01T00:00:00.000Z') + s * 1000).toISOString();

  it('from the history: a bar per attempt, the backoff between them, errors kept', () => {
    const events = [
      { at: at(0), type: 'task.started', task: 't', attempt: 1 },
      { at: at(1), type: 'task.retrying', task: 't', attempt: 1, error: 'boom', next_attempt_at: at(3) },
      { at: at(3.2), type: 'task.started', task: 't', attempt: 2 },
      { at: at(4), type: 'task.succeeded', task: 't', attempt: 2 },
    ];
    const tl = buildTimeline(status, Date.parse(at(10)), events);
    const row = tl.rows[0];
    expect(row.bars.map((b) => [b.attempt, b.outcome, b.end - b.start, b.error])).toEqual([
      [1, 'failed', 1000, 'boom'],
      [2, 'succeeded', 800, undefined],
    ]);
    // The wait runs until the attempt really started (3.2 s), not the announced 3 s.
    expect(row.gaps).toEqual([{ start: Date.parse(at(1)), end: Date.parse(at(3.2)) }]);
    expect([tl.start, tl.end]).toEqual([Date.parse(at(0)), Date.parse(at(5))]);
  });

  it('without the history: one bar per task from its first start to its end', () => {
    const row = buildTimeline(status, Date.parse(at(10))).rows[0];
    expect(row.bars).toEqual([{ attempt: 2, start: Date.parse(at(0)), end: Date.parse(at(4)), outcome: 'succeeded', open: false }]);
  });
});

describe('readPages: a page of the server\'s filtered list, following its cursor through short pages', () => {
  // A server whose every call examines 4 entries of a 20-entry store (w19 newest) and returns the matching ones.
  const store = Array.from({ length: 20 }, (_, i) => wf(`w${i}`, `2025-01-01T00:00:${String(i).padStart(2, '0')}Z`));
  const calls: Array<PageQuery & { limit: number }> = [];
  const list = async (options: PageQuery & { limit: number }) => {
    calls.push(options);
    const from = options.cursor === undefined ? 19 : Number(options.cursor) - 1;
    const items = [];
    let at = from;
    for (; at > from - 4 && at >= 0 && items.length < options.limit; at--) if (store[at].id.endsWith('3') || store[at].id.endsWith('7')) items.push(store[at]);
    return { items, next_cursor: at >= 0 ? String(at + 1) : null };
  };

  it('reads on until it has the page, passing the filters and shrinking the limit', async () => {
    calls.length = 0;
    const page = await readPages(list, { status: 'running', name: 'x' }, 3, 10);
    expect(page.items.map((w) => w.id)).toEqual(['w17', 'w13', 'w7']);
    expect(calls.every((c) => c.status === 'running' && c.name === 'x')).toBe(true);
    expect(calls.map((c) => c.limit)).toEqual([3, 2, 1, 1]);
    const rest = await readPages(list, { name: 'x', cursor: page.next_cursor! }, 3, 10);
    expect(rest).toEqual({ items: [store[3]], next_cursor: null });
  });

  it('stops after maxCalls with the cursor to go on from, even with nothing found', async () => {
    calls.length = 0;
    const page = await readPages(list, {}, 50, 1);
    expect(page.items.map((w) => w.id)).toEqual(['w17']);
    expect(page.next_cursor).toBe('16');
    expect(calls).toHaveLength(1);
  });
});
