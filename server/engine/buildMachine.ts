import { assign, createMachine, enqueueActions, type AnyActorLogic, type AnyEventObject, type AnyStateMachine } from 'xstate';
import type { WorkflowStatus } from '../../shared/status.ts';
import * as T from './statusTransitions.ts';
import { retryDelayMs } from './retryDelay.ts';
import { childId, parseChildId, type ChildKind } from './childId.ts';
import { buildLaneMachine, LANE_SIZE, laneId, type HostEvent } from './laneMachine.ts';

/**
 * The machine's context: the public status document, plus two counters of
 * the running step that it implies, kept so guards run in O(1) rather than
 * scanning a 1,000-task step on every microstep.
 */
export interface WorkflowContext {
  status: WorkflowStatus;
  /** Tasks of the running step that have not ended. */
  open: number;
  /** Whether a task of the running step failed and was not optional. */
  blocked: boolean;
}

/** The context a status implies (a fresh start, or a restore: the counters are derived, never stored). */
export function contextFor(status: WorkflowStatus): WorkflowContext {
  const step = status.steps.find((st) => st.status === 'running');
  if (!step) return { status, open: 0, blocked: false };
  return { status, open: step.tasks.filter((t) => !T.isTaskEnded(t)).length, blocked: step.tasks.some(T.isBlockingFailure) };
}

/** Input of the `task` actor: where the task is. Everything else is read live from the run. */
export interface TaskActorInput {
  workflowId: string;
  step: number;
  task: number;
}

/** Input of the `delay` actor: an absolute deadline, so a restored backoff keeps its end. */
export interface DelayActorInput {
  until: string;
}

/** The actors a machine spawns; the engine provides them. */
export interface WorkflowActors {
  task: AnyActorLogic;
  delay: AnyActorLogic;
}

const now = () => new Date().toISOString();

/** What child actors' done / error events carry. */
type ChildEvent = AnyEventObject & { actorId?: string; output?: unknown; error?: unknown };

/** The `enqueue` helper of enqueueActions, loosely typed: the config is generated from data. */
interface Enqueue {
  assign(update: (args: { context: WorkflowContext }) => Partial<WorkflowContext>): void;
  spawnChild(src: ChildKind | 'lane', options: { id: string; input?: unknown }): void;
  stopChild(id: string): void;
  sendTo(id: string, event: HostEvent): void;
}
type EnqueueArgs = { context: WorkflowContext; event: ChildEvent; enqueue: Enqueue };

/** A guard reading the context. */
type Guard = (args: { context: WorkflowContext }) => boolean;

/** Normalises anything a task threw into a short message. */
function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

function isNonRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { nonRetryable?: unknown }).nonRetryable === true;
}


/** True when step `s` hosts its tasks in lanes (a parallel step wider than a lane). */
function usesLanes(context: WorkflowContext, s: number): boolean {
  const step = context.status.steps[s];
  return step.execution_type === 'parallel' && step.tasks.length > LANE_SIZE;
}

/** Spawns a child actor for task `t` of step `s`: directly, or in its lane. */
function host(context: WorkflowContext, enqueue: Enqueue, kind: ChildKind, s: number, t: number, input: unknown): void {
  const id = childId(kind, s, t);
  if (usesLanes(context, s)) enqueue.sendTo(laneId(s, t), { type: 'HOST', src: kind, id, input });
  else enqueue.spawnChild(kind, { id, input });
}

/**
 * Records `status` (with attempts of `tasks` counted) in ONE assign, then
 * spawns those tasks' actors. One assign per event rather than one per
 * change: each assign makes XState clone its snapshot.
 */
function commit(
  context: WorkflowContext,
  enqueue: Enqueue,
  s: number,
  status: WorkflowStatus,
  tasks: number[] = [],
  change: { ended?: number; blocked?: boolean } = {},
): void {
  const next = tasks.length > 0 ? T.attemptsStarted(status, s, tasks, now()) : status;
  const open = context.open - (change.ended ?? 0);
  const blocked = context.blocked || change.blocked === true;
  enqueue.assign(() => ({ status: next, open, blocked }));
  for (const t of tasks) {
    const input: TaskActorInput = { workflowId: context.status.id, step: s, task: t };
    host(context, enqueue, 'task', s, t, input);
  }
}

/** The task a sequential step runs after task `t`, if any. */
function nextInSequence(context: WorkflowContext, s: number, t: number): number[] {
  const step = context.status.steps[s];
  return step.execution_type === 'sequential' && t + 1 < step.tasks.length ? [t + 1] : [];
}

/** A task actor or a backoff actor of step `s` finished (reported directly or by its lane). */
function onChildDone(s: number) {
  return ({ context, event, enqueue }: EnqueueArgs) => {
    const child = parseChildId(event.actorId);
    if (!child || child.step !== s) return;
    // A lane stops its own children; direct children are stopped here so the map stays small.
    if (event.type !== 'LANE.DONE') enqueue.stopChild(event.actorId!);
    const { task: t } = child;
    if (child.kind === 'delay') return commit(context, enqueue, s, context.status, [t]);
    commit(context, enqueue, s, T.taskSucceeded(context.status, s, t, event.output, now()), nextInSequence(context, s, t), { ended: 1 });
  };
}

/** A task actor of step `s` failed: retry after a backoff, or record the failure. */
function onChildError(s: number) {
  return ({ context, event, enqueue }: EnqueueArgs) => {
    const child = parseChildId(event.actorId);
    if (!child || child.step !== s || child.kind !== 'task') return;
    if (event.type !== 'LANE.ERROR') enqueue.stopChild(event.actorId!);
    const { task: t } = child;
    const task = context.status.steps[s].tasks[t];
    const message = errorMessage(event.error);
    if (!isNonRetryable(event.error) && task.attempts <= (Number(task.params.retry_count) || 0)) {
      const wait = retryDelayMs(task.params.retry_delay as number | undefined, task.attempts);
      const until = new Date(Date.now() + wait).toISOString();
      commit(context, enqueue, s, T.taskRetrying(context.status, s, t, message, until));
      const input: DelayActorInput = { until };
      host(context, enqueue, 'delay', s, t, input);
      return;
    }
    // An optional task's failure lets a sequential step go on; a blocking one ends it (see the step's guards).
    const failed = T.taskFailed(context.status, s, t, message, now());
    commit(context, enqueue, s, failed, task.optional ? nextInSequence(context, s, t) : [], { ended: 1, blocked: !task.optional });
  };
}

/**
 * One step as one state. On entry it spawns its tasks' actors — all at once
 * (parallel) or the first (sequential, the next one spawned as each ends).
 * Child actors rather than a parallel region per task: XState copies a
 * node's configuration and children on every transition, so 1,000 regions
 * cost O(n²) (measured: 111 s for one 1,000-task step) where spawned
 * children that are stopped as they end keep each transition small.
 */
function stepNode(s: number, next: string): Record<string, unknown> {
  const failedNow: Guard = ({ context }) => {
    if (!context.blocked) return false;
    // A parallel step without fail_fast lets every task finish first.
    const step = context.status.steps[s];
    return step.execution_type === 'sequential' || step.fail_fast || context.open === 0;
  };
  return {
    entry: enqueueActions(({ context, enqueue }: EnqueueArgs) => {
      const step = context.status.steps[s];
      if (usesLanes(context, s)) for (let t = 0; t < step.tasks.length; t += LANE_SIZE) enqueue.spawnChild('lane', { id: laneId(s, t) });
      const first = step.execution_type === 'parallel' ? step.tasks.map((_, t) => t) : [0];
      commit({ ...context, open: step.tasks.length, blocked: false }, enqueue, s, T.stepStarted(context.status, s), first);
    }),
    exit: enqueueActions(({ context, enqueue }: EnqueueArgs) => {
      if (!usesLanes(context, s)) return;
      for (let t = 0; t < context.status.steps[s].tasks.length; t += LANE_SIZE) enqueue.stopChild(laneId(s, t));
    }),
    on: {
      'xstate.done.actor.*': { actions: enqueueActions(onChildDone(s)) },
      'xstate.error.actor.*': { actions: enqueueActions(onChildError(s)) },
      'LANE.DONE': { actions: enqueueActions(onChildDone(s)) },
      'LANE.ERROR': { actions: enqueueActions(onChildError(s)) },
    },
    always: [
      { guard: failedNow, target: '#wf.failed' },
      {
        guard: (({ context }) => context.open === 0) as Guard,
        target: `#wf.${next}`,
        actions: assign(({ context }: { context: WorkflowContext }) => ({ status: T.stepFinished(context.status, s) })),
      },
    ],
  };
}

/**
 * Builds the machine for workflows of `stepCount` steps: steps are states run
 * in order, tasks are actors they spawn. Everything else — step kinds,
 * fail_fast, task counts, params — is read from context, so one machine serves
 * every workflow with that many steps. `CANCEL` ends in `cancelled`; reaching a
 * final state stops every child actor (their AbortSignals fire).
 */
export function buildMachine(stepCount: number, actors: WorkflowActors): AnyStateMachine {
  const ended = (outcome: 'succeeded' | 'failed' | 'cancelled') =>
    assign(({ context }: { context: WorkflowContext }) => ({ status: T.workflowEnded(context.status, outcome, now()) }));
  const states: Record<string, unknown> = {};
  for (let s = 0; s < stepCount; s++) states[`s${s}`] = stepNode(s, s + 1 < stepCount ? `s${s + 1}` : 'succeeded');
  states.succeeded = { type: 'final', entry: ended('succeeded') };
  states.failed = { type: 'final', entry: ended('failed') };
  states.cancelled = { type: 'final', entry: ended('cancelled') };

  const config = {
    id: 'wf',
    context: ({ input }: { input: { status: WorkflowStatus } }) => contextFor(T.workflowStarted(input.status, now())),
    initial: 's0',
    states,
    on: { CANCEL: '.cancelled' },
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- generated config: XState's types cannot follow it
  return createMachine(config as any).provide({ actors: { ...actors, lane: buildLaneMachine(actors) } as any });
}
