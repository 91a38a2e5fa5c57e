import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../../client/cli/formatDuration.ts';
import { renderList } from '../../../client/cli/renderList.ts';
import { renderTasks } from '../../../client/cli/renderTasks.ts';
import { at, T0, task, workflow } from './statusFixture.ts';

describe('CLI formatters', () => {
  it('formats durations for people', () => {
    expect([0, 450, 12_340, 65_000, 3_600_000 + 61_000, -1, NaN].map(formatDuration)).toEqual(['0.0s', '0.5s', '12.3s', '1m05s', '1h01m', '-', '-']);
  });

  it('lists workflows with status, creation time and duration, and the next-page command', () => {
    const done = workflow('succeeded', [[task('a', 'succeeded')]], { id: 'id-1', name: 'first', finished_at: at(2500) });
    const queued = workflow('pending', [[task('a', 'pending')]], { id: 'id-2', name: 'second' });
    const lines = renderList({ items: [done, queued], next_cursor: 'c42' }, T0, { color: false });
    expect(lines[0]).toMatch(/^ID +NAME +STATUS +CREATED \(UTC\) +DURATION$/);
    expect(lines[1]).toMatch(/^id-1 +first +✔ succeeded +2025-01-01 00:00:00 +2\.5s$/);
    expect(lines[2]).toMatch(/^id-2 +second +· pending +2025-01-01 00:00:00 +-$/);
    expect(lines.at(-1)).toBe('more: npm run cli -- list --cursor c42');
    expect(renderList({ items: [], next_cursor: null }, T0, { color: false })).toEqual(['no workflows']);
  });

  it('repeats the filters in the next-page command (shell-quoted), and says so when a filtered page came back empty', () => {
    const done = workflow('succeeded', [[task('a', 'succeeded')]], { id: 'id-1', name: "bob's etl" });
    const filters = { status: 'succeeded' as const, nameContains: "bob's etl", limit: 5 };
    expect(renderList({ items: [done], next_cursor: '17' }, T0, { color: false }, filters).at(-1)).toBe(
      `more: npm run cli -- list --status succeeded --name 'bob'\\''s etl' --limit 5 --cursor 17`,
    );
    expect(renderList({ items: [], next_cursor: '9' }, T0, { color: false }, { nameContains: 'etl' })).toEqual([
      'none among the workflows searched so far',
      '',
      'more: npm run cli -- list --name etl --cursor 9',
    ]);
  });

  it('describes tasks with their params from the JSON schema', () => {
    const lines = renderTasks(
      [
        {
          name: 'sleep',
          description: 'Waits.',
          params_schema: { type: 'object', properties: { ms: { type: 'integer', default: 0 }, note: { type: 'string' } }, required: [] },
        },
      ],
      { color: false },
    );
    expect(lines.slice(0, 3)).toEqual(['sleep', '  Waits.', '  params: ms: integer = 0, note?: string']);
  });
});
