import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WorkflowRecord } from '../../../server/store/WorkflowStore.ts';
import { createMemoryStore } from '../../../server/store/MemoryStore.ts';
import { startEngine, waitForEnd, type Seen } from '../../helpers/engine.ts';

/** Workflows stored mid-run by the engine before issue 12 (machine `s0, s1…`, spawned children): see the fixture's `about`. */
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/oldMachineSnapshots.json', import.meta.url), 'utf8')) as {
  records: Record<string, { about: string; record: WorkflowRecord }>;
};

/** A stored record of the fixture, its 5 s tasks shortened to 20 ms (they run again here), ready to insert. */
function storedRecord(name: string): WorkflowRecord {
  const record = structuredClone(fixture.records[name].record);
  const shorten = (params: Record<string, unknown> | undefined) => {
    if (params && params.ms === 5000) params.ms = 20;
  };
  for (const step of record.status.steps) for (const task of step.tasks) shorten(task.params);
  for (const step of record.definition.steps) for (const task of step.tasks) shorten(task.params as Record<string, unknown>);
  return { ...record, version: 1 };
}

/** Starts an engine on a store holding `records`, as after an upgrade. */
async function resumeAfterUpgrade(...records: WorkflowRecord[]) {
  const store = createMemoryStore();
  for (const record of records) await store.create(record);
  const seen: Seen = new Map();
  const { engine } = await startEngine({ store, seen });
  return { engine, store, seen };
}

describe('issue 12: a workflow stored by the engine before the legible machine', () => {
  it('resumes a sequential step from its status: the running task runs again, the finished one does not', async () => {
    const record = storedRecord('sequential-running');
    expect(record.snapshot).toMatchObject({ value: 's0', children: { 'task:0:1': { src: 'task' } } });
    const { engine, seen } = await resumeAfterUpgrade(record);
    const done = await waitForEnd(engine, record.id);
    expect(done.status).toBe('succeeded');
    expect(done.steps.flatMap((s) => s.tasks.map((t) => [t.id, t.status, t.attempts]))).toEqual([
      ['a', 'succeeded', 1],
      ['b', 'succeeded', 2],
      ['c', 'succeeded', 1],
    ]);
    expect(seen.get('a')).toBeUndefined();
    expect(seen.get('b')!.map((e) => e.attempt)).toEqual([2]);
    expect(seen.get('c')![0].upstream).toMatchObject({ a: 'A', b: { attempt: 2 } });
  });

  it('resumes a retry backoff, keeping its deadline', async () => {
    const record = storedRecord('sequential-backoff');
    expect(record.snapshot).toMatchObject({ value: 's0', children: { 'delay:0:0': { src: 'delay' } } });
    // As if stopped just now: the backoff still has 300 ms to go.
    const deadline = Date.now() + 300;
    record.status.steps[0].tasks[0].next_attempt_at = new Date(deadline).toISOString();
    const { engine, store } = await resumeAfterUpgrade(record);
    const done = await waitForEnd(engine, record.id);
    expect(done.status).toBe('succeeded');
    expect(done.steps[0].tasks.map((t) => [t.status, t.attempts])).toEqual([
      ['succeeded', 2],
      ['succeeded', 1],
    ]);
    await engine.flushed();
    const retried = (await store.events(record.id, 0, 100))!.items.find((e) => e.type === 'task.started' && e.task === 'flaky' && e.attempt === 2);
    expect(Date.parse(retried!.at)).toBeGreaterThanOrEqual(deadline);
  });

  it('resumes a narrow parallel step: each task in its region where the status says', async () => {
    const record = storedRecord('parallel-narrow');
    const { engine, seen } = await resumeAfterUpgrade(record);
    const done = await waitForEnd(engine, record.id);
    expect(done.status).toBe('succeeded');
    expect(done.steps[1].tasks.map((t) => [t.id, t.attempts, t.output])).toEqual([
      ['p0', 1, 'p0'],
      ['p1', 2, { attempt: 2 }],
      ['p2', 2, { attempt: 2 }],
    ]);
    expect(seen.get('p0')).toBeUndefined();
    expect(seen.get('p1')![0].upstream).toMatchObject({ first: 1, p0: 'p0' });
  });

  it('resumes a wide parallel step whose lanes it numbered otherwise', async () => {
    const record = storedRecord('parallel-lanes');
    expect(Object.keys((record.snapshot as { children: object }).children)).toEqual(['lane:0:0', 'lane:0:1', 'lane:0:2']);
    const { engine } = await resumeAfterUpgrade(record);
    const done = await waitForEnd(engine, record.id);
    expect(done.status).toBe('succeeded');
    done.steps[0].tasks.forEach((t, i) => expect([t.id, t.status, t.attempts]).toEqual([`w${i}`, 'succeeded', i % 2 === 0 ? 1 : 2]));
    expect(done.steps[1].tasks[0].status).toBe('succeeded');
  });

  it('fails a stored workflow it cannot place, with a message naming the format, and goes on with the others', async () => {
    const broken = storedRecord('sequential-running');
    // No step running: neither the old snapshot nor the status says where the machine stands.
    broken.status.steps[0].status = 'pending';
    const healthy = { ...storedRecord('parallel-narrow') };
    const { engine, store } = await resumeAfterUpgrade(broken, healthy);
    const failed = await waitForEnd(engine, broken.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('unstamped (the machine of states s0, s1… before issue 12; state "s0")');
    expect(failed.error).toContain('no step is running');
    expect(failed.steps[0].tasks.map((t) => t.status)).toEqual(['succeeded', 'cancelled']);
    expect((await waitForEnd(engine, healthy.id)).status).toBe('succeeded');
    await engine.flushed();
    expect((await store.getStatus(broken.id))!.status).toBe('failed');
    const events = (await store.events(broken.id, 0, 100))!.items;
    expect(events.at(-1)).toMatchObject({ type: 'workflow.failed', error: failed.error });
  });
});
