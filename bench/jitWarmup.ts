import type { Redis } from 'ioredis';
import { clusterDrained } from './clusterDrained.ts';
import { pacedLoad } from './pacedLoad.ts';
import { processCpu } from './processCpu.ts';

/** How long to warm a server: chunks of paced creates until its CPU per workflow stops falling. */
export interface JitWarmupOptions {
  url: string;
  body: string;
  rate: number;
  /** Workflows per chunk; CPU is read between chunks, once each chunk has run to its end. */
  chunk: number;
  /** At least this many workflows (V8 was still compiling at 3,000 here), at most `maxWorkflows`. */
  minWorkflows: number;
  maxWorkflows: number;
}

/** What the warm-up did: workflows sent, and the server's CPU per workflow (µs, main thread and helper threads) chunk by chunk. */
export interface JitWarmupResult {
  workflows: number;
  accepted: number;
  mainUs: number[];
  helpersUs: number[];
}

/** Settled: two chunks in a row that do not beat the best one before them by more than this fraction. */
const STILL_FALLING = 0.05;

/**
 * Warms a cluster server until V8 has compiled its hot paths: on this machine
 * a fresh server spends ~3.4 ms of CPU per seed-shape workflow (1.4 of them
 * in TurboFan's helper threads), a warm one ~1.4 ms, and it took 3,000–4,000
 * workflows to get there; a few seconds of load measure the compiler. Sends
 * `chunk` workflows at `rate`, waits until they have ended (so the next
 * chunk's CPU is its own), and stops once CPU per workflow has stopped
 * falling, within [minWorkflows, maxWorkflows]. Without /proc (not Linux) it
 * sends `minWorkflows`. `alreadyPosted` counts the 202s the server had before.
 */
export async function jitWarmup(options: JitWarmupOptions, pid: number, redis: Redis, prefix: string, alreadyPosted: number): Promise<JitWarmupResult> {
  const result: JitWarmupResult = { workflows: 0, accepted: 0, mainUs: [], helpersUs: [] };
  let best = Infinity;
  let flat = 0;
  while (result.workflows < options.maxWorkflows) {
    const before = processCpu(pid);
    const count = Math.min(options.chunk, options.maxWorkflows - result.workflows);
    const load = await pacedLoad({ url: options.url, body: options.body, rate: options.rate, seconds: count / options.rate });
    result.workflows += load.sent;
    result.accepted += load.statuses.get(202) ?? 0;
    await clusterDrained(redis, prefix, alreadyPosted + result.accepted);
    const after = processCpu(pid);
    if (!before || !after) {
      if (result.workflows >= options.minWorkflows) break;
      continue;
    }
    const mainUs = ((after.mainMs - before.mainMs) * 1000) / load.sent;
    const helpersUs = ((after.helpersMs - before.helpersMs) * 1000) / load.sent;
    result.mainUs.push(Math.round(mainUs));
    result.helpersUs.push(Math.round(helpersUs));
    // Both threads fall as V8 settles: the helpers stop compiling, the main thread runs optimised code.
    flat = mainUs + helpersUs < best * (1 - STILL_FALLING) ? 0 : flat + 1;
    best = Math.min(best, mainUs + helpersUs);
    if (flat >= 2 && result.workflows >= options.minWorkflows) break;
  }
  return result;
}
