import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../server/store/MemoryStore.ts';
import { LANE_SIZE } from '../../../server/engine/machine/laneMachine.ts';
import { startEngine, waitFor, waitForEnd, type Seen } from '../../helpers/engine.ts';

const WIDE = LANE_SIZE * 3 + 5; // spans four lanes, the last one partly filled
const IN_THIRD_LANE = LANE_SIZE * 2 + 6;

/** A parallel step of WIDE tasks built by `task(i)`. */
const wide = (task: (i: number) => Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name: 'wide',
  steps: [
    { execution_type: 'parallel', tasks: Array.from({ length: WIDE }, (_, i) => ({ id: `w${i}`, ...task(i) })), ...extra },
    { execution_type: 'sequential', tasks: [{ id: 'after', name: 'record' }] },
  ],
});

// Parallel steps wider than a lane host their task actors in lanes: same semantics as narrow ones.
describe('engine: wide parallel steps (hosted in lanes)', () => {
  it('runs every task once, all at once, and passes all outputs on', async () => {
    const { engine, seen } = await startEngine();
    const wf = await engine.create(wide((i) => ({ name: 'record', params: { ms: 30, value: i } })));
    const done = await waitForEnd(engine, wf.id);
    expect(done.status).toBe('succeeded');
    const tasks = done.steps[0].tasks;
    expect(tasks.every((t) => t.status === 'succeeded' && t.attempts === 1)).toBe(true);
    expect(tasks.map((t) => t.output)).toEqual(Array.from({ length: WIDE }, (_, i) => i));
    const lastStart = Math.max(...tasks.map((t) => Date.parse(t.started_at!)));
    const firstEnd = Math.min(...tasks.map((t) => Date.parse(t.finished_at!)));
    expect(lastStart).toBeLessThanOrEqual(firstEnd);
    expect(Object.keys(seen.get('after')![0].upstream)).toHaveLength(WIDE);
  });

  it('retries, records optional failures, and fails the step after all finish', async () => {
    const { engine } = await startEngine();
    const wf = await engine.create(
      wide((i) =>
        i === 40
          ? { name: 'fail', params: { message: 'lane failure' } }
          : i % 10 === 0
            ? { name: 'fail', params: { times: 1, retry_count: 1, retry_delay: 0.01 } }
            : i === IN_THIRD_LANE + 1
              ? { name: 'fail', optional: true }
              : { name: 'record', params: { ms: 20 } },
      ),
    );
    const done = await waitForEnd(engine, wf.id);
    expect(done.status).toBe('failed');
    expect(done.error).toContain('"w40"');
    const tasks = done.steps[0].tasks;
    expect(tasks[40]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(tasks[IN_THIRD_LANE + 1]).toMatchObject({ status: 'failed', optional: true });
    expect(tasks[30]).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(tasks.filter((t) => t.status === 'succeeded')).toHaveLength(WIDE - 2);
    expect(done.steps[1].tasks[0].status).toBe('skipped');
  });

  it('fail_fast cancels the running tasks of every lane', async () => {
    const { engine, seen } = await startEngine();
    const wf = await engine.create(wide((i) => (i === WIDE - 1 ? { name: 'fail' } : { name: 'record', params: { ms: 2000 } }), { fail_fast: true }));
    const done = await waitForEnd(engine, wf.id, 1500);
    expect(done.status).toBe('failed');
    expect(done.steps[0].tasks.filter((t) => t.status === 'cancelled')).toHaveLength(WIDE - 1);
    expect(seen.get('w0')![0].aborted).toBe(true);
    expect(seen.get(`w${IN_THIRD_LANE}`)![0].aborted).toBe(true);
  });

  it('resumes a wide step after a stop: running tasks run again, finished ones do not', async () => {
    const store = createMemoryStore();
    const seen: Seen = new Map();
    const first = await startEngine({ store, seen });
    const wf = await first.engine.create(wide((i) => ({ name: 'record', params: { ms: i % 2 === 0 ? 0 : 400 } })));
    await waitFor(first.engine, wf.id, (s) => s.steps[0].tasks.filter((t) => t.status === 'succeeded').length === Math.ceil(WIDE / 2));
    await first.engine.stop({ graceMs: 0 });

    const second = await startEngine({ store, seen });
    const done = await waitForEnd(second.engine, wf.id);
    expect(done.status).toBe('succeeded');
    done.steps[0].tasks.forEach((t, i) => expect(t.attempts).toBe(i % 2 === 0 ? 1 : 2));
    expect(seen.get('w1')!.map((e) => e.attempt)).toEqual([1, 2]);
    expect(seen.get('w0')!.length).toBe(1);
  });

  it('resumes a retry from the status when the stored snapshot is of another format (other lane widths)', async () => {
    const store = createMemoryStore();
    const first = await startEngine({ store });
    const flaky = LANE_SIZE * 2 + 1;
    const wf = await first.engine.create(
      wide((i) => (i === flaky ? { name: 'fail', params: { times: 1, retry_count: 1, retry_delay: 0.3 } } : { name: 'record' })),
    );
    await waitFor(first.engine, wf.id, (s) => s.steps[0].tasks[flaky].status === 'retrying');
    await first.engine.stop({ graceMs: 0 });

    // As if stored by an engine whose lanes were 8 wide: the format differs and no lane of ours is named.
    const record = (await store.get(wf.id))!;
    const snapshot = record.snapshot as { machine: string; children: Record<string, unknown> };
    expect(Object.keys(snapshot.children)).toContain('step1_lane3');
    snapshot.machine = snapshot.machine.replace(`lanes=${LANE_SIZE}`, 'lanes=8');
    snapshot.children = { step1_lane5: {} };
    const { definition: _definition, ...saved } = record;
    expect(await store.saveMany([{ ...saved, snapshot, version: record.version + 1 }])).toEqual({ conflicts: [] });

    const second = await startEngine({ store });
    const done = await waitForEnd(second.engine, wf.id);
    expect(done.status).toBe('succeeded');
    expect(done.steps[0].tasks[flaky]).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('tells watchers and the store of each success in a lane while the step still runs', async () => {
    const store = createMemoryStore();
    const { engine } = await startEngine({ store });
    // Even tasks end at once, odd ones after 300 ms: half the step succeeds while it still runs.
    const wf = await engine.create(wide((i) => ({ name: 'record', params: { ms: i % 2 === 0 ? 0 : 300 } })));
    const told: number[] = [];
    engine.subscribe(wf.id, (s) => told.push(s.steps[0].tasks.filter((t) => t.status === 'succeeded').length));
    const half = Math.ceil(WIDE / 2);
    await waitFor(engine, wf.id, (s) => s.steps[0].tasks.filter((t) => t.status === 'succeeded').length === half);
    await engine.flushed();
    const stored = (await store.getStatus(wf.id))!;
    expect(stored.steps[0].status).toBe('running');
    expect(stored.steps[0].tasks.filter((t) => t.status === 'succeeded')).toHaveLength(half);
    const done = await waitForEnd(engine, wf.id);
    expect(done.status).toBe('succeeded');
    expect(told).toContain(half);
    expect(told.at(-1)).toBe(WIDE);
  });
});
