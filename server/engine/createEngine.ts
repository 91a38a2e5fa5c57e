import { isTerminal, type WorkflowStatus, type WorkflowPage } from '../../shared/status.ts';
import type { ListInput, TaskInfo } from '../../shared/api.ts';
import { DEFAULT_LIMITS } from '../../shared/limits.ts';
import { FlowstateError } from '../errors.ts';
import { createLogger, type Logger } from '../logger.ts';
import type { StatusAt, WorkflowRecord, WorkflowStore } from '../store/WorkflowStore.ts';
import { createDefaultRegistry, type TaskRegistry } from '../tasks/registry.ts';
import { abortableSleep } from '../tasks/abortableSleep.ts';
import type { WorkflowEngineWithInternals, WorkflowEngineOptions, StatusListener } from './WorkflowEngine.ts';
import { type DelayActorInput, type TaskActorInput, type WorkflowActors, buildLaneMachine, type LaneHooks, createMachineSetup, MachineCache } from './machine/index.ts';
import { createDefinitionNormalizer, WorkflowRun, runAttempt, fromLazySignalPromise } from './run/index.ts';
import { copyStatus, initialStatus, isoNow, statusForResume, EventLog, cancelledRecord } from './status/index.ts';
import { fromStore, notFound, Persister } from './persistence/index.ts';
import { LaunchQueue, resumeStored, SettlingWorkflows, StatusWatchers, ClusterRuns } from './scheduling/index.ts';
import { newWorkflowId } from './newWorkflowId.ts';
import type { EventPage } from '../../shared/events.ts';
import type { WorkflowMachineInfo } from '../../shared/machine.ts';
import { workflowMachine } from './describeMachine.ts';

export type { WorkflowEngineWithInternals, WorkflowEngineOptions } from './WorkflowEngine.ts';

/** Builds the engine. Call `start()` to resume what the store holds unfinished. */
export function createEngine(options: WorkflowEngineOptions): WorkflowEngineWithInternals {
  return new WorkflowEngineImpl(options);
}

/**
 * The one implementation of WorkflowEngine: validates and stores workflows,
 * runs each as an XState actor (at most `maxConcurrentWorkflows` at once, the
 * rest queued by priority), persists every change through the Persister, and
 * tells subscribers.
 */
class WorkflowEngineImpl implements WorkflowEngineWithInternals {
  readonly storeKind: 'memory' | 'redis';
  readonly store: WorkflowStore;
  readonly registry: TaskRegistry;
  readonly logger: Logger;
  readonly processId: string | undefined;
  private readonly maxEvents: number;
  /** Set on a shared Redis: workflows run where BullMQ hands their job (see ClusterRuns). */
  private readonly cluster: ClusterRuns | null;
  /** On a cluster, an attempt is stored as started before it runs (see TaskAttempts). */
  readonly recordAttemptsFirst: boolean;
  private readonly runsHere: boolean;
  private readonly normalize: ReturnType<typeof createDefinitionNormalizer>;
  readonly persister: Persister;
  /** One machine per shape of steps (kinds and widths): everything else about a workflow is read from its status. */
  readonly machines: MachineCache;
  readonly runs = new Map<string, WorkflowRun>();
  readonly queue: LaunchQueue;
  private readonly settling: SettlingWorkflows;
  private readonly watchers: StatusWatchers;
  accepting = true;
  /** Sees every workflow actor's events and snapshots (XSTATE_INSPECT); unset by default. */
  private readonly inspect: WorkflowEngineOptions['inspect'];
  private readonly actors: WorkflowActors = {
    task: fromLazySignalPromise<unknown, TaskActorInput>((input, signals) => runAttempt(this, input, signals)),
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

  constructor(options: WorkflowEngineOptions) {
    this.store = options.store;
    this.storeKind = options.store.kind;
    this.registry = options.registry ?? createDefaultRegistry();
    this.queue = new LaunchQueue(
      { maxRunning: options.maxConcurrentWorkflows ?? 1000, maxQueued: options.maxQueuedWorkflows ?? 100_000 },
      { running: () => this.runs.size, accepting: () => this.accepting, launch: (record, params) => this.launch(record, params) },
    );
    this.logger = options.logger ?? createLogger('silent');
    this.inspect = options.inspect;
    this.machines = new MachineCache(createMachineSetup({ ...this.actors, lane: buildLaneMachine(this.actors, this.laneHooks) }));
    this.processId = options.cluster?.processId ?? options.processId;
    this.maxEvents = options.maxEventsPerWorkflow ?? 10_000;
    this.normalize = createDefinitionNormalizer(this.registry, options.limits ?? DEFAULT_LIMITS);
    this.persister = new Persister(this.store, this.logger, (id) => this.release(id));
    this.watchers = new StatusWatchers(this.logger);
    this.cluster = options.cluster ? new ClusterRuns(this, options.cluster) : null;
    this.recordAttemptsFirst = this.cluster !== null;
    this.runsHere = options.runWorkflows ?? true;
    this.settling = new SettlingWorkflows(this.persister, (id, ended) => {
      // Only a watched workflow pays for a copy of its final status.
      if (this.watchers.has(id)) this.watchers.tell(id, ended.status, ended.eventId);
      this.cluster?.ended(id);
    });
  }

  get persistence() {
    return { writes: this.persister.writes, batches: this.persister.batches };
  }

  flushed(): Promise<void> {
    return this.persister.idle();
  }

  async create(input: unknown): Promise<WorkflowStatus> {
    if (!this.accepting) throw new FlowstateError('UNAVAILABLE', 'the server is shutting down; try again shortly');
    if (!this.cluster && this.queue.full) {
      throw new FlowstateError('UNAVAILABLE', `${this.queue.size} workflows are waiting for a slot in this process; try again shortly`);
    }
    const { definition, params } = this.normalize(input);
    const id = newWorkflowId();
    const now = isoNow();
    const events = new EventLog(0, undefined);
    events.add({ id: 0, at: now, type: 'workflow.created' }, false);
    const record: WorkflowRecord = { id, status: initialStatus(id, definition, now), definition, snapshot: null, version: 1, lastEventId: events.lastId };
    // Handed over (nothing changes them again): the run gets `record.status`, the store a copy of its own.
    const stored = { ...record, status: copyStatus(record.status), events: events.pending(), handedOver: true as const };
    const created = await fromStore(() => this.store.create(stored, definition.idempotency_key));
    if (!created.created) return this.get(created.id);
    if (this.cluster) {
      // Stored as pending: it runs wherever a process is free (and is found again at start if this enqueue is lost).
      const status = copyStatus(record.status);
      await this.cluster.enqueue([{ id, priority: status.priority }]);
      return status;
    }
    this.queue.admit(record, params);
    // A copy: the record's status is taken over (and changed) by its run once it launches.
    return copyStatus(record.status);
  }

  async get(id: string): Promise<WorkflowStatus> {
    // Read-your-writes: once a reader sees the end, a list by status shows it too (unless the store is away).
    await this.settling.stored(id);
    const live = this.liveStatus(id);
    if (live) return live;
    const status = await fromStore(() => this.store.getStatus(id));
    if (!status) throw notFound(id);
    return status;
  }

  async current(id: string): Promise<StatusAt> {
    await this.settling.stored(id);
    const run = this.runs.get(id);
    if (run && !this.cluster) return { status: run.status, eventId: run.eventId };
    const queued = this.queue.get(id);
    if (queued) return { status: copyStatus(queued.record.status), eventId: queued.record.lastEventId ?? 0 };
    const at = await fromStore(() => this.store.getStatusAt(id));
    if (!at) throw notFound(id);
    return at;
  }

  async events(id: string, after = 0, limit = 100): Promise<EventPage> {
    const page = await fromStore(() => this.store.events(id, after, limit));
    if (!page) throw notFound(id);
    return page;
  }

  async machine(id: string): Promise<WorkflowMachineInfo> {
    await this.settling.stored(id);
    return workflowMachine(this, id);
  }

  counts() {
    return fromStore(() => this.store.counts());
  }

  async list(input: ListInput): Promise<WorkflowPage> {
    const page = await fromStore(() => this.store.list({ limit: input.limit, cursor: input.cursor, status: input.status, name: input.name }));
    // The store may lag this tick's transitions; show live runs as they are now.
    const items = page.items.map((s) => this.liveStatus(s.id) ?? s);
    return { ...page, items: input.status ? items.filter((s) => s.status === input.status) : items };
  }

  async cancel(id: string): Promise<WorkflowStatus> {
    const run = this.runs.get(id);
    if (run) {
      run.cancel();
      return run.status;
    }
    const queued = this.queue.remove(id);
    if (queued) {
      const { saved, eventId } = cancelledRecord({ ...queued.record, version: queued.version }, this.processId);
      this.settling.add({ id, version: queued.version, status: saved.status, eventId, toRecord: (v) => ({ ...saved, version: v }) });
      return saved.status;
    }
    const status = await this.get(id);
    if (this.cluster && !isTerminal(status.status)) return fromStore(() => this.cluster!.cancelElsewhere(id, status));
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
    // On a cluster every change is read back from the store, whichever process made it.
    return this.cluster ? this.cluster.subscribe(id, listener) : this.watchers.add(id, listener);
  }

  stats() {
    return { running: this.runs.size, queued: this.queue.size, unsaved: this.persister.backlog };
  }

  clusterStats() {
    return this.cluster ? this.cluster.stats() : Promise.resolve(null);
  }

  tasks(): TaskInfo[] {
    return this.registry.describe();
  }

  async start(): Promise<void> {
    if (this.cluster) return this.cluster.join(this.runsHere);
    const ids = await this.store.listUnfinished();
    let resumed = 0;
    for (const id of ids) if ((await this.resume(id)) === 'running') resumed++;
    if (ids.length > 0) this.logger.info('resumed unfinished workflows', { running: resumed, queued: this.queue.size });
  }

  /** Runs one stored, unfinished workflow again (see resumeStored). */
  resume(id: string): Promise<'running' | 'queued' | 'skipped'> {
    return resumeStored(this, id);
  }

  async stop(options: { graceMs?: number } = {}): Promise<void> {
    this.accepting = false;
    if (this.cluster) await this.cluster.link.pauseWorker();
    const deadline = Date.now() + (options.graceMs ?? 0);
    while (this.runs.size > 0 && Date.now() < deadline) await abortableSleep(Math.min(50, deadline - Date.now()));
    if (this.cluster) {
      await this.cluster.leave();
      this.persister.dispose();
      return;
    }
    // What is still running stays `running` in the store; the next start runs it again.
    await this.persister.idle();
    for (const run of this.runs.values()) run.halt();
    this.runs.clear();
    await this.persister.idle();
    this.persister.dispose();
  }

  private launch(record: WorkflowRecord, params?: unknown[][]): WorkflowRun {
    const events = new EventLog(record.lastEventId ?? 0, this.processId, this.maxEvents);
    const { machine, stamp } = this.machines.get(record.definition.steps);
    const run = new WorkflowRun(record, machine, events, { params, stamp, inspect: this.inspect });
    if (run.restoreFailure !== null) this.logger.error('cannot resume workflow; it fails', { workflow_id: run.id, error: run.restoreFailure });
    this.runs.set(run.id, run);
    // Restored: the attempts counted again for interrupted tasks (and their
    // events) are written before those tasks run again (see TaskAttempts).
    if (record.snapshot !== null) this.persister.mark(run);
    run.start((r) => this.onTransition(r));
    return run;
  }

  /** RunHost: starts a stored workflow whose job this process holds, fresh or from its snapshot. */
  launchStored(record: WorkflowRecord): WorkflowRun {
    if (record.snapshot === null) return this.launch(record);
    const { status, rerun } = statusForResume(record.status);
    if (rerun.length > 0) this.logger.warn('resuming workflow; tasks that were running run again', { workflow_id: record.id, tasks: rerun });
    return this.launch({ ...record, status });
  }

  /** RunHost: stops `id` here and writes nothing more for it (another process owns it). */
  drop(id: string): void {
    this.runs.get(id)?.halt();
    this.runs.delete(id);
    this.persister.forget(id);
    this.settling.delete(id);
  }

  private onTransition(run: WorkflowRun): void {
    if (!run.done) {
      // Only a watched run pays for a copy of its status.
      if (this.watchers.has(run.id)) this.watchers.tell(run.id, run.status, run.eventId);
      this.persister.mark(run);
      if (this.cluster && run.live.retrying > 0) this.cluster.maybePark(run);
      return;
    }
    this.runs.delete(run.id);
    this.settling.add(run);
    this.queue.drain();
  }

  /** Another writer owns `id`: stop running it here and free its slot; reads go to the store. */
  private release(id: string): void {
    this.drop(id);
    this.cluster?.lost(id);
    this.queue.drain();
  }
}
