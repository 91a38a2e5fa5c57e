import { describe, expect, it } from 'vitest';
import { StatusWatchers } from '../../../../server/engine/scheduling/StatusWatchers.ts';
import { recordingLogger } from '../../../helpers/recordingLogger.ts';
import { makeRecord } from '../../../store/fixtures.ts';

describe('StatusWatchers', () => {
  it('tells every watcher of a workflow, each status once, with its event id', () => {
    const watchers = new StatusWatchers(recordingLogger());
    const seen: Array<[string, number]> = [];
    watchers.add('wf', (s, id) => seen.push(['first', id]));
    watchers.add('wf', (s, id) => seen.push(['second', id]));
    watchers.add('other', () => seen.push(['other', -1]));
    const status = makeRecord({ id: 'wf' }).status;
    watchers.tell('wf', status, 3);
    watchers.tell('wf', status, 3);
    expect(seen).toEqual([
      ['first', 3],
      ['second', 3],
    ]);
  });

  it('stops telling a removed watcher, and forgets a workflow nobody watches', () => {
    const watchers = new StatusWatchers(recordingLogger());
    let calls = 0;
    const remove = watchers.add('wf', () => calls++);
    expect(watchers.has('wf')).toBe(true);
    remove();
    remove();
    expect(watchers.has('wf')).toBe(false);
    watchers.tell('wf', makeRecord({ id: 'wf' }).status, 1);
    expect(calls).toBe(0);
  });

  it('logs a watcher that throws and still tells the others', () => {
    const logger = recordingLogger();
    const watchers = new StatusWatchers(logger);
    let told = false;
    watchers.add('wf', () => {
      throw new Error('listener bug');
    });
    watchers.add('wf', () => (told = true));
    watchers.tell('wf', makeRecord({ id: 'wf' }).status, 1);
    expect(told).toBe(true);
    expect(logger.entries.map((e) => [e.level, e.message])).toEqual([['error', 'status listener threw']]);
  });
});
