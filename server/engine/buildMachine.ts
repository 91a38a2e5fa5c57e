import { createMachine, enqueueActions, type AnyActorLogic, type AnyActorRef, type AnyEventObject, type AnyStateMachine } from 'xstate';
import type { LiveStatus } from './LiveStatus.ts';
import { retryDelayMs } from './retryDelay.ts';
import { isoNow as now } from './isoNow.ts';
import { childId, parseChildId, type ChildKind } from './childId.ts';
import { buildLaneMachine, LANE_SETTLED, LANE_SIZE, laneId, type HostEvent, type HostRequest, type LaneHooks, type LaneInput } from './laneMachine.ts';

/**
 * The machine's context: the run's live status document. XState holds only
 * control state (which step, which children); the document changes in place
 * (see LiveStatus), so no event makes XState copy its context.
 */
export interface WorkflowContext {
  live: LiveStatus;
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

/** What child actors' done / error events carry. */
type ChildEvent = AnyEventObject & { actorId?: string; output?: unknown; error?: unknown };

/** The `enqueue` helper of enqueueActions, loosely typed: the config is generated from data. */
interface Enqueue {
  spawnChild(src: ChildKind | 'lane', options: { id: string; input?: unknown }): void;
  stopChild(id: string): void;
  sendTo(id: string, event: HostEvent): void;
}
type EnqueueArgs = { context: WorkflowContext; event: ChildEvent; enqueue: Enqueue; self: AnyActorRef };

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
function usesLanes(live: LiveStatus, s: number): boolean {
  const step = live.doc.steps[s];
  return step.execution_type === 'parallel' && step.tasks.length > LANE_SIZE;
}

/**
 * Spawns a child actor for task `t` of step `s`: in its lane, or directly.
 * Directly also when the lane is not there: a workflow stored by a version
 * with lanes of another width names other lanes, and any host will do.
 */
function host(live: LiveStatus, enqueue: Enqueue, self: AnyActorRef, kind: ChildKind, s: number, t: number, input: unknown): void {
  const id = childId(kind, s, t);
  const lane = usesLanes(live, s) ? laneId(s, t) : undefined;
  if (lane && (self.getSnapshot() as { children: Record<string, unknown> }).children[lane]) {
    enqueue.sendTo(lane, { type: 'HOST', src: kind, id, input });
  } else enqueue.spawnChild(kind, { id, input });
}

/** Starts the next attempt of task `t` of step `s`: counts it, then spawns its actor. */
function startAttempt(live: LiveStatus, enqueue: Enqueue, self: AnyActorRef, s: number, t: number): void {
  live.attemptStarted(s, t, now());
  host(live, enqueue, self, 'task', s, t, taskInput(live, s, t));
}

/** What a task actor is given: where its task is (it reads the rest from the run). */
function taskInput(live: LiveStatus, s: number, t: number): TaskActorInput {
  return { workflowId: live.doc.id, step: s, task: t };
}

/**
 * A wide parallel step starts: its lanes, each spawning its tasks' first
 * attempts as it starts (see LaneInput).
 */
function startLanes(live: LiveStatus, enqueue: Enqueue, s: number): void {
  const count = live.doc.steps[s].tasks.length;
  const at = now();
  for (let first = 0; first < count; first += LANE_SIZE) {
    const spawn: HostRequest[] = [];
    for (let t = first; t < Math.min(first + LANE_SIZE, count); t++) {
      live.attemptStarted(s, t, at);
      spawn.push({ src: 'task', id: childId('task', s, t), input: taskInput(live, s, t) });
    }
    const input: LaneInput = { workflowId: live.doc.id, step: s, spawn };
    enqueue.spawnChild('lane', { id: laneId(s, first), input });
  }
}

/** Starts the task a sequential step runs after task `t`, if any. */
function startNextInSequence(live: LiveStatus, enqueue: Enqueue, self: AnyActorRef, s: number, t: number): void {
  const step = live.doc.steps[s];
  if (step.execution_type === 'sequential' && t + 1 < step.tasks.length) startAttempt(live, enqueue, self, s, t + 1);
}

/** A task actor or a backoff actor of step `s` finished (reported directly or by its lane). */
function onChildDone(s: number) {
  return ({ context: { live }, event, enqueue, self }: EnqueueArgs) => {
    const child = parseChildId(event.actorId);
    if (!child || child.step !== s) return;
    // A lane stops its own children; direct children are stopped here so the map stays small.
    if (event.type !== 'LANE.DONE') enqueue.stopChild(event.actorId!);
    const { task: t } = child;
    if (child.kind === 'delay') return startAttempt(live, enqueue, self, s, t);
    live.taskSucceeded(s, t, event.output, now());
    startNextInSequence(live, enqueue, self, s, t);
  };
}

/** A task actor of step `s` failed: retry after a backoff, or record the failure. */
function onChildError(s: number) {
  return ({ context: { live }, event, enqueue, self }: EnqueueArgs) => {
    const child = parseChildId(event.actorId);
    if (!child || child.step !== s || child.kind !== 'task') return;
    if (event.type !== 'LANE.ERROR') enqueue.stopChild(event.actorId!);
    const { task: t } = child;
    const task = live.doc.steps[s].tasks[t];
    const message = errorMessage(event.error);
    if (!isNonRetryable(event.error) && task.attempts <= (Number(task.params.retry_count) || 0)) {
      const wait = retryDelayMs(task.params.retry_delay as number | undefined, task.attempts);
      const until = new Date(Date.now() + wait).toISOString();
      live.taskRetrying(s, t, message, until, now());
      const input: DelayActorInput = { until };
      host(live, enqueue, self, 'delay', s, t, input);
      return;
    }
    // An optional task's failure lets a sequential step go on; a blocking one ends it (see the step's guards).
    live.taskFailed(s, t, message, now());
    if (task.optional) startNextInSequence(live, enqueue, self, s, t);
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
  const failedNow: Guard = ({ context: { live } }) => {
    if (!live.blocked) return false;
    // A parallel step without fail_fast lets every task finish first.
    const step = live.doc.steps[s];
    return step.execution_type === 'sequential' || step.fail_fast || live.open === 0;
  };
  return {
    entry: enqueueActions(({ context: { live }, enqueue, self }: EnqueueArgs) => {
      const step = live.doc.steps[s];
      live.stepStarted(s);
      if (usesLanes(live, s)) startLanes(live, enqueue, s);
      else if (step.execution_type === 'sequential') startAttempt(live, enqueue, self, s, 0);
      else for (let t = 0; t < step.tasks.length; t++) startAttempt(live, enqueue, self, s, t);
    }),
    exit: enqueueActions(({ context: { live }, enqueue }: EnqueueArgs) => {
      if (!usesLanes(live, s)) return;
      for (let t = 0; t < live.doc.steps[s].tasks.length; t += LANE_SIZE) enqueue.stopChild(laneId(s, t));
    }),
    on: {
      'xstate.done.actor.*': { actions: enqueueActions(onChildDone(s)) },
      'xstate.error.actor.*': { actions: enqueueActions(onChildError(s)) },
      // A backoff's end in a lane (lanes record their tasks' successes themselves,
      // except lanes stored before they could, which report those here too).
      'LANE.DONE': { actions: enqueueActions(onChildDone(s)) },
      'LANE.ERROR': { actions: enqueueActions(onChildError(s)) },
      // A lane's last success left no open task: nothing to do but let the guards below look.
      [LANE_SETTLED]: { actions: [] },
    },
    always: [
      { guard: failedNow, target: '#wf.failed' },
      {
        guard: (({ context }) => context.live.open === 0) as Guard,
        target: `#wf.${next}`,
        actions: ({ context }: { context: WorkflowContext }) => context.live.stepFinished(s),
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
export function buildMachine(stepCount: number, actors: WorkflowActors, laneHooks: LaneHooks): AnyStateMachine {
  const ended = (outcome: 'succeeded' | 'failed' | 'cancelled') =>
    ({ context }: { context: WorkflowContext }) => context.live.workflowEnded(outcome, now());
  const states: Record<string, unknown> = {};
  for (let s = 0; s < stepCount; s++) states[`s${s}`] = stepNode(s, s + 1 < stepCount ? `s${s + 1}` : 'succeeded');
  states.succeeded = { type: 'final', entry: ended('succeeded') };
  states.failed = { type: 'final', entry: ended('failed') };
  states.cancelled = { type: 'final', entry: ended('cancelled') };

  const config = {
    id: 'wf',
    context: ({ input }: { input: WorkflowContext }) => input,
    initial: 's0',
    states,
    on: { CANCEL: '.cancelled' },
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- generated config: XState's types cannot follow it
  return createMachine(config as any).provide({ actors: { ...actors, lane: buildLaneMachine(actors, laneHooks) } as any });
}
