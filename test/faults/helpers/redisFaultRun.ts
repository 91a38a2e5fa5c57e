import { expect } from 'vitest';
import { isTerminal, type WorkflowStatus } from '../../../shared/status.ts';
import { expectFullHistory, expectStoreAgrees } from './checks.ts';
import { mapLimit, sleep } from './async.ts';
import { request } from './request.ts';
import { formatTally, startProbe, type ProbeTally } from './startProbe.ts';
import { createAll, waitAllEnded } from './workflowApi.ts';
import type { FaultRig } from './faultRig.ts';
import { createRng } from './createRng.ts';
import { sleepyWorkflow } from './workflows.ts';

/** Figures of one Redis fault run, for the suite's report line. */
export interface RedisFaultFigures {
  workflows: number;
  faults: number;
  lost: number;
  crashes: number;
  probe: Record<string, ProbeTally>;
}

/** Workflows per run: the issue's 50. */
const WORKFLOWS = 50;

/**
 * The shared shape of the Redis fault tests (stall, dropped connections,
 * restart): finish one workflow first (so some reads must go to Redis), start
 * 50 sleepy workflows, let them get going, `inject` the fault while a probe
 * hits /health, live GETs, a GET of the finished workflow and the list; then
 * assert every workflow ends `succeeded` with its full history and one attempt
 * per task, Redis holds exactly what the API said, and a restarted server
 * answers the same from Redis alone.
 *
 * `inject` returns how many faults it injected. `allowed` lists the HTTP
 * statuses a request may get during the fault (200, and 503 for reads that
 * must reach Redis); 500 and no-answer are never allowed.
 */
export async function runRedisFault(
  rig: FaultRig,
  inject: () => Promise<number>,
  options: { maxLatencyMs: number },
): Promise<RedisFaultFigures> {
  const rng = createRng();
  const before = await createAll(rig.server.url, [sleepyWorkflow(createRng(rng.seed + 1), 'finished-before')]);
  const earlier = await waitAllEnded(rig.server.url, before);
  await expectStoreAgrees(rig, earlier.finals);

  const definitions = Array.from({ length: WORKFLOWS }, (_, i) => sleepyWorkflow(rng, `fault-${i}`));
  const ids = await createAll(rig.server.url, definitions);
  await sleep(250);
  // Probe the workflows running in this process now (on a loaded box the first
  // ones may have ended and been written already, and those are read from Redis;
  // queued ones wait in BullMQ, held by no process, and are read from Redis too).
  const current = await mapLimit(ids, 16, (id) => request<WorkflowStatus>(`${rig.server.url}/api/workflow/${id}`));
  // Newest first: those run longest, so the probe's first GETs find them unfinished.
  const unfinished = ids.filter((_, i) => current[i].status === 200 && current[i].body.status === 'running').reverse();
  expect(unfinished.length, 'workflows still unfinished when the fault starts').toBeGreaterThan(0);
  const probe = startProbe(rig.server.url, {
    health: ['/health'],
    live: unfinished.map((id) => `/api/workflow/${id}`),
    stored: [`/api/workflow/${before[0]}`],
    list: ['/api/workflows?limit=10'],
  });
  probe.faulting = true;
  const faults = await inject().finally(() => (probe.faulting = false));
  // Keep probing through the recovery too: that is when retried writes land.
  await sleep(500);
  const tallies = await probe.stop();

  const pid = rig.server.process.pid;
  const ended = await waitAllEnded(rig.server.url, ids, 30_000);
  const crashes = rig.server.process.exitCode !== null || rig.server.process.signalCode !== null ? 1 : 0;
  const context = `seed ${rng.seed}; probe: ${Object.entries(tallies)
    .map(([k, t]) => `${k} ${formatTally(t.statuses)} slowest ${t.slowestMs} ms`)
    .join('; ')}\nserver log:\n${rig.server.logs().slice(-3000)}`;

  expect(crashes, context).toBe(0);
  for (const [kind, tally] of Object.entries(tallies)) {
    const bad = [...tally.statuses.keys()].filter((s) => s !== 200 && s !== 503);
    expect(bad, `${kind} answers other than 200/503 (${context})`).toEqual([]);
    expect(tally.slowestMs, `${kind} slowest answer (${context})`).toBeLessThanOrEqual(options.maxLatencyMs);
  }
  // Health never needs Redis: always 200, during the fault too. An unfinished
  // workflow is answered from memory (some GETs got a 200 while the fault was
  // on); one that ended and was written just before it is read from Redis, so
  // it may get the 503 like any stored one.
  expect(formatTally(tallies.health.statuses), context).toMatch(/^200:\d+$/);
  expect(tallies.health.duringFault.ok, context).toBeGreaterThan(0);
  expect(tallies.live.duringFault.ok, context).toBeGreaterThan(0);

  // A GET may only be 503 for a workflow that had ended (and been written) before
  // it was asked: one running here is always answered from memory.
  for (const { path, sentAt } of tallies.live.unavailable) {
    const final = ended.finals.get(path.slice('/api/workflow/'.length))!;
    expect(Date.parse(final.finished_at!), `503 for ${path} sent at ${new Date(sentAt).toISOString()} (${context})`).toBeLessThanOrEqual(sentAt + 1);
  }
  ids.forEach((id, i) => expectFullHistory(ended.finals.get(id)!, definitions[i]));
  await expectStoreAgrees(rig, ended.finals);

  // A new process knows only what Redis holds: it must answer the same.
  const server = await rig.restartServer('stop');
  expect(server.process.pid).not.toBe(pid);
  let lost = 0;
  for (const id of [...before, ...ids]) {
    const reply = await request<WorkflowStatus>(`${server.url}/api/workflow/${id}`);
    if (reply.status !== 200) lost++;
    else expect(reply.body).toEqual(ended.finals.get(id) ?? earlier.finals.get(id));
  }
  expect(lost).toBe(0);
  return { workflows: ids.length + before.length, faults, lost, crashes, probe: tallies };
}

/** One line of figures for the test output (the report quotes these). */
export function reportFigures(name: string, figures: RedisFaultFigures): void {
  const probe = Object.entries(figures.probe)
    .map(([k, t]) => {
      const during = `during fault ${t.duringFault.ok}/${t.duringFault.sent} ok${t.duringFault.live ? ` (${t.duringFault.live} running, from memory)` : ''}`;
      return `${k}[${formatTally(t.statuses)}, max ${t.slowestMs} ms, ${during}]`;
    })
    .join(' ');
  console.log(`[faults] ${name}: faults ${figures.faults}, workflows ${figures.workflows}, lost ${figures.lost}, crashes ${figures.crashes}; probe ${probe}`);
}
