import { describe, expect, it } from 'vitest';
import { renderProgress } from '../../../client/cli/renderProgress.ts';
import { stripAnsi } from '../../../client/cli/ansi.ts';
import { at, T0, task, workflow } from './statusFixture.ts';

const plain = { color: false };
const big = { columns: 120, rows: 50 };

describe('renderProgress', () => {
  const status = workflow('running', [
    [task('task_a', 'succeeded', { started_at: at(0), finished_at: at(1000) }), task('task_b', 'running', { started_at: at(1000) })],
    [task('task_c', 'pending')],
  ]);

  it('shows one row per task with step, status, attempt and elapsed time', () => {
    const lines = renderProgress(status, T0 + 3500, big, plain);
    expect(lines[0]).toMatch(/^demo +▶ running +3\.5s +· +3 tasks: 1 succeeded, 1 running, 1 pending$/);
    expect(lines[1]).toBe('id wf-1');
    expect(lines[2]).toMatch(/STEP +TASK +STATUS +ATTEMPT +ELAPSED/);
    expect(lines.slice(3)).toEqual([
      expect.stringMatching(/^ +1\/2 +task_a +✔ succeeded +1 +1\.0s$/),
      expect.stringMatching(/^ +1\/2 +task_b +▶ running +1 +2\.5s$/),
      expect.stringMatching(/^ +2\/2 +task_c +· pending +- +-$/),
    ]);
  });

  it('ticks the elapsed time of running tasks with the clock', () => {
    const later = renderProgress(status, T0 + 9000, big, plain);
    expect(later.find((l) => l.includes('task_b'))).toMatch(/8\.0s$/);
  });

  it('names the task when its id differs, and shows errors, retries and the workflow error', () => {
    const failed = workflow(
      'failed',
      [
        [task('flaky', 'failed', { name: 'fail', attempts: 3, error: 'boom\nagain', started_at: at(0), finished_at: at(200) })],
        [task('later', 'skipped')],
      ],
      { finished_at: at(200), error: 'task "flaky" failed' },
    );
    const lines = renderProgress(failed, T0 + 500, big, plain);
    expect(lines.find((l) => l.includes('flaky (fail)'))).toMatch(/✖ failed +3 +0\.2s +boom again$/);
    expect(lines.at(-1)).toBe('error: task "flaky" failed');

    const retrying = workflow('running', [[task('r', 'retrying', { attempts: 1, error: 'nope', started_at: at(0), next_attempt_at: at(1500) })]]);
    expect(renderProgress(retrying, T0 + 1000, big, plain).find((l) => l.includes('↻ retrying'))).toMatch(/retry in 0\.5s · nope$/);
  });

  it('never draws a line wider than the terminal, so a redraw never wraps', () => {
    const long = workflow('running', [[task('a'.repeat(60), 'failed', { error: 'x'.repeat(300), started_at: at(0), finished_at: at(1) })]], {
      name: 'n'.repeat(200),
      error: 'e'.repeat(300),
    });
    for (const color of [false, true]) {
      const lines = renderProgress(long, T0, { columns: 50, rows: 20 }, { color });
      for (const line of lines) expect(stripAnsi(line).length).toBeLessThanOrEqual(50);
    }
  });

  it('fits a large workflow in the terminal height, centred on the first unfinished task', () => {
    const tasks = Array.from({ length: 200 }, (_, i) => task(`t${i}`, i < 120 ? 'succeeded' : i === 120 ? 'running' : 'pending'));
    const lines = renderProgress(workflow('running', [tasks]), T0, { columns: 100, rows: 15 }, plain);
    // One row is left free for the cursor, so the frame never scrolls the terminal.
    expect(lines).toHaveLength(14);
    const shown = lines.filter((l) => /^ +1\/1 /.test(l)).map((l) => l.trim().split(/ +/)[1]);
    expect(shown).toEqual(['t118', 't119', 't120', 't121', 't122', 't123', 't124', 't125', 't126']);
    expect(lines.find((l) => l.includes('above'))).toBe('  … 118 tasks: 118 succeeded above');
    expect(lines.find((l) => l.includes('below'))).toBe('  … 73 tasks: 73 pending below');
  });

  it('colours states only when asked', () => {
    expect(renderProgress(status, T0, big, plain).join('\n')).not.toContain('\x1b[');
    const coloured = renderProgress(status, T0, big, { color: true });
    expect(coloured.find((l) => l.includes('task_a'))).toContain('\x1b[32m✔ succeeded');
  });
});
