import { enqueueActions, sendParent, setup, stopChild, type DoneActorEvent, type ErrorActorEvent } from 'xstate';
import { type LiveStatus, isoNow } from '../status/index.ts';
import type { HostEvent, LaneEvent, LaneInput, WorkflowActors } from './machineActors.ts';
import { parseHostedActorId, taskActorId } from './machineNames.ts';

/**
 * Tasks one lane hosts at most. XState's `resolveStop` copies an actor's
 * children map (in dictionary mode) on every stop: 5.6 µs at 32 children,
 * and lanes of 8, 32 and 64 were all slower than 16 (bench/README.md).
 */
export const LANE_SIZE = 16;

/** How a lane reaches the run it works for: the engine provides these. */
export interface LaneHooks {
  /** The live status document of a workflow running in this process. */
  live(workflowId: string): LiveStatus | undefined;
  /** Its status changed outside a transition of its own machine: persist it, tell its watchers. */
  changed(workflowId: string): void;
}

/** What a lane keeps (persisted with it): its workflow, step and tasks. */
type LaneContext = LaneInput;

/** What a lane hears: HOST from the workflow, and the ends of the actors it hosts. */
type LaneMachineEvent = HostEvent | DoneActorEvent | ErrorActorEvent;

/** The lane of task `t` (0-based) of a wide step. */
export function laneOf(t: number): number {
  return Math.floor(t / LANE_SIZE);
}

/** How many lanes a wide step of `width` tasks has. */
export function laneCount(width: number): number {
  return Math.ceil(width / LANE_SIZE);
}

/**
 * A lane: a machine the workflow machine invokes to host up to LANE_SIZE task
 * (and backoff) actors of one wide parallel step — the one place tasks are
 * spawned rather than invoked by a state of their own. XState copies an
 * actor's map of children whenever one is spawned or stopped, and a parallel
 * state walks every region on every event, so 1,000 regions cost O(n²)
 * (measured: 111 s for one 1,000-task step); spread over lanes, each copy is
 * of at most LANE_SIZE entries. A task's success is recorded here, in the
 * run's status document, and the workflow machine hears of it only when the
 * step has no open task left (`LANE.SETTLED`): one event of the workflow per
 * lane rather than per task. Failures and backoff ends go to the workflow,
 * which decides what follows (retry, fail, start the next attempt).
 */
export function buildLaneMachine(actors: WorkflowActors, hooks: LaneHooks) {
  /** The run's document, while the run is in this process. */
  const liveOf = (context: LaneContext): LiveStatus | undefined => hooks.live(context.workflowId);
  const hosted = (event: DoneActorEvent | ErrorActorEvent) => parseHostedActorId(event.actorId);

  return setup({
    types: { context: {} as LaneContext, input: {} as LaneInput, events: {} as LaneMachineEvent },
    actors: { task: actors.task, delay: actors.delay },
    guards: {
      /** The actor that ended waited out a backoff (not an attempt). */
      isBackoff: ({ event }) => event.type.startsWith('xstate.done.actor.') && hosted(event as DoneActorEvent)?.kind === 'backoff',
      /** This success leaves the step with no open task. */
      settlesStep: ({ context }) => liveOf(context)?.open === 1,
    },
    actions: {
      /** The first attempts of the lane's tasks (the workflow machine counted them on entering the step). */
      hostFirstAttempts: enqueueActions(({ context, enqueue }) => {
        const { workflowId, step, first, count } = context;
        for (let task = first; task < first + count; task++) enqueue.spawnChild('task', { id: taskActorId(step, task), input: { workflowId, step, task } });
      }),
      /** Runs what the workflow asked for: a task's next attempt or its backoff. */
      host: enqueueActions(({ event, enqueue }) => {
        if (event.type !== 'HOST') return;
        if (event.src === 'task') enqueue.spawnChild('task', { id: event.id, input: event.input });
        else enqueue.spawnChild('delay', { id: event.id, input: event.input });
      }),
      /** Records a task's success in the run's document and has it persisted. */
      recordSuccess: ({ context, event }) => {
        const live = liveOf(context);
        const ref = hosted(event as DoneActorEvent);
        if (!live || !ref) return;
        live.taskSucceeded(context.step, ref.task, (event as DoneActorEvent).output, isoNow());
        hooks.changed(context.workflowId);
      },
      /** Stops the actor that ended, so the children map stays small. */
      stopEnded: stopChild(({ event }) => (event as DoneActorEvent | ErrorActorEvent).actorId),
      reportFailure: sendParent(({ context, event }): LaneEvent => {
        const error = event as ErrorActorEvent;
        return { type: 'LANE.TASK_FAILED', step: context.step, task: hosted(error)!.task, error: error.error };
      }),
      reportBackoffEnded: sendParent(({ context, event }): LaneEvent => ({ type: 'LANE.BACKOFF_ENDED', step: context.step, task: hosted(event as DoneActorEvent)!.task })),
      reportSettled: sendParent({ type: 'LANE.SETTLED' } satisfies LaneEvent),
    },
  }).createMachine({
    id: 'lane',
    description: `Hosts up to ${LANE_SIZE} tasks of a wide parallel step.`,
    context: ({ input }) => ({ ...input }),
    entry: 'hostFirstAttempts',
    initial: 'hosting',
    states: {
      hosting: {
        on: {
          HOST: { actions: 'host' },
          'xstate.done.actor.*': [
            { guard: 'isBackoff', actions: ['stopEnded', 'reportBackoffEnded'] },
            { guard: 'settlesStep', actions: ['recordSuccess', 'stopEnded', 'reportSettled'] },
            { actions: ['recordSuccess', 'stopEnded'] },
          ],
          'xstate.error.actor.*': { actions: ['stopEnded', 'reportFailure'] },
        },
      },
    },
  });
}

/** The lane machine's type, as the workflow machine's setup names it. */
export type LaneMachine = ReturnType<typeof buildLaneMachine>;
