import { describe, expect, it } from 'vitest';
import { watchStream, type WatchEvent } from '../../../server/api/watchStream.ts';
import type { StatusListener } from '../../../server/engine/WorkflowEngine.ts';
import type { WorkflowState, WorkflowStatus } from '../../../shared/status.ts';
import { statusFor, sampleDefinition } from '../../store/fixtures.ts';

/** An engine holding one workflow at event `eventId`; `change` tells subscribers of a new status. */
function fakeEngine(state: WorkflowState, eventId: number) {
  const listeners = new Set<StatusListener>();
  let current = { status: statusFor('wf', sampleDefinition(), state), eventId };
  return {
    listeners,
    subscribe(_id: string, listener: StatusListener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async current() {
      return current;
    },
    change(next: WorkflowState, id: number) {
      current = { status: statusFor('wf', sampleDefinition(), next), eventId: id };
      for (const l of listeners) l(current.status, id);
    },
  };
}

/** Reads `stream` in the background; `events` fills as it yields. */
function collect(stream: AsyncGenerator<WatchEvent>) {
  const events: Array<[string, WorkflowStatus['status']]> = [];
  const done = (async () => {
    for await (const e of stream) events.push([e.id, e.status.status]);
  })();
  return { events, done };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('watchStream', () => {
  it('sends the status now, then each change once and in order, and ends after the terminal one', async () => {
    const engine = fakeEngine('running', 3);
    const { events, done } = collect(watchStream(engine, 'wf', undefined, undefined));
    await tick();
    engine.change('running', 4);
    engine.change('running', 4); // told twice: sent once
    engine.change('running', 2); // older than what was sent: dropped
    engine.change('succeeded', 5);
    await done;
    expect(events).toEqual([
      ['3', 'running'],
      ['4', 'running'],
      ['5', 'succeeded'],
    ]);
    expect(engine.listeners.size).toBe(0);
  });

  it('skips the status a reconnecting client saw last, and sends it when the store moved on or back', async () => {
    const seen = fakeEngine('running', 7);
    const resumed = collect(watchStream(seen, 'wf', '7', undefined));
    await tick();
    seen.change('failed', 8);
    await resumed.done;
    expect(resumed.events).toEqual([['8', 'failed']]);
    // The client saw event 9 of a process that died before storing it: it is brought back to the store's 7.
    const behind = fakeEngine('running', 7);
    const back = collect(watchStream(behind, 'wf', '9', undefined));
    await tick();
    behind.change('cancelled', 8);
    await back.done;
    expect(back.events).toEqual([
      ['7', 'running'],
      ['8', 'cancelled'],
    ]);
  });

  it('ends at once for a workflow that has ended, and when the signal aborts', async () => {
    const ended = collect(watchStream(fakeEngine('succeeded', 4), 'wf', undefined, undefined));
    await ended.done;
    expect(ended.events).toEqual([['4', 'succeeded']]);

    const engine = fakeEngine('running', 1);
    const abort = new AbortController();
    const open = collect(watchStream(engine, 'wf', 'not-a-number', abort.signal));
    await tick();
    abort.abort();
    await open.done;
    expect(open.events).toEqual([['1', 'running']]);
    expect(engine.listeners.size).toBe(0);
  });

  it('keeps the newest status when a slow reader falls more than 256 behind', async () => {
    const engine = fakeEngine('running', 0);
    const stream = watchStream(engine, 'wf', undefined, undefined);
    expect((await stream.next()).value).toMatchObject({ id: '0' });
    for (let id = 1; id <= 300; id++) engine.change('running', id);
    engine.change('succeeded', 301);
    const rest: string[] = [];
    for await (const e of stream) rest.push(e.id);
    expect(rest.length).toBe(256);
    expect(rest[0]).toBe('46');
    expect(rest.at(-1)).toBe('301');
  });
});
