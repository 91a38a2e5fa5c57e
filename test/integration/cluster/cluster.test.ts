import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isTerminal } from '../../../shared/status.ts';
import { createWorkflowClient } from '../../../client/index.ts';
import { deleteKeysWithPrefix, randomPrefix, redisUrlForTests } from '../../helpers/redis.ts';
import { startServer, type ServerHandle } from '../../helpers/server.ts';
import { startHitCounter, type HitCounter } from '../../helpers/hitCounter.ts';
import { call } from '../api/http.ts';
import { countedWorkflow, createVia, eventsVia, eventually, statusVia } from './helpers.ts';

const redisUrl = await redisUrlForTests();

// Real processes on one real Redis (a random key prefix per test): issue 9.
// Real processes, started and killed: generous time on a loaded machine.
describe.skipIf(!redisUrl)('several processes on one Redis (BullMQ)', { timeout: 90_000 }, () => {
  let redis: Redis;
  let counter: HitCounter;
  let prefix: string;
  const servers: ServerHandle[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const server = await startServer({ REDIS_URL: redisUrl!, REDIS_PREFIX: prefix, SHUTDOWN_GRACE_MS: '0', ...env });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    redis = new Redis(redisUrl!);
    counter = await startHitCounter();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.kill()));
    await deleteKeysWithPrefix(redis, prefix);
  });
  afterAll(async () => {
    await counter.close();
    redis.disconnect();
  });
  const fresh = () => (prefix = randomPrefix());

  it('a second process started while the first runs 50 workflows duplicates nothing', async () => {
    fresh();
    const first = await start({ MAX_CONCURRENT_WORKFLOWS: '50' });
    const run = `dup-${prefix}`;
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push(await createVia(first.url, countedWorkflow(`dup-${i}`, [counter.hitUrl(`${run}-${i}-a`, 300), counter.hitUrl(`${run}-${i}-b`, 300)])));
    const second = await start({ MAX_CONCURRENT_WORKFLOWS: '50' });
    const more: string[] = [];
    for (let i = 50; i < 60; i++) more.push(await createVia(second.url, countedWorkflow(`dup-${i}`, [counter.hitUrl(`${run}-${i}-a`, 100), counter.hitUrl(`${run}-${i}-b`, 100)])));
    const finals = await eventually('every workflow ends', async () => {
      const all = await Promise.all([...ids, ...more].map((id) => statusVia(second.url, id)));
      return all.every((s) => isTerminal(s.status)) ? all : undefined;
    });
    for (const [i, status] of finals.entries()) {
      expect(status.status).toBe('succeeded');
      for (const [t, task] of status.steps[0].tasks.entries()) {
        expect(task.attempts).toBe(1);
        expect(counter.hits(`${run}-${i}-${t === 0 ? 'a' : 'b'}`)).toBe(1);
      }
    }
    for (const server of [first, second]) expect(server.logs()).not.toContain('owned by another writer');
    // The second process took some of the later work: they act as one engine.
    const ranBy = new Set((await Promise.all(more.map((id) => eventsVia(second.url, id)))).flat().map((e) => e.process).filter(Boolean));
    expect(ranBy.size).toBeGreaterThanOrEqual(1);
  });

  it('an API-only process stores, watches and cancels what a worker-only process runs (its task is aborted there)', async () => {
    fresh();
    const worker = await start({ ROLE: 'worker' });
    const api = await start({ ROLE: 'api' });
    // The worker serves only /health; the API process runs nothing.
    expect((await call(worker.url, '/api/workflows')).status).toBe(404);
    const health = (await call<{ role: string; cluster: { processes: Array<{ pid: number }> } }>(api.url, '/health')).body;
    expect(health.role).toBe('api');
    expect(health.cluster.processes.map((p) => p.pid)).toEqual([worker.process.pid]);

    const key = `cancel-${prefix}`;
    const id = await createVia(api.url, countedWorkflow('cancel-me', [counter.hitUrl(key, 60_000), counter.hitUrl(`${key}-never`)]));
    const wf = createWorkflowClient({ url: api.url });
    const seen: string[] = [];
    const stop = wf.watch(id, (s) => seen.push(`${s.status}/${s.steps[0].tasks[0].status}`));
    await eventually('the task runs in the worker', () => (counter.hits(key) === 1 ? true : undefined));
    const waiting = wf.wait(id, { timeoutMs: 15_000 });
    const asked = Date.now();
    await wf.cancel(id);
    const final = await waiting;
    const tookMs = Date.now() - asked;
    stop();
    expect(final.status).toBe('cancelled');
    expect(final.steps[0].tasks[0].status).toBe('cancelled');
    expect(final.steps[0].tasks[1].status).toBe('skipped');
    expect(tookMs).toBeLessThan(5000);
    await eventually('the task saw its AbortSignal', () => (counter.aborted(key) === 1 ? true : undefined));
    expect(counter.hits(`${key}-never`)).toBe(0);
    expect(seen).toContain('running/running');
    expect(seen.at(-1)).toBe('cancelled/cancelled');
    const types = (await eventsVia(api.url, id)).map((e) => `${e.type}${e.task ? ` ${e.task}` : ''}`);
    expect(types).toEqual(['workflow.created', 'workflow.started', 'task.started t0', 'task.cancelled t0', 'task.skipped t1', 'workflow.cancelled']);
  });

  it('a SIGKILLed process\'s workflow goes on in the other one as a new attempt, within the lock time', async () => {
    fresh();
    const a = await start();
    const b = await start();
    const key = `kill-${prefix}`;
    const id = await createVia(a.url, countedWorkflow('survive', [counter.hitUrl(key, 2500)], { timeout: 30 }));
    await eventually('the task runs', () => (counter.hits(key) === 1 ? true : undefined));
    const started = (await eventsVia(a.url, id)).find((e) => e.type === 'task.started')!;
    const [victim, survivor] = started.process!.includes(`:${a.process.pid}:`) ? [a, b] : [b, a];
    await victim.kill();
    const killedAt = Date.now();
    await eventually('a second attempt starts', () => (counter.hits(key) === 2 ? true : undefined), 15_000);
    const takeoverMs = Date.now() - killedAt;
    const final = await eventually('it ends', async () => {
      const s = await statusVia(survivor.url, id);
      return isTerminal(s.status) ? s : undefined;
    });
    expect(final.status).toBe('succeeded');
    expect(final.steps[0].tasks[0].attempts).toBe(2);
    // LOCK_DURATION_MS 3000 + two STALLED_INTERVAL_MS of 1000 (test settings), plus slack for a loaded machine.
    expect(takeoverMs).toBeLessThan(9000);
    const starts = (await eventsVia(survivor.url, id)).filter((e) => e.type === 'task.started');
    expect(starts.map((e) => e.attempt)).toEqual([1, 2]);
    expect(starts[1].process).toContain(`:${survivor.process.pid}:`);
    console.log(`[cluster] takeover after SIGKILL: second attempt started ${takeoverMs} ms after the kill`);
  });

  it('a workflow in retry backoff holds no process: all processes down meanwhile, one restarted, it finishes', async () => {
    fresh();
    const only = await start();
    const id = await createVia(only.url, {
      name: 'backoff',
      steps: [{ execution_type: 'sequential', tasks: [{ id: 'flaky', name: 'fail', params: { times: 1, retry_count: 2, retry_delay: 2 } }, { id: 'after', name: 'echo' }] }],
    });
    await eventually('it waits out the backoff', async () => ((await statusVia(only.url, id)).steps[0].tasks[0].status === 'retrying' ? true : undefined));
    const parked = await eventually('parked as a delayed job', async () => {
      const h = (await call<{ workflows: { running: number }; cluster: { backlog: { delayed: number } } }>(only.url, '/health')).body;
      return h.cluster.backlog.delayed === 1 && h.workflows.running === 0 ? h : undefined;
    });
    expect(parked.cluster.backlog.delayed).toBe(1);
    expect(await only.stop()).toBe(0);
    servers.splice(servers.indexOf(only), 1);
    await new Promise((r) => setTimeout(r, 2500));
    const next = await start();
    const final = await eventually('it ends', async () => {
      const s = await statusVia(next.url, id);
      return isTerminal(s.status) ? s : undefined;
    });
    expect(final.status).toBe('succeeded');
    expect(final.steps[0].tasks[0].attempts).toBe(2);
    const types = (await eventsVia(next.url, id)).map((e) => e.type);
    expect(types).toEqual(['workflow.created', 'workflow.started', 'task.started', 'task.retrying', 'task.started', 'task.succeeded', 'task.started', 'task.succeeded', 'workflow.succeeded']);
  });

  it('SIGTERM hands a running workflow back at once: it continues elsewhere without waiting for the lock, and finished tasks do not run again', async () => {
    fresh();
    // Both up before the workflow exists (a start takes seconds on a loaded machine); whichever runs it is stopped.
    const [a, b] = await Promise.all([start({ LOCK_DURATION_MS: '30000' }), start({ LOCK_DURATION_MS: '30000' })]);
    const key = `term-${prefix}`;
    const id = await createVia(a.url, countedWorkflow('handover', [counter.hitUrl(`${key}-0`), counter.hitUrl(`${key}-1`, 8000)]));
    await eventually('the second task runs', () => (counter.hits(`${key}-1`) === 1 ? true : undefined));
    const started = (await eventsVia(a.url, id)).find((e) => e.type === 'task.started' && e.task === 't1')!;
    const [runner, other] = started.process!.includes(`:${a.process.pid}:`) ? [a, b] : [b, a];
    const stoppedAt = Date.now();
    expect(await runner.stop()).toBe(0);
    await eventually('the second task runs again in the other process', () => (counter.hits(`${key}-1`) === 2 ? true : undefined), 20_000).catch((error: Error) => {
      throw new Error(`${error.message}\nstopped process:\n${runner.logs().slice(-3000)}\nother process:\n${other.logs().slice(-3000)}`);
    });
    // Far sooner than the 30 s lock: the job was handed back, not left to stall.
    expect(Date.now() - stoppedAt).toBeLessThan(15_000);
    const final = await eventually('it ends', async () => {
      const s = await statusVia(other.url, id);
      return isTerminal(s.status) ? s : undefined;
    });
    expect(final.status).toBe('succeeded');
    expect(counter.hits(`${key}-0`)).toBe(1);
    expect(final.steps[0].tasks.map((t) => t.attempts)).toEqual([1, 2]);
    const restarted = (await eventsVia(other.url, id)).filter((e) => e.type === 'task.started' && e.task === 't1');
    expect(restarted.map((e) => e.attempt)).toEqual([1, 2]);
    expect(restarted[1].process).toContain(`:${other.process.pid}:`);
  });
});
