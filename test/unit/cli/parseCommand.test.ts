import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../client/cli/parseCommand.ts';

describe('parseCommand', () => {
  it('reads each command with its arguments and flags', () => {
    expect(parseCommand(['run', 'examples/sample.json'])).toEqual({ ok: true, command: { name: 'run', file: 'examples/sample.json', json: false } });
    expect(parseCommand(['get', 'abc-1', '--json'])).toEqual({ ok: true, command: { name: 'get', id: 'abc-1', json: true } });
    expect(parseCommand(['list', '--status', 'failed', '--limit', '5', '--url', 'http://h:1'])).toEqual({
      ok: true,
      url: 'http://h:1',
      command: { name: 'list', status: 'failed', limit: 5, cursor: undefined, json: false },
    });
    expect(parseCommand(['list', '--name', 'Nightly ETL', '--status', 'running'])).toEqual({
      ok: true,
      url: undefined,
      command: { name: 'list', status: 'running', nameContains: 'Nightly ETL', limit: undefined, cursor: undefined, json: false },
    });
    // An empty --name is no filter.
    expect(parseCommand(['list', '--name', ''])).toMatchObject({ ok: true, command: { nameContains: undefined } });
    expect(parseCommand(['cancel', 'x'])).toMatchObject({ ok: true, command: { name: 'cancel', id: 'x' } });
    expect(parseCommand(['watch', 'x'])).toEqual({ ok: true, command: { name: 'watch', id: 'x', json: false } });
    expect(parseCommand(['tasks'])).toMatchObject({ ok: true, command: { name: 'tasks' } });
  });

  it('shows help for no command, "help", -h and --help', () => {
    for (const argv of [[], ['help'], ['-h'], ['run', '--help']]) expect(parseCommand(argv)).toEqual({ ok: true, command: { name: 'help' } });
  });

  it.each([
    [['frob']],
    [['run']],
    [['run', 'a.json', 'b.json']],
    [['get']],
    [['watch']],
    [['get', 'not an id!']],
    [['list', 'extra']],
    [['list', '--status', 'done']],
    [['list', '--limit', '0']],
    [['list', '--limit', '2.5']],
    [['list', '--limit', '100000']],
    [['get', 'x', '--status', 'failed']],
    [['list', '--bogus']],
    [['list', '--limit']],
    [['list', '--name', 'x'.repeat(201)]],
    [['get', 'x', '--name', 'etl']],
  ])('rejects %j as a usage error', (argv) => {
    const parsed = parseCommand(argv);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.length).toBeGreaterThan(0);
  });
});
