import { z } from 'zod';

/** The scenarios, in the order they run. */
export const SCENARIOS = ['memory', 'redis-ceiling', 'seed-shape', 'fan-out', 'long-chain', 'list', 'http-create', 'burst', 'completion', 'scale-out', 'failover'] as const;

/** A scenario name. */
export type ScenarioName = (typeof SCENARIOS)[number];

/** Sizes and durations of one bench run; `--quick` picks the small set. */
export interface BenchOptions {
  quick: boolean;
  /** Tiny sizes, one round: checks the harness works (the smoke test), measures nothing worth reading. */
  smoke: boolean;
  /** Where the JSON goes (default bench/results/latest.json; `--out <path>`). */
  out?: string;
  redisUrl: string;
  /** Scenarios to run (all by default; `--only a,b`). */
  only: ScenarioName[];
  /** Timed rounds per measurement (after one warm-up round). */
  rounds: number;
  /** seed-shape: workflows (flows, actors) started at once per round, the same for every system. */
  seedWorkflows: number;
  /** seed-shape: BullMQ worker concurrency levels tried; the best is kept. */
  bullmqConcurrency: number[];
  /** fan-out: parallel task counts. */
  fanOutSizes: number[];
  /** long-chain: sequential task counts (10 is the baseline of the per-task ratio). */
  chainSizes: number[];
  /** fan-out / long-chain: tasks per timed round; small workflows are repeated until a round holds this many. */
  repTasks: number;
  /** list: workflows seeded in Redis. */
  listWorkflows: number;
  /** list: timed calls per page. */
  listSamples: number;
  /** http-create: seconds of fixed-rate load, timed once on the cold server and then on the warm one. */
  httpSeconds: number;
  /** http-create: seconds of untimed load first (connections), before the cold run. */
  httpWarmupSeconds: number;
  /** http-create: the JIT warm-up after the cold run (bench/jitWarmup.ts): workflows per chunk, at least, at most. */
  httpJitWarmup: { chunk: number; minWorkflows: number; maxWorkflows: number };
  /** http-create: requests per second across all connections. */
  httpRate: number;
  /** redis-ceiling: seconds per mode. */
  ceilingSeconds: number;
  /** memory: finished workflows kept in the memory store. */
  memoryWorkflows: number;
  /** burst: create rates (req/s), one fresh server and one row each. */
  burstRates: number[];
  /** burst: seconds of paced creates per rate. */
  burstSeconds: number;
  /** burst: seconds of no-op creates at 100/s first, untimed (JIT), on each fresh server. */
  burstWarmupSeconds: number;
  /** completion: workflows posted. */
  completionWorkflows: number;
  /** completion: connections they are posted over (each sends its next create when the last is answered). */
  completionConnections: number;
  /** completion: seconds after which the run stops waiting (the row then gives a lower bound). */
  completionCapSeconds: number;
  /** completion: the real sample (4.5 s a workflow) or, for the smoke run, its shape with tasks ten times shorter. */
  completionWorkload: 'sample' | 'short-sample';
  /** fan-out / long-chain: seconds after which a size run in a child process is killed (a lower bound is reported). */
  isolatedCapSeconds: number;
  /** scale-out: server process counts, one row each (the first is the baseline of the ratios). */
  scaleOutProcesses: number[];
  /** scale-out: workflows created per row, spread across the processes. */
  scaleOutWorkflows: number;
  /** scale-out: workflows each process runs before the timed batch, so its JIT has settled (see bench/README.md). */
  scaleOutWarmupPerProcess: number;
  /** scale-out / failover: seconds after which a row stops waiting for its workflows to end (the row is then skipped). */
  clusterCapSeconds: number;
  /** failover: running workflows held by the process that is killed. */
  failoverWorkflows: number;
  /** failover: ms of each workflow's one `sleep` task (long enough to be running at the kill). */
  failoverTaskMs: number;
  /** failover: lock settings, one row each (LOCK_DURATION_MS / STALLED_INTERVAL_MS). */
  failoverLocks: Array<{ lockDurationMs: number; stalledIntervalMs: number }>;
}

// Production defaults (server/config.ts) and a short setting: the takeover time should follow them.
const FAILOVER_LOCKS = [
  { lockDurationMs: 10_000, stalledIntervalMs: 5_000 },
  { lockDurationMs: 2_000, stalledIntervalMs: 500 },
];

const ArgsSchema = z.object({
  quick: z.boolean(),
  smoke: z.boolean(),
  out: z.string().min(1).optional(),
  only: z.array(z.enum(SCENARIOS)),
  redisUrl: z.string().regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://'),
});

/** The value after `--name` or in `--name=value`, if given. */
function valueOf(argv: string[], name: string): string | undefined {
  const inline = argv.find((a) => a.startsWith(`${name}=`));
  if (inline) return inline.slice(name.length + 1);
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

const FLAGS = ['--quick', '--smoke'];
const VALUED = ['--only', '--out'];

/** Parses `--quick`, `--smoke`, `--only a,b` and `--out path` from argv, and REDIS_URL from env. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const unknown = argv.filter((a, i) => a.startsWith('--') && !FLAGS.includes(a) && !VALUED.some((v) => a === v || a.startsWith(`${v}=`)) && !VALUED.includes(argv[i - 1]));
  if (unknown.length > 0) throw new Error(`unknown option(s): ${unknown.join(' ')} (known: --quick, --smoke, --only <scenario,...>, --out <path>)`);
  const only = valueOf(argv, '--only');
  const args = ArgsSchema.parse({
    quick: argv.includes('--quick'),
    smoke: argv.includes('--smoke'),
    out: valueOf(argv, '--out'),
    only: only ? only.split(',').filter(Boolean) : [...SCENARIOS],
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  });
  if (args.smoke) return { ...args, ...SMOKE };
  const quick = args.quick;
  return {
    ...args,
    rounds: quick ? 3 : 5,
    seedWorkflows: quick ? 2_000 : 5_000,
    bullmqConcurrency: quick ? [50, 200] : [10, 50, 100, 200, 400],
    fanOutSizes: [1, 10, 100, 1_000],
    chainSizes: [10, 1_000],
    repTasks: 2_000,
    listWorkflows: quick ? 20_000 : 100_000,
    listSamples: quick ? 20 : 50,
    httpSeconds: quick ? 4 : 10,
    httpWarmupSeconds: 2,
    // A fresh server here needed 3,000-4,000 seed-shape workflows before V8 stopped compiling (bench/README).
    httpJitWarmup: { chunk: 1_000, minWorkflows: 3_000, maxWorkflows: quick ? 8_000 : 12_000 },
    httpRate: 500,
    ceilingSeconds: quick ? 0.5 : 2,
    memoryWorkflows: quick ? 10_000 : 50_000,
    isolatedCapSeconds: quick ? 10 : 180,
    burstRates: [100, 300, 1_000],
    burstSeconds: quick ? 3 : 5,
    burstWarmupSeconds: 1,
    completionWorkflows: quick ? 500 : 1_000,
    completionConnections: 50,
    // Default settings on the engine of issue 13 took 225 s for 1,000: quick mode reports a lower bound instead.
    completionCapSeconds: quick ? 60 : 300,
    completionWorkload: 'sample' as const,
    scaleOutProcesses: [1, 2, 4],
    scaleOutWorkflows: quick ? 600 : 2_000,
    scaleOutWarmupPerProcess: quick ? 1_500 : 3_000,
    clusterCapSeconds: quick ? 60 : 120,
    failoverWorkflows: 100,
    failoverTaskMs: 3_000,
    failoverLocks: FAILOVER_LOCKS,
  };
}

// Smallest sizes that still exercise every code path (the list needs 100 pages of 50).
const SMOKE = {
  quick: true,
  rounds: 1,
  seedWorkflows: 50,
  bullmqConcurrency: [20],
  fanOutSizes: [1, 10],
  chainSizes: [10],
  repTasks: 20,
  listWorkflows: 5_050,
  listSamples: 2,
  httpSeconds: 1,
  httpWarmupSeconds: 0.5,
  httpJitWarmup: { chunk: 50, minWorkflows: 50, maxWorkflows: 100 },
  httpRate: 100,
  ceilingSeconds: 0.05,
  memoryWorkflows: 1_000,
  isolatedCapSeconds: 5,
  burstRates: [100, 300, 1_000],
  burstSeconds: 0.2,
  burstWarmupSeconds: 0.2,
  completionWorkflows: 20,
  completionConnections: 5,
  completionCapSeconds: 15,
  completionWorkload: 'short-sample' as const,
  scaleOutProcesses: [1, 2],
  scaleOutWorkflows: 20,
  scaleOutWarmupPerProcess: 5,
  clusterCapSeconds: 30,
  failoverWorkflows: 5,
  failoverTaskMs: 1_000,
  failoverLocks: [FAILOVER_LOCKS[1]],
};
