import { expect } from 'vitest';
import type { WorkflowDefinition } from '../../../shared/definition.ts';
import type { TaskStatus, WorkflowStatus } from '../../../shared/status.ts';
import { eventually } from './async.ts';
import type { FaultRig } from './faultRig.ts';

const time = (iso: string | null | undefined): number => {
  expect(iso, 'timestamp').toBeTypeOf('string');
  return Date.parse(iso!);
};

/**
 * A workflow that ran to success with nothing lost: every step and task
 * `succeeded`, each task with exactly `attempts` attempts (1: the fault caused
 * no re-run), an output, start and finish times in order; sequential tasks one
 * after the other, each step after the one before; the last echo saw every
 * upstream output, when it is an echo (the data of every earlier transition survived).
 */
export function expectFullHistory(status: WorkflowStatus, definition: WorkflowDefinition, attempts = 1): void {
  const where = `workflow ${status.id} (${status.name})`;
  expect(status.status, where).toBe('succeeded');
  expect(status.error, where).toBeNull();
  expect(status.steps.length, where).toBe(definition.steps.length);
  let previousStepEnd = time(status.started_at);
  const allIds: string[] = [];
  status.steps.forEach((step, s) => {
    expect(step.status, `${where} step ${s}`).toBe('succeeded');
    expect(step.tasks.map((t) => t.id), `${where} step ${s}`).toEqual(definition.steps[s].tasks.map((t) => t.id));
    let previousTaskEnd = previousStepEnd;
    let stepEnd = previousStepEnd;
    for (const task of step.tasks) {
      const label = `${where} task ${task.id}`;
      expect(task.status, label).toBe('succeeded');
      expect(task.attempts, label).toBe(attempts);
      expect(task.error, label).toBeNull();
      expect(task.output, label).not.toBeUndefined();
      const start = time(task.started_at);
      const end = time(task.finished_at);
      expect(end, label).toBeGreaterThanOrEqual(start);
      // Sequential: after the task before it; parallel: after the step before.
      expect(start, label).toBeGreaterThanOrEqual(step.execution_type === 'sequential' ? previousTaskEnd : previousStepEnd);
      if (task.name === 'sleep') expect(end - start, label).toBeGreaterThanOrEqual(Number(task.params.ms) - 5);
      previousTaskEnd = end;
      stepEnd = Math.max(stepEnd, end);
      allIds.push(task.id);
    }
    previousStepEnd = stepEnd;
  });
  expect(time(status.finished_at), where).toBeGreaterThanOrEqual(previousStepEnd);
  const last = status.steps.at(-1)!.tasks.at(-1)!;
  if (last.name === 'echo') {
    const upstream = (last.output as { upstream: Record<string, unknown> }).upstream;
    expect(Object.keys(upstream).sort(), `${where} last task's upstream`).toEqual(allIds.slice(0, -1).sort());
  }
}

/**
 * Rules every ended workflow must keep, whatever broke on the way: no task
 * left `running`/`retrying`/`pending`; after a failed step every later step
 * and its tasks `skipped`; a succeeded workflow has every step succeeded.
 * Returns every task, for attempt checks.
 */
export function expectConsistentEnd(status: WorkflowStatus): TaskStatus[] {
  const where = `workflow ${status.id} (${status.name})`;
  expect(['succeeded', 'failed', 'cancelled'], where).toContain(status.status);
  expect(status.finished_at, where).not.toBeNull();
  const failedAt = status.steps.findIndex((s) => s.status === 'failed');
  status.steps.forEach((step, s) => {
    for (const task of step.tasks) {
      expect(['running', 'retrying', 'pending'], `${where} task ${task.id}`).not.toContain(task.status);
      if (failedAt >= 0 && s > failedAt) expect(task.status, `${where} task ${task.id} after the failed step`).toBe('skipped');
    }
    if (status.status === 'succeeded') expect(step.status, `${where} step ${s}`).toBe('succeeded');
  });
  if (status.status === 'failed') {
    expect(failedAt, `${where}: a failed workflow has a failed step`).toBeGreaterThanOrEqual(0);
    expect(status.error, where).toBeTypeOf('string');
  }
  return status.steps.flatMap((s) => s.tasks);
}

/**
 * Waits until Redis holds each workflow's final state (the server may still
 * be retrying the write), then asserts the stored document equals what the
 * API answered, and that the state field and state index match.
 */
export async function expectStoreAgrees(rig: FaultRig, finals: Map<string, WorkflowStatus>, timeoutMs = 15_000): Promise<void> {
  for (const [id, answered] of finals) {
    let last: WorkflowStatus | null = null;
    const stored = await eventually(
      `Redis to hold the final state of ${id}`,
      async () => {
        last = await rig.storedStatus(id);
        return last && last.status === answered.status ? last : undefined;
      },
      timeoutMs,
    ).catch((error: Error) => {
      const v = last ? `stored: ${last.status}, tasks ${last.steps.flatMap((s) => s.tasks.map((t) => `${t.id}=${t.status}`)).join(' ')}` : 'nothing stored';
      throw new Error(`${error.message} (API said ${answered.status}; ${v})\nserver log:\n${rig.server.logs().slice(-4000)}`);
    });
    expect(stored, `stored status of ${id}`).toEqual(answered);
    const state = await rig.inspector.hget(`${rig.prefix}wf:${id}`, 'state');
    expect(state, `state field of ${id}`).toBe(answered.status);
    const indexed = await rig.inspector.zscore(`${rig.prefix}idx:state:${answered.status}`, id);
    expect(indexed, `${id} in idx:state:${answered.status}`).not.toBeNull();
  }
}
