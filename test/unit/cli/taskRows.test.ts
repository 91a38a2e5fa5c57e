import { describe, expect, it } from 'vitest';
import { summarizeStates, taskRows } from '../../../client/cli/taskRows.ts';
import { TASK_STATES } from '../../../shared/status.ts';
import { task, workflow } from './statusFixture.ts';

describe('taskRows', () => {
  it('lists every task in step order, numbered as a person counts, naming the task when its id differs', () => {
    const rows = taskRows(workflow('running', [[task('a', 'succeeded')], [task('b', 'running'), task('c2', 'pending', { name: 'c' })]]));
    expect(rows.map((r) => [r.step, r.label])).toEqual([
      ['1/2', 'a'],
      ['2/2', 'b'],
      ['2/2', 'c2 (c)'],
    ]);
  });
});

describe('summarizeStates', () => {
  it('counts tasks by state in a fixed order, leaving out states no task is in', () => {
    const tasks = [task('a', 'pending'), task('b', 'succeeded'), task('c', 'failed'), task('d', 'succeeded'), task('e', 'retrying')];
    expect(summarizeStates(tasks)).toBe('5 tasks: 2 succeeded, 1 retrying, 1 pending, 1 failed');
    expect(summarizeStates([task('a', 'skipped')])).toBe('1 task: 1 skipped');
  });

  it('names every state of the vocabulary when tasks are in all of them', () => {
    const summary = summarizeStates(TASK_STATES.map((state, i) => task(`t${i}`, state)));
    for (const state of TASK_STATES) expect(summary).toContain(`1 ${state}`);
  });
});
