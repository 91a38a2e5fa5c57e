import type { AnyActorRef, PromiseActorLogic, PromiseSnapshot } from 'xstate';
import type { SignalSource } from './AttemptContext.ts';

const RESOLVE = 'flowstate.promise.resolve';
const REJECT = 'flowstate.promise.reject';
/** The event XState sends an actor it stops. */
const STOP = 'xstate.stop';

/**
 * XState's `fromPromise`, except that the AbortSignal is made only when the
 * promise reads it (`signals.signal`). `fromPromise` makes an AbortController and
 * a WeakMap entry for every actor; most tasks never read their signal, and at
 * thousands of workflows in flight those were a measurable share of the
 * garbage. Same snapshots as `fromPromise`, so persisted snapshots still restore.
 */
export function fromLazySignalPromise<TOutput, TInput>(
  create: (input: TInput, signals: SignalSource) => PromiseLike<TOutput>,
): PromiseActorLogic<TOutput, TInput> {
  const controllers = new Map<AnyActorRef, AbortController>();
  // Helpers shared by every actor of this logic, not closures made per actor: at thousands of actors a second, each closure counts.
  function signalOf(self: AnyActorRef): AbortSignal {
    let controller = controllers.get(self);
    if (!controller) {
      controller = new AbortController();
      // Asked for after the actor was stopped: the signal starts aborted.
      if (self.getSnapshot().status === 'active') controllers.set(self, controller);
      else controller.abort();
    }
    return controller.signal;
  }
  function settle(self: AnyActorRef, type: string, data: unknown): void {
    if (self.getSnapshot().status !== 'active') return;
    controllers.delete(self);
    self.send({ type, data });
  }
  const logic = {
    config: create,
    transition(state: PromiseSnapshot<TOutput, TInput>, event: { type: string; data?: unknown }, scope: { self: AnyActorRef }) {
      if (state.status !== 'active') return state;
      switch (event.type) {
        case RESOLVE:
          return { ...state, status: 'done', output: event.data, input: undefined };
        case REJECT:
          return { ...state, status: 'error', error: event.data, input: undefined };
        case STOP: {
          const controller = controllers.get(scope.self);
          if (controller) {
            controllers.delete(scope.self);
            controller.abort();
          }
          return { ...state, status: 'stopped', input: undefined };
        }
        default:
          return state;
      }
    },
    start(state: PromiseSnapshot<TOutput, TInput>, { self }: { self: AnyActorRef }) {
      if (state.status !== 'active') return;
      let promise: PromiseLike<TOutput>;
      try {
        promise = create(state.input as TInput, new LazySignal(self, signalOf));
      } catch (error) {
        promise = Promise.reject(error);
      }
      Promise.resolve(promise).then(
        (output) => settle(self, RESOLVE, output),
        (error: unknown) => settle(self, REJECT, error),
      );
    },
    getInitialSnapshot: (_: unknown, input: TInput) => ({ status: 'active', output: undefined, error: undefined, input }),
    getPersistedSnapshot: (snapshot: PromiseSnapshot<TOutput, TInput>) => snapshot,
    restoreSnapshot: (snapshot: PromiseSnapshot<TOutput, TInput>) => snapshot,
  };
  return logic as unknown as PromiseActorLogic<TOutput, TInput>;
}

/** An actor's signal, made on first read. */
class LazySignal implements SignalSource {
  constructor(
    private readonly self: AnyActorRef,
    private readonly make: (self: AnyActorRef) => AbortSignal,
  ) {}

  get signal(): AbortSignal {
    return this.make(this.self);
  }
}
