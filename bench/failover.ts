import { loadavg } from 'node:os';
import { z } from 'zod';
import type { BenchOptions } from './options.ts';
import { resultRow, round, skippedRow, type BenchResult } from './result.ts';
import { median } from './measure.ts';
import { oneSleepDefinition } from './definitions.ts';
import { waitStoredFinished } from './storedFinished.ts';
import { startServerCluster, type LockSettings, type ServerCluster } from './serverCluster.ts';

const NAME = 'failover';
const SYSTEM = 'flowstate-cluster';
const POLL_MS = 100;
const REQUEST_TIMEOUT_MS = 10_000;

// The 202 body: the original engine's fields plus the full status.
const CreatedSchema = z.looseObject({ workflow: z.looseObject({ id: z.string() }) });
const HealthSchema = z.looseObject({ cluster: z.looseObject({ backlog: z.looseObject({ waiting: z.number(), delayed: z.number() }) }).optional() });
const END_TYPES = new Set(['workflow.succeeded', 'workflow.failed', 'workflow.cancelled']);
const EventsSchema = z.array(z.looseObject({ type: z.string(), at: z.string(), process: z.string().optional() }));

/**
 * A process dies holding running workflows: process A (the only one
 * taking jobs: B is frozen) starts `failoverWorkflows` workflows of one long
 * `sleep` task; once each has its `task.started` from A, B is let go and A
 * is SIGKILLed. `takeover_s` is the time from the kill to the last workflow's
 * `task.started` stamped with B's process id (read from each workflow's
 * events: the survivor's own clock, so the poll interval does not blur it);
 * `seconds` (`end_s`) is until the store holds all of them finished. One row
 * per lock setting: the takeover should follow LOCK_DURATION_MS +
 * STALLED_INTERVAL_MS (`bound_s`).
 */
export async function failover(options: BenchOptions): Promise<BenchResult[]> {
  const rows: BenchResult[] = [];
  for (const locks of options.failoverLocks) rows.push(await oneSetting(options, locks));
  return rows;
}

async function oneSetting(options: BenchOptions, locks: LockSettings): Promise<BenchResult> {
  const n = options.failoverWorkflows;
  const label = `LOCK_DURATION_MS=${locks.lockDurationMs} STALLED_INTERVAL_MS=${locks.stalledIntervalMs}`;
  let cluster: ServerCluster;
  try {
    // Room for every workflow in one process: none may wait in the queue for B.
    cluster = await startServerCluster({ redisUrl: options.redisUrl, count: 1, concurrency: Math.max(50, n), locks });
  } catch (error) {
    return skippedRow(NAME, SYSTEM, `${label}: the server did not start: ${String((error as Error).message).split('\n')[0]}`);
  }
  const [b] = cluster.servers;
  try {
    // B, the survivor, starts first (a start takes seconds here, longer than a task) and is
    // frozen with SIGSTOP: its worker can take no job, so A, started next, takes every one.
    const bId = cluster.processId(b);
    b.process.kill('SIGSTOP');
    const a = await cluster.add();
    const aId = cluster.processId(a);
    const body = JSON.stringify(oneSleepDefinition(options.failoverTaskMs));
    const ids = await Promise.all(Array.from({ length: n }, () => create(a.url, body)));
    const capAt = Date.now() + options.clusterCapSeconds * 1000;
    // The cheap check first (one request), then each workflow's own history.
    await allTaken(a.url, capAt);
    if ((await startedBy(a.url, ids, aId, capAt)).size < n) return skippedRow(NAME, SYSTEM, `${label}: not all ${n} tasks started in the first process`);
    b.process.kill('SIGCONT');
    // B answers again (its worker is back) before A dies; A still holds every job.
    await answers(b.url);

    const load0 = loadavg()[0];
    const killedAt = Date.now();
    await a.kill();
    // On a loaded machine a task can end in A before the kill: such a workflow has nothing to take over.
    const histories = await Promise.all(ids.map((id) => eventsOf(b.url, id)));
    const endedBefore = new Set(ids.filter((_, i) => histories[i]?.some((e) => END_TYPES.has(e.type) && Date.parse(e.at) <= killedAt)));
    const open = ids.filter((id) => !endedBefore.has(id));
    const taken = await startedBy(b.url, open, bId, killedAt + options.clusterCapSeconds * 1000);
    if (taken.size < open.length) {
      const missing = open.filter((id) => !taken.has(id)).slice(0, 3);
      const last = await Promise.all(missing.map(async (id) => `${id}: ${JSON.stringify((await eventsOf(b.url, id))?.slice(-2))}`));
      return skippedRow(NAME, SYSTEM, `${label}: ${taken.size} of ${open.length} workflows ran again within ${options.clusterCapSeconds} s (e.g. ${last.join('; ')})`);
    }
    const ended = await waitStoredFinished([b.url], { deadline: performance.now() + options.clusterCapSeconds * 1000, pollMs: POLL_MS });
    const endS = (Date.now() - killedAt) / 1000;
    if (!ended) return skippedRow(NAME, SYSTEM, `${label}: not all ${n} workflows ended within ${options.clusterCapSeconds} s of the takeover`);

    const takeovers = [...taken.values()].map((at) => (at - killedAt) / 1000);
    return resultRow(NAME, SYSTEM, open.length, 1, endS, {
      ...(endedBefore.size > 0 ? { note: `${endedBefore.size} of ${n} ended in the killed process before the kill (left out)` } : {}),
      ended_before_kill: endedBefore.size,
      mode: label,
      lock_duration_ms: locks.lockDurationMs,
      stalled_interval_ms: locks.stalledIntervalMs,
      // A lock outlives its last renewal by at most lockDuration; a stalled check follows within stalledInterval.
      bound_s: (locks.lockDurationMs + locks.stalledIntervalMs) / 1000,
      takeover_s: round(Math.max(...takeovers), 2),
      takeover_first_s: round(Math.min(...takeovers), 2),
      takeover_median_s: round(median(takeovers), 2),
      end_s: round(endS, 2),
      task_ms: options.failoverTaskMs,
      loadavg_1m_before: round(load0, 2),
      loadavg_1m: round(loadavg()[0], 2),
    });
  } finally {
    b.process.kill('SIGCONT');
    await cluster.close();
  }
}

async function create(url: string, body: string): Promise<string> {
  const res = await fetch(`${url}/api/workflow`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  if (res.status !== 202) throw new Error(`POST /api/workflow: ${res.status} ${await res.text()}`);
  return CreatedSchema.parse(await res.json()).workflow.id;
}

/**
 * Polls each workflow's events through `url` until every one has a
 * `task.started` from process `processId` (or `capAt`, a Date.now() time,
 * passes); returns the first such event's time per workflow.
 */
async function startedBy(url: string, ids: string[], processId: string, capAt: number): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  while (found.size < ids.length && Date.now() < capAt) {
    const open = ids.filter((id) => !found.has(id));
    await Promise.all(
      open.map(async (id) => {
        const at = await startedAt(url, id, processId);
        if (at !== null) found.set(id, at);
      }),
    );
    if (found.size < ids.length) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return found;
}

async function startedAt(url: string, id: string, processId: string): Promise<number | null> {
  const event = (await eventsOf(url, id))?.find((e) => e.type === 'task.started' && e.process === processId);
  return event ? Date.parse(event.at) : null;
}

/** A workflow's history (a few events: one page), or null when this poll failed. */
async function eventsOf(url: string, id: string): Promise<z.infer<typeof EventsSchema> | null> {
  try {
    const res = await fetch(`${url}/api/workflow/${id}/events?limit=1000`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return res.status === 200 ? EventsSchema.parse(await res.json()) : null;
  } catch {
    // A lost poll on a busy machine: the next one asks again.
    return null;
  }
}

/** Resolves once `url` answers /health (any status); throws after a few failed tries. */
async function answers(url: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await fetch(`${url}/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      return;
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

/** Waits until no job of the cluster waits, by the /health of `url` (or `capAt` passes): the one live worker holds them all. */
async function allTaken(url: string, capAt: number): Promise<void> {
  while (Date.now() < capAt) {
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const backlog = HealthSchema.parse(await res.json()).cluster?.backlog;
      if (backlog && backlog.waiting + backlog.delayed === 0) return;
    } catch {
      // Asked again below.
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
