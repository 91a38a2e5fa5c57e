import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, type Actor } from 'xstate';
import type { WorkflowDefinition } from '../../../../shared/definition.ts';
import { buildWorkflowMachine, type WorkflowMachine } from '../../../../server/engine/machine/buildWorkflowMachine.ts';
import { buildLaneMachine, LANE_SIZE } from '../../../../server/engine/machine/laneMachine.ts';
import { LiveStatus } from '../../../../server/engine/status/LiveStatus.ts';
import type { DelayActorInput, TaskActorInput, WorkflowActors } from '../../../../server/engine/machine/machineActors.ts';
import { MachineCache } from '../../../../server/engine/machine/MachineCache.ts';
import { createMachineSetup } from '../../../../server/engine/machine/machineSetup.ts';
import { MAX_PARALLEL_REGIONS } from '../../../../server/engine/machine/parallelStepState.ts';
import { snapshotFromStatus } from '../../../../server/engine/machine/snapshotFromStatus.ts';
import { initialStatus } from '../../../../server/engine/status/statusTransitions.ts';
import { shapeOf } from '../../../../server/engine/machine/stepShape.ts';
import { machineDefinition } from '../../../../server/engine/describeMachine.ts';

type TaskSpec = { name?: string; optional?: boolean; params?: Record<string, unknown> };
type StepSpec = { execution_type: 'sequential' | 'parallel'; fail_fast?: boolean; tasks: TaskSpec[] };

/** Task and backoff actors the test settles by hand, each by where its task is ("0:1"). */
function controllableActors() {
  const attempts = new Map<string, { resolve: (output: unknown) => void; reject: (error: unknown) => void }>();
  const backoffs = new Map<string, { until: string; resolve: () => void }>();
  const stopped: string[] = [];
  const actors: WorkflowActors = {
    task: fromPromise<unknown, TaskActorInput>(({ input, signal }) => {
      const key = `${input.step}:${input.task}`;
      signal.addEventListener('abort', () => stopped.push(key));
      return new Promise((resolve, reject) => attempts.set(key, { resolve, reject }));
    }),
    delay: fromPromise<void, DelayActorInput>(({ input }) => new Promise<void>((resolve) => backoffs.set(`${backoffs.size}`, { until: input.until, resolve }))),
  };
  return { actors, attempts, backoffs, stopped };
}

/** A running workflow machine over a status document, with its actors in the test's hands. */
function startMachine(steps: StepSpec[]) {
  const definition = {
    name: 'wf',
    steps: steps.map((step) => ({ ...step, tasks: step.tasks.map((task, t) => ({ id: `t${t}`, name: 'noop', ...task })) })),
  } as WorkflowDefinition;
  const live = new LiveStatus(initialStatus('wf1', definition, new Date().toISOString()));
  live.workflowStarted(new Date().toISOString());
  const control = controllableActors();
  const setup = createMachineSetup({ ...control.actors, lane: buildLaneMachine(control.actors, { live: () => live, changed: () => {} }) });
  const machine = buildWorkflowMachine(setup, shapeOf(definition.steps));
  const actor = createActor(machine, { input: { live } });
  actor.start();
  return { ...control, live, machine, actor };
}

/** Lets settled promises reach the machine. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function succeed(run: { attempts: Map<string, { resolve: (o: unknown) => void }> }, key: string, output: unknown = key): Promise<void> {
  run.attempts.get(key)!.resolve(output);
  await settle();
}

async function fail(run: { attempts: Map<string, { reject: (e: unknown) => void }> }, key: string, message = `${key} broke`): Promise<void> {
  run.attempts.get(key)!.reject(new Error(message));
  await settle();
}

const value = (actor: Actor<WorkflowMachine>) => actor.getSnapshot().value;
const children = (actor: Actor<WorkflowMachine>) => Object.keys(actor.getSnapshot().children).sort();
const taskStates = (live: LiveStatus, s = 0) => live.doc.steps[s].tasks.map((t) => t.status);

describe('the workflow machine', () => {
  it('runs a sequential step as child states in order, each invoking its task actor, then the next step', async () => {
    const run = startMachine([
      { execution_type: 'sequential', tasks: [{}, {}] },
      { execution_type: 'sequential', tasks: [{}] },
    ]);
    expect(value(run.actor)).toEqual({ step1_sequential: 'task1' });
    expect(children(run.actor)).toEqual(['step1_task1']);
    await succeed(run, '0:0');
    expect(value(run.actor)).toEqual({ step1_sequential: 'task2' });
    expect(children(run.actor)).toEqual(['step1_task2']);
    expect(taskStates(run.live)).toEqual(['succeeded', 'running']);
    await succeed(run, '0:1');
    expect(value(run.actor)).toEqual({ step2_sequential: 'task1' });
    expect(run.live.doc.steps.map((s) => s.status)).toEqual(['succeeded', 'running']);
    await succeed(run, '1:0');
    expect(value(run.actor)).toBe('succeeded');
    expect(run.actor.getSnapshot().status).toBe('done');
    expect(run.live.doc.status).toBe('succeeded');
  });

  it('runs a narrow parallel step as one region per task, ending when every region has', async () => {
    expect(MAX_PARALLEL_REGIONS).toBeGreaterThanOrEqual(2);
    const run = startMachine([{ execution_type: 'parallel', tasks: [{}, {}] }]);
    expect(value(run.actor)).toEqual({ step1_parallel: { task1: 'running', task2: 'running' } });
    expect(children(run.actor)).toEqual(['step1_task1', 'step1_task2']);
    await succeed(run, '0:1');
    expect(value(run.actor)).toEqual({ step1_parallel: { task1: 'running', task2: 'succeeded' } });
    await succeed(run, '0:0');
    expect(value(run.actor)).toBe('succeeded');
  });

  it('retries through a backoff state that invokes the delay actor with the recorded deadline, then runs the task again', async () => {
    const run = startMachine([{ execution_type: 'sequential', tasks: [{ params: { retry_count: 1, retry_delay: 5 } }, {}] }]);
    await fail(run, '0:0');
    expect(value(run.actor)).toEqual({ step1_sequential: 'task1_backoff' });
    expect(children(run.actor)).toEqual(['step1_task1_backoff']);
    const task = run.live.doc.steps[0].tasks[0];
    expect(task).toMatchObject({ status: 'retrying', attempts: 1, error: '0:0 broke' });
    expect(run.backoffs.get('0')!.until).toBe(task.next_attempt_at);
    run.backoffs.get('0')!.resolve();
    await settle();
    expect(value(run.actor)).toEqual({ step1_sequential: 'task1' });
    expect(task).toMatchObject({ status: 'running', attempts: 2 });
    // Out of retries: the second failure fails the workflow.
    await fail(run, '0:0', 'again');
    expect(value(run.actor)).toBe('failed');
    expect(run.live.doc.error).toContain('failed after 2 attempt(s): again');
    expect(taskStates(run.live)).toEqual(['failed', 'skipped']);
  });

  it('retries a region of a parallel step in its own backoff state', async () => {
    const run = startMachine([{ execution_type: 'parallel', tasks: [{ params: { retry_count: 2, retry_delay: 1 } }, {}] }]);
    await fail(run, '0:0');
    expect(value(run.actor)).toEqual({ step1_parallel: { task1: 'backoff', task2: 'running' } });
    expect(children(run.actor)).toEqual(['step1_task1_backoff', 'step1_task2']);
    run.backoffs.get('0')!.resolve();
    await settle();
    expect(value(run.actor)).toEqual({ step1_parallel: { task1: 'running', task2: 'running' } });
  });

  it('moves past an optional task that failed, in a sequential step and in a region', async () => {
    const run = startMachine([
      { execution_type: 'sequential', tasks: [{ optional: true }, {}] },
      { execution_type: 'parallel', tasks: [{ optional: true }, {}] },
    ]);
    await fail(run, '0:0');
    expect(value(run.actor)).toEqual({ step1_sequential: 'task2' });
    await succeed(run, '0:1');
    await fail(run, '1:0');
    expect(value(run.actor)).toEqual({ step2_parallel: { task1: 'failed', task2: 'running' } });
    await succeed(run, '1:1');
    expect(value(run.actor)).toBe('succeeded');
    expect(run.live.doc.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('without fail_fast, a parallel step lets its other regions finish, then fails', async () => {
    const run = startMachine([{ execution_type: 'parallel', tasks: [{}, {}] }]);
    await fail(run, '0:0');
    expect(value(run.actor)).toEqual({ step1_parallel: { task1: 'failed', task2: 'running' } });
    expect(run.stopped).toEqual([]);
    await succeed(run, '0:1');
    expect(value(run.actor)).toBe('failed');
    expect(taskStates(run.live)).toEqual(['failed', 'succeeded']);
  });

  it('with fail_fast, the first blocking failure fails the workflow and stops the other regions', async () => {
    const run = startMachine([{ execution_type: 'parallel', fail_fast: true, tasks: [{}, {}] }]);
    await fail(run, '0:1');
    expect(value(run.actor)).toBe('failed');
    expect(run.stopped).toEqual(['0:0']);
    expect(taskStates(run.live)).toEqual(['cancelled', 'failed']);
  });

  it('CANCEL from any state ends in cancelled and stops the running actors', async () => {
    const run = startMachine([
      { execution_type: 'sequential', tasks: [{}] },
      { execution_type: 'parallel', tasks: [{}, {}] },
    ]);
    await succeed(run, '0:0');
    run.actor.send({ type: 'CANCEL' });
    expect(value(run.actor)).toBe('cancelled');
    expect(run.stopped.sort()).toEqual(['1:0', '1:1']);
    expect(run.live.doc.status).toBe('cancelled');
    expect(taskStates(run.live, 1)).toEqual(['cancelled', 'cancelled']);
  });

  it('hosts a step wider than the regions in lanes it invokes, and ends it when no task is open', async () => {
    const width = LANE_SIZE + 3;
    const run = startMachine([{ execution_type: 'parallel', tasks: Array.from({ length: width }, () => ({})) }]);
    expect(value(run.actor)).toBe('step1_parallel');
    expect(children(run.actor)).toEqual(['step1_lane1', 'step1_lane2']);
    expect(run.attempts.size).toBe(width);
    for (let t = 0; t < width; t++) await succeed(run, `0:${t}`);
    expect(value(run.actor)).toBe('succeeded');
    expect(taskStates(run.live).every((s) => s === 'succeeded')).toBe(true);
  });

  it('rebuilds from a status document the snapshot the machine itself persists', async () => {
    const run = startMachine([
      { execution_type: 'sequential', tasks: [{}, { params: { retry_count: 1 } }] },
      { execution_type: 'parallel', tasks: [{}, { params: { retry_count: 1 } }] },
      { execution_type: 'parallel', tasks: Array.from({ length: LANE_SIZE + 1 }, () => ({ params: { retry_count: 1 } })) },
      { execution_type: 'parallel', tasks: [{ params: { retry_count: 1 } }] },
    ]);
    const compare = () => {
      const persisted = run.actor.getPersistedSnapshot() as unknown as { value: unknown; children: Record<string, { snapshot: { children?: object } }> };
      const rebuilt = snapshotFromStatus(run.live.doc);
      expect(rebuilt.value).toEqual(persisted.value);
      expect(Object.keys(rebuilt.children).sort()).toEqual(Object.keys(persisted.children).sort());
      for (const id of Object.keys(persisted.children)) {
        expect(Object.keys(rebuilt.children[id].snapshot.children ?? {}).sort()).toEqual(Object.keys(persisted.children[id].snapshot.children ?? {}).sort());
      }
    };
    compare();
    await succeed(run, '0:0');
    await fail(run, '0:1');
    compare(); // a sequential backoff
    run.backoffs.get('0')!.resolve();
    await settle();
    await succeed(run, '0:1');
    await fail(run, '1:1');
    await succeed(run, '1:0');
    compare(); // a region in its backoff, one succeeded
    run.backoffs.get('1')!.resolve();
    await settle();
    await succeed(run, '1:1');
    await succeed(run, '2:0');
    await fail(run, '2:5');
    compare(); // lanes: one task done, one in its backoff, the rest running
    run.backoffs.get('2')!.resolve();
    await settle();
    for (let t = 1; t <= LANE_SIZE; t++) await succeed(run, `2:${t}`);
    await fail(run, '3:0');
    compare(); // a parallel step of one task, in its backoff
    expect(value(run.actor)).toEqual({ step4_parallel: 'task1_backoff' });
  });

  it('says in its JSON which actor each task state invokes and which named guards decide', () => {
    const { machine } = startMachine([
      { execution_type: 'sequential', tasks: [{}] },
      { execution_type: 'parallel', tasks: [{}, {}] },
      { execution_type: 'parallel', tasks: Array.from({ length: LANE_SIZE + 1 }, () => ({})) },
      { execution_type: 'parallel', tasks: [{}] },
    ]);
    const json = JSON.parse(JSON.stringify(machineDefinition(machine)));
    expect(json).toMatchObject({ id: 'workflow', initial: '#workflow.step1_sequential', on: { CANCEL: [{ target: ['#workflow.cancelled'] }] } });
    expect(Object.keys(json.states)).toEqual(['step1_sequential', 'step2_parallel', 'step3_parallel', 'step4_parallel', 'succeeded', 'failed', 'cancelled']);
    const task1 = json.states.step1_sequential.states.task1;
    expect(task1.invoke).toEqual([{ id: 'step1_task1', src: 'task' }]);
    expect(task1.entry).toEqual([{ type: 'startAttempt', params: { step: 0, task: 0 } }]);
    const onError = task1.on['xstate.error.actor.step1_task1'];
    expect(onError.map((t: { guard?: { type: string } }) => t.guard?.type)).toEqual(['mayRetry', 'isOptional', undefined]);
    expect(onError.map((t: { target: string[] }) => t.target[0])).toEqual(['#workflow.step1_sequential.task1_backoff', '#workflow.step2_parallel', '#workflow.failed']);
    expect(json.states.step1_sequential.states.task1_backoff.invoke).toEqual([{ id: 'step1_task1_backoff', src: 'delay' }]);
    const region = json.states.step2_parallel;
    expect(region.type).toBe('parallel');
    expect(Object.keys(region.states)).toEqual(['task1', 'task2']);
    expect(Object.keys(region.states.task1.states)).toEqual(['running', 'backoff', 'succeeded', 'failed']);
    expect(region.states.task1.states.running.on['xstate.error.actor.step2_task1'].map((t: { guard?: { type: string } }) => t.guard?.type)).toEqual([
      'mayRetry',
      'failsStepFast',
      undefined,
    ]);
    // The wide step: its lanes, and the eventless transitions that end it (which XState's toJSON leaves out).
    const wide = json.states.step3_parallel;
    expect(wide.invoke).toEqual([
      { id: 'step3_lane1', src: 'lane' },
      { id: 'step3_lane2', src: 'lane' },
    ]);
    expect(wide.always.map((t: { guard: { type: string } }) => t.guard.type)).toEqual(['wideStepFailed', 'wideStepEnded']);
    // A parallel step of one task is that task's state, as in a sequence of one.
    const single = json.states.step4_parallel;
    expect(single.type).toBe('compound');
    expect(Object.keys(single.states)).toEqual(['task1', 'task1_backoff']);
    expect(single.states.task1.invoke).toEqual([{ id: 'step4_task1', src: 'task' }]);
    expect(machineDefinition(machine)).toBe(machineDefinition(machine));
  });
});

describe('the machine cache', () => {
  const { actors } = controllableActors();
  const setup = createMachineSetup({ ...actors, lane: buildLaneMachine(actors, { live: () => undefined, changed: () => {} }) });
  const steps = (...widths: number[]) => widths.map((w) => ({ execution_type: 'sequential' as const, tasks: new Array(w) }));

  it('shares one machine per shape of steps (kinds and widths)', () => {
    const cache = new MachineCache(setup);
    const a = cache.get(steps(2, 1));
    expect(cache.get(steps(2, 1))).toBe(a);
    expect(cache.get(steps(1, 2)).machine).not.toBe(a.machine);
    expect(cache.get([{ execution_type: 'parallel', tasks: new Array(2) }, { execution_type: 'sequential', tasks: new Array(1) }]).machine).not.toBe(a.machine);
    expect(a.stamp).toContain('sequential:2,sequential:1');
  });

  it('keeps at most its bound of machines and of task states, dropping the least recently used', () => {
    const cache = new MachineCache(setup, 3, 1_000);
    const first = cache.get(steps(1));
    cache.get(steps(2));
    cache.get(steps(3));
    cache.get(steps(1)); // used again: now the most recent
    cache.get(steps(4));
    expect(cache.size).toBe(3);
    expect(cache.get(steps(1))).toBe(first);
    cache.get(steps(600)); // 1,200 task states: over the bound on its own, kept alone
    expect(cache.size).toBe(1);
  });
});
