import { createMachine, enqueueActions, sendParent, stopChild, type AnyEventObject, type AnyStateMachine } from 'xstate';
import type { WorkflowActors } from './buildMachine.ts';
import type { LiveStatus } from './LiveStatus.ts';
import { parseChildId } from './childId.ts';
import { isoNow } from './isoNow.ts';

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

/** A lane's input: its workflow and step, and the children it spawns as it starts (its tasks' first attempts). */
export interface LaneInput {
  workflowId: string;
  step: number;
  spawn: HostRequest[];
}

/** What a lane keeps (persisted with it: two small fields). Empty in lanes stored before lanes recorded successes. */
interface LaneContext {
  workflowId?: string;
  step?: number;
}

/** How a lane reaches the run it works for: the engine provides these. */
export interface LaneHooks {
  /** The live status document of a workflow running in this process. */
  live(workflowId: string): LiveStatus | undefined;
  /** Its status changed outside a transition of its own machine: persist it, tell its watchers. */
  changed(workflowId: string): void;
}

/** A lane's word that its success left its step with no open task: the workflow machine re-checks its guards. */
export const LANE_SETTLED = 'LANE.SETTLED';

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
 * actors of one wide parallel step. XState copies an actor's map of children
 * whenever one is spawned or stopped, so 1,000 tasks as children of one
 * machine cost O(n²); spread over lanes, each copy is of at most LANE_SIZE
 * entries. A task's success is recorded here, in the run's status document,
 * and the workflow machine hears of it only when it leaves the step with no
 * open task: one event of the workflow per lane rather than per task. Every
 * other end (a failure, a backoff's end) is reported to the workflow, which
 * decides what follows.
 */
export function buildLaneMachine(actors: WorkflowActors, hooks: LaneHooks): AnyStateMachine {
  // Static actions, not enqueueActions: these run once per task, and enqueueActions makes a dozen closures a call.
  const report = (type: LaneReport['type']) => [
    sendParent(({ event }: { event: ChildEvent }): LaneReport => ({ type, actorId: event.actorId, output: event.output, error: event.error })),
    stopChild(({ event }: { event: ChildEvent }) => event.actorId),
  ];
  // `context` is undefined in lanes stored before lanes had one: those report every end.
  type Args = { context: LaneContext | undefined; event: ChildEvent };
  /** The run's document, when this lane records its tasks' successes itself. */
  const liveFor = ({ context, event }: Args): LiveStatus | undefined =>
    context?.workflowId !== undefined && parseChildId(event.actorId)?.kind === 'task' ? hooks.live(context.workflowId) : undefined;
  const records = ((args: Args) => liveFor(args) !== undefined) as never;
  const settlesStep = ((args: Args) => liveFor(args)?.open === 1) as never;
  // Runs only where `records` (or `settlesStep`) held: the context is there.
  const recordSuccess = ({ context, event }: Args) => {
    liveFor({ context, event })!.taskSucceeded(context!.step!, parseChildId(event.actorId)!.task, event.output, isoNow());
    hooks.changed(context!.workflowId!);
  };
  const stopTask = stopChild(({ event }: { event: ChildEvent }) => event.actorId);
  const config = {
    id: 'lane',
    context: ({ input }: { input?: LaneInput }): LaneContext => ({ workflowId: input?.workflowId, step: input?.step }),
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
          'xstate.done.actor.*': [
            { guard: settlesStep, actions: [recordSuccess, stopTask, sendParent({ type: LANE_SETTLED })] },
            { guard: records, actions: [recordSuccess, stopTask] },
            { actions: report('LANE.DONE') },
          ],
          'xstate.error.actor.*': { actions: report('LANE.ERROR') },
        },
      },
    },
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see buildMachine: generated, loosely typed config
  return createMachine(config as any).provide({ actors: actors as any });
}
