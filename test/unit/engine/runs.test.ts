import { describe, expect, it } from 'vitest';
import { oneStep, startEngine, waitForEnd } from '../../helpers/engine.ts';

const SAMPLE_NO_WAIT = {
  name: 'sample_workflow',
  steps: [
    { execution_type: 'sequential', tasks: [{ name: 'record', params: { timeout: 30 } }, { name: 'record', params: { retry_count: 3 } }] },
    { execution_type: 'parallel', tasks: [{ name: 'record', params: { priority: 'high' } }] },
  ],
};

describe('engine: running workflows', () => {
  it('runs the sample shape to success, steps in order, with stable unique task ids', async () => {
    const { engine } = await startEngine();
    const created = await engine.create(SAMPLE_NO_WAIT);
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    const done = await waitForEnd(engine, created.id);
    expect(done.status).toBe('succeeded');
    expect(done.error).toBeNull();
    expect(done.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded']);
    expect(done.steps.flatMap((s) => s.tasks.map((t) => t.id))).toEqual(['record', 'record_2', 'record_3']);
    for (const t of done.steps.flatMap((s) => s.tasks)) {
      expect(t.status).toBe('succeeded');
      expect(t.attempts).toBe(1);
      expect(Date.parse(t.finished_at!)).toBeGreaterThanOrEqual(Date.parse(t.started_at!));
    }
    expect(Date.parse(done.finished_at!)).toBeGreaterThanOrEqual(Date.parse(done.started_at!));
    expect(done.priority).toBe('high');
  });

  it('passes every finished task output downstream', async () => {
    const { engine, seen } = await startEngine();
    const wf = await engine.create({
      name: 'flow',
      steps: [
        { execution_type: 'sequential', tasks: [{ id: 'a', name: 'record', params: { value: 1 } }, { id: 'b', name: 'record', params: { value: 2 } }] },
        { execution_type: 'parallel', tasks: [{ id: 'c', name: 'record' }, { id: 'd', name: 'echo', params: { k: 'v' } }] },
      ],
    });
    const done = await waitForEnd(engine, wf.id);
    expect(seen.get('a')![0].upstream).toEqual({});
    expect(seen.get('b')![0].upstream).toEqual({ a: 1 });
    expect(seen.get('c')![0].upstream).toEqual({ a: 1, b: 2 });
    expect(done.steps[1].tasks[1].output).toEqual({ params: { k: 'v' }, upstream: { a: 1, b: 2 } });
  });

  it('runs a sequential step one task at a time and a parallel step all at once', async () => {
    const { engine } = await startEngine();
    const seq = await engine.create(oneStep('sequential', [{ name: 'sleep', params: { ms: 60 } }, { name: 'sleep', params: { ms: 60 } }]));
    const par = await engine.create(oneStep('parallel', [{ name: 'sleep', params: { ms: 60 } }, { name: 'sleep', params: { ms: 60 } }]));
    const [s, p] = await Promise.all([waitForEnd(engine, seq.id), waitForEnd(engine, par.id)]);
    const [s1, s2] = s.steps[0].tasks;
    expect(Date.parse(s2.started_at!)).toBeGreaterThanOrEqual(Date.parse(s1.finished_at!));
    const [p1, p2] = p.steps[0].tasks;
    expect(Date.parse(p2.started_at!)).toBeLessThan(Date.parse(p1.finished_at!));
  });

  it('retries a failing task retry_count times, each attempt numbered, with growing backoff', async () => {
    const { engine } = await startEngine();
    const wf = await engine.create(oneStep('sequential', [{ name: 'fail', params: { times: 2, retry_count: 2, retry_delay: 0.05 } }]));
    const seenStates: string[] = [];
    engine.subscribe(wf.id, (s) => seenStates.push(s.steps[0].tasks[0].status));
    const done = await waitForEnd(engine, wf.id);
    expect(done.status).toBe('succeeded');
    const task = done.steps[0].tasks[0];
    expect(task.attempts).toBe(3);
    expect(task.output).toEqual({ failed_attempts: 2, succeeded_on_attempt: 3 });
    expect(seenStates.filter((s) => s === 'retrying').length).toBe(2);
    // 50 ms then 100 ms of backoff
    expect(Date.parse(task.finished_at!) - Date.parse(task.started_at!)).toBeGreaterThanOrEqual(140);
  });

  it('fails after the retries are spent and says which task failed and why', async () => {
    const { engine } = await startEngine();
    const wf = await engine.create({
      name: 'f',
      steps: [
        { execution_type: 'sequential', tasks: [{ id: 'x', name: 'fail', params: { message: 'boom', retry_count: 1, retry_delay: 0.01 } }, { id: 'after', name: 'record' }] },
        { execution_type: 'parallel', tasks: [{ id: 'later', name: 'record' }] },
      ],
    });
    const done = await waitForEnd(engine, wf.id);
    expect(done.status).toBe('failed');
    expect(done.error).toContain('"x"');
    expect(done.error).toContain('boom');
    const [x, after] = done.steps[0].tasks;
    expect(x).toMatchObject({ status: 'failed', attempts: 2, error: 'boom' });
    expect(after.status).toBe('skipped');
    expect(done.steps[0].status).toBe('failed');
    expect(done.steps[1].status).toBe('skipped');
    expect(done.steps[1].tasks[0]).toMatchObject({ status: 'skipped', attempts: 0 });
  });

  it('does not spend retries on a NonRetryableError', async () => {
    const { engine } = await startEngine();
    const wf = await engine.create(oneStep('sequential', [{ name: 'fatal', params: { retry_count: 5, retry_delay: 0.01 } }]));
    const done = await waitForEnd(engine, wf.id);
    expect(done.steps[0].tasks[0]).toMatchObject({ status: 'failed', attempts: 1, error: 'bad credentials' });
  });

  it('aborts an attempt at its timeout and retries it', async () => {
    const { engine, seen } = await startEngine();
    const wf = await engine.create(oneStep('sequential', [{ id: 'slow', name: 'record', params: { ms: 500, timeout: 0.05, retry_count: 1, retry_delay: 0.01 } }]));
    const done = await waitForEnd(engine, wf.id);
    expect(done.status).toBe('failed');
    expect(done.steps[0].tasks[0]).toMatchObject({ status: 'failed', attempts: 2 });
    expect(done.steps[0].tasks[0].error).toContain('timed out');
    expect(seen.get('slow')!.map((e) => e.aborted)).toEqual([true, true]);
  });
});
