import { describe, expect, it } from 'vitest';
import { EventLog } from '../../../../server/engine/status/EventLog.ts';

const at = '2026-01-01T00:00:00.000Z';

describe('EventLog', () => {
  it('numbers events on from the stored history\'s last id, stamping this process only on what ran here', () => {
    const log = new EventLog(4, 'proc-1');
    log.add({ id: 0, at, type: 'task.started', step: 0, task: 'a', attempt: 1 }, true);
    log.add({ id: 0, at, type: 'task.skipped', step: 1, task: 'b' }, false);
    expect(log.pending()).toEqual([
      { id: 5, at, type: 'task.started', step: 0, task: 'a', attempt: 1, process: 'proc-1' },
      { id: 6, at, type: 'task.skipped', step: 1, task: 'b' },
    ]);
    expect(log.lastId).toBe(6);
  });

  it('forgets what the store acknowledged, and keeps the rest for the next write', () => {
    const log = new EventLog(0, undefined);
    for (let i = 0; i < 4; i++) log.add({ id: 0, at, type: 'task.started' }, true);
    log.savedUpTo(2);
    expect(log.pending().map((e) => e.id)).toEqual([3, 4]);
    expect(log.pending()[0].process).toBeUndefined();
    log.savedUpTo(9);
    expect(log.pending()).toEqual([]);
    // Numbering goes on where it was, whatever was acknowledged.
    log.add({ id: 0, at, type: 'workflow.succeeded' }, false);
    expect(log.pending().map((e) => e.id)).toEqual([5]);
  });

  it('keeps at most `max` unsaved events, dropping the oldest (a store away for long)', () => {
    const log = new EventLog(0, undefined, 3);
    for (let i = 0; i < 5; i++) log.add({ id: 0, at, type: 'task.started' }, false);
    expect(log.pending().map((e) => e.id)).toEqual([3, 4, 5]);
  });
});
