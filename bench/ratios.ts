import { type BenchResult, round } from './result.ts';

/** One target of issue 4, measured in this run. */
export interface Ratio {
  name: string;
  value: number | null;
  target: string;
  met: boolean | null;
  detail: string;
}

function find(rows: BenchResult[], name: string, system: string, pred: (r: BenchResult) => boolean = () => true): BenchResult | undefined {
  return rows.find((r) => r.name === name && r.system === system && !r.skipped && pred(r));
}

/** `ok` null: a figure for context, with no target to meet. */
function ratio(name: string, a: number | undefined, b: number | undefined, target: string, ok: ((v: number) => boolean) | null, detail: string): Ratio {
  if (a === undefined || b === undefined || b === 0) return { name, value: null, target, met: null, detail: 'not measured in this run' };
  const value = round(a / b, 2);
  return { name, value, target, met: ok ? ok(value) : null, detail };
}

/**
 * A ceiling of the cluster mode on this run's machine: one thread both runs
 * the workflow as `engine` does (bare XState: storing nothing, adding nothing;
 * flowstate-redis-direct: the single-process path with its two writes, where a
 * cluster workflow needs five) and moves its BullMQ job (bullmq-job, a no-op
 * job), so the times per workflow add up. Against bullmq-flow, that bounds
 * `flowstate-redis / bullmq-flow` from above.
 */
function clusterCeiling(engine: BenchResult | undefined, job: BenchResult | undefined, flow: BenchResult | undefined): Ratio {
  const name = `cluster ceiling: 1 / (1/${engine?.system ?? '?'} + 1/bullmq-job) / bullmq-flow`;
  if (!engine || !job || !flow) return { name, value: null, target: 'context', met: null, detail: 'not measured in this run' };
  const ceiling = 1 / (1 / engine.workflows_per_s + 1 / job.workflows_per_s);
  return ratio(name, ceiling, flow.workflows_per_s, 'context', null, `${round(ceiling, 0)} wf/s at most (${engine.system} ${engine.workflows_per_s}, bullmq-job ${job.workflows_per_s}, bullmq-flow ${flow.workflows_per_s} wf/s)`);
}

/**
 * flowstate-memory / xstate-bare: the median of adjacent pairs' ratios when
 * the run paired their rounds (seed-shape does), else the ratio of the rows' medians.
 */
function memoryOverBare(memory: BenchResult | undefined, bare: BenchResult | undefined): Ratio {
  const name = 'flowstate-memory / xstate-bare (wf/s)';
  const medians = `${memory?.workflows_per_s} vs ${bare?.workflows_per_s} wf/s`;
  const paired = memory?.paired_ratio_to_xstate_bare as number | undefined;
  if (paired === undefined || !memory || !bare) return ratio(name, memory?.workflows_per_s, bare?.workflows_per_s, '>= 0.9', (v) => v >= 0.9, medians);
  const pairs = (memory.pair_ratios as number[] | undefined)?.length;
  const ofMedians = round(memory.workflows_per_s / bare.workflows_per_s, 2);
  const value = round(paired, 2);
  return { name, value, target: '>= 0.9', met: value >= 0.9, detail: `median of ${pairs} adjacent pairs of rounds (rows' medians: ${medians}, ratio ${ofMedians})` };
}

/** The ratios the targets are stated in, each from rows of this run. */
export function computeRatios(rows: BenchResult[]): Ratio[] {
  const out: Ratio[] = [];
  const fsRedis = find(rows, 'seed-shape', 'flowstate-redis');
  const bull = find(rows, 'seed-shape', 'bullmq-flow');
  const fsMem = find(rows, 'seed-shape', 'flowstate-memory');
  const bare = find(rows, 'seed-shape', 'xstate-bare');
  out.push(ratio('flowstate-redis / bullmq-flow (wf/s)', fsRedis?.workflows_per_s, bull?.workflows_per_s, '>= 2', (v) => v >= 2, `${fsRedis?.workflows_per_s} vs ${bull?.workflows_per_s} wf/s`));
  const direct = find(rows, 'seed-shape', 'flowstate-redis-direct');
  out.push(ratio('flowstate-redis-direct / bullmq-flow (wf/s)', direct?.workflows_per_s, bull?.workflows_per_s, 'context', null, `${direct?.workflows_per_s} vs ${bull?.workflows_per_s} wf/s (one process, no BullMQ)`));
  out.push(ratio('flowstate-redis / flowstate-redis-direct (wf/s)', fsRedis?.workflows_per_s, direct?.workflows_per_s, 'context', null, 'what the cluster mode costs'));
  const job = find(rows, 'seed-shape', 'bullmq-job');
  out.push(clusterCeiling(bare, job, bull), clusterCeiling(direct, job, bull));
  // Issue 12 raised the target from issue 4's 0.8 to 0.9.
  out.push(memoryOverBare(fsMem, bare));
  for (const system of ['flowstate-memory', 'flowstate-redis']) {
    for (const scenario of ['fan-out', 'long-chain']) {
      // A size that hit its time cap is a skipped row with a lower bound: the ratio is then a lower bound too.
      const big = rows.find((r) => r.name === scenario && r.system === system && r.tasks_per_workflow === 1000);
      const small = find(rows, scenario, system, (r) => r.tasks_per_workflow === 10);
      const bound = big?.per_task_us_at_least as number | undefined;
      const a = (big?.per_task_us as number | undefined) ?? bound;
      const b = small?.per_task_us as number | undefined;
      const r = ratio(`${scenario} ${system}: per-task 1000 / 10`, a, b, '<= 2', (v) => v <= 2, `${bound ? 'at least ' : ''}${a} vs ${b} µs per task`);
      out.push(bound && r.value !== null ? { ...r, detail: `${r.detail} (the 1000 run hit its time cap: the ratio is a lower bound)` } : r);
    }
  }
  for (const [label, prefix] of [['paced', 'paced'], ['autocannon', 'autocannon']] as const) {
    const http = find(rows, 'http-create', 'flowstate-server', (r) => String(r.mode).startsWith(prefix));
    const p99 = http?.p99_ms as number | undefined;
    const name = `http-create p99 (ms), ${label}`;
    out.push(
      p99 === undefined
        ? { name, value: null, target: '<= 10', met: null, detail: 'not measured in this run' }
        : { name, value: p99, target: '<= 10', met: p99 <= 10, detail: `at ${http?.achieved_rps} req/s achieved (p50 ${http?.p50_ms} ms)` },
    );
  }
  const slow = find(rows, 'burst', 'flowstate-server', (r) => r.rate === 1000);
  const calm = find(rows, 'burst', 'flowstate-server', (r) => r.rate === 100);
  out.push(
    ratio('burst p99 (ms), 1000/s / 100/s', slow?.p99_ms as number | undefined, calm?.p99_ms as number | undefined, '<= 5', (v) => v <= 5, `${slow?.p99_ms} vs ${calm?.p99_ms} ms (from the scheduled send)`),
  );
  out.push(...scaleOutRatios(rows));
  out.push(completionRatio(rows.find((r) => r.name === 'completion' && !r.skipped)));
  const first = find(rows, 'list', 'flowstate-redis', (r) => r.page === 1);
  const hundredth = find(rows, 'list', 'flowstate-redis', (r) => r.page === 100);
  out.push(ratio('list page 100 / page 1 (ms)', hundredth?.ms as number | undefined, first?.ms as number | undefined, '~1 (equal)', (v) => v <= 1.5, `${hundredth?.ms} vs ${first?.ms} ms`));
  const sets = find(rows, 'redis-ceiling', 'ioredis', (r) => r.mode === 'pipelined SET x100');
  if (fsRedis && sets) {
    // Store commands the engine issues per second: one create script plus its saves per workflow.
    const perWf = 1 + Number(fsRedis.store_writes_per_workflow ?? 0);
    out.push({
      name: 'flowstate-redis store commands/s / pipelined SET ops/s',
      value: round((fsRedis.workflows_per_s * perWf) / (sets.ops_per_s as number), 3),
      target: 'context',
      met: null,
      detail: `${round(fsRedis.workflows_per_s * perWf, 0)} script calls/s (${perWf} per workflow) vs ${sets.ops_per_s} SET/s pipelined`,
    });
  }
  return out;
}

/** scale-out: each process count's throughput over (count × the 1-process figure), target ≥ 0.9. */
function scaleOutRatios(rows: BenchResult[]): Ratio[] {
  const one = find(rows, 'scale-out', 'flowstate-cluster', (r) => r.processes === 1);
  return rows
    .filter((r) => r.name === 'scale-out' && !r.skipped && Number(r.processes) > 1)
    .map((r) => {
      const n = Number(r.processes);
      return ratio(
        `scale-out ${n} processes / (${n} × 1 process) (wf/s)`,
        r.workflows_per_s,
        one ? n * one.workflows_per_s : undefined,
        '>= 0.9',
        (v) => v >= 0.9,
        `${r.workflows_per_s} vs ${n} × ${one?.workflows_per_s} wf/s (load average ${r.loadavg_1m})`,
      );
    });
}

/** Seconds until the last sample workflow is stored finished, over the 4.5 s one takes alone (a lower bound when the run hit its cap). */
function completionRatio(row: BenchResult | undefined): Ratio {
  const name = 'completion seconds / ideal';
  const bound = row?.ideal_ratio_at_least as number | undefined;
  const value = (row?.ideal_ratio as number | undefined) ?? bound;
  if (!row || value === undefined) return { name, value: null, target: '<= 1.5', met: null, detail: 'not measured in this run' };
  const detail = `${row.seconds} s for ${row.posted} workflows over ${row.connections} connections vs ${row.ideal_seconds} s each`;
  return {
    name,
    value,
    target: '<= 1.5',
    met: value <= 1.5,
    detail: bound === undefined ? detail : `${detail} (hit the ${row.cap_seconds} s cap with ${row.workflows} finished: the ratio is a lower bound)`,
  };
}

/** The ratios as text lines. */
export function formatRatios(ratios: Ratio[]): string {
  return ratios
    .map((r) => {
      const verdict = r.met === null ? (r.value === null ? '—' : '  ') : r.met ? 'OK' : 'MISS';
      return `${verdict.padEnd(4)} ${r.name}: ${r.value ?? 'n/a'} (target ${r.target}) — ${r.detail}`;
    })
    .join('\n');
}
