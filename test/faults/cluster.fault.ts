import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../../shared/definition.ts';
import type { WorkflowEvent } from '../../shared/events.ts';
import type { WorkflowStatus } from '../../shared/status.ts';
import { startHitCounter, type HitCounter } from '../helpers/hitCounter.ts';
import { randomPrefix, startRedisServer, type RedisServerHandle } from '../helpers/redis.ts';
import { startServer, type ServerHandle } from '../helpers/server.ts';
import { mapLimit, sleep } from './helpers/async.ts';
import { createRng, type Rng } from './helpers/createRng.ts';
import { request } from './helpers/request.ts';
import { waitAllEnded } from './helpers/workflowApi.ts';

/** Issue 9's fault test: 3 processes on one Redis, executions counted outside Flowstate, processes killed, stopped and added. */
const WORKFLOWS = 300;

interface Planned {
  definition: WorkflowDefinition;
  expected: 'succeeded' | 'failed' | 'cancelled';
}

/** One of five shapes; every task is an `http` call the counter counts under `<workflow>/<task>`. */
function plan(rng: Rng, counter: HitCounter, n: number, run: string): Planned {
  const key = (task: string) => `${run}/${n}/${task}`;
  const http = (id: string, delayMs: number, extra: Record<string, unknown> = {}, failFirst = 0) => ({
    id,
    name: 'http',
    params: { url: counter.hitUrl(key(id), delayMs, failFirst), method: 'POST', ...extra },
  });
  const kind = n === 0 ? 'cancel' : n % 50 === 1 ? 'fail' : (['sequential', 'wide', 'retry'] as const)[n % 3];
  switch (kind) {
    case 'cancel':
      return { expected: 'cancelled', definition: { name: `cancel-${n}`, steps: [{ execution_type: 'sequential', tasks: [http('long', 60_000), http('never', 0)] }] } };
    case 'fail':
      return {
        expected: 'failed',
        definition: { name: `fail-${n}`, steps: [{ execution_type: 'sequential', tasks: [http('doomed', 50, { retry_count: 1, retry_delay: 0.2 }, 99), http('after', 0)] }] },
      };
    case 'sequential':
      return {
        expected: 'succeeded',
        definition: { name: `seq-${n}`, steps: [{ execution_type: 'sequential', tasks: [http('a', rng.int(100, 600)), http('b', rng.int(100, 600)), http('c', rng.int(100, 600))] }] },
      };
    case 'wide':
      return {
        expected: 'succeeded',
        definition: {
          name: `wide-${n}`,
          steps: [
            { execution_type: 'parallel', tasks: Array.from({ length: 12 }, (_, i) => http(`p${i}`, rng.int(50, 800))) },
            { execution_type: 'sequential', tasks: [http('z', 50)] },
          ],
        },
      };
    case 'retry':
      return {
        expected: 'succeeded',
        // Fails twice, then works: backoffs of 0.3 s and 0.6 s (parked as delayed jobs) between attempts.
        definition: { name: `retry-${n}`, steps: [{ execution_type: 'sequential', tasks: [http('flaky', 100, { retry_count: 3, retry_delay: 0.3 }, 2)] }] },
      };
  }
}

async function events(base: string, id: string): Promise<WorkflowEvent[]> {
  const all: WorkflowEvent[] = [];
  for (let after = 0; ; ) {
    const page = await request<WorkflowEvent[]>(`${base}/api/workflow/${id}/events?after=${after}&limit=1000`);
    expect(page.status).toBe(200);
    all.push(...page.body);
    const next = page.headers.get('x-next-cursor');
    if (!next) return all;
    after = Number(next);
  }
}

describe('fault: a cluster of processes on one Redis (BullMQ)', () => {
  let redis: RedisServerHandle;
  let counter: HitCounter;
  const servers: ServerHandle[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    counter = await startHitCounter();
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill()));
    await counter?.close();
    await redis?.stop();
  });

  it('runs 300 workflows through kills, a SIGTERM and a new process: all end, no task runs more than its attempts, none twice without a kill', async () => {
    const rng = createRng();
    const prefix = randomPrefix();
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: prefix, MAX_CONCURRENT_WORKFLOWS: '30', LOCK_DURATION_MS: '3000', STALLED_INTERVAL_MS: '500', SHUTDOWN_GRACE_MS: '300' };
    const start = async () => {
      const server = await startServer(env);
      servers.push(server);
      return server;
    };
    const live = () => servers.filter((s) => s.process.exitCode === null && s.process.signalCode === null);
    const [a, b, c] = await Promise.all([start(), start(), start()]);
    const run = `run${rng.seed}`;
    const plans = Array.from({ length: WORKFLOWS }, (_, n) => plan(rng, counter, n, run));
    // Created through random processes; a create the store did not answer in
    // time (503) is sent again, safely: each carries an idempotency key.
    const ids = await mapLimit(plans.map((p, n) => ({ p, n })), 8, async ({ p, n }) => {
      const json = { ...p.definition, idempotency_key: `${run}-${n}` };
      for (let tries = 1; ; tries++) {
        const reply = await request<{ workflow_id: string }>(`${rng.pick([a, b, c]).url}/api/workflow`, { method: 'POST', json });
        if (reply.status === 503 && tries < 5) continue;
        expect(reply.status, JSON.stringify(reply.body)).toBe(202);
        return reply.body.workflow_id;
      }
    });
    const created = new Map(ids.map((id, i) => [id, plans[i]]));

    await sleep(rng.int(800, 1500));
    // Cancel the long one through a process chosen at random (maybe not the one running it).
    const cancelled = await request<WorkflowStatus>(`${rng.pick([a, b, c]).url}/api/workflow/${ids[0]}/cancel`, { method: 'POST' });
    expect(cancelled.status).toBe(200);

    // SIGKILL one process mid-run, note what it was running, and restart it.
    const victim = rng.pick([a, b, c]);
    const victimId = (await request<{ process: string }>(`${victim.url}/health`)).body.process;
    await victim.kill();
    const killedAt = Date.now();
    servers.push(await victim.restart());
    await sleep(rng.int(300, 800));
    // SIGTERM another: it hands what it runs back at once.
    const stopped = rng.pick(live().filter((s) => s !== victim));
    const stoppedId = (await request<{ process: string }>(`${stopped.url}/health`)).body.process;
    expect(await stopped.stop()).toBe(0);
    // And a new process joins.
    await start();

    const reader = live()[0];
    const ended = await waitAllEnded(reader.url, ids, 120_000);
    const histories = await mapLimit(ids, 16, (id) => events(reader.url, id));

    // A process whose event loop stalls past the lock (a loaded machine) loses
    // the workflow to another process: a takeover like a kill's, logged.
    const lostLocks = new Set<string>();
    for (const server of servers) for (const m of server.logs().matchAll(/"lost the lock of a workflow[^}]*"workflow_id":"([^"]+)"/g)) lostLocks.add(m[1]);
    const takeovers: number[] = [];
    let reruns = 0;
    for (const [i, id] of ids.entries()) {
      const { expected, definition } = created.get(id)!;
      const status = ended.finals.get(id)!;
      const where = `seed ${rng.seed}: ${status.name}`;
      expect(status.status, where).toBe(expected);
      const history = histories[i];
      const starts = history.filter((e) => e.type === 'task.started');
      const killedHere = starts.some((e) => e.process === victimId);
      const handedBack = starts.some((e) => e.process === stoppedId);
      const lockLost = lostLocks.has(id);
      const disruptions = (killedHere ? 1 : 0) + (handedBack ? 1 : 0) + (lockLost ? 1 : 0);
      // Takeover: the first start by another process after the kill, for a workflow the victim was running.
      const firstAfterKill = starts.find((e) => e.process !== victimId && Date.parse(e.at) >= killedAt);
      if (killedHere && firstAfterKill) takeovers.push(Date.parse(firstAfterKill.at) - killedAt);
      for (const [s, step] of status.steps.entries()) {
        for (const task of step.tasks) {
          const executions = counter.hits(`${run}/${i}/${task.id}`);
          const retryCount = Number(definition.steps[s].tasks.find((t) => t.id === task.id)!.params?.retry_count ?? 0);
          expect(executions, `${where} ${task.id}: executions ≤ attempts`).toBeLessThanOrEqual(task.attempts);
          expect(task.attempts, `${where} ${task.id}: attempts ≤ 1 + retries + disruptions`).toBeLessThanOrEqual(1 + retryCount + disruptions);
          // Without a kill or a stop every attempt ran exactly once. (A stop may freeze a run just after an attempt was stored as started and before its call left.)
          if (!killedHere && !handedBack && !lockLost) expect(executions, `${where} ${task.id}: one execution per attempt`).toBe(task.attempts);
          reruns += task.attempts - executions;
        }
      }
      // The history agrees with the status: one start per attempt.
      for (const step of status.steps) for (const task of step.tasks) expect(starts.filter((e) => e.task === task.id).length, `${where} ${task.id} starts`).toBe(task.attempts);
    }
    for (const server of servers) expect(server.logs(), 'no conflict in a run of live processes').not.toMatch(/owned by another writer/);
    const sorted = [...takeovers].sort((x, y) => x - y);
    console.log(
      `[faults] cluster: ${WORKFLOWS} workflows on 3→4 processes, 1 SIGKILL + 1 SIGTERM, ${lostLocks.size} locks lost to a stalled event loop, all ended (${JSON.stringify(
        [...ended.finals.values()].reduce<Record<string, number>>((n, s) => ({ ...n, [s.status]: (n[s.status] ?? 0) + 1 }), {}),
      )}); takeovers after the kill: ${sorted.length}, median ${sorted[Math.floor(sorted.length / 2)] ?? '-'} ms, max ${sorted.at(-1) ?? '-'} ms ` +
        `(LOCK_DURATION_MS 3000, STALLED_INTERVAL_MS 500); attempts stored but never executed (kill between the write and the call): ${reruns}; seed ${rng.seed}`,
    );
    expect(takeovers.length).toBeGreaterThan(0);
    expect(sorted.at(-1)!).toBeLessThan(3000 + 3 * 500 + 5000);
  }, 240_000);
});
