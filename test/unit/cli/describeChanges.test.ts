import { describe, expect, it } from 'vitest';
import { describeChanges } from '../../../client/cli/describeChanges.ts';
import { at, T0, task, workflow } from './statusFixture.ts';

describe('describeChanges (piped output)', () => {
  const created = workflow('pending', [[task('a', 'pending'), task('b', 'pending', { name: 'fail' })]]);
  const running = workflow('running', [[task('a', 'running', { started_at: at(0) }), task('b', 'pending', { name: 'fail' })]]);
  const aDone = workflow('running', [[task('a', 'succeeded', { started_at: at(0), finished_at: at(1200) }), task('b', 'running', { name: 'fail', started_at: at(1200) })]]);
  const bRetry = workflow('running', [
    [task('a', 'succeeded', { started_at: at(0), finished_at: at(1200) }), task('b', 'retrying', { name: 'fail', started_at: at(1200), error: 'flaky' })],
  ]);
  const bFailed = workflow(
    'failed',
    [[task('a', 'succeeded', { started_at: at(0), finished_at: at(1200) }), task('b', 'failed', { name: 'fail', attempts: 2, started_at: at(1200), finished_at: at(1500), error: 'flaky' })]],
    { finished_at: at(1500), error: 'task "b" failed' },
  );

  it('introduces the workflow, then writes one line per task change, the terminal line last', () => {
    const seq = [created, running, aDone, bRetry, bFailed];
    const lines = seq.flatMap((s, i) => describeChanges(i === 0 ? undefined : seq[i - 1], s, T0));
    expect(lines).toEqual([
      'workflow wf-1 "demo" pending',
      'workflow running',
      'step 1/1  a         running    attempt 1',
      'step 1/1  a         succeeded  attempt 1  1.2s',
      'step 1/1  b (fail)  running    attempt 1',
      'step 1/1  b (fail)  retrying   attempt 1  flaky',
      'step 1/1  b (fail)  failed     attempt 2  0.3s  flaky',
      'workflow failed in 1.5s: task "b" failed',
    ]);
  });

  it('writes nothing when nothing changed', () => {
    expect(describeChanges(aDone, structuredClone(aDone), T0)).toEqual([]);
  });

  it('reports a new attempt even when the state name is the same', () => {
    const again = structuredClone(aDone);
    again.steps[0].tasks[1].attempts = 2;
    expect(describeChanges(aDone, again, T0)).toEqual(['step 1/1  b (fail)  running    attempt 2']);
  });

  it('catches up on every started task when it starts mid-way', () => {
    expect(describeChanges(undefined, aDone, T0)).toEqual([
      'workflow wf-1 "demo" running',
      'step 1/1  a         succeeded  attempt 1  1.2s',
      'step 1/1  b (fail)  running    attempt 1',
    ]);
  });
});
