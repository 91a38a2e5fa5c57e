import { randomUUID } from 'node:crypto';
import { FlowProducer, Queue, Worker, type FlowJob } from 'bullmq';
import { benchPrefix, connectRedis, deleteKeysWithPrefix } from './redisConnection.ts';
import { secondsSince } from './measure.ts';

/**
 * What one workflow is in BullMQ: `flow`, the seed shape as a flow of three
 * jobs (the competitor of the tables), or `job`, one no-op job (what the
 * cluster mode's BullMQ part costs a workflow at least: it holds one job).
 */
export type BullmqShape = 'flow' | 'job';

/** BullMQ on one queue under a random prefix: a producer and one worker at a time. */
export interface BullmqHarness {
  /** Replaces the worker with one of `concurrency` (no-op processor). */
  useConcurrency(concurrency: number): Promise<void>;
  /** Adds `count` workflows at once (addBulk, 200 a call); resolves with the seconds until every one completed (a flow: its root job). */
  runFlows(count: number): Promise<number>;
  /** Closes worker and producer and deletes the keys. */
  close(): Promise<void>;
}

const ROOT = 'task_c';
const BULK = 200;

/**
 * The seed shape as a BullMQ flow: a parent runs after its children, so the
 * tree is task_c ← task_b ← task_a (a, then b, then c: the sequential step,
 * then the one-task parallel step). Every job is a no-op.
 */
function seedShapeFlow(queueName: string): FlowJob {
  return {
    name: ROOT,
    queueName,
    children: [{ name: 'task_b', queueName, children: [{ name: 'task_a', queueName }] }],
  };
}

/** Opens the BullMQ side of seed-shape on `redisUrl`, one workflow being `shape`. */
export function openBullmq(redisUrl: string, shape: BullmqShape): BullmqHarness {
  // BullMQ's own prefix option keeps every key of the run under one bench prefix.
  const prefix = benchPrefix().slice(0, -1);
  const queueName = `seed-${randomUUID().slice(0, 8)}`;
  const producerConnection = connectRedis(redisUrl);
  const flows = shape === 'flow' ? new FlowProducer({ connection: producerConnection, prefix }) : null;
  const queue = shape === 'job' ? new Queue(queueName, { connection: producerConnection, prefix }) : null;
  // The job a workflow is done with: a flow's root, or the one job.
  const last = shape === 'flow' ? ROOT : 'run';
  const addBulk = (count: number): Promise<unknown> =>
    flows
      ? flows.addBulk(Array.from({ length: count }, () => seedShapeFlow(queueName)))
      : queue!.addBulk(Array.from({ length: count }, () => ({ name: 'run', data: {}, opts: { removeOnComplete: true } })));
  let worker: Worker | null = null;
  let workerConnection: ReturnType<typeof connectRedis> | null = null;
  let completedRoots = 0;
  let waiter: { target: number; resolve: () => void } | null = null;

  return {
    async useConcurrency(concurrency) {
      await worker?.close();
      workerConnection?.disconnect();
      // A connection passed in stays ours: BullMQ duplicates it for blocking reads and leaves it open on close.
      workerConnection = connectRedis(redisUrl);
      worker = new Worker(queueName, async () => ({ slept_ms: 0 }), { connection: workerConnection, prefix, concurrency });
      worker.on('completed', (job) => {
        if (job.name !== last) return;
        completedRoots++;
        if (waiter && completedRoots >= waiter.target) {
          const w = waiter;
          waiter = null;
          w.resolve();
        }
      });
      worker.on('failed', (job, error) => {
        throw new Error(`bullmq job ${job?.name} failed: ${error.message}`);
      });
      await worker.waitUntilReady();
    },
    async runFlows(count) {
      const target = completedRoots + count;
      const start = performance.now();
      const done = new Promise<void>((resolve) => (waiter = { target, resolve }));
      // addBulk in chunks: measured here it adds flows faster than one add() per flow, and BullMQ gets its best.
      const adds: Promise<unknown>[] = [];
      for (let i = 0; i < count; i += BULK) {
        adds.push(addBulk(Math.min(BULK, count - i)));
      }
      await Promise.all(adds);
      await done;
      return secondsSince(start);
    },
    async close() {
      await worker?.close();
      workerConnection?.disconnect();
      await flows?.close();
      await queue?.close();
      producerConnection.disconnect();
      const redis = connectRedis(redisUrl);
      await deleteKeysWithPrefix(redis, `${prefix}:`);
      redis.disconnect();
    },
  };
}
