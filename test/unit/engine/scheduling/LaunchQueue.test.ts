import { describe, expect, it } from 'vitest';
import { LaunchQueue, type LaunchHost } from '../../../../server/engine/scheduling/LaunchQueue.ts';
import type { Priority } from '../../../../shared/definition.ts';
import type { WorkflowRecord } from '../../../../server/store/WorkflowStore.ts';
import { makeRecord } from '../../../store/fixtures.ts';

/** One turn of the event loop: what the queue schedules with setImmediate has run after it. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A host whose runs never end on their own: `launched` in launch order, `running` their count. */
function fakeHost(): LaunchHost & { launched: Array<{ id: string; version: number; params?: unknown[][] }>; open: boolean } {
  const host = {
    launched: [] as Array<{ id: string; version: number; params?: unknown[][] }>,
    open: true,
    running: () => host.launched.length,
    accepting: () => host.open,
    launch: (record: WorkflowRecord, params?: unknown[][]) => void host.launched.push({ id: record.id, version: record.version, params }),
  };
  return host;
}

function record(id: string, priority: Priority = 'normal'): WorkflowRecord {
  const r = makeRecord({ id });
  r.status.priority = priority;
  return r;
}

describe('LaunchQueue', () => {
  it('launches on a later turn, not during admit, by priority then FIFO, up to the running limit', async () => {
    const host = fakeHost();
    const queue = new LaunchQueue({ maxRunning: 3, maxQueued: 100 }, host);
    queue.admit(record('low', 'low'));
    queue.admit(record('n1'));
    queue.admit(record('high', 'high'), [[{ ms: 1 }]]);
    queue.admit(record('n2'));
    expect([host.launched.length, queue.size]).toEqual([0, 4]);
    await nextTurn();
    expect(host.launched.map((l) => l.id)).toEqual(['high', 'n1', 'n2']);
    expect(host.launched[0].params).toEqual([[{ ms: 1 }]]);
    expect(queue.size).toBe(1);
    // A slot frees: the host drains, and the last one goes.
    host.launched.shift();
    queue.drain();
    expect(host.launched.map((l) => l.id)).toEqual(['n1', 'n2', 'low']);
  });

  it('launches a queued workflow at the version it was stored at last', async () => {
    const host = fakeHost();
    const queue = new LaunchQueue({ maxRunning: 1, maxQueued: 100 }, host);
    queue.admit(record('a'));
    const queued = queue.get('a')!;
    expect(queued.toRecord(2)).toMatchObject({ id: 'a', version: 2 });
    // Written again while queued (the Persister bumps the version): the launch carries the new one.
    queued.version = 3;
    await nextTurn();
    expect(host.launched).toEqual([{ id: 'a', version: 3, params: undefined }]);
  });

  it('launches for at most 3 ms a turn, the rest on the next turns', async () => {
    const host = fakeHost();
    // Each launch takes 0.5 ms of this clock: six fit in a turn's 3 ms.
    let clock = 0;
    const launch = host.launch;
    host.launch = (record, params) => {
      clock += 0.5;
      launch(record, params);
    };
    const queue = new LaunchQueue({ maxRunning: 1000, maxQueued: 1000 }, host, () => clock);
    for (let i = 0; i < 15; i++) queue.admit(record(`w${i}`));
    await nextTurn();
    expect(host.launched.length).toBe(6);
    await nextTurn();
    expect(host.launched.length).toBe(12);
    await nextTurn();
    expect(host.launched.length).toBe(15);
    expect(host.launched.map((l) => l.id)).toEqual(Array.from({ length: 15 }, (_, i) => `w${i}`));
  });

  it('launches as many as fit in the budget: fast launches all go in one turn', async () => {
    const host = fakeHost();
    const queue = new LaunchQueue({ maxRunning: 1000, maxQueued: 1000 }, host, () => 0);
    for (let i = 0; i < 150; i++) queue.admit(record(`w${i}`));
    await nextTurn();
    expect(host.launched.length).toBe(150);
  });

  it('launches nothing once the host stops accepting', async () => {
    const host = fakeHost();
    const queue = new LaunchQueue({ maxRunning: 10, maxQueued: 100 }, host);
    host.open = false;
    queue.admit(record('a'));
    await nextTurn();
    expect([host.launched.length, queue.size]).toEqual([0, 1]);
  });

  it('forgets a workflow removed before its launch (cancelled while queued)', async () => {
    const host = fakeHost();
    const queue = new LaunchQueue({ maxRunning: 10, maxQueued: 100 }, host);
    queue.admit(record('a'));
    queue.admit(record('b'));
    expect(queue.remove('a')?.id).toBe('a');
    await nextTurn();
    expect(host.launched.map((l) => l.id)).toEqual(['b']);
  });

  it('is full once maxQueued wait', () => {
    const queue = new LaunchQueue({ maxRunning: 0, maxQueued: 2 }, fakeHost());
    queue.admit(record('a'));
    expect(queue.full).toBe(false);
    queue.admit(record('b'));
    expect(queue.full).toBe(true);
  });
});
