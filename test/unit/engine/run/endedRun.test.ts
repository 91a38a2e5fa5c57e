import { describe, expect, it } from 'vitest';
import { oneStep, startEngine, waitForEnd } from '../../../helpers/engine.ts';
import { createMemoryStore } from '../../../../server/store/MemoryStore.ts';
import type { WorkflowStore } from '../../../../server/store/WorkflowStore.ts';

// An ended run writes no machine snapshot: its status names the final state it ended in.
describe('an ended run', () => {
  it.each([
    ['succeeded', [{ name: 'sleep', params: { ms: 0 } }]],
    ['failed', [{ name: 'fatal' }]],
    ['cancelled', [{ name: 'sleep', params: { ms: 60_000 } }]],
  ] as const)('%s: stores no snapshot, and its machine answer still says where it ended', async (outcome, tasks) => {
    const { engine, store } = await startEngine();
    const { id } = await engine.create(oneStep('sequential', [...tasks]));
    if (outcome === 'cancelled') {
      while ((await engine.get(id)).status !== 'running') await new Promise((r) => setTimeout(r, 1));
      await engine.cancel(id);
    }
    expect((await waitForEnd(engine, id)).status).toBe(outcome);
    await engine.flushed();
    const stored = await store.get(id);
    expect(stored).toMatchObject({ snapshot: null, status: { status: outcome } });
    expect(await engine.machine(id)).toMatchObject({ id, status: outcome, value: outcome });
    await engine.stop();
  });
});

// Its last write is handed over (see SavedRecord): the memory store keeps that document as it is, not a copy.
describe('the writes of a run', () => {
  it('hand over only the last one, and what is read back is that final state', async () => {
    const inner = createMemoryStore();
    const writes: Array<{ state: string; handedOver: boolean }> = [];
    const store: WorkflowStore = {
      ...inner,
      saveMany: (records) => {
        for (const r of records) writes.push({ state: r.status.status, handedOver: r.handedOver === true });
        return inner.saveMany(records);
      },
    };
    const { engine } = await startEngine({ store });
    const { id } = await engine.create(oneStep('sequential', [{ name: 'sleep', params: { ms: 30 } }, { name: 'sleep', params: { ms: 30 } }]));
    const final = await waitForEnd(engine, id);
    await engine.flushed();
    expect(writes.length).toBeGreaterThan(1);
    expect(writes.slice(0, -1).every((w) => w.state === 'running' && !w.handedOver)).toBe(true);
    expect(writes.at(-1)).toEqual({ state: 'succeeded', handedOver: true });
    expect(await inner.getStatus(id)).toEqual(final);
    await engine.stop();
  });
});
