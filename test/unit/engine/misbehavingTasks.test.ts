import { describe, expect, it } from 'vitest';
import { oneStep, startEngine, waitForEnd, waitFor } from '../../helpers/engine.ts';

// Issue 5, item 6: a task that misbehaves ends as a clear task failure, never a stuck workflow.
describe('engine: misbehaving tasks', () => {
  it('a task that throws a non-Error fails with its text', async () => {
    const { engine } = await startEngine();
    const wf = await engine.create(oneStep('sequential', [{ name: 'throw_string' }]));
    const done = await waitForEnd(engine, wf.id);
    expect(done.steps[0].tasks[0]).toMatchObject({ status: 'failed', error: 'plain string failure' });
  });

  it('a task that returns a value JSON cannot hold fails', async () => {
    const { engine } = await startEngine();
    const wf = await engine.create(oneStep('sequential', [{ name: 'non_json' }]));
    const done = await waitForEnd(engine, wf.id);
    expect(done.status).toBe('failed');
    expect(done.steps[0].tasks[0].error).toContain('JSON');
  });

  it('a task that never settles and ignores its signal ends at its timeout', async () => {
    const { engine } = await startEngine();
    const wf = await engine.create(oneStep('sequential', [{ name: 'hang', params: { timeout: 0.05, retry_count: 1, retry_delay: 0.01 } }]));
    const done = await waitForEnd(engine, wf.id, 2000);
    expect(done.steps[0].tasks[0]).toMatchObject({ status: 'failed', attempts: 2 });
    expect(done.steps[0].tasks[0].error).toContain('timed out');
  });

  it('a task that blocks the event loop past its timeout fails as timed out; within it, succeeds', async () => {
    const { engine } = await startEngine();
    const slow = await engine.create(oneStep('sequential', [{ name: 'block', params: { ms: 120, timeout: 0.05 } }]));
    const fine = await engine.create(oneStep('sequential', [{ name: 'block', params: { ms: 10, timeout: 5 } }]));
    const [s, f] = await Promise.all([waitForEnd(engine, slow.id), waitForEnd(engine, fine.id)]);
    expect(s.steps[0].tasks[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(s.steps[0].tasks[0].error).toContain('timed out');
    expect(f.steps[0].tasks[0]).toMatchObject({ status: 'succeeded', output: { blocked_ms: 10 } });
  });

  it('a task that never settles can still be cancelled', async () => {
    const { engine } = await startEngine();
    const wf = await engine.create(oneStep('parallel', [{ name: 'hang' }, { name: 'hang' }]));
    await waitFor(engine, wf.id, (s) => s.steps[0].tasks.every((t) => t.status === 'running'));
    await engine.cancel(wf.id);
    const done = await waitForEnd(engine, wf.id, 1000);
    expect(done.steps[0].tasks.map((t) => t.status)).toEqual(['cancelled', 'cancelled']);
  });
});
