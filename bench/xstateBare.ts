import { assign, createActor, fromPromise, setup } from 'xstate';
import { secondsSince } from './measure.ts';

interface Context {
  outputs: Record<string, unknown>;
}

// The same tree as the engine builds for the seed shape: a sequential step as
// nested states, a parallel step with one region, each task an invoked
// promise actor whose output lands in context. Nothing is persisted.
const bareMachine = setup({
  types: { context: {} as Context },
  actors: { task: fromPromise(async () => ({ slept_ms: 0 })) },
}).createMachine({
  id: 'wf',
  context: { outputs: {} },
  initial: 's0',
  states: {
    s0: {
      initial: 'task_a',
      states: {
        task_a: { invoke: { src: 'task', onDone: { target: 'task_b', actions: assign({ outputs: ({ context, event }) => ({ ...context.outputs, task_a: event.output }) }) } } },
        task_b: { invoke: { src: 'task', onDone: { target: 'end', actions: assign({ outputs: ({ context, event }) => ({ ...context.outputs, task_b: event.output }) }) } } },
        end: { type: 'final' },
      },
      onDone: 's1',
    },
    s1: {
      type: 'parallel',
      states: {
        task_c: {
          initial: 'run',
          states: {
            run: { invoke: { src: 'task', onDone: { target: 'done', actions: assign({ outputs: ({ context, event }) => ({ ...context.outputs, task_c: event.output }) }) } } },
            done: { type: 'final' },
          },
        },
      },
      onDone: 'done',
    },
    done: { type: 'final' },
  },
});

/**
 * The floor of this design: `count` actors of one cached machine, started at
 * once, no store. Resolves with the seconds until the last reaches its final state.
 */
export function runBareXState(count: number): Promise<number> {
  const start = performance.now();
  let remaining = count;
  return new Promise((resolve, reject) => {
    for (let i = 0; i < count; i++) {
      const actor = createActor(bareMachine);
      actor.subscribe({
        complete: () => {
          if (--remaining === 0) resolve(secondsSince(start));
        },
        error: reject,
      });
      actor.start();
    }
  });
}

