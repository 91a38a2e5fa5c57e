import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../server/store/MemoryStore.ts';
import { oneStep, startEngine, waitFor, waitForEnd, type Seen } from '../../helpers/engine.ts';

describe('engine: resume from the store', () => {
  it('runs a task that was running at shutdown again, as a new attempt', async () => {
    const store = createMemoryStore();
    const seen: Seen = new Map();
    const first = await startEngine({ store, seen });
    const wf = await first.engine.create({
      name: 'r',
      steps: [
        { execution_type: 'sequential', tasks: [{ id: 'a', name: 'record', params: { value: 'A' } }, { id: 'b', name: 'record', params: { ms: 200 } }] },
        { execution_type: 'parallel', tasks: [{ id: 'c', name: 'record' }] },
      ],
    });
    await waitFor(first.engine, wf.id, (s) => s.steps[0].tasks[1].status === 'running');
    await first.engine.stop({ graceMs: 0 });
    const stored = await store.getStatus(wf.id);
    expect(stored!.status).toBe('running');
    expect(stored!.steps[0].tasks[1]).toMatchObject({ status: 'running', attempts: 1 });

    const second = await startEngine({ store, seen });
    const done = await waitForEnd(second.engine, wf.id);
    expect(done.status).toBe('succeeded');
    expect(done.steps[0].tasks.map((t) => t.attempts)).toEqual([1, 2]);
    expect(seen.get('a')!.length).toBe(1);
    expect(seen.get('b')!.map((e) => e.attempt)).toEqual([1, 2]);
    expect(seen.get('c')![0].upstream).toMatchObject({ a: 'A' });
  });

  it('keeps a retry backoff deadline across a restart', async () => {
    const store = createMemoryStore();
    const first = await startEngine({ store });
    const wf = await first.engine.create(oneStep('sequential', [{ name: 'fail', params: { times: 1, retry_count: 1, retry_delay: 0.3 } }]));
    const retrying = await waitFor(first.engine, wf.id, (s) => s.steps[0].tasks[0].status === 'retrying');
    const deadline = Date.parse(retrying.steps[0].tasks[0].next_attempt_at!);
    await first.engine.stop({ graceMs: 0 });
    expect((await store.getStatus(wf.id))!.steps[0].tasks[0].status).toBe('retrying');

    const second = await startEngine({ store });
    const done = await waitForEnd(second.engine, wf.id);
    expect(done.status).toBe('succeeded');
    const task = done.steps[0].tasks[0];
    expect(task.attempts).toBe(2);
    expect(Date.parse(task.finished_at!)).toBeGreaterThanOrEqual(deadline - 5);
  });

  it('starts workflows that were still queued', async () => {
    const store = createMemoryStore();
    const first = await startEngine({ store, maxConcurrentWorkflows: 1 });
    const blocker = await first.engine.create(oneStep('sequential', [{ name: 'sleep', params: { ms: 1000 } }]));
    const queued = await first.engine.create(oneStep('sequential', [{ name: 'record' }]));
    expect(queued.status).toBe('pending');
    await waitFor(first.engine, blocker.id, (s) => s.status === 'running');
    await first.engine.stop({ graceMs: 0 });

    const second = await startEngine({ store, maxConcurrentWorkflows: 5 });
    const [b, q] = await Promise.all([waitForEnd(second.engine, blocker.id), waitForEnd(second.engine, queued.id)]);
    expect(b.status).toBe('succeeded');
    expect(b.steps[0].tasks[0].attempts).toBe(2);
    expect(q.status).toBe('succeeded');
    expect(q.steps[0].tasks[0].attempts).toBe(1);
  });

  it('refuses new workflows while stopping and lets running ones finish within the grace period', async () => {
    const { engine, store } = await startEngine();
    const wf = await engine.create(oneStep('sequential', [{ name: 'sleep', params: { ms: 100 } }]));
    await waitFor(engine, wf.id, (s) => s.status === 'running');
    const stopping = engine.stop({ graceMs: 2000 });
    await expect(engine.create(oneStep('sequential', [{ name: 'echo' }]))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await stopping;
    expect((await store.getStatus(wf.id))!.status).toBe('succeeded');
  });
});
