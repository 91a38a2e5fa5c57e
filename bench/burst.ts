import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startServer, type ServerHandle } from '../test/helpers/server.ts';
import type { BenchOptions } from './options.ts';
import { resultRow, round, skippedRow, type BenchResult } from './result.ts';
import { SEED_SHAPE_TASKS, sampleDefinition, seedShapeDefinition } from './definitions.ts';
import { pacedLoad } from './pacedLoad.ts';
import { latencyStats } from './latencyStats.ts';
import { waitStoredFinished } from './storedFinished.ts';
import { collectGarbage } from './measure.ts';
import { STALL_WATCH_LINE, type StallWatch } from './stallWatch.ts';

const NAME = 'burst';
// The server says what its event loop went through while timed (GC pauses, loop delay): a swing in p99 explains itself.
const STALL_WATCH = fileURLToPath(new URL('./stallWatch.ts', import.meta.url));
const SYSTEM = 'flowstate-server';
const WARMUP_RATE = 100;
// The warm-up's no-op workflows end within milliseconds; past this, go on and say so.
const WARMUP_DRAIN_MS = 10_000;
/**
 * A first, shorter burst of the sample at the same rate before the measured
 * one (its figures kept as `cold_*`): on a slow 2-core machine (bare XState
 * 2,660 wf/s) a fresh server met by 1,000 samples/s fell 2.2-2.7 s behind
 * (JIT of the sample's path and of the launch queue, which no-op warm-up
 * workflows never fill), and the same burst a few seconds later on that
 * server had p99 60 ms. 1.5 s at 1,000/s queues 500 workflows past the
 * default 1,000 running, so the queued path is warm too.
 */
const COLD_BURST_SECONDS = 1.5;
// Two waves of 4.5 s samples (the running ones, then those queued behind them), with room to spare.
const COLD_DRAIN_MS = 15_000;

/**
 * A burst of creates on a fresh server, after a first shorter one (see
 * COLD_BURST_SECONDS): for each rate, the real server (as
 * `npm start` starts it: memory store, default settings) gets paced,
 * open-loop `POST /api/workflow` of examples/sample.json for
 * `burstSeconds`. Latency runs from each request's scheduled slot to its
 * answer, so a stalled server is charged for every request that waited
 * behind the stall (no coordinated omission). One row per rate; the target
 * is p99 at 1,000/s ≤ 5× p99 at 100/s.
 */
export async function burst(options: BenchOptions): Promise<BenchResult[]> {
  const rows: BenchResult[] = [];
  for (const rate of options.burstRates) rows.push(await burstAt(rate, options));
  return rows;
}

async function burstAt(rate: number, options: BenchOptions): Promise<BenchResult> {
  let server: ServerHandle;
  try {
    server = await startServer({}, { nodeArgs: ['--import', STALL_WATCH] });
  } catch (error) {
    return { ...skippedRow(NAME, SYSTEM, `the server did not start: ${String((error as Error).message).split('\n')[0]}`), rate };
  }
  try {
    const url = `${server.url}/api/workflow`;
    // Warm the create path (JIT, sockets) with workflows that end at once, so none holds a
    // concurrency slot when the burst starts: the burst meets an idle, warm server.
    await pacedLoad({ url, body: JSON.stringify(seedShapeDefinition()), rate: WARMUP_RATE, seconds: options.burstWarmupSeconds });
    const drained = await waitStoredFinished(server.url, { deadline: performance.now() + WARMUP_DRAIN_MS, pollMs: 20 });

    const sample = JSON.stringify(sampleDefinition());
    const cold = await pacedLoad({ url, body: sample, rate, seconds: Math.min(COLD_BURST_SECONDS, options.burstSeconds) });
    const coldStats = cold.fromSlot.length > 0 ? latencyStats(cold.fromSlot) : null;
    const coldDrained = await waitStoredFinished(server.url, { deadline: performance.now() + COLD_DRAIN_MS, pollMs: 50 });

    // The load generator is this process, whose heap holds what earlier scenarios left: collect it
    // now, not in the timed burst (in one full run the generator itself fell 24 ms behind there).
    collectGarbage();
    server.process.kill('SIGUSR2');
    const paced = await pacedLoad({ url, body: sample, rate, seconds: options.burstSeconds });
    const watch = await stallWatch(server);
    const accepted = paced.statuses.get(202) ?? 0;
    if (paced.fromSlot.length === 0) {
      return { ...skippedRow(NAME, SYSTEM, `no request was answered (${paced.errors} errors)`), rate };
    }
    const fromSend = latencyStats(paced.latencies);
    return resultRow(NAME, SYSTEM, accepted, SEED_SHAPE_TASKS, paced.seconds, {
      rate,
      achieved_rps: round(paced.sent / paced.seconds, 1),
      ...latencyStats(paced.fromSlot),
      latency_from: 'scheduled send time',
      p99_from_send_ms: fromSend.p99_ms,
      max_send_lag_ms: round(paced.maxSendLagMs, 2),
      sent: paced.sent,
      statuses: Object.fromEntries(paced.statuses),
      errors: paced.errors,
      store: 'memory',
      settings: 'defaults',
      // The first burst on the fresh server (see COLD_BURST_SECONDS).
      cold_sent: cold.sent,
      cold_p50_ms: coldStats?.p50_ms ?? null,
      cold_p99_ms: coldStats?.p99_ms ?? null,
      // What the server's own event loop went through meanwhile (bench/stallWatch.ts).
      ...(watch ? prefixed(watch) : { note_server: 'the server did not report its stalls' }),
      // The machine is shared: the 1-minute load average says how much of it this run had.
      loadavg_1m: round(loadavg()[0], 2),
      ...(drained ? {} : { note: `warm-up workflows still open after ${WARMUP_DRAIN_MS / 1000} s` }),
      ...(coldDrained ? {} : { cold_note: `the first burst's workflows still open after ${COLD_DRAIN_MS / 1000} s` }),
    });
  } finally {
    // Thousands of sample workflows are still sleeping: a graceful stop would wait for them, and a memory store keeps nothing.
    await server.kill();
  }
}

/** Ends the server's stall watch and reads its line (null when it does not come within a second). */
async function stallWatch(server: ServerHandle): Promise<StallWatch | null> {
  const before = server.stdout().length;
  server.process.kill('SIGUSR2');
  for (const end = performance.now() + 1000; performance.now() < end; ) {
    const line = server.stdout().slice(before).split('\n').find((l) => l.startsWith(STALL_WATCH_LINE));
    if (line) return JSON.parse(line.slice(STALL_WATCH_LINE.length)) as StallWatch;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return null;
}

function prefixed(watch: StallWatch): Record<string, number> {
  return Object.fromEntries(Object.entries(watch).map(([key, value]) => [`server_${key}`, value]));
}
