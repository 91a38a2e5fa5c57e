import { isTerminal, type WorkflowStatus } from '../../../shared/status.ts';
import type { Priority } from '../../../shared/definition.ts';
import type { ClusterLink, ClusterProcess, JobOutcome, JobRunner } from '../../cluster/ClusterLink.ts';
import type { Logger } from '../../logger.ts';
import type { WorkflowRecord, WorkflowStore } from '../../store/WorkflowStore.ts';
import { abortableSleep } from '../../tasks/abortableSleep.ts';
import { cancelledRecord } from '../status/index.ts';
import type { Persister } from '../persistence/index.ts';
import type { WorkflowRun } from '../run/index.ts';
import type { StatusListener } from '../WorkflowEngine.ts';
import { reusedFor } from '../../reusedFor.ts';

/** A backoff shorter than this waits in the process (parking costs a few round trips). */
const PARK_MIN_MS = 500;
/** How long a cancel through a process that does not run the workflow waits for its end. */
const CANCEL_WAIT_MS = 2000;
/** A watcher in cluster mode also re-reads this often, in case a published change was lost (a reconnect). */
const WATCH_POLL_MS = 5000;
const DONE: JobOutcome = { kind: 'done' };
/** How old /health's cluster figures may be. */
const STATS_CACHE_MS = 1000;

/** The cluster's part of /health. */
interface ClusterStats {
  processes: ClusterProcess[];
  backlog: { waiting: number; delayed: number; active: number };
}

/** What ClusterRuns needs of the engine. */
export interface RunHost {
  readonly store: WorkflowStore;
  readonly persister: Persister;
  readonly logger: Logger;
  /** Runs of this process by id. */
  readonly runs: Map<string, WorkflowRun>;
  /** False once the process is stopping. */
  readonly accepting: boolean;
  /** Starts a stored workflow here: fresh, or from its snapshot. */
  launchStored(record: WorkflowRecord): WorkflowRun;
  /** Stops `id` here without a write (another owner now). */
  drop(id: string): void;
}

/**
 * The engine's side of the cluster: runs the workflows whose BullMQ job this
 * process holds, and answers for that job — done once the end is stored,
 * parked while every task waits out a backoff, handed back on shutdown,
 * lost when another process owns it. Cancels and watches reach other
 * processes through the cluster link.
 */
export class ClusterRuns implements JobRunner {
  private readonly jobs = new Map<string, (outcome: JobOutcome) => void>();

  constructor(
    private readonly host: RunHost,
    readonly link: ClusterLink,
  ) {}

  /**
   * Joins the cluster: every stored unfinished workflow gets its job (those
   * that have one keep it: a process that crashed between storing and
   * enqueueing loses nothing), then, unless API-only, this process takes jobs.
   */
  async join(runWorkflows: boolean): Promise<void> {
    const ids = await this.host.store.listUnfinished();
    if (ids.length > 0) await this.link.enqueue(ids.map((id) => ({ id, priority: 'normal' as const })));
    if (runWorkflows) await this.link.startWorker(this);
  }

  /** Hands stored workflows to the cluster; a failed enqueue is retried in the background until Redis answers. */
  async enqueue(items: Array<{ id: string; priority: Priority }>): Promise<void> {
    try {
      await this.link.enqueue(items);
    } catch (error) {
      this.host.logger.warn('could not enqueue a stored workflow; retrying', { error, workflows: items.length });
      void abortableSleep(1000).then(() => this.enqueue(items));
    }
  }

  /** Shutdown, after the grace period: hands back what still runs, writes everything, closes the link. */
  async leave(): Promise<void> {
    await this.handBack();
    await this.host.persister.idle();
    await this.link.close();
  }

  /**
   * The live processes of the cluster and its jobs, for /health: read at most
   * once per STATS_CACHE_MS, however many load balancers, dashboards and
   * scripts poll (each read is a script on Redis, and the process list reads
   * every active job).
   */
  stats(): Promise<ClusterStats> {
    return this.cachedStats();
  }

  private readonly cachedStats = reusedFor(STATS_CACHE_MS, async (): Promise<ClusterStats> => {
    const [processes, backlog] = await Promise.all([this.link.processes(), this.link.backlog()]);
    return { processes, backlog };
  });

  async runJob(id: string): Promise<JobOutcome> {
    const { host } = this;
    // A paused worker's fetch that was already waiting can still hand us a job: give it back.
    if (!host.accepting) return { kind: 'handback' };
    let record: WorkflowRecord | null;
    try {
      record = await host.store.get(id);
    } catch (error) {
      host.logger.warn('could not load a workflow to run; handing it back', { workflow_id: id, error });
      await abortableSleep(1000);
      return { kind: 'handback' };
    }
    if (!record || isTerminal(record.status.status)) return DONE;
    if (host.runs.has(id)) return { kind: 'lost' };
    const outcome = new Promise<JobOutcome>((resolve) => this.jobs.set(id, resolve));
    const run = host.launchStored(record);
    if (record.cancelRequested) run.cancel();
    return outcome;
  }

  /** The run's end is stored: its job completes. */
  ended(id: string): void {
    this.finish(id, DONE);
  }

  lockLost(id: string): void {
    if (!this.jobs.has(id)) return;
    this.host.logger.warn('lost the lock of a workflow (event loop stalled past the lock?); stopping it here', { workflow_id: id });
    this.host.drop(id);
    this.finish(id, { kind: 'lost' });
  }

  /** The store's version check says another process wrote `id`. */
  lost(id: string): void {
    this.finish(id, { kind: 'lost' });
  }

  cancelHere(id: string): void {
    this.host.runs.get(id)?.cancel();
  }

  /** After a transition: a run whose every open task waits out a long backoff is parked (see JobOutcome). */
  maybePark(run: WorkflowRun): void {
    const until = run.live.onlyWaitingUntil();
    if (until === null || until - Date.now() < PARK_MIN_MS || !this.jobs.has(run.id)) return;
    this.host.runs.delete(run.id);
    run.detach();
    this.host.persister.mark(run);
    void this.host.persister.written(run).then(() => this.finish(run.id, { kind: 'park', until }));
  }

  /** Shutdown: every run still here is frozen, written, and its job handed back for another process. */
  async handBack(): Promise<void> {
    const { host } = this;
    const runs = [...host.runs.values()];
    for (const run of runs) {
      host.runs.delete(run.id);
      run.detach();
      host.persister.mark(run);
    }
    await host.persister.idle();
    for (const run of runs) this.finish(run.id, { kind: 'handback' });
    if (runs.length > 0) host.logger.info('handed running workflows back to the cluster', { workflows: runs.length });
  }

  /**
   * Cancels a workflow this process does not run: ends it here if no process
   * holds its job (queued or parked), else asks the holder (within a second)
   * and, for a holder that died, leaves the request on the record for the next one.
   */
  async cancelElsewhere(id: string, current: WorkflowStatus): Promise<WorkflowStatus> {
    const { store } = this.host;
    await store.requestCancel(id);
    if (await this.link.removeWaiting(id)) return this.cancelStored(id, current);
    await this.link.broadcastCancel(id);
    return this.waitForEnd(id, current);
  }

  /** Watches a workflow through the store, whichever process runs it. */
  subscribe(id: string, listener: StatusListener): () => void {
    let closed = false;
    const read = () => {
      this.host.store.getStatusAt(id).then(
        (at) => {
          if (at && !closed) listener(at.status, at.eventId);
        },
        () => {
          // The store is away: the next change or poll reads again.
        },
      );
    };
    const stop = this.link.watch(id, read, read);
    const poll = setInterval(read, WATCH_POLL_MS);
    return () => {
      closed = true;
      clearInterval(poll);
      stop();
    };
  }

  private async cancelStored(id: string, current: WorkflowStatus): Promise<WorkflowStatus> {
    for (let tries = 0; tries < 3; tries++) {
      const record = await this.host.store.get(id);
      if (!record || isTerminal(record.status.status)) return record?.status ?? current;
      const { saved } = cancelledRecord(record, this.link.processId);
      const { conflicts } = await this.host.store.saveMany([saved]);
      if (conflicts.length === 0) return saved.status;
    }
    return (await this.host.store.getStatus(id)) ?? current;
  }

  private async waitForEnd(id: string, current: WorkflowStatus): Promise<WorkflowStatus> {
    let latest = current;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, CANCEL_WAIT_MS);
      const stop = this.subscribe(id, (status) => {
        latest = status;
        if (isTerminal(status.status)) done();
      });
      function done() {
        clearTimeout(timer);
        stop();
        resolve();
      }
    });
    return latest;
  }

  private finish(id: string, outcome: JobOutcome): void {
    const resolve = this.jobs.get(id);
    if (!resolve) return;
    this.jobs.delete(id);
    resolve(outcome);
  }
}
