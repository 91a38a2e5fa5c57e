import { loadavg } from 'node:os';
import type { BenchOptions } from './options.ts';
import { resultRow, round, skippedRow, type BenchResult } from './result.ts';
import { secondsSince } from './measure.ts';
import { SEED_SHAPE_TASKS, sleepSampleDefinition } from './definitions.ts';
import { closedLoad, type ClosedResult } from './closedLoad.ts';
import { countWorkflows, waitStoredFinished } from './storedFinished.ts';
import { PRODUCTION_LOCKS, startServerCluster, type ServerCluster } from './serverCluster.ts';

const NAME = 'scale-out';
const SYSTEM = 'flowstate-cluster';
/** MAX_CONCURRENT_WORKFLOWS of each process (its BullMQ worker's concurrency). */
const PER_PROCESS = 50;
const TASK_MS = 100;
/** Along the path a → b, then c: 0.3 s per workflow when nothing waits. */
const IDEAL_WORKFLOW_S = (3 * TASK_MS) / 1000;
/** Create connections in all, split across the processes (the same client load whatever the count). */
const CONNECTIONS = 48;
/** The warm-up's tasks: the timed batch's shape and code paths, without its waits. */
const WARMUP_TASK_MS = 1;
const POLL_MS = 50;

/**
 * Adding processes: for each count in `scaleOutProcesses`, that many real
 * server processes (`ROLE=all`, `MAX_CONCURRENT_WORKFLOWS=50`, production
 * lock settings) on one Redis prefix. `scaleOutWorkflows` sample-shaped
 * workflows of 100 ms `sleep` tasks are POSTed spread evenly across them;
 * `seconds` runs from the first create until the store holds every one
 * finished. Each count is a fresh cluster, cleaned up after its row.
 */
export async function scaleOut(options: BenchOptions): Promise<BenchResult[]> {
  const rows: BenchResult[] = [];
  for (const processes of options.scaleOutProcesses) rows.push(await oneCount(options, processes));
  return rows;
}

async function oneCount(options: BenchOptions, processes: number): Promise<BenchResult> {
  let cluster: ServerCluster;
  try {
    cluster = await startServerCluster({ redisUrl: options.redisUrl, count: processes, concurrency: PER_PROCESS, locks: PRODUCTION_LOCKS });
  } catch (error) {
    return skippedRow(NAME, SYSTEM, `${processes} processes did not start: ${String((error as Error).message).split('\n')[0]}`);
  }
  try {
    const urls = cluster.servers.map((s) => s.url);
    // Warm, as a process that has been up a while: a fresh one spends about as much CPU again
    // compiling (V8's helper threads) over its first few thousand workflows, which would
    // charge the 4-process row, with a quarter of the workflows each, four times over.
    const warmup = options.scaleOutWarmupPerProcess * processes;
    await spread(urls, JSON.stringify(sleepSampleDefinition('bench_scale_out_warmup', [WARMUP_TASK_MS, WARMUP_TASK_MS, WARMUP_TASK_MS])), warmup);
    if (!(await waitStoredFinished(urls, { deadline: performance.now() + options.clusterCapSeconds * 1000, pollMs: POLL_MS }))) {
      return skippedRow(NAME, SYSTEM, `${processes} processes: the warm-up did not finish in ${options.clusterCapSeconds} s`);
    }

    const n = options.scaleOutWorkflows;
    const load0 = loadavg()[0];
    const t0 = performance.now();
    const posted = await spread(urls, JSON.stringify(sleepSampleDefinition('bench_scale_out', [TASK_MS, TASK_MS, TASK_MS])), n);
    const createSeconds = secondsSince(t0);
    const accepted = posted.reduce((sum, p) => sum + (p.statuses.get(202) ?? 0), 0);
    const finished = await waitStoredFinished(urls, { deadline: t0 + options.clusterCapSeconds * 1000, pollMs: POLL_MS });
    const seconds = secondsSince(t0);
    if (!finished) return skippedRow(NAME, SYSTEM, `${processes} processes: not all ${n} workflows ended within ${options.clusterCapSeconds} s`);
    const succeeded = await countWorkflows(urls[0], 'succeeded');
    return resultRow(NAME, SYSTEM, accepted, SEED_SHAPE_TASKS, seconds, {
      processes,
      max_concurrent_workflows_per_process: PER_PROCESS,
      workload: `sample shape, sleep tasks of ${TASK_MS} ms (a → b, then c)`,
      // What the slots allow: every process's 50 slots busy, 0.3 s per workflow.
      ideal_workflows_per_s: round((processes * PER_PROCESS) / IDEAL_WORKFLOW_S, 1),
      posted: n,
      // The warm-up's workflows are stored too.
      succeeded: succeeded - warmup,
      warmup_per_process: options.scaleOutWarmupPerProcess,
      errors: posted.reduce((sum, p) => sum + p.errors, 0),
      create_seconds: round(createSeconds, 3),
      connections: CONNECTIONS,
      lock_duration_ms: PRODUCTION_LOCKS.lockDurationMs,
      // The machine is shared: the 1-minute load average before and after says how much of it this row had.
      loadavg_1m_before: round(load0, 2),
      loadavg_1m: round(loadavg()[0], 2),
    });
  } finally {
    await cluster.close();
  }
}

/** POSTs `amount` creates split evenly across `urls`, each process over its share of the connections. */
function spread(urls: string[], body: string, amount: number): Promise<ClosedResult[]> {
  const connections = Math.ceil(CONNECTIONS / urls.length);
  return Promise.all(
    urls.map((url, i) => {
      const share = Math.floor(amount / urls.length) + (i < amount % urls.length ? 1 : 0);
      return closedLoad({ url: `${url}/api/workflow`, body, connections, amount: share });
    }),
  );
}
