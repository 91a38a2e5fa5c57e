import { randomUUID } from 'node:crypto';
import { FlowProducer, Worker, type FlowJob } from 'bullmq';
import { benchPrefix, connectRedis, deleteKeysWithPrefix } from './redisConnection.ts';
import { secondsSince } from './measure.ts';

/** BullMQ on one queue under a random prefix: a FlowProducer and one worker at a time. */
export interface BullmqHarness {
  /** Replaces the worker with one of `concurrency` (no-op processor). */
  useConcurrency(concurrency: number): Promise<void>;
  /** Adds `count` seed-shape flows at once (addBulk, 200 a call); resolves with the seconds until every root job completed. */
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

/** Opens the BullMQ side of seed-shape on `redisUrl`. */
export function openBullmq(redisUrl: string): BullmqHarness {
  // BullMQ's own prefix option keeps every key of the run under one bench prefix.
  const prefix = benchPrefix().slice(0, -1);
  const queueName = `seed-${randomUUID().slice(0, 8)}`;
  const producerConnection = connectRedis(redisUrl);
  const producer = new FlowProducer({ connection: producerConnection, prefix });
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
        if (job.name !== ROOT) return;
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
        adds.push(producer.addBulk(Array.from({ length: Math.min(BULK, count - i) }, () => seedShapeFlow(queueName))));
      }
      await Promise.all(adds);
      await done;
      return secondsSince(start);
    },
    async close() {
      await worker?.close();
      workerConnection?.disconnect();
      await producer.close();
      producerConnection.disconnect();
      const redis = connectRedis(redisUrl);
      await deleteKeysWithPrefix(redis, `${prefix}:`);
      redis.disconnect();
    },
  };
}
