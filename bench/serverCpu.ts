import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type ServerHandle } from '../test/helpers/server.ts';
import { clusterDrained } from './clusterDrained.ts';
import { seedShapeDefinition } from './definitions.ts';
import { pacedLoad } from './pacedLoad.ts';
import { processCpu } from './processCpu.ts';
import { benchPrefix, connectRedis, deleteKeysWithPrefix } from './redisConnection.ts';

/**
 * CPU per workflow of real cluster servers on Redis (as http-create runs
 * them), to compare checkouts: one server per root, each warmed, then timed
 * rounds alternating between them (the order turns each round). A round POSTs
 * `--per-round` seed-shape workflows at `--rate` per s, waits until they are
 * stored finished and their jobs completed, and reads the server's CPU from /proc.
 *
 * With `--profile <dir>`, each server's timed rounds (not its warm-up) are
 * profiled into <dir> (bench/profileOnSignal.ts); read them with bench/topSelfTime.ts.
 *
 *   npx tsx bench/serverCpu.ts [--roots /work/main,.] [--warmup 6000] [--rounds 5] [--per-round 1000] [--rate 500] [--profile dir] [--env 'K=V;K=V']
 */
function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const roots = flag('--roots', '.').split(',').map((r) => resolve(r));
const warmup = Number(flag('--warmup', '6000'));
const rounds = Number(flag('--rounds', '5'));
const perRound = Number(flag('--per-round', '1000'));
const rate = Number(flag('--rate', '500'));
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const profileDir = flag('--profile', '');
// A private redis-server's pid (`--redis-pid`, with REDIS_URL pointing at it): its CPU per workflow is reported too.
const redisPid = Number(flag('--redis-pid', '0'));
const PRELOAD = fileURLToPath(new URL('./profileOnSignal.ts', import.meta.url));
// `--env K=V,K=V;K=V`: extra environment per root (`;` between roots), e.g. to compare node flags in NODE_OPTIONS.
const envs = flag('--env', '').split(';').map((list) => Object.fromEntries(list.split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])));

interface Target {
  root: string;
  server: ServerHandle;
  prefix: string;
  posted: number;
  mainUs: number[];
  helpersUs: number[];
  redisUs: number[];
}

const redis = connectRedis(redisUrl);
const body = JSON.stringify(seedShapeDefinition());

async function round(t: Target, count: number): Promise<{ mainUs: number; helpersUs: number; redisUs: number }> {
  const pid = t.server.process.pid!;
  const redisBefore = redisPid ? processCpu(redisPid) : null;
  const before = processCpu(pid)!;
  const load = await pacedLoad({ url: `${t.server.url}/api/workflow`, body, rate, seconds: count / rate });
  t.posted += load.statuses.get(202) ?? 0;
  await clusterDrained(redis, t.prefix, t.posted);
  const after = processCpu(pid)!;
  const redisAfter = redisPid ? processCpu(redisPid) : null;
  const redisMs = redisBefore && redisAfter ? redisAfter.mainMs + redisAfter.helpersMs - redisBefore.mainMs - redisBefore.helpersMs : NaN;
  return { mainUs: ((after.mainMs - before.mainMs) * 1000) / count, helpersUs: ((after.helpersMs - before.helpersMs) * 1000) / count, redisUs: (redisMs * 1000) / count };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const targets: Target[] = [];
try {
  for (const [i, root] of roots.entries()) {
    const extraEnv = envs[i] ?? {};
    const prefix = benchPrefix();
    const server = await startServer({ REDIS_URL: redisUrl, REDIS_PREFIX: prefix, MAX_CONCURRENT_WORKFLOWS: '1000', LOG_LEVEL: 'warn', ...extraEnv, ...(profileDir ? { PROFILE_DIR: resolve(profileDir) } : {}) }, { root, nodeArgs: profileDir ? ['--import', PRELOAD] : [] });
    targets.push({ root: `${root}${Object.keys(extraEnv).length ? ` ${JSON.stringify(extraEnv)}` : ''}`, server, prefix, posted: 0, mainUs: [], helpersUs: [], redisUs: [] });
  }
  for (const t of targets) {
    for (let done = 0; done < warmup; done += 1000) {
      const r = await round(t, Math.min(1000, warmup - done));
      console.log(`warm-up ${t.root} ${done + 1000}: main ${r.mainUs.toFixed(0)} µs/wf, helpers ${r.helpersUs.toFixed(0)}`);
    }
  }
  if (profileDir) for (const t of targets) t.server.process.kill('SIGUSR2');
  for (let i = 0; i < rounds; i++) {
    const order = [...targets.slice(i % targets.length), ...targets.slice(0, i % targets.length)];
    for (const t of order) {
      const r = await round(t, perRound);
      t.mainUs.push(r.mainUs);
      t.helpersUs.push(r.helpersUs);
      t.redisUs.push(r.redisUs);
      console.log(`round ${i + 1} ${t.root}: main ${r.mainUs.toFixed(0)} µs/wf, helpers ${r.helpersUs.toFixed(0)}${redisPid ? `, redis ${r.redisUs.toFixed(0)}` : ''}`);
    }
  }
  if (profileDir) {
    for (const t of targets) t.server.process.kill('SIGUSR2');
    await new Promise((r) => setTimeout(r, 2000)); // the profile is written asynchronously
  }
  for (const t of targets) {
    console.log(`${t.root}: main median ${median(t.mainUs).toFixed(0)} µs/wf [${t.mainUs.map((x) => x.toFixed(0)).join(' ')}], helpers median ${median(t.helpersUs).toFixed(0)}${redisPid ? `, redis median ${median(t.redisUs).toFixed(0)} [${t.redisUs.map((x) => x.toFixed(0)).join(' ')}]` : ''}`);
  }
} finally {
  for (const t of targets) {
    await t.server.stop();
    await deleteKeysWithPrefix(redis, t.prefix);
  }
  redis.disconnect();
}
