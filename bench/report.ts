import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type BenchResult, round } from './result.ts';

// Extras worth a glance in the table; everything is in the JSON.
const NOTE_KEYS = [
  'mode',
  'processes',
  'takeover_s',
  'end_s',
  'bound_s',
  'loadavg_1m',
  'rate',
  'capped',
  'ideal_ratio',
  'ideal_ratio_at_least',
  'page',
  'skipped',
  'note',
  'per_task_us',
  'concurrency',
  'store_writes_per_workflow',
  'snapshot_bytes',
  'status_bytes',
  'ms',
  'p50_ms',
  'p99_ms',
  'max_ms',
  'achieved_rps',
  'server_gc_max_ms',
  'server_major_gcs',
  'rss_mb_per_10k',
  'heap_mb_per_10k',
  'round_trips_per_s',
  'ops_per_s',
];

function fmt(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return String(round(value, Math.abs(value) >= 1 ? 2 : 4));
}

function notes(row: BenchResult): string {
  return NOTE_KEYS.filter((k) => row[k] !== undefined)
    .map((k) => `${k}=${typeof row[k] === 'number' ? fmt(row[k] as number) : String(row[k])}`)
    .join(' ');
}

/** The results as a fixed-width text table (also pasted into bench/README.md). */
export function formatTable(rows: BenchResult[]): string {
  const header = ['scenario', 'system', 'workflows', 'tasks/wf', 'seconds', 'wf/s', 'tasks/s', 'notes'];
  const body = rows.map((r) => [r.name, r.system, fmt(r.workflows), fmt(r.tasks_per_workflow), fmt(r.seconds), fmt(r.workflows_per_s), fmt(r.tasks_per_s), notes(r)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 6 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** Writes `{ scenarios, ratios, meta }` to `path` (creating its folder). */
export function writeResults(path: string, rows: BenchResult[], ratios: unknown, meta: Record<string, unknown>): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ scenarios: rows, ratios, meta }, null, 2)}\n`);
}
