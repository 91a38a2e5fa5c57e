import { describe, expect, it } from 'vitest';
import { LiveStatus } from '../../../../server/engine/status/LiveStatus.ts';
import { initialStatus } from '../../../../server/engine/status/statusTransitions.ts';
import type { WorkflowDefinition } from '../../../../shared/definition.ts';

const definition: WorkflowDefinition = {
  name: 'live',
  steps: [
    { execution_type: 'parallel', tasks: [{ id: 'a', name: 'echo' }, { id: 'b', name: 'echo', optional: true }, { id: 'c', name: 'echo' }] },
  ],
};
const at = '2026-11-26T00:00:00.000Z';

// The run's status document is changed in place; readers only ever get copies.
describe('LiveStatus', () => {
  it('hands out one copy per change, which later changes do not touch', () => {
    const live = new LiveStatus(initialStatus('wf', definition, at));
    live.workflowStarted(at);
    const first = live.snapshot();
    expect(live.snapshot()).toBe(first);
    live.stepStarted(0);
    live.attemptStarted(0, 0, at);
    const second = live.snapshot();
    expect(second).not.toBe(first);
    expect(first.steps[0].status).toBe('pending');
    expect(first.steps[0].tasks[0]).toMatchObject({ status: 'pending', attempts: 0 });
    expect(second.steps[0].tasks[0]).toMatchObject({ status: 'running', attempts: 1 });
    expect(second.steps[0].tasks[0]).not.toBe(live.doc.steps[0].tasks[0]);
  });

  it('counts open tasks and blocking failures of the running step', () => {
    const live = new LiveStatus(initialStatus('wf', definition, at));
    live.stepStarted(0);
    expect([live.open, live.blocked]).toEqual([3, false]);
    live.taskSucceeded(0, 0, { ok: 1 }, at);
    live.taskFailed(0, 1, 'optional failure', at);
    expect([live.open, live.blocked]).toEqual([1, false]);
    live.taskFailed(0, 2, 'boom', at);
    expect([live.open, live.blocked]).toEqual([0, true]);
  });

  it('gives an attempt the outputs that existed when it started, not later ones', () => {
    const live = new LiveStatus(initialStatus('wf', definition, at));
    live.stepStarted(0);
    live.taskSucceeded(0, 0, 'A', at);
    const seen = live.outputCount;
    live.taskSucceeded(0, 2, 'C', at);
    expect(live.upstream(seen)).toEqual({ a: 'A' });
    expect(live.upstream(live.outputCount)).toEqual({ a: 'A', c: 'C' });
  });

  it('derives its counters and outputs from a stored status (restore)', () => {
    const first = new LiveStatus(initialStatus('wf', definition, at));
    first.stepStarted(0);
    first.taskSucceeded(0, 0, 'A', at);
    first.taskFailed(0, 2, 'boom', at);
    const restored = new LiveStatus(JSON.parse(JSON.stringify(first.doc)));
    expect([restored.open, restored.blocked]).toEqual([1, true]);
    expect(restored.upstream(restored.outputCount)).toEqual({ a: 'A' });
  });
});
