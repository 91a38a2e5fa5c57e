import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../server/store/MemoryStore.ts';
import type { WorkflowStore } from '../../../server/store/WorkflowStore.ts';
import { oneStep, startEngine, waitFor, waitForEnd } from '../../helpers/engine.ts';

/** A store whose next `saveMany` writes but then fails, as a Redis reply lost to a timeout does. */
function withLostReply(store: WorkflowStore): WorkflowStore & { loseNextReply(): void } {
  let lose = false;
  return Object.assign(Object.create(store) as WorkflowStore, {
    kind: store.kind,
    loseNextReply: () => (lose = true),
    async saveMany(records: Parameters<WorkflowStore['saveMany']>[0]) {
      const result = await store.saveMany(records);
      if (lose) {
        lose = false;
        throw new Error('command timed out');
      }
      return result;
    },
  });
}

describe('engine: who owns a workflow', () => {
  it('a write that landed without a reply is not taken for another writer', async () => {
    const store = withLostReply(createMemoryStore());
    const { engine } = await startEngine({ store });
    const wf = await engine.create(oneStep('sequential', [{ name: 'record', params: { ms: 50 } }, { name: 'record', params: { ms: 50 } }]));
    await waitFor(engine, wf.id, (s) => s.steps[0].tasks[0].status === 'running');
    await engine.flushed();
    store.loseNextReply();
    const done = await waitForEnd(engine, wf.id);
    await engine.flushed();
    expect(done.status).toBe('succeeded');
    expect((await store.getStatus(wf.id))!.status).toBe('succeeded');
  });

  it('stops running a workflow another engine took over, and frees its slot', async () => {
    const store = createMemoryStore();
    const a = await startEngine({ store, maxConcurrentWorkflows: 1 });
    const b = await startEngine({ store });
    const wf = await a.engine.create(oneStep('sequential', [{ name: 'record', params: { ms: 150 } }, { name: 'record', params: { ms: 10 } }]));
    await waitFor(a.engine, wf.id, (s) => s.status === 'running');
    await a.engine.flushed();
    expect(await b.engine.resume(wf.id)).toBe('running');
    await b.engine.flushed();

    // a's next write conflicts: a lets go, and its one slot serves the next workflow.
    const next = await a.engine.create(oneStep('sequential', [{ name: 'record' }]));
    expect((await waitForEnd(a.engine, next.id)).status).toBe('succeeded');
    const done = await waitForEnd(b.engine, wf.id);
    expect(done.status).toBe('succeeded');
    await b.engine.flushed();
    expect((await a.engine.get(wf.id)).status).toBe('succeeded');
  });
});
