import { describe, expect, it } from 'vitest';
import { createActor, createMachine, waitFor } from 'xstate';
import { fromLazySignalPromise } from '../../../../server/engine/run/lazySignalPromise.ts';
import type { SignalSource } from '../../../../server/engine/run/AttemptContext.ts';

/** A parent that invokes `logic` until told to STOP (which stops the child). */
function parentOf(logic: ReturnType<typeof fromLazySignalPromise<unknown, number>>) {
  return createMachine({
    initial: 'running',
    states: {
      running: {
        invoke: { src: logic, input: 7, onDone: 'done', onError: 'failed' },
        on: { STOP: 'stopped' },
      },
      done: { type: 'final' },
      failed: { type: 'final' },
      stopped: { type: 'final' },
    },
  });
}

// The task actor: XState's fromPromise, except the AbortSignal is made only when read.
describe('fromLazySignalPromise', () => {
  it('resolves with the output and passes the input', async () => {
    const actor = createActor(parentOf(fromLazySignalPromise<unknown, number>(async (input) => input * 2))).start();
    const snapshot = await waitFor(actor, (s) => s.status === 'done');
    expect(snapshot.value).toBe('done');
  });

  it('reports a rejection (and a synchronous throw) as an error', async () => {
    for (const create of [
      async () => {
        throw new Error('async');
      },
      () => {
        throw new Error('sync');
      },
    ]) {
      const actor = createActor(parentOf(fromLazySignalPromise<unknown, number>(create))).start();
      expect((await waitFor(actor, (s) => s.status === 'done')).value).toBe('failed');
    }
  });

  it('aborts a signal read before the actor is stopped', async () => {
    let signal: AbortSignal | undefined;
    const logic = fromLazySignalPromise<unknown, number>((_, signals: SignalSource) => {
      signal = signals.signal;
      return new Promise(() => {});
    });
    const actor = createActor(parentOf(logic)).start();
    expect(signal?.aborted).toBe(false);
    actor.send({ type: 'STOP' });
    expect(signal?.aborted).toBe(true);
  });

  it('hands out an already aborted signal when first read after the stop', async () => {
    let signals: SignalSource | undefined;
    const logic = fromLazySignalPromise<unknown, number>((_, s) => {
      signals = s;
      return new Promise(() => {});
    });
    const actor = createActor(parentOf(logic)).start();
    actor.send({ type: 'STOP' });
    expect(signals!.signal.aborted).toBe(true);
  });

  it('ignores a promise that settles after the stop', async () => {
    let resolve!: (v: unknown) => void;
    const logic = fromLazySignalPromise<unknown, number>(() => new Promise((r) => (resolve = r)));
    const actor = createActor(parentOf(logic)).start();
    actor.send({ type: 'STOP' });
    resolve('late');
    await new Promise((r) => setTimeout(r, 5));
    expect(actor.getSnapshot().value).toBe('stopped');
  });
});
