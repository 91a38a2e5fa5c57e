import type { InspectionEvent, Observer } from 'xstate';
import type { WorkflowPage, WorkflowState, WorkflowStatus } from '../../shared/status.ts';
import type { ListInput, TaskInfo } from '../../shared/api.ts';
import type { Limits } from '../../shared/limits.ts';
import type { Logger } from '../logger.ts';
import type { WorkflowStore, StatusAt } from '../store/WorkflowStore.ts';
import type { TaskRegistry } from '../tasks/registry.ts';
import type { EventPage } from '../../shared/events.ts';
import type { WorkflowMachineInfo } from '../../shared/machine.ts';
import type { ClusterLink, ClusterProcess } from '../cluster/ClusterLink.ts';

/** Called with every new status of a watched workflow and the id of the newest event it reflects. */
export type StatusListener = (status: WorkflowStatus, eventId: number) => void;

/**
 * What the API layer sees of the engine. Every method that takes user input
 * validates it and throws FlowstateError (BAD_REQUEST, NOT_FOUND, ...) on bad input.
 * One name per role: `WorkflowEngine` is this contract, {@link WorkflowEngineWithInternals}
 * adds what tests and benchmarks read, `createEngine` builds the one implementation
 * (`WorkflowEngineImpl`), and a library user's `app.engine` is the public subset
 * `FlowstateEngine` (server/createFlowstate.ts).
 */
export interface WorkflowEngine {
  /** Which store holds workflows. */
  readonly storeKind: 'memory' | 'redis';
  /** Validates a definition (wire JSON, unknown shape), stores it and starts or queues it. */
  create(definition: unknown): Promise<WorkflowStatus>;
  /** The current status; NOT_FOUND if unknown. */
  get(id: string): Promise<WorkflowStatus>;
  /** The current status with the id of the newest event it reflects (what `watch` starts from); NOT_FOUND if unknown. */
  current(id: string): Promise<StatusAt>;
  /** The workflow's history after event `after`, oldest first; NOT_FOUND if unknown. */
  events(id: string, after?: number, limit?: number): Promise<EventPage>;
  /**
   * The XState machine workflow `id` runs as (its JSON definition) and its
   * current state value; NOT_FOUND if unknown.
   */
  machine(id: string): Promise<WorkflowMachineInfo>;
  /** How many workflows the store holds in each state. */
  counts(): Promise<Record<WorkflowState, number>>;
  /** Newest first, with cursor and optional status and name filters (see WorkflowStore.list). */
  list(input: ListInput): Promise<WorkflowPage>;
  /** Cancels a pending or running workflow; a finished one is returned as is. */
  cancel(id: string): Promise<WorkflowStatus>;
  /**
   * Calls `listener` with every status change of workflow `id` made from now on
   * (within this process). Returns the unsubscribe function.
   */
  subscribe(id: string, listener: StatusListener): () => void;
  /** Workflows running and queued in this process, and changes not yet written to the store. */
  stats(): { running: number; queued: number; unsaved: number };
  /** This process's id on a cluster (stamped on the events of what it runs). */
  readonly processId: string | undefined;
  /** On a cluster: the live processes and the jobs waiting; null on the memory store. */
  clusterStats(): Promise<{ processes: ClusterProcess[]; backlog: { waiting: number; delayed: number; active: number } } | null>;
  /** Registered tasks with their param schemas. */
  tasks(): TaskInfo[];
  /** Resumes every unfinished workflow in the store. */
  start(): Promise<void>;
  /** Stops taking work, gives running tasks `graceMs` to finish, persists everything. */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/** Options of `createEngine`. Only `store` is required. */
export interface WorkflowEngineOptions {
  store: WorkflowStore;
  registry?: TaskRegistry;
  /** Workflows running at once; the rest wait as `pending` (default 1000). */
  maxConcurrentWorkflows?: number;
  /** Memory store: workflows waiting for a slot before create answers 503 (default 100,000). */
  maxQueuedWorkflows?: number;
  limits?: Limits;
  logger?: Logger;
  /** On a shared Redis: the cluster this process is part of (BullMQ). Unset: one process runs everything it stores. */
  cluster?: ClusterLink;
  /** With `cluster`: false for an API-only process, which stores and enqueues but runs nothing (default true). */
  runWorkflows?: boolean;
  /** Stamped on the events of what this process runs (the cluster's id when there is one). */
  processId?: string;
  /** Newest events kept per workflow while the store is away (the store caps what it keeps itself). */
  maxEventsPerWorkflow?: number;
  /** Attached to every workflow actor: sees its events and snapshots (`XSTATE_INSPECT`, a development aid). */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
}

/** A {@link WorkflowEngine} with the internals tests and benchmarks read. */
export type WorkflowEngineWithInternals = WorkflowEngine & {
  /** Store writes and batches so far (benchmarks report writes per workflow). */
  readonly persistence: { writes: number; batches: number };
  /** Resolves once every change so far is in the store. */
  flushed(): Promise<void>;
  /** Runs one stored, unfinished workflow from its snapshot (what `start` does for each). */
  resume(id: string): Promise<'running' | 'queued' | 'skipped'>;
};
