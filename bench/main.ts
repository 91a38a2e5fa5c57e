import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseOptions, type BenchOptions, type ScenarioName } from './options.ts';
import { skippedRow, type BenchResult } from './result.ts';
import { formatTable, writeResults } from './report.ts';
import { computeRatios, formatRatios } from './ratios.ts';
import { redisAnswers } from './redisConnection.ts';
import { secondsSince } from './measure.ts';
import { memoryRss } from './memoryRss.ts';
import { redisCeiling } from './redisCeiling.ts';
import { seedShape } from './seedShape.ts';
import { fanOut } from './fanOut.ts';
import { longChain } from './longChain.ts';
import { listPages } from './listPages.ts';
import { httpCreate } from './httpCreate.ts';
import { burst } from './burst.ts';
import { completion } from './completion.ts';
import { scaleOut } from './scaleOut.ts';
import { failover } from './failover.ts';

const RESULTS = fileURLToPath(new URL('./results/latest.json', import.meta.url));

const RUNNERS: Record<ScenarioName, (options: BenchOptions) => Promise<BenchResult[]>> = {
  memory: memoryRss,
  'redis-ceiling': redisCeiling,
  'seed-shape': seedShape,
  'fan-out': fanOut,
  'long-chain': longChain,
  list: listPages,
  'http-create': httpCreate,
  burst,
  completion,
  'scale-out': scaleOut,
  failover,
};

// Scenarios that cannot run without Redis (the rest still run when it is away: burst and completion use the memory store).
const NEEDS_REDIS: ScenarioName[] = ['redis-ceiling', 'seed-shape', 'fan-out', 'long-chain', 'list', 'http-create', 'scale-out', 'failover'];

/** `npm run bench [-- --quick | --smoke] [--only a,b] [--out path]`: runs the scenarios, prints the table and ratios, writes latest.json. */
async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const started = performance.now();
  const redisUp = await redisAnswers(options.redisUrl);
  console.log(`flowstate bench (${options.smoke ? 'smoke' : options.quick ? 'quick' : 'full'}) — node ${process.version}, ${cpus().length} cpus, redis ${options.redisUrl}${redisUp ? '' : ' (NOT answering)'}`);
  const rows: BenchResult[] = [];
  for (const name of options.only) {
    const t0 = performance.now();
    process.stdout.write(`… ${name}`);
    if (!redisUp && NEEDS_REDIS.includes(name)) {
      rows.push(skippedRow(name, '-', `no Redis answers at ${options.redisUrl}`));
    } else {
      try {
        rows.push(...(await RUNNERS[name](options)));
      } catch (error) {
        // One broken scenario must not hide the others' numbers.
        rows.push(skippedRow(name, '-', `failed: ${(error as Error).message}`));
      }
    }
    process.stdout.write(` ${secondsSince(t0).toFixed(1)} s\n`);
  }
  const ratios = computeRatios(rows);
  console.log(`\n${formatTable(rows)}\n\nTargets (ratios from this run):\n${formatRatios(ratios)}\n`);
  const seconds = secondsSince(started);
  const out = options.out ?? RESULTS;
  writeResults(out, rows, ratios, {
    mode: options.smoke ? 'smoke' : options.quick ? 'quick' : 'full',
    node: process.version,
    cpus: cpus().length,
    finished_at: new Date().toISOString(),
    total_seconds: Math.round(seconds),
  });
  console.log(`wrote ${out} (${seconds.toFixed(0)} s in all)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
