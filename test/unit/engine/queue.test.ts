import { describe, expect, it } from 'vitest';
import { oneStep, startEngine, waitFor, waitForEnd } from '../../helpers/engine.ts';

describe('engine: concurrency queue', () => {
  it('keeps workflows beyond MAX_CONCURRENT_WORKFLOWS pending, then starts high before normal before low, FIFO within each', async () => {
    const { engine } = await startEngine({ maxConcurrentWorkflows: 1 });
    const blocker = await engine.create(oneStep('sequential', [{ name: 'sleep', params: { ms: 150 } }]));
    const make = (label: string, priority?: string) =>
      engine.create({ name: label, ...(priority ? { priority } : {}), steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep', params: { ms: 5 } }] }] });
    const low = await make('low', 'low');
    const normal1 = await make('normal1');
    const high = await make('high', 'high');
    const normal2 = await make('normal2');
    // priority can also come from a task's params
    const taskHigh = await engine.create({ name: 'taskHigh', steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep', params: { ms: 5, priority: 'high' } }] }] });

    for (const wf of [low, normal1, high, normal2, taskHigh]) {
      expect(wf.status).toBe('pending');
      expect((await engine.get(wf.id)).status).toBe('pending');
    }
    const all = [blocker, low, normal1, high, normal2, taskHigh];
    const ended = await Promise.all(all.map((wf) => waitForEnd(engine, wf.id)));
    const order = ended
      .slice(1)
      .sort((a, b) => Date.parse(a.started_at!) - Date.parse(b.started_at!) || 0)
      .map((s) => s.name);
    expect(order).toEqual(['high', 'taskHigh', 'normal1', 'normal2', 'low']);
    // never more than one running at a time
    const spans = ended.map((s) => [Date.parse(s.started_at!), Date.parse(s.finished_at!)] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
  });

  it('reports running, queued and unsaved counts', async () => {
    const { engine } = await startEngine({ maxConcurrentWorkflows: 1 });
    const a = await engine.create(oneStep('sequential', [{ name: 'sleep', params: { ms: 100 } }]));
    const b = await engine.create(oneStep('sequential', [{ name: 'sleep', params: { ms: 1 } }]));
    // Create answers before launching (issue 13): both wait until the next turn.
    expect(engine.stats()).toMatchObject({ running: 0, queued: 2 });
    await new Promise((r) => setImmediate(r));
    expect(engine.stats()).toMatchObject({ running: 1, queued: 1 });
    await Promise.all([waitForEnd(engine, a.id), waitForEnd(engine, b.id)]);
    await engine.flushed();
    expect(engine.stats()).toEqual({ running: 0, queued: 0, unsaved: 0 });
  });

  it('cancels a queued workflow without running it', async () => {
    const { engine } = await startEngine({ maxConcurrentWorkflows: 1 });
    const blocker = await engine.create(oneStep('sequential', [{ name: 'sleep', params: { ms: 100 } }]));
    const queued = await engine.create(oneStep('sequential', [{ name: 'record' }]));
    const cancelled = await engine.cancel(queued.id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.steps[0].tasks[0].status).toBe('skipped');
    await waitForEnd(engine, blocker.id);
    await engine.flushed();
    const after = await engine.get(queued.id);
    expect(after.status).toBe('cancelled');
    expect(after.steps[0].tasks[0].attempts).toBe(0);
  });

  it('returns the first workflow when an idempotency key is reused', async () => {
    const { engine } = await startEngine();
    const def = { ...oneStep('sequential', [{ name: 'record' }]), idempotency_key: 'order-42' };
    const first = await engine.create(def);
    const second = await engine.create(def);
    expect(second.id).toBe(first.id);
    await waitForEnd(engine, first.id);
    const page = await engine.list({ limit: 10 });
    expect(page.items.map((s) => s.id)).toEqual([first.id]);
  });

  it('lists newest first with the live status of running workflows', async () => {
    const { engine } = await startEngine();
    const a = await engine.create(oneStep('sequential', [{ name: 'sleep', params: { ms: 5 } }]));
    const b = await engine.create(oneStep('sequential', [{ name: 'sleep', params: { ms: 10_000 } }]));
    await waitForEnd(engine, a.id);
    await waitFor(engine, b.id, (s) => s.status === 'running');
    // The store's status index follows the engine within a tick; a filtered list reads the index.
    await engine.flushed();
    const page = await engine.list({ limit: 10 });
    expect(page.items.map((s) => [s.id, s.status])).toEqual([
      [b.id, 'running'],
      [a.id, 'succeeded'],
    ]);
    const running = await engine.list({ limit: 10, status: 'running' });
    expect(running.items.map((s) => s.id)).toEqual([b.id]);
    await engine.cancel(b.id);
  });
});
