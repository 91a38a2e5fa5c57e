import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatAreas, formatTop, summarise } from './topSelfTime.ts';

/**
 * Profiles the engine: runs bench/profileTarget.ts under `node --cpu-prof`
 * for each system, keeps the profiles in bench/results/profiles/<system>/ and
 * prints the top functions by self time (and by total time with --total).
 *
 *   npx tsx bench/profile.ts [flowstate-memory] [flowstate-redis] [flowstate-redis-direct] [--shape seed|parallel:N|sequential:N]
 *                            [--workflows 2000] [--rounds 5] [--top 15] [--total]
 */
const TARGET = fileURLToPath(new URL('./profileTarget.ts', import.meta.url));
const OUT = fileURLToPath(new URL('./results/profiles', import.meta.url));

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

const args = process.argv.slice(2);
const valueFlags = ['--shape', '--workflows', '--rounds', '--top'];
const systems = args.filter((a, i) => !a.startsWith('--') && !valueFlags.includes(args[i - 1]));
const shape = flag(args, '--shape', 'seed');
const workflows = flag(args, '--workflows', shape === 'seed' ? '2000' : '1');
const rounds = flag(args, '--rounds', '5');
const top = Number(flag(args, '--top', '15'));
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

for (const system of systems.length > 0 ? systems : ['flowstate-memory', 'flowstate-redis', 'flowstate-redis-direct']) {
  const dir = join(OUT, `${system}-${shape.replace(':', '-')}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--cpu-prof', '--cpu-prof-dir', dir, TARGET, system, shape, workflows, rounds, redisUrl], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (run.status !== 0) {
    console.error(`${system}: profiled run exited with ${run.status}`);
    process.exitCode = 1;
    continue;
  }
  // tsx's loader thread writes a profile of its own (all idle): keep the busiest.
  const summaries = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => ({ file: join(dir, f), summary: summarise(JSON.parse(readFileSync(join(dir, f), 'utf8'))) }))
    .sort((a, b) => b.summary.busyMs - a.summary.busyMs);
  const main = summaries[0];
  console.log(`\n== ${system} (${shape}) — ${main.file}\n${formatAreas(main.summary)}\n\n${formatTop(main.summary, top, 'self')}`);
  if (args.includes('--total')) console.log(`\n${formatTop(main.summary, top, 'total')}`);
}
