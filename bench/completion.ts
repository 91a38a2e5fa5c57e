import { loadavg } from 'node:os';
import { startServer, type ServerHandle } from '../test/helpers/server.ts';
import type { BenchOptions } from './options.ts';
import { resultRow, round, skippedRow, type BenchResult } from './result.ts';
import { secondsSince } from './measure.ts';
import { SAMPLE_IDEAL_SECONDS, SEED_SHAPE_TASKS, SHORT_SAMPLE_IDEAL_SECONDS, sampleDefinition, shortSampleDefinition } from './definitions.ts';
import { closedLoad } from './closedLoad.ts';
import { latencyStats } from './latencyStats.ts';
import { countWorkflows, waitStoredFinished } from './storedFinished.ts';

const NAME = 'completion';
const SYSTEM = 'flowstate-server';
const FULL_WORKFLOWS = 1_000;
// Resolution of "the last one is stored finished": small next to 4.5 s, light on the server.
const POLL_MS = 100;

/**
 * Many waiting workflows at once, as a user trying Flowstate sends them:
 * the real server (as `npm start` starts it: memory store, default
 * settings), `completionWorkflows` sample workflows (real task_a / task_b /
 * task_c, 4.5 s each) POSTed over `completionConnections` connections, each
 * sending its next create once the last is answered. `seconds` runs from the
 * first create to the moment the store holds every one finished;
 * `ideal_ratio` is that over 4.5 s (target ≤ 1.5). At the cap the row gives
 * `ideal_ratio_at_least` and how many had finished.
 */
export async function completion(options: BenchOptions): Promise<BenchResult[]> {
  const sample = options.completionWorkload === 'sample';
  const ideal = sample ? SAMPLE_IDEAL_SECONDS : SHORT_SAMPLE_IDEAL_SECONDS;
  const n = options.completionWorkflows;
  let server: ServerHandle;
  try {
    server = await startServer({});
  } catch (error) {
    return [skippedRow(NAME, SYSTEM, `the server did not start: ${String((error as Error).message).split('\n')[0]}`)];
  }
  let capped = false;
  try {
    const t0 = performance.now();
    const posted = await closedLoad({
      url: `${server.url}/api/workflow`,
      body: JSON.stringify(sample ? sampleDefinition() : shortSampleDefinition()),
      connections: options.completionConnections,
      amount: n,
    });
    const accepted = posted.statuses.get(202) ?? 0;
    if (accepted === 0) return [skippedRow(NAME, SYSTEM, `no create was accepted (statuses: ${JSON.stringify([...posted.statuses])})`)];

    capped = !(await waitStoredFinished(server.url, { deadline: t0 + options.completionCapSeconds * 1000, pollMs: POLL_MS }));
    const seconds = secondsSince(t0);
    const succeeded = await countWorkflows(server.url, 'succeeded');
    const failed = await countWorkflows(server.url, 'failed');
    const creates = latencyStats(posted.latencies);
    const common = {
      workload: sample ? 'examples/sample.json (task_a 1 s → task_b 2 s, then task_c 1.5 s)' : 'sample shape, sleep tasks of 0.1 / 0.2 / 0.15 s (smoke)',
      ideal_seconds: ideal,
      posted: n,
      accepted,
      succeeded,
      failed,
      connections: options.completionConnections,
      create_seconds: round(posted.seconds, 3),
      create_p50_ms: creates.p50_ms,
      create_p99_ms: creates.p99_ms,
      create_max_ms: creates.max_ms,
      statuses: Object.fromEntries(posted.statuses),
      errors: posted.errors,
      store: 'memory',
      settings: 'defaults',
      // The machine is shared: the 1-minute load average says how much of it this run had.
      loadavg_1m: round(loadavg()[0], 2),
      ...(sample && n < FULL_WORKFLOWS ? { note: `${n} workflows, not ${FULL_WORKFLOWS} (quick mode)` } : {}),
    };
    if (capped) {
      // `workflows` is what finished by the cap, so wf/s is the rate actually reached.
      return [
        resultRow(NAME, SYSTEM, succeeded + failed, SEED_SHAPE_TASKS, seconds, {
          ...common,
          capped: true,
          cap_seconds: options.completionCapSeconds,
          ideal_ratio_at_least: round(seconds / ideal, 2),
        }),
      ];
    }
    return [resultRow(NAME, SYSTEM, accepted, SEED_SHAPE_TASKS, seconds, { ...common, ideal_ratio: round(seconds / ideal, 2) })];
  } catch (error) {
    // Say whether the server itself went away, and what it said last.
    const gone = server.process.exitCode ?? server.process.signalCode;
    throw new Error(`${(error as Error).message}${gone === null ? '' : ` (the server exited: ${gone})`}; server output: ${server.logs().slice(-400)}`, { cause: error });
  } finally {
    // At the cap, workflows are still sleeping and a graceful stop would wait for them; the memory store keeps nothing.
    await (capped ? server.kill() : server.stop());
  }
}
