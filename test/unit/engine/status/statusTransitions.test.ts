import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../../../../shared/definition.ts';
import {
  attemptStarted,
  copyStatus,
  initialStatus,
  isBlockingFailure,
  stepFinished,
  stepStarted,
  taskFailed,
  taskRetrying,
  taskSucceeded,
  workflowEnded,
  workflowPriority,
  workflowStarted,
} from '../../../../server/engine/status/statusTransitions.ts';

const t0 = '2026-01-01T00:00:00.000Z';
const t1 = '2026-01-01T00:00:01.000Z';
const t2 = '2026-01-01T00:00:02.000Z';

/** Two steps: a sequential one of a, b (optional), then a parallel one of c, d. */
const definition: WorkflowDefinition = {
  name: 'rules',
  steps: [
    { execution_type: 'sequential', tasks: [{ id: 'a', name: 'echo', params: { retry_count: 2 } }, { id: 'b', name: 'echo', optional: true }] },
    { execution_type: 'parallel', fail_fast: true, tasks: [{ id: 'c', name: 'echo' }, { id: 'd', name: 'echo' }] },
  ],
};

/** A started workflow whose first task failed its first attempt and waits to retry at t2. */
function firstTaskRetrying(error: string) {
  const s = initialStatus('wf', definition, t0);
  workflowStarted(s, t0);
  stepStarted(s, 0);
  attemptStarted(s, 0, 0, t0);
  taskRetrying(s, 0, 0, error, t2);
  return s;
}

describe('status transitions', () => {
  it('start everything pending, with the definition\'s shape, flags and priority', () => {
    const s = initialStatus('wf', definition, t0);
    expect(s).toMatchObject({ id: 'wf', name: 'rules', status: 'pending', priority: 'normal', created_at: t0, started_at: null, finished_at: null, error: null });
    expect(s.steps.map((step) => [step.index, step.execution_type, step.fail_fast, step.status])).toEqual([
      [0, 'sequential', false, 'pending'],
      [1, 'parallel', true, 'pending'],
    ]);
    expect(s.steps[0].tasks.map((t) => [t.id, t.optional, t.status, t.attempts, t.params])).toEqual([
      ['a', false, 'pending', 0, { retry_count: 2 }],
      ['b', true, 'pending', 0, {}],
    ]);
  });

  it('take the workflow\'s own priority, else its most urgent task\'s, else normal', () => {
    const withTasks = (...priorities: Array<'low' | 'normal' | 'high' | undefined>): WorkflowDefinition => ({
      name: 'p',
      steps: [{ execution_type: 'parallel', tasks: priorities.map((priority, i) => ({ id: `t${i}`, name: 'echo', params: priority ? { priority } : {} })) }],
    });
    expect(workflowPriority(withTasks())).toBe('normal');
    expect(workflowPriority(withTasks(undefined, 'low'))).toBe('low');
    expect(workflowPriority(withTasks('low', 'high', 'normal'))).toBe('high');
    expect(workflowPriority({ ...withTasks('high'), priority: 'low' })).toBe('low');
  });

  it('count an attempt as it starts, keep the first start time, and clear a pending retry time', () => {
    const s = firstTaskRetrying('boom');
    expect(s.steps[0].tasks[0]).toMatchObject({ status: 'retrying', attempts: 1, error: 'boom', next_attempt_at: t2 });
    attemptStarted(s, 0, 0, t1);
    expect(s.steps[0].tasks[0]).toMatchObject({ status: 'running', attempts: 2, started_at: t0, next_attempt_at: undefined });
    taskSucceeded(s, 0, 0, { ok: true }, t2);
    expect(s.steps[0].tasks[0]).toMatchObject({ status: 'succeeded', output: { ok: true }, error: null, finished_at: t2 });
    // A restart does not move the workflow's start either.
    workflowStarted(s, t2);
    expect([s.status, s.started_at]).toEqual(['running', t0]);
  });

  it('fail a step on a failure of a task that is not optional, and only then', () => {
    const s = initialStatus('wf', definition, t0);
    taskSucceeded(s, 0, 0, null, t1);
    taskFailed(s, 0, 1, 'optional one failed', t1);
    expect(isBlockingFailure(s.steps[0].tasks[1])).toBe(false);
    stepFinished(s, 0);
    expect(s.steps[0].status).toBe('succeeded');
    taskFailed(s, 1, 0, 'boom', t1);
    expect(isBlockingFailure(s.steps[1].tasks[0])).toBe(true);
    stepFinished(s, 1);
    expect(s.steps[1].status).toBe('failed');
  });

  it('end a failed workflow: running tasks cancelled, pending skipped, later steps skipped, error naming the first blocking failure', () => {
    const s = initialStatus('wf', definition, t0);
    workflowStarted(s, t0);
    stepStarted(s, 0);
    taskSucceeded(s, 0, 0, null, t1);
    stepFinished(s, 0);
    stepStarted(s, 1);
    attemptStarted(s, 1, 0, t1);
    attemptStarted(s, 1, 0, t1);
    taskFailed(s, 1, 0, 'boom', t2);
    attemptStarted(s, 1, 1, t1);
    workflowEnded(s, 'failed', t2);
    expect([s.status, s.finished_at]).toEqual(['failed', t2]);
    expect(s.error).toBe('step 2/2 task "c" failed after 2 attempt(s): boom');
    expect(s.steps.map((step) => step.status)).toEqual(['succeeded', 'failed']);
    expect(s.steps[1].tasks[1]).toMatchObject({ status: 'cancelled', finished_at: t2 });
  });

  it('end a cancelled workflow with error "cancelled", the running step cancelled and the rest skipped', () => {
    const s = firstTaskRetrying('flaky');
    workflowEnded(s, 'cancelled', t1);
    expect([s.status, s.error]).toEqual(['cancelled', 'cancelled']);
    expect(s.steps[0].tasks.map((t) => [t.status, t.next_attempt_at])).toEqual([
      ['cancelled', undefined],
      ['skipped', undefined],
    ]);
    expect(s.steps.map((step) => step.status)).toEqual(['cancelled', 'skipped']);
    expect(s.steps[1].tasks.map((t) => t.status)).toEqual(['skipped', 'skipped']);
  });

  it('end a succeeded workflow with no error', () => {
    const s = initialStatus('wf', definition, t0);
    workflowStarted(s, t0);
    for (const [i, step] of s.steps.entries()) {
      stepStarted(s, i);
      for (let t = 0; t < step.tasks.length; t++) taskSucceeded(s, i, t, t, t1);
      stepFinished(s, i);
    }
    workflowEnded(s, 'succeeded', t2);
    expect([s.status, s.error, s.finished_at]).toEqual(['succeeded', null, t2]);
    expect(s.steps.flatMap((step) => step.tasks.map((t) => t.status))).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
  });

  it('copy the document\'s structure, so changing the copy leaves the original alone (params and outputs shared)', () => {
    const s = initialStatus('wf', definition, t0);
    taskSucceeded(s, 0, 0, { big: 'output' }, t1);
    const copy = copyStatus(s);
    expect(copy).toEqual(s);
    copy.steps[0].tasks[1].status = 'failed';
    copy.steps[1].status = 'running';
    copy.status = 'running';
    expect([s.status, s.steps[1].status, s.steps[0].tasks[1].status]).toEqual(['pending', 'pending', 'pending']);
    expect(copy.steps[0].tasks[0].output).toBe(s.steps[0].tasks[0].output);
    expect(copy.steps[0].tasks[0].params).toBe(s.steps[0].tasks[0].params);
  });
});
