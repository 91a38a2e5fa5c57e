import { DelayedError, Queue, WaitingError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Priority } from '../../shared/definition.ts';
import type { Logger } from '../logger.ts';
import { ClusterChannel } from './ClusterChannel.ts';
import type { ClusterLink, ClusterProcess, JobOutcome, JobRunner } from './ClusterLink.ts';
import { parseProcessId, type ProcessIdentity } from './processIdentity.ts';
import { reusedFor } from '../reusedFor.ts';

/** The BullMQ queue every workflow job lives in. */
export const QUEUE_NAME = 'workflows';

/** BullMQ's key prefix under the store's: the queue's keys are `<it>:workflows:*`. */
export function bullPrefixOf(storePrefix: string): string {
  return `${storePrefix}bull`;
}

/** BullMQ priorities: lower runs first; FIFO within one. */
const JOB_PRIORITY: Record<Priority, number> = { high: 1, normal: 2, low: 3 };

/** A workflow's job: its id is the workflow's; done, it is removed (the store keeps the outcome). */
function jobOptions({ id, priority }: { id: string; priority: Priority }) {
  return { jobId: id, priority: JOB_PRIORITY[priority], removeOnComplete: true, removeOnFail: { count: 1000 } };
}

/** Options of {@link BullCluster}. */
export interface BullClusterOptions {
  redisUrl: string;
  /** The store's key prefix; BullMQ's keys go under `<prefix>bull:workflows:`. */
  prefix: string;
  identity: ProcessIdentity;
  /** Workflows this process runs at once (the worker's concurrency). */
  concurrency: number;
  /** How long a job's lock lasts without renewal: a dead process's workflows move on after at most this plus `stalledIntervalMs`. */
  lockDurationMs: number;
  /** How often each worker looks for jobs whose lock expired. */
  stalledIntervalMs: number;
  logger: Logger;
}

/** How long a handed-back job waits before any process may take it (see `process`). */
const HANDBACK_DELAY_MS = 1000;
/** Enqueued at most this many per call (one round trip each). */
const ENQUEUE_CHUNK = 500;
/** How long a list of processes is reused (health checks may come often). */
const PROCESSES_CACHE_MS = 2000;
/**
 * BullMQ workers per process, sharing its slots (MAX_CONCURRENT_WORKFLOWS).
 * Measured (scale-out, 4 processes of 50 slots after an idle spell): one
 * worker each had all 200 running 249 ms after the first create, and 1 process of
 * 50 slots 399 ms; with 4 workers each, 219 and 94 ms (see bench/README).
 */
const WORKERS_MAX = 4;
/** No worker gets fewer slots than this (a process of 1 slot has one worker). */
const SLOTS_PER_WORKER_MIN = 10;
/** Active jobs read to count each process's workflows (beyond it, `running` undercounts). */
const PROCESSES_SAMPLE = 1000;

/**
 * The cluster on BullMQ: every unfinished workflow is a job (id = workflow id)
 * in one queue. A process runs a workflow only while its worker holds the
 * job's lock; BullMQ's stalled-job check moves a dead process's jobs back to
 * waiting, where another process takes them; a workflow whose tasks all wait
 * out a retry backoff is a delayed job. No lock, lease or election of ours.
 */
export class BullCluster implements ClusterLink {
  readonly processId: string;
  private readonly queue: Queue;
  private readonly bullPrefix: string;
  private readonly connections: Redis[] = [];
  private readonly channel: ClusterChannel;
  private workers: Worker[] = [];
  private stopCancels: (() => void) | null = null;
  private readonly cachedProcesses = reusedFor(PROCESSES_CACHE_MS, () => this.readProcesses());

  constructor(private readonly options: BullClusterOptions) {
    this.processId = options.identity.id;
    this.bullPrefix = bullPrefixOf(options.prefix);
    const queueConnection = this.connect({ maxRetriesPerRequest: 1 });
    this.queue = new Queue(QUEUE_NAME, { connection: queueConnection, prefix: this.bullPrefix });
    this.queue.on('error', (error) => options.logger.warn('cluster queue error', { error }));
    this.channel = new ClusterChannel(this.connect({ maxRetriesPerRequest: null }), queueConnection, options.prefix, options.logger);
  }

  async enqueue(items: Array<{ id: string; priority: Priority }>): Promise<void> {
    // A job id that exists already (queued, delayed or held) is left as it is: BullMQ adds nothing.
    // One item (a create) is one `add`: `addBulk` builds an ioredis pipeline, whose constructor
    // copies every BullMQ script onto it (~50), a tenth of a create's CPU here.
    if (items.length === 1) {
      await this.queue.add('run', {}, jobOptions(items[0]));
      return;
    }
    for (let i = 0; i < items.length; i += ENQUEUE_CHUNK) {
      const chunk = items.slice(i, i + ENQUEUE_CHUNK);
      await this.queue.addBulk(chunk.map((item) => ({ name: 'run', data: {}, opts: jobOptions(item) })));
    }
  }

  async removeWaiting(id: string): Promise<boolean> {
    // `remove` refuses a job whose lock is held: then a process runs it.
    try {
      return (await this.queue.remove(id)) === 1;
    } catch {
      return false;
    }
  }

  broadcastCancel(id: string): Promise<void> {
    return this.channel.broadcastCancel(id);
  }

  watch(id: string, onChange: (eventId: number) => void, onReady: () => void): () => void {
    return this.channel.watchWorkflow(id, onChange, onReady);
  }

  async startWorker(runner: JobRunner): Promise<void> {
    const { options } = this;
    this.stopCancels = this.channel.onCancel((id) => runner.cancelHere(id));
    // A BullMQ worker takes jobs one after another (each a round trip), so
    // one worker of 50 slots needs 50 round trips to fill them after an idle
    // spell: several workers fill their shares at once (see WORKERS_MAX).
    const count = Math.min(WORKERS_MAX, Math.ceil(options.concurrency / SLOTS_PER_WORKER_MIN));
    for (let i = 0; i < count; i++) {
      const slots = Math.floor(options.concurrency / count) + (i < options.concurrency % count ? 1 : 0);
      // One stalled-job check per process is enough: it moves any dead process's jobs.
      this.workers.push(this.newWorker(runner, slots, i > 0));
    }
    for (const worker of this.workers) void worker.run().catch((error: unknown) => options.logger.error('cluster worker stopped', { error }));
    await Promise.all(this.workers.map((worker) => worker.waitUntilReady()));
  }

  private newWorker(runner: JobRunner, concurrency: number, skipStalledCheck: boolean): Worker {
    const { options } = this;
    const worker = new Worker(QUEUE_NAME, (job: Job, token?: string) => this.process(runner, job, token), {
      connection: this.connect({ maxRetriesPerRequest: null }),
      prefix: this.bullPrefix,
      name: this.processId,
      concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      skipStalledCheck,
      // A workflow goes on after every takeover: BullMQ failing a job for
      // stalling too often does so without an event (bullmq#3282), and would
      // leave the workflow `running` forever.
      maxStalledCount: 1_000_000,
      // An idle worker blocks on the queue's marker at most this long (s): a
      // job it was not woken for (one handed back, see `process`) waits no longer.
      drainDelay: 1,
      autorun: false,
    });
    worker.on('error', (error) => options.logger.warn('cluster worker error', { error }));
    worker.on('lockRenewalFailed', (ids: string[]) => {
      for (const id of ids) runner.lockLost(id);
    });
    worker.on('stalled', (id: string) => options.logger.info('took over a workflow whose process stopped answering', { workflow_id: id }));
    return worker;
  }

  async pauseWorker(): Promise<void> {
    this.stopCancels?.();
    this.stopCancels = null;
    await Promise.all(this.workers.map((worker) => worker.pause(true)));
  }

  async backlog(): Promise<{ waiting: number; delayed: number; active: number }> {
    const counts = await this.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
    return { waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0), delayed: counts.delayed ?? 0, active: counts.active ?? 0 };
  }

  processes(): Promise<ClusterProcess[]> {
    return this.cachedProcesses();
  }

  async close(): Promise<void> {
    this.stopCancels?.();
    await Promise.all(this.workers.map((worker) => worker.close()));
    await this.queue.close();
    await Promise.all(this.connections.map((c) => c.quit().catch(() => c.disconnect())));
  }

  /** One job: run the workflow, then tell BullMQ where its job goes. */
  private async process(runner: JobRunner, job: Job, token?: string): Promise<void> {
    const outcome: JobOutcome = await runner.runJob(job.id!);
    switch (outcome.kind) {
      case 'done':
        return;
      case 'park':
        await job.moveToDelayed(outcome.until, token);
        throw new DelayedError();
      case 'handback':
        // As a delayed job, not `moveToWait`: that does not wake the idle
        // workers blocked on the queue's marker (measured: taken ~5 s later, at
        // their blocking timeout); a delayed one does. Due a moment from now,
        // not at once: this stopping process's own fetch, already waiting on
        // the marker, would otherwise take it back while its connections close,
        // and leave it locked until the lock expires.
        await job.moveToDelayed(Date.now() + HANDBACK_DELAY_MS, token);
        throw new DelayedError();
      case 'lost':
        // Another process holds (or will take) the job: leave it alone.
        throw new WaitingError();
    }
  }

  private async readProcesses(): Promise<ClusterProcess[]> {
    // `getActive` reads each job (one HGETALL apiece): count the holders of at most
    // the first PROCESSES_SAMPLE active jobs, and reuse the answer a few seconds.
    const [clients, active] = await Promise.all([this.queue.getWorkers(), this.queue.getActive(0, PROCESSES_SAMPLE - 1)]);
    const running = new Map<string, number>();
    for (const job of active) if (job?.processedBy) running.set(job.processedBy, (running.get(job.processedBy) ?? 0) + 1);
    // Client names are `<prefix>:<queue name, base64>:w:<worker name>`.
    const marker = ':w:';
    const seen = new Map<string, ClusterProcess>();
    for (const client of clients as Array<{ rawname?: string; age?: string }>) {
      const name = client.rawname?.slice(client.rawname.indexOf(marker) + marker.length) ?? '';
      const identity = parseProcessId(name);
      if (!identity || seen.has(identity.id)) continue;
      const started = new Date(Date.now() - Number(client.age ?? 0) * 1000).toISOString();
      seen.set(identity.id, { id: identity.id, host: identity.host, pid: identity.pid, started_at: started, running: running.get(identity.id) ?? 0 });
    }
    return [...seen.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  private connect(extra: { maxRetriesPerRequest: number | null }): Redis {
    const connection = new Redis(this.options.redisUrl, { ...extra, enableReadyCheck: true });
    connection.on('error', () => {
      // Reconnects on its own; the store's connection logs Redis being away once.
    });
    this.connections.push(connection);
    return connection;
  }
}
