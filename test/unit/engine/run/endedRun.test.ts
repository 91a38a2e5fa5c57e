import { describe, expect, it } from 'vitest';
import { oneStep, startEngine, waitForEnd } from '../../../helpers/engine.ts';

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
