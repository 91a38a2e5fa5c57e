import { createActor, type Actor, type InspectionEvent, type Observer, type StateValue, type Subscription } from 'xstate';
import type { WorkflowStatus } from '../../../shared/status.ts';
import type { SavedRecord, WorkflowRecord } from '../../store/WorkflowStore.ts';
import type { Persistable } from '../persistence/index.ts';
import { type WorkflowContext, type WorkflowMachine, restoreFromStore } from '../machine/index.ts';
import { LiveStatus, type EventLog, isoNow } from '../status/index.ts';
import { taskOwnParams } from './normalizeDefinition.ts';
import type { TaskDefinition } from '../../tasks/defineTask.ts';

/** One workflow being executed in this process: its actor and what is needed to persist it. */
export class WorkflowRun implements Persistable {
  readonly id: string;
  /** The status document, changed in place by the machine's actions. */
  readonly live: LiveStatus;
  version: number;
  /** Null once the machine ended (see {@link retire}), or when it could not be restored. */
  private actor: Actor<WorkflowMachine> | null;
  /** Why the stored workflow could not be restored; it fails with this as its error when started. */
  readonly restoreFailure: string | null = null;
  /** Its machine's stamp (see machineFormat), on every snapshot it persists. */
  private readonly stamp: string;
  private subscription: Subscription | null = null;
  private onChange: (run: WorkflowRun) => void = ignoreChange;
  /**
   * What an ended run writes as its snapshot: null (its status says where it
   * ended: the final state of its outcome's name, see storedStateValue), or,
   * when it could not be restored, the snapshot as it was stored.
   */
  private finalSnapshot: unknown = null;
  /** Tasks' params as create parsed them, by step and task, until their first attempt takes them. */
  private readonly params: unknown[][];
  /** Newest event id the write in flight carries (see {@link persisted}). */
  private eventsSent = 0;
  /** Set once the run was detached: it changes no more, and what is written is this snapshot. */
  private detachedSnapshot: unknown = undefined;

  /**
   * Creates the actor: fresh from `record.status` (taken over: see
   * LiveStatus), or restored from `record.snapshot`, whose context (dropped
   * when persisted) is rebuilt from the status; a snapshot of another machine
   * format is rebuilt from the status (see restorableSnapshot). A workflow
   * that cannot be restored gets no actor: it fails when started.
   */
  constructor(record: WorkflowRecord, machine: WorkflowMachine, events: EventLog, options: RunOptions = {}) {
    this.id = record.id;
    this.version = record.version;
    this.params = options.params ?? record.definition.steps.map(() => []);
    this.stamp = options.stamp ?? '';
    this.live = new LiveStatus(record.status, events);
    const context: WorkflowContext = { live: this.live };
    const inspect = options.inspect;
    if (!record.snapshot) {
      // A fresh start: the workflow runs from now. (Not a root entry action of the
      // machine: XState runs those only at start(), after the first step's
      // entry has already been resolved and its tasks stamped.)
      this.live.workflowStarted(isoNow());
      this.actor = createActor(machine, { input: context, inspect });
      return;
    }
    let actor: Actor<WorkflowMachine> | null = null;
    try {
      actor = restoreFromStore(record.snapshot, record.status, this.stamp, (snapshot) => {
        const restored = createActor(machine, { snapshot: { ...snapshot, context } as never, input: context, inspect });
        // XState does not throw a snapshot it cannot restore: it makes an actor in error.
        const state = restored.getSnapshot();
        if (state.status === 'error') throw state.error;
        return restored;
      });
    } catch (error) {
      this.restoreFailure = (error as Error).message || String(error);
      // What is written when it fails: the snapshot as it was stored, for whoever looks into it.
      this.finalSnapshot = record.snapshot;
    }
    this.actor = actor;
    // Restored: a task still `running` is run again here (resumeStatus counted the attempt).
    if (actor) this.recordRestarts();
  }

  /** The current status document (a copy: see LiveStatus). */
  get status(): WorkflowStatus {
    return this.live.snapshot();
  }

  /** The id of the newest event (what watchers of the current status are told). */
  get eventId(): number {
    return this.live.events.lastId;
  }

  /** True once the machine reached a final state. */
  get done(): boolean {
    return this.actor === null && !this.detached;
  }

  /** The machine's current state value (null once it was let go: see {@link retire}). */
  get stateValue(): StateValue | null {
    return this.actor?.getSnapshot().value ?? null;
  }

  /** Starts (or resumes) the actor; `onChange` runs after every transition. */
  start(onChange: (run: WorkflowRun) => void): void {
    this.onChange = onChange;
    if (this.restoreFailure !== null) {
      // Never restored: it ends here, failed, saying why (the process goes on).
      this.live.workflowEnded('failed', isoNow(), this.restoreFailure);
      this.onChange(this);
      return;
    }
    // The run is its own observer (`next`, `error`): no closures per run.
    this.subscription = this.actor!.subscribe(this);
    // XState tells observers of the initial snapshot before the first step's
    // entry actions have run: report only the state after them (its first
    // attempts started), or a watcher sees a workflow running with no task started.
    this.starting = true;
    this.actor!.start();
    this.starting = false;
    if (!this.done && !this.detached) this.onChange(this);
  }

  private starting = false;

  /** Observer: the machine took a transition. */
  next(snapshot: { status: string }): void {
    if (snapshot.status === 'done') this.retire();
    else if (this.starting) return;
    this.onChange(this);
  }

  /** Observer: the machine threw. */
  error(): void {
    this.onChange(this);
  }

  /**
   * The machine ended: let the actor go. An ended run waits for its final
   * write (a tick, or longer while the store is away); holding its whole
   * actor tree meanwhile made every workflow of a burst survive the
   * young-generation GC. Its snapshot is not persisted: nothing resumes an
   * ended workflow, and its status names its final state.
   */
  private retire(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.actor = null;
  }

  /**
   * A task's params as its schema parsed them. The parse made at create serves
   * the first attempt and is then let go (a 1,000-task workflow would hold
   * them all); a retry, or a restored run, parses again.
   */
  parsedParams(step: number, task: number, definition: TaskDefinition): unknown {
    const parsed = this.params[step];
    const params = parsed[task] ?? definition.params.parse(taskOwnParams(this.live.doc.steps[step].tasks[task].params));
    parsed[task] = undefined;
    return params;
  }

  /** Sends CANCEL; the machine stops every running task. */
  cancel(): void {
    this.actor?.send({ type: 'CANCEL' });
  }

  /** Stops the actor without recording anything more (shutdown: the store keeps the last state). */
  halt(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.actor?.stop();
  }

  /**
   * Freezes the run as it is now and stops its actor (its tasks' signals
   * fire): what is written from now on is this moment's snapshot, so the
   * process that takes the workflow next resumes exactly here (a task that
   * was running runs again; one that had ended does not).
   */
  detach(): void {
    if (!this.actor) return;
    this.detachedSnapshot = this.persistedSnapshot();
    this.halt();
    this.actor = null;
  }

  /** True once {@link detach}ed. */
  get detached(): boolean {
    return this.detachedSnapshot !== undefined;
  }

  /**
   * The record to persist; the snapshot's context is dropped, the status
   * carries it. The status is the live document itself, not a copy: stores
   * serialise a record before `saveMany` returns (see WorkflowStore). An
   * ended run's record is handed over: nothing changes its document or events again.
   */
  toRecord(version: number): SavedRecord {
    const snapshot = this.actor ? this.persistedSnapshot() : this.detached ? this.detachedSnapshot : this.finalSnapshot;
    const events = this.live.events.pending();
    this.eventsSent = this.live.events.lastId;
    const record: SavedRecord = { id: this.id, status: this.live.doc, snapshot, version, events };
    if (this.done) record.handedOver = true;
    return record;
  }

  /** Persister: the last record written; its events are stored. */
  persisted(): void {
    this.live.events.savedUpTo(this.eventsSent);
  }

  private recordRestarts(): void {
    const now = isoNow();
    const { steps } = this.live.doc;
    for (let s = 0; s < steps.length; s++) for (let t = 0; t < steps[s].tasks.length; t++) if (steps[s].tasks[t].status === 'running') this.live.attemptRestarted(s, t, now);
  }

  private persistedSnapshot(): unknown {
    const actor = this.actor!;
    // Persist with an empty context: XState would otherwise walk the whole
    // status document looking for actor refs, only for us to drop it.
    // A fresh object of XState's: stamped in place rather than copied.
    const persisted = actor.logic.getPersistedSnapshot({ ...actor.getSnapshot(), context: {} } as never) as Record<string, unknown>;
    persisted.context = null;
    persisted.machine = this.stamp;
    return persisted;
  }
}

/** How a run is made, beyond its record, machine and history. */
export interface RunOptions {
  /** Tasks' params as create parsed them (see {@link WorkflowRun.parsedParams}). */
  params?: unknown[][];
  /** Its machine's stamp (see machineFormat), put on every snapshot it persists. */
  stamp?: string;
  /** Sees every event and snapshot of the run's actors (XSTATE_INSPECT). */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
}

/** Before start(): nobody listens yet. (Shared, not a closure per run.) */
function ignoreChange(): void {}
