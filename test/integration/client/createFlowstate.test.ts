import { Redis } from 'ioredis';
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, createFlowstate, defineTask, FlowstateError, NonRetryableError, type AppRouterOf, type FlowstateApp, type WorkflowStatus } from '../../../server/index.ts';
import { createWorkflowClient } from '../../../client/index.ts';
import { deleteKeysWithPrefix, randomPrefix, redisUrlForTests } from '../../helpers/redis.ts';

const redisUrl = await redisUrlForTests();

/** A task of "the user's" own: doubles `n`, fails for good on a negative one. */
const doubleTask = defineTask({
  name: 'double',
  description: 'Doubles n.',
  params: z.object({ n: z.number(), ms: z.number().int().min(0).max(10_000).default(0) }),
  async run({ params, signal }) {
    if (params.n < 0) throw new NonRetryableError('negative');
    if (params.ms > 0) await new Promise((resolve) => setTimeout(resolve, params.ms));
    signal.throwIfAborted();
    return { doubled: params.n * 2 };
  },
});

const doubling = (n: number, ms = 0) => ({
  name: 'doubling',
  steps: [{ execution_type: 'sequential' as const, tasks: [{ id: 'd', name: 'double', params: { n, ms, retry_count: 3 } }] }],
});

/** Resolves with the first status `subscribe` reports in a finished state. */
function ended(app: FlowstateApp, id: string): Promise<WorkflowStatus> {
  return new Promise((resolve) => {
    const stop = app.engine.subscribe(id, (s) => {
      if (['succeeded', 'failed', 'cancelled'].includes(s.status)) (stop(), resolve(s));
    });
  });
}

describe('createFlowstate', () => {
  const apps: FlowstateApp[] = [];
  const make = async (options: Parameters<typeof createFlowstate>[0]) => {
    // env: {} so the test run's REDIS_URL or PORT does not leak in.
    const app = await createFlowstate({ env: {}, logLevel: 'silent', ...options });
    apps.push(app);
    return app;
  };
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('runs your task in-process: create, subscribe, get, list, cancel', async () => {
    const app = await make({ tasks: [doubleTask] });
    expect(app.engine.storeKind).toBe('memory');
    const created = await app.engine.create(doubling(21, 50));
    const final = await ended(app, created.id);
    expect(final.status).toBe('succeeded');
    expect(final.steps[0].tasks[0].output).toEqual({ doubled: 42 });
    expect((await app.engine.get(created.id)).status).toBe('succeeded');
    expect((await app.engine.list({ limit: 10 })).items.map((w) => w.id)).toEqual([created.id]);

    const failed = await ended(app, (await app.engine.create(doubling(-1))).id);
    // NonRetryableError: one attempt of the four retry_count allows.
    expect([failed.status, failed.steps[0].tasks[0].attempts]).toEqual(['failed', 1]);

    const slow = await app.engine.create(doubling(1, 5_000));
    expect((await app.engine.cancel(slow.id)).status).toBe('cancelled');
    await expect(app.engine.get('no-such-workflow')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('includes the built-ins unless `builtins: false`, and rejects tasks it does not know', async () => {
    const withBuiltins = await make({ tasks: [doubleTask] });
    expect(withBuiltins.engine.tasks().map((t) => t.name)).toEqual(expect.arrayContaining(['double', 'sleep', 'echo', 'task_a']));
    const own = await make({ tasks: [doubleTask], builtins: false });
    expect(own.engine.tasks().map((t) => t.name)).toEqual(['double']);
    const sleeping = { name: 's', steps: [{ execution_type: 'sequential' as const, tasks: [{ name: 'sleep', params: { ms: 1 } }] }] };
    const error = await own.engine.create(sleeping).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlowstateError);
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('serves the HTTP API on listen() and drains on close(): a running task finishes, then connections close', async () => {
    const app = await make({ tasks: [doubleTask], shutdownGraceMs: 5_000 });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await fetch(`${url}/openapi.json`)).status).toBe(200);
    const res = await fetch(`${url}/api/workflow`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(doubling(5, 300)) });
    expect(res.status).toBe(202);
    const { workflow_id } = (await res.json()) as { workflow_id: string };

    const end = ended(app, workflow_id);
    await app.close();
    // The task that was running got its grace period and finished before close() resolved.
    expect((await end).status).toBe('succeeded');
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    await expect(app.listen()).rejects.toThrow();
  });

  it("types a client by the app's own tasks (AppRouterOf): unknown tasks and wrong params do not compile", async () => {
    // createFlowstate itself, not make(): the app's type carries its tasks.
    const app = await createFlowstate({ env: {}, logLevel: 'silent', tasks: [doubleTask] });
    apps.push(app);
    const wf = createWorkflowClient<AppRouterOf<typeof app>>({ url: await app.listen({ port: 0 }) });
    const seq = 'sequential' as const;
    // These lines are checked by `tsc` (npm test): each @ts-expect-error fails the build if its error disappears.
    const rejected = [
      // @ts-expect-error "tripple" is no task of this app
      () => wf.create({ name: 'typed', steps: [{ execution_type: seq, tasks: [{ name: 'tripple', params: {} }] }] }),
      // @ts-expect-error double's n is a number
      () => wf.create({ name: 'typed', steps: [{ execution_type: seq, tasks: [{ name: 'double', params: { n: 'two' } }] }] }),
    ];
    expect(rejected).toHaveLength(2);
    const own = await createFlowstate({ env: {}, logLevel: 'silent', tasks: [doubleTask], builtins: false });
    apps.push(own);
    const onlyOwn = createWorkflowClient<AppRouterOf<typeof own>>({ url: 'http://127.0.0.1:1' });
    // @ts-expect-error with builtins: false, sleep is not a task of the app
    expect(typeof (() => onlyOwn.create({ name: 'typed', steps: [{ execution_type: seq, tasks: [{ name: 'sleep', params: { ms: 1 } }] }] }))).toBe('function');

    // What compiles runs: the app's task and a built-in, in one workflow.
    const created = await wf.create({
      name: 'typed',
      steps: [{ execution_type: seq, tasks: [{ id: 'd', name: 'double', params: { n: 4 } }, { name: 'sleep', params: { ms: 1 } }] }],
    });
    const final = await wf.wait(created.id, { timeoutMs: 10_000 });
    expect([final.status, final.steps[0].tasks[0].output]).toEqual(['succeeded', { doubled: 8 }]);
  });

  it('takes settings from options over env over defaults, checked by the same rules as the variables', async () => {
    const app = await make({ env: { MAX_CONCURRENT_WORKFLOWS: '3', PORT: '9999' }, port: 0, limits: { maxSteps: 2 } });
    expect(app.config).toMatchObject({ maxConcurrentWorkflows: 3, port: 0, limits: { maxSteps: 2 } });
    const threeSteps = { name: 'x', steps: [1, 2, 3].map(() => ({ execution_type: 'sequential' as const, tasks: [{ name: 'echo' }] })) };
    await expect(app.engine.create(threeSteps)).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    const bad = await createFlowstate({ env: {}, port: 70_000 }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ConfigError);
    expect((bad as ConfigError).variables).toEqual(['PORT']);
    await expect(createFlowstate({ env: {}, tasks: [{ name: 'x' }] as never })).rejects.toThrow(TypeError);
    // A typo in an option name is an error too, not silently ignored.
    await expect(createFlowstate({ env: {}, prot: 1 } as never)).rejects.toThrow(TypeError);
  });

  it('refuses two tasks of one name (yours against a built-in)', async () => {
    const clash = defineTask({ ...doubleTask, name: 'sleep' });
    await expect(createFlowstate({ env: {}, logLevel: 'silent', tasks: [clash] })).rejects.toThrow(/sleep/);
  });

  describe.skipIf(!redisUrl)('on Redis', () => {
    it('keeps workflows in Redis under its prefix, and a second app on the same prefix resumes them', async () => {
      const prefix = randomPrefix();
      const redis = new Redis(redisUrl!);
      try {
        const first = await make({ tasks: [doubleTask], redisUrl: redisUrl!, redisPrefix: prefix });
        expect(first.engine.storeKind).toBe('redis');
        const done = await ended(first, (await first.engine.create(doubling(4))).id);
        expect(done.steps[0].tasks[0].output).toEqual({ doubled: 8 });
        await first.close();
        const second = await make({ tasks: [doubleTask], redisUrl: redisUrl!, redisPrefix: prefix });
        expect((await second.engine.get(done.id)).status).toBe('succeeded');
      } finally {
        await deleteKeysWithPrefix(redis, prefix);
        redis.disconnect();
      }
    });
  });
});
