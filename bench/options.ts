import { z } from 'zod';

/** The scenarios, in the order they run. */
export const SCENARIOS = ['memory', 'redis-ceiling', 'seed-shape', 'fan-out', 'long-chain', 'list', 'http-create'] as const;

/** A scenario name. */
export type ScenarioName = (typeof SCENARIOS)[number];

/** Sizes and durations of one bench run; `--quick` picks the small set. */
export interface BenchOptions {
  quick: boolean;
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
  /** list: workflows seeded in Redis. */
  listWorkflows: number;
  /** list: timed calls per page. */
  listSamples: number;
  /** http-create: seconds of fixed-rate load, after a short warm-up. */
  httpSeconds: number;
  /** http-create: requests per second across all connections. */
  httpRate: number;
  /** redis-ceiling: seconds per mode. */
  ceilingSeconds: number;
  /** memory: finished workflows kept in the memory store. */
  memoryWorkflows: number;
  /** fan-out / long-chain: seconds after which a size run in a child process is killed (a lower bound is reported). */
  isolatedCapSeconds: number;
}

const ArgsSchema = z.object({
  quick: z.boolean(),
  only: z.array(z.enum(SCENARIOS)),
  redisUrl: z.string().regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://'),
});

/** Parses `--quick` and `--only a,b` from argv, and REDIS_URL from env. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const onlyIndex = argv.indexOf('--only');
  const onlyArg = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? (onlyIndex >= 0 ? argv[onlyIndex + 1] : undefined);
  const unknown = argv.filter((a, i) => a.startsWith('--') && !['--quick', '--only'].includes(a) && !a.startsWith('--only=') && argv[i - 1] !== '--only');
  if (unknown.length > 0) throw new Error(`unknown option(s): ${unknown.join(' ')} (known: --quick, --only <scenario,...>)`);
  const args = ArgsSchema.parse({
    quick: argv.includes('--quick'),
    only: onlyArg ? onlyArg.split(',').filter(Boolean) : [...SCENARIOS],
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  });
  const quick = args.quick;
  return {
    ...args,
    rounds: quick ? 3 : 5,
    seedWorkflows: quick ? 2_000 : 5_000,
    bullmqConcurrency: quick ? [50, 200] : [10, 50, 100, 200, 400],
    fanOutSizes: [1, 10, 100, 1_000],
    chainSizes: [10, 1_000],
    listWorkflows: quick ? 20_000 : 100_000,
    listSamples: quick ? 20 : 50,
    httpSeconds: quick ? 4 : 10,
    httpRate: 500,
    ceilingSeconds: quick ? 0.5 : 2,
    memoryWorkflows: quick ? 10_000 : 50_000,
    isolatedCapSeconds: quick ? 10 : 180,
  };
}
