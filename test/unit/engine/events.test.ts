import { describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../../shared/events.ts';
import { oneStep, startEngine, waitFor, waitForEnd } from '../../helpers/engine.ts';

const brief = (events: WorkflowEvent[]) => events.map((e) => `${e.type}${e.task ? ` ${e.task}#${e.attempt}` : ''}`);

// Issue 9: every change of a workflow is one event of its history; watch ids are event ids.
describe('event history (memory store)', () => {
  it('records each change once, in order, with retries and the end', async () => {
    const { engine } = await startEngine({ processId: 'proc-1' });
    const created = await engine.create({
      name: 'history',
      steps: [
        { execution_type: 'sequential', tasks: [{ id: 'flaky', name: 'fail', params: { times: 1, retry_count: 1, retry_delay: 0.01 } }] },
        { execution_type: 'parallel', tasks: [{ id: 'left', name: 'echo' }, { id: 'right', name: 'echo' }] },
      ],
    });
    await waitForEnd(engine, created.id);
    await engine.flushed();
    const { items, next_cursor } = await engine.events(created.id);
    expect(next_cursor).toBeNull();
    expect(brief(items)).toEqual([
      'workflow.created',
      'workflow.started',
      'task.started flaky#1',
      'task.retrying flaky#1',
      'task.started flaky#2',
      'task.succeeded flaky#2',
      'task.started left#1',
      'task.started right#1',
      'task.succeeded left#1',
      'task.succeeded right#1',
      'workflow.succeeded',
    ]);
    expect(items.map((e) => e.id)).toEqual(items.map((_, i) => i + 1));
    const retrying = items[3];
    expect(retrying.error).toBeTruthy();
    expect(Date.parse(retrying.next_attempt_at!)).toBeGreaterThan(Date.parse(retrying.at) - 1);
    expect(items.filter((e) => e.type.startsWith('task.')).every((e) => e.process === 'proc-1' && e.step !== undefined)).toBe(true);
    await engine.stop();
  });

  it('a cancel records the running task cancelled and the rest skipped; watch ids are the event ids', async () => {
    const { engine } = await startEngine();
    const created = await engine.create(oneStep('sequential', [{ id: 'nap', name: 'sleep', params: { ms: 10_000 } }, { id: 'later', name: 'echo' }]));
    const ids: number[] = [];
    const off = engine.subscribe(created.id, (_status, eventId) => ids.push(eventId));
    await waitFor(engine, created.id, (s) => s.steps[0].tasks[0].status === 'running');
    await engine.cancel(created.id);
    await waitForEnd(engine, created.id);
    await engine.flushed();
    off();
    const { items } = await engine.events(created.id);
    expect(brief(items)).toEqual(['workflow.created', 'workflow.started', 'task.started nap#1', 'task.cancelled nap#1', 'task.skipped later#0', 'workflow.cancelled']);
    expect(ids.at(-1)).toBe(items.at(-1)!.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect((await engine.current(created.id)).eventId).toBe(items.at(-1)!.id);
    await expect(engine.events('no-such-workflow')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await engine.stop();
  });
});
