import type { Priority } from '../../shared/definition.ts';

/** How a run given to this process by the cluster ended, for the job it came from. */
export type JobOutcome =
  /** The workflow ended and its final state is stored: the job completes. */
  | { kind: 'done' }
  /** Every task is in retry backoff: the job waits as a delayed job until `until` (epoch ms), holding no process. */
  | { kind: 'park'; until: number }
  /** This process is stopping: the job goes back to waiting now, for another process. */
  | { kind: 'handback' }
  /** The job's lock (or the store's version check) says another process owns it now: touch nothing. */
  | { kind: 'lost' };

/** What the engine gives the cluster: how to run one workflow whose job this process holds. */
export interface JobRunner {
  /** Runs stored workflow `id` until it ends, parks, is handed back or lost. Never rejects. */
  runJob(id: string): Promise<JobOutcome>;
  /** The job's lock is gone (renewal failed): stop `id` at once, write nothing more for it. */
  lockLost(id: string): void;
  /** Some process asked for `id` to be cancelled: cancel it if it runs here. */
  cancelHere(id: string): void;
}

/** A process of the cluster, as `/health` lists it. */
export interface ClusterProcess {
  id: string;
  host: string;
  pid: number;
  started_at: string;
  /** Workflows whose job this process holds now. */
  running: number;
}

/**
 * The engine's door to the other processes on one Redis (server/cluster
 * implements it on BullMQ). The engine never imports BullMQ itself.
 */
export interface ClusterLink {
  /** This process's id (stamped on the events of what it runs). */
  readonly processId: string;
  /** Hands stored workflows to the cluster; a workflow that has a job already is left as it is. */
  enqueue(items: Array<{ id: string; priority: Priority }>): Promise<void>;
  /** Removes `id`'s job if it waits (queued or delayed), so no process will take it; false if a process holds it or there is none. */
  removeWaiting(id: string): Promise<boolean>;
  /** Tells every process to cancel `id` if it runs it. */
  broadcastCancel(id: string): Promise<void>;
  /**
   * Calls `onChange` with the newest event id whenever `id`'s stored state
   * changes, in any process, and `onReady` once changes are being listened to
   * (a read after that misses nothing). Returns the unsubscribe.
   */
  watch(id: string, onChange: (eventId: number) => void, onReady: () => void): () => void;
  /** Starts taking jobs (a worker process); without it this process only serves the API. */
  startWorker(runner: JobRunner): Promise<void>;
  /** Stops taking new jobs; jobs held now keep running until their runs return. */
  pauseWorker(): Promise<void>;
  /** Jobs waiting (queued and delayed) in the whole cluster. */
  backlog(): Promise<{ waiting: number; delayed: number; active: number }>;
  /** The live processes that run workflows. */
  processes(): Promise<ClusterProcess[]>;
  /** Closes the worker (after its jobs returned), the queue and the connections. */
  close(): Promise<void>;
}
