import type { AnyStateMachine } from 'xstate';
import type { WorkflowStatus, WorkflowPage } from '../../shared/status.ts';
import { isTerminal } from '../../shared/status.ts';
import type { ListInput, TaskInfo } from '../../shared/api.ts';
import { DEFAULT_LIMITS } from '../../shared/limits.ts';
import { FlowstateError } from '../errors.ts';
import { createLogger, type Logger } from '../logger.ts';
import type { WorkflowRecord, WorkflowStore } from '../store/WorkflowStore.ts';
import { createDefaultRegistry, type TaskRegistry } from '../tasks/registry.ts';
import { abortableSleep } from '../tasks/abortableSleep.ts';
import type { Engine, EngineOptions, StatusListener } from './WorkflowEngine.ts';
import { buildMachine, type DelayActorInput, type TaskActorInput } from './buildMachine.ts';
import type { LaneHooks } from './laneMachine.ts';
import { createDefinitionNormalizer } from './normalizeDefinition.ts';
import { copyStatus, initialStatus, workflowEnded } from './statusTransitions.ts';
import { storeError } from './storeError.ts';
import { PendingQueue } from './PendingQueue.ts';
import { Persister, type Persistable } from './Persister.ts';
import { WorkflowRun } from './WorkflowRun.ts';
import { SettlingWorkflows } from './SettlingWorkflows.ts';
import { StatusWatchers } from './StatusWatchers.ts';
import { runTaskAttempt } from './runTaskAttempt.ts';
import { isoNow } from './isoNow.ts';
import { newWorkflowId } from './newWorkflowId.ts';
import { AttemptContext, type SignalSource } from './AttemptContext.ts';
import { fromLazySignalPromise } from './lazySignalPromise.ts';
import { statusForResume } from './resumeStatus.ts';

export type { Engine, EngineOptions } from './WorkflowEngine.ts';

/** A workflow waiting for a slot; it is already stored as `pending`. */
interface QueuedWorkflow extends Persistable {
  record: WorkflowRecord;
  params?: unknown[][];
}

/** Builds the engine. Call `start()` to resume what the store holds unfinished. */
export function createEngine(options: EngineOptions): Engine {
  return new FlowEngine(options);
}

/**
 * The engine: validates and stores workflows, runs each as an XState actor
 * (at most `maxConcurrentWorkflows` at once, the rest queued by priority),
 * persists every change through the Persister, and tells subscribers.
 */
class FlowEngine implements Engine {
  readonly storeKind: 'memory' | 'redis';
  private readonly store: WorkflowStore;
  private readonly registry: TaskRegistry;
  private readonly maxConcurrent: number;
  private readonly logger: Logger;
  private readonly normalize: ReturnType<typeof createDefinitionNormalizer>;
  private readonly persister: Persister;
  /** One machine per step count: everything else about a workflow lives in its context. */
  private readonly machines = new Map<number, AnyStateMachine>();
  private readonly runs = new Map<string, WorkflowRun>();
  private readonly queue = new PendingQueue<QueuedWorkflow>();
  private readonly settling: SettlingWorkflows;
  private readonly watchers: StatusWatchers;
  private accepting = true;
  private readonly actors = {
    task: fromLazySignalPromise<unknown, TaskActorInput>((input, signals) => this.runTask(input, signals)),
    delay: fromLazySignalPromise<void, DelayActorInput>((input, signals) => abortableSleep(Math.max(0, Date.parse(input.until) - Date.now()), signals.signal)),
  };

  /** How lanes reach the runs they record successes in. */
  private readonly laneHooks: LaneHooks = {
    live: (id) => this.runs.get(id)?.live,
    changed: (id) => {
      const run = this.runs.get(id);
      if (run) this.onTransition(run);
    },
  };

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.storeKind = options.store.kind;
    this.registry = options.registry ?? createDefaultRegistry();
    this.maxConcurrent = options.maxConcurrentWorkflows ?? 20;
    this.logger = options.logger ?? createLogger('silent');
    this.normalize = createDefinitionNormalizer(this.registry, options.limits ?? DEFAULT_LIMITS);
    this.persister = new Persister(this.store, this.logger, (id) => this.release(id));
    this.watchers = new StatusWatchers(this.logger);
    this.settling = new SettlingWorkflows(this.persister, (id, status) => this.watchers.tell(id, status));
  }

  get persistence() {
    return { writes: this.persister.writes, batches: this.persister.batches };
  }

  flushed(): Promise<void> {
    return this.persister.idle();
  }

  async create(input: unknown): Promise<WorkflowStatus> {
    if (!this.accepting) throw new FlowstateError('UNAVAILABLE', 'the server is shutting down; try again shortly');
    const { definition, params } = this.normalize(input);
    const id = newWorkflowId();
    const record: WorkflowRecord = { id, status: initialStatus(id, definition, isoNow()), definition, snapshot: null, version: 1 };
    let created: { id: string; created: boolean };
    try {
      created = await this.store.create(record, definition.idempotency_key);
    } catch (error) {
      throw storeError(error);
    }
    if (!created.created) return this.get(created.id);
    this.admit(record, params);
    const run = this.runs.get(id);
    // A copy made for this answer only, not kept as the run's cached snapshot:
    // that would hold a second document per workflow until its first task ends.
    // (Queued, the record's status is taken over by its run once it launches.)
    return copyStatus(run ? run.live.doc : record.status);
  }

  async get(id: string): Promise<WorkflowStatus> {
    // Read-your-writes: once a reader sees the end, a list by status shows it too (unless the store is away).
    await this.settling.stored(id);
    const live = this.liveStatus(id);
    if (live) return live;
    let status: WorkflowStatus | null;
    try {
      status = await this.store.getStatus(id);
    } catch (error) {
      throw storeError(error);
    }
    if (!status) throw new FlowstateError('NOT_FOUND', `no workflow with id "${id}"`);
    return status;
  }

  async list(input: ListInput): Promise<WorkflowPage> {
    try {
      const page = await this.store.list({ limit: input.limit, cursor: input.cursor, status: input.status });
      // The store may lag this tick's transitions; show live runs as they are now.
      const items = page.items.map((s) => this.liveStatus(s.id) ?? s);
      return { ...page, items: input.status ? items.filter((s) => s.status === input.status) : items };
    } catch (error) {
      throw storeError(error);
    }
  }

  async cancel(id: string): Promise<WorkflowStatus> {
    const run = this.runs.get(id);
    if (run) {
      run.cancel();
      return run.status;
    }
    const queued = this.queue.remove(id);
    if (queued) {
      const status = copyStatus(queued.record.status);
      workflowEnded(status, 'cancelled', isoNow());
      const record = { ...queued.record, status };
      this.settling.add({ id, version: queued.version, status: record.status, toRecord: (v) => ({ ...record, version: v }) });
      return record.status;
    }
    const status = await this.get(id);
    if (!isTerminal(status.status)) {
      throw new FlowstateError('CONFLICT', `workflow "${id}" is not running in this process; it cannot be cancelled here`);
    }
    return status;
  }

  /** This process's newer view of a workflow, when it has one (the store may lag by a tick). */
  private liveStatus(id: string): WorkflowStatus | undefined {
    const queued = this.queue.get(id);
    // A queued workflow's status is taken over (and changed) by its run once it launches: hand out a copy.
    return this.runs.get(id)?.status ?? (queued && copyStatus(queued.record.status)) ?? this.settling.status(id);
  }

  subscribe(id: string, listener: StatusListener): () => void {
    return this.watchers.add(id, listener);
  }

  stats() {
    return { running: this.runs.size, queued: this.queue.size, unsaved: this.persister.backlog };
  }

  tasks(): TaskInfo[] {
    return this.registry.describe();
  }

  async start(): Promise<void> {
    const ids = await this.store.listUnfinished();
    let resumed = 0;
    for (const id of ids) if ((await this.resume(id)) === 'running') resumed++;
    if (ids.length > 0) this.logger.info('resumed unfinished workflows', { running: resumed, queued: this.queue.size });
  }

  /**
   * Runs one stored workflow from its snapshot: the unit a worker process
   * calls. A queued one is admitted; a running one restarts at once (it held
   * a slot before), its interrupted tasks counted as new attempts.
   */
  async resume(id: string): Promise<'running' | 'queued' | 'skipped'> {
    if (this.runs.has(id) || this.queue.get(id)) return 'skipped';
    const record = await this.store.get(id);
    if (!record || isTerminal(record.status.status)) return 'skipped';
    if (record.snapshot === null) {
      this.admit(record);
      return this.runs.has(id) ? 'running' : 'queued';
    }
    const { status, rerun } = statusForResume(record.status);
    if (rerun.length > 0) this.logger.warn('resuming workflow; tasks that were running run again', { workflow_id: id, tasks: rerun });
    this.launch({ ...record, status });
    return 'running';
  }

  async stop(options: { graceMs?: number } = {}): Promise<void> {
    this.accepting = false;
    const deadline = Date.now() + (options.graceMs ?? 0);
    while (this.runs.size > 0 && Date.now() < deadline) await abortableSleep(Math.min(50, deadline - Date.now()));
    // What is still running stays `running` in the store; the next start runs it again.
    await this.persister.idle();
    for (const run of this.runs.values()) run.halt();
    this.runs.clear();
    await this.persister.idle();
    this.persister.dispose();
  }

  /**
   * Starts a stored-as-pending workflow now, or queues it when every slot is
   * taken. `params`: its tasks' parsed params, when create just parsed them.
   */
  private admit(record: WorkflowRecord, params?: unknown[][]): void {
    if (this.runs.size < this.maxConcurrent && this.accepting) {
      this.launch(record, params);
      return;
    }
    const queued: QueuedWorkflow = { id: record.id, version: record.version, record, params, toRecord: (v) => ({ ...queued.record, version: v }) };
    this.queue.push(queued, record.status.priority);
  }

  private launch(record: WorkflowRecord, params?: unknown[][]): void {
    const run = new WorkflowRun(record, this.machineFor(record), params);
    this.runs.set(run.id, run);
    run.start((r) => this.onTransition(r));
  }

  private machineFor(record: WorkflowRecord): AnyStateMachine {
    const steps = record.definition.steps.length;
    let machine = this.machines.get(steps);
    if (!machine) this.machines.set(steps, (machine = buildMachine(steps, this.actors, this.laneHooks)));
    return machine;
  }

  private onTransition(run: WorkflowRun): void {
    if (!run.done) {
      // Only a watched run pays for a copy of its status.
      if (this.watchers.has(run.id)) this.watchers.tell(run.id, run.status);
      return this.persister.mark(run);
    }
    this.runs.delete(run.id);
    this.settling.add(run);
    this.drainQueue();
  }

  /** Another writer owns `id`: stop running it here and free its slot; reads go to the store. */
  private release(id: string): void {
    this.runs.get(id)?.halt();
    this.runs.delete(id);
    this.settling.delete(id);
    this.drainQueue();
  }

  private drainQueue(): void {
    while (this.accepting && this.runs.size < this.maxConcurrent) {
      const next = this.queue.shift();
      if (!next) return;
      this.launch({ ...next.record, version: next.version }, next.params);
    }
  }

  /** The `task` actor: one attempt of one task, with its upstream outputs. */
  private runTask(input: TaskActorInput, signals: SignalSource): Promise<unknown> {
    const run = this.runs.get(input.workflowId);
    if (!run) return Promise.reject(new Error('workflow is no longer running in this process'));
    const { live } = run;
    const task = live.doc.steps[input.step].tasks[input.task];
    const definition = this.registry.get(task.name);
    if (!definition) return Promise.reject(new Error(`task "${task.name}" is not registered in this process`));
    let params: unknown;
    try {
      params = run.parsedParams(input.step, input.task, definition);
    } catch (error) {
      return Promise.reject(error);
    }
    const timeout = typeof task.params.timeout === 'number' ? task.params.timeout : undefined;
    // `live.outputCount`: the attempt sees what had succeeded when it started.
    const ctx = new AttemptContext(params, task.attempts, run.id, task.id, live, live.outputCount, this.logger, signals);
    return runTaskAttempt(definition, ctx, timeout);
  }
}
