import { describe, expect, it } from 'vitest';
import { oneStep, startEngine, waitFor, waitForEnd } from '../../helpers/engine.ts';

describe('engine: failure policies', () => {
  it('a parallel step lets every task finish by default, then fails', async () => {
    const { engine, seen } = await startEngine();
    const wf = await engine.create(oneStep('parallel', [{ id: 'bad', name: 'fail' }, { id: 'slow', name: 'record', params: { ms: 100 } }]));
    const done = await waitForEnd(engine, wf.id);
    expect(done.status).toBe('failed');
    expect(done.steps[0].tasks.map((t) => t.status)).toEqual(['failed', 'succeeded']);
    expect(seen.get('slow')![0].aborted).toBe(false);
  });

  it('fail_fast cancels running siblings at the first failure', async () => {
    const { engine, seen } = await startEngine();
    const wf = await engine.create(oneStep('parallel', [{ id: 'bad', name: 'fail' }, { id: 'slow', name: 'record', params: { ms: 300 } }], { fail_fast: true }));
    const done = await waitForEnd(engine, wf.id);
    expect(done.status).toBe('failed');
    expect(done.steps[0].tasks.map((t) => t.status)).toEqual(['failed', 'cancelled']);
    expect(seen.get('slow')![0].aborted).toBe(true);
    expect(Date.parse(done.finished_at!) - Date.parse(done.started_at!)).toBeLessThan(250);
  });

  it('an optional task records its failure without failing the step', async () => {
    const { engine } = await startEngine();
    const wf = await engine.create({
      name: 'o',
      steps: [
        { execution_type: 'sequential', tasks: [{ id: 'opt', name: 'fail', optional: true }, { id: 'next', name: 'record' }] },
        { execution_type: 'parallel', tasks: [{ id: 'popt', name: 'fail', optional: true }, { id: 'p', name: 'record' }] },
      ],
    });
    const done = await waitForEnd(engine, wf.id);
    expect(done.status).toBe('succeeded');
    expect(done.steps.flatMap((s) => s.tasks.map((t) => t.status))).toEqual(['failed', 'succeeded', 'failed', 'succeeded']);
    expect(done.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('cancel stops running tasks, cancels them and skips the rest', async () => {
    const { engine, seen } = await startEngine();
    const wf = await engine.create({
      name: 'c',
      steps: [
        { execution_type: 'parallel', tasks: [{ id: 'long', name: 'record', params: { ms: 5000 } }, { id: 'quick', name: 'record' }] },
        { execution_type: 'sequential', tasks: [{ id: 'never', name: 'record' }] },
      ],
    });
    await waitFor(engine, wf.id, (s) => s.steps[0].tasks[1].status === 'succeeded');
    await engine.cancel(wf.id);
    const done = await waitForEnd(engine, wf.id, 1000);
    expect(done.status).toBe('cancelled');
    expect(done.steps[0].tasks.map((t) => t.status)).toEqual(['cancelled', 'succeeded']);
    expect(done.steps.map((s) => s.status)).toEqual(['cancelled', 'skipped']);
    expect(done.steps[1].tasks[0].status).toBe('skipped');
    expect(seen.get('long')![0].aborted).toBe(true);
    // Cancelling a finished workflow changes nothing.
    expect((await engine.cancel(wf.id)).status).toBe('cancelled');
  });

  it('cancel during a retry backoff ends the workflow at once', async () => {
    const { engine } = await startEngine();
    const wf = await engine.create(oneStep('sequential', [{ name: 'fail', params: { retry_count: 3, retry_delay: 10 } }]));
    const retrying = await waitFor(engine, wf.id, (s) => s.steps[0].tasks[0].status === 'retrying');
    expect(Date.parse(retrying.steps[0].tasks[0].next_attempt_at!)).toBeGreaterThan(Date.now() + 5000);
    await engine.cancel(wf.id);
    const done = await waitForEnd(engine, wf.id, 1000);
    expect(done.steps[0].tasks[0]).toMatchObject({ status: 'cancelled', attempts: 1 });
  });
});
