import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';

/**
 * Reads V8 `.cpuprofile` files (from `node --cpu-prof`) and prints the
 * functions with the most self time, and with the most total time (time with
 * the function anywhere on the stack, counted once per sample).
 *
 *   npx tsx bench/topSelfTime.ts <file.cpuprofile | dir> [--top 15] [--total]
 */

const ProfileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

/** One function's share of a profile. */
export interface FunctionTime {
  name: string;
  location: string;
  selfMs: number;
  totalMs: number;
}

/** A profile's sampled time (all, and not idle) and its functions, most self time first. */
export interface ProfileSummary {
  sampledMs: number;
  busyMs: number;
  functions: FunctionTime[];
}

const ROOT = process.cwd();

function location(url: string, line: number): string {
  if (!url) return '(native)';
  const path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const short = path.includes('/node_modules/') ? path.slice(path.lastIndexOf('/node_modules/') + '/node_modules/'.length) : relative(ROOT, path);
  // tsx hands V8 one-line transpiled modules: a line number there means nothing.
  return short.endsWith('.ts') ? short : `${short}:${line + 1}`;
}

/** Where a location belongs, for the per-area summary (package, project folder, or node). */
function areaOf(name: string, loc: string): string {
  if (loc === '(native)') return name === '(garbage collector)' ? 'GC' : name === '(idle)' ? 'idle' : 'native / V8';
  if (loc.startsWith('node:')) return 'node internals';
  const parts = loc.split('/');
  if (parts[0] === 'server' || parts[0] === 'shared' || parts[0] === 'bench') return parts.slice(0, parts[0] === 'server' ? 2 : 1).join('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0].replace(/:\d+$/, '');
}

/** Busy self time summed per area (xstate, server/engine, server/store, ioredis, GC, ...), largest first. */
export function formatAreas(summary: ProfileSummary): string {
  const areas = new Map<string, number>();
  for (const f of summary.functions) {
    const area = areaOf(f.name, f.location);
    if (area !== 'idle') areas.set(area, (areas.get(area) ?? 0) + f.selfMs);
  }
  const rows = [...areas.entries()].sort((a, b) => b[1] - a[1]).filter(([, ms]) => ms / summary.busyMs >= 0.005);
  return ['self time by area:', ...rows.map(([area, ms]) => `${`${((ms / summary.busyMs) * 100).toFixed(1)}%`.padStart(6)} ${ms.toFixed(0).padStart(7)} ms  ${area}`)].join('\n');
}

/** Sums self and total time per function (name + file + line) over every sample. */
export function summarise(json: unknown): ProfileSummary {
  const profile = ProfileSchema.parse(json);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anonymous)'}\t${location(f.url, f.lineNumber)}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let sampled = 0;
  profile.samples.forEach((id, i) => {
    // The delta before sample i is the time it stands for (the first is the gap from the start).
    const us = profile.timeDeltas[i] ?? 0;
    sampled += us;
    const key = keyOf(id);
    self.set(key, (self.get(key) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = keyOf(at);
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + us);
    }
  });
  const functions = [...total.entries()].map(([key, totalUs]) => {
    const [name, loc] = key.split('\t');
    return { name, location: loc, selfMs: (self.get(key) ?? 0) / 1000, totalMs: totalUs / 1000 };
  });
  functions.sort((a, b) => b.selfMs - a.selfMs);
  const idleMs = functions.find((f) => f.name === '(idle)')?.selfMs ?? 0;
  return { sampledMs: sampled / 1000, busyMs: sampled / 1000 - idleMs, functions };
}

/** The `count` rows with the most self (or total) time, as text with percentages of the busy (not idle) time. */
export function formatTop(summary: ProfileSummary, count: number, by: 'self' | 'total' = 'self'): string {
  const rows = [...summary.functions]
    .filter((f) => f.name !== '(idle)' && (by === 'self' || !['(root)', '(program)'].includes(f.name)))
    .sort((a, b) => (by === 'self' ? b.selfMs - a.selfMs : b.totalMs - a.totalMs))
    .slice(0, count);
  const pct = (ms: number) => `${((ms / summary.busyMs) * 100).toFixed(1)}%`.padStart(6);
  const lines = rows.map((f) => `${pct(by === 'self' ? f.selfMs : f.totalMs)} ${f.selfMs.toFixed(0).padStart(7)} ms self ${f.totalMs.toFixed(0).padStart(7)} ms total  ${f.name}  ${f.location}`);
  return [`top ${count} by ${by} time (% of ${summary.busyMs.toFixed(0)} ms busy, ${summary.sampledMs.toFixed(0)} ms sampled):`, ...lines].join('\n');
}

function profilesIn(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(path, f));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const topIndex = args.indexOf('--top');
  const count = topIndex >= 0 ? Number(args[topIndex + 1]) : 15;
  const paths = args.filter((a, i) => !a.startsWith('--') && (topIndex < 0 || i !== topIndex + 1));
  if (paths.length === 0) {
    console.error('usage: npx tsx bench/topSelfTime.ts <file.cpuprofile | dir> [--top 15] [--total]');
    process.exit(2);
  }
  for (const file of paths.flatMap(profilesIn)) {
    const summary = summarise(JSON.parse(readFileSync(file, 'utf8')));
    console.log(`\n${file}\n${formatAreas(summary)}\n\n${formatTop(summary, count, 'self')}`);
    if (args.includes('--total')) console.log(`\n${formatTop(summary, count, 'total')}`);
  }
}
