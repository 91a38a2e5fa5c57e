import { createMachine, enqueueActions, sendParent, stopChild, type AnyEventObject, type AnyStateMachine } from 'xstate';
import type { WorkflowActors } from './buildMachine.ts';

/** Tasks one lane hosts at most; a parallel step wider than this is split into lanes. */
export const LANE_SIZE = 16;

/** A child actor a lane is to spawn. */
export interface HostRequest {
  src: 'task' | 'delay';
  id: string;
  input: unknown;
}

/** Asks a running lane to spawn a child actor (a retry's backoff, then its next attempt). */
export interface HostEvent extends HostRequest {
  type: 'HOST';
}

/** A lane's input: the children it spawns as it starts (its tasks' first attempts). */
export interface LaneInput {
  spawn: HostRequest[];
}

/** A lane's report that one of its children ended: the workflow machine handles it as its own child's. */
export interface LaneReport {
  type: 'LANE.DONE' | 'LANE.ERROR';
  actorId: string;
  output?: unknown;
  error?: unknown;
}

type ChildEvent = AnyEventObject & { actorId: string; output?: unknown; error?: unknown };

/**
 * The id of the lane hosting task `t` of step `s`.
 */
export function laneId(s: number, t: number): string {
  return `lane:${s}:${Math.floor(t / LANE_SIZE)}`;
}

/**
 * A lane: a child machine that hosts up to LANE_SIZE task (and backoff)
 * actors of one wide parallel step and reports their ends to the workflow.
 * XState copies an actor's map of children whenever one is spawned or
 * stopped, so 1,000 tasks as children of one machine cost O(n²); spread over
 * lanes, each copy is of at most LANE_SIZE entries. It decides nothing: the
 * workflow machine says what to spawn and interprets every end.
 */
export function buildLaneMachine(actors: WorkflowActors): AnyStateMachine {
  // Static actions, not enqueueActions: this runs once per task, and enqueueActions makes a dozen closures a call.
  const report = (type: LaneReport['type']) => [
    sendParent(({ event }: { event: ChildEvent }): LaneReport => ({ type, actorId: event.actorId, output: event.output, error: event.error })),
    stopChild(({ event }: { event: ChildEvent }) => event.actorId),
  ];
  const config = {
    id: 'lane',
    // First attempts come with the input rather than one HOST event each: one macrostep per task fewer.
    entry: enqueueActions(({ event, enqueue }: { event: AnyEventObject & { input?: LaneInput }; enqueue: any }) => {
      for (const child of event.input?.spawn ?? []) enqueue.spawnChild(child.src, { id: child.id, input: child.input });
    }),
    initial: 'hosting',
    states: {
      hosting: {
        on: {
          HOST: {
            actions: enqueueActions(({ event, enqueue }: { event: HostEvent; enqueue: any }) => {
              enqueue.spawnChild(event.src, { id: event.id, input: event.input });
            }),
          },
          'xstate.done.actor.*': { actions: report('LANE.DONE') },
          'xstate.error.actor.*': { actions: report('LANE.ERROR') },
        },
      },
    },
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see buildMachine: generated, loosely typed config
  return createMachine(config as any).provide({ actors: actors as any });
}
