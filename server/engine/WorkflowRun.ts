import { createActor, type Actor, type AnyStateMachine, type Subscription } from 'xstate';
import type { WorkflowDefinition } from '../../shared/definition.ts';
import type { WorkflowStatus } from '../../shared/status.ts';
import type { WorkflowRecord } from '../store/WorkflowStore.ts';
import type { Persistable } from './Persister.ts';
import type { WorkflowContext } from './buildMachine.ts';
import { LiveStatus } from './LiveStatus.ts';

/** One workflow being executed in this process: its actor and what is needed to persist it. */
export class WorkflowRun implements Persistable {
  readonly id: string;
  readonly definition: WorkflowDefinition;
  /** The status document, changed in place by the machine's actions. */
  readonly live: LiveStatus;
  version: number;
  private readonly actor: Actor<AnyStateMachine>;
  private subscription: Subscription | null = null;
  private readonly params = new Map<string, unknown>();

  /**
   * Creates the actor: fresh from `record.status` (taken over: see
   * LiveStatus), or restored from
   * `record.snapshot`, whose context (dropped when persisted) is rebuilt from
   * the status.
   */
  constructor(record: WorkflowRecord, machine: AnyStateMachine) {
    this.id = record.id;
    this.definition = record.definition;
    this.version = record.version;
    this.live = new LiveStatus(record.status);
    const context: WorkflowContext = { live: this.live };
    this.actor = record.snapshot
      ? createActor(machine, { snapshot: { ...(record.snapshot as object), context } as never, input: context })
      : createActor(machine, { input: context });
  }

  /** The current status document (a copy: see LiveStatus). */
  get status(): WorkflowStatus {
    return this.live.snapshot();
  }

  /** True once the machine reached a final state. */
  get done(): boolean {
    return this.actor.getSnapshot().status === 'done';
  }

  /** Starts (or resumes) the actor; `onChange` runs after every transition. */
  start(onChange: (run: WorkflowRun) => void): void {
    this.subscription = this.actor.subscribe({
      next: () => onChange(this),
      error: () => onChange(this),
    });
    this.actor.start();
  }

  /** A task's params as its schema parsed them, parsed once per run (retries reuse them). */
  parsedParams(step: number, task: number, parse: () => unknown): unknown {
    const key = `${step}.${task}`;
    if (!this.params.has(key)) this.params.set(key, parse());
    return this.params.get(key);
  }

  /** Sends CANCEL; the machine stops every running task. */
  cancel(): void {
    this.actor.send({ type: 'CANCEL' });
  }

  /** Stops the actor without recording anything more (shutdown: the store keeps the last state). */
  halt(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.actor.stop();
  }

  /**
   * The record to persist; the snapshot's context is dropped, the status
   * carries it. The status is the live document itself, not a copy: stores
   * serialise a record before `saveMany` returns (see WorkflowStore).
   */
  toRecord(version: number): WorkflowRecord {
    const snapshot = this.actor.getSnapshot();
    // Persist with an empty context: XState would otherwise walk the whole
    // status document looking for actor refs, only for us to drop it.
    const persisted = this.actor.logic.getPersistedSnapshot({ ...snapshot, context: {} }) as Record<string, unknown>;
    return { id: this.id, status: this.live.doc, definition: this.definition, snapshot: { ...persisted, context: null }, version };
  }
}
