import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkflowClient, FlowstateClientError, WaitTimeoutError, type WorkflowClient, type WorkflowStatus } from '../../../client/index.ts';
import type { FetchLike } from '../../../client/index.ts';
import { deleteKeysWithPrefix, freePort, randomPrefix, redisUrlForTests } from '../../helpers/redis.ts';
import { startServer, type ServerHandle } from '../../helpers/server.ts';
import { failingDefinition, quickDefinition, slowDefinition } from './definitions.ts';

const redisUrl = await redisUrlForTests();

/** A fetch that records every tRPC path it is asked for, and can refuse some. */
function recordingFetch(refuse?: (url: string) => boolean) {
  const paths: string[] = [];
  const fetchFn: FetchLike = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    paths.push(new URL(url).pathname.replace('/trpc/', ''));
    if (refuse?.(url)) throw new TypeError('fetch failed', { cause: Object.assign(new Error('refused by test'), { code: 'ECONNREFUSED' }) });
    return fetch(input, init);
  };
  return { paths, fetchFn };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<FlowstateClientError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FlowstateClientError);
  expect((err as FlowstateClientError).code).toBe(code);
  return err as FlowstateClientError;
}

describe.skipIf(redisUrl === null)('SDK through a real server (Redis store)', () => {
  const prefix = randomPrefix();
  let server: ServerHandle;
  let wf: WorkflowClient;

  beforeAll(async () => {
    server = await startServer({ REDIS_URL: redisUrl!, REDIS_PREFIX: prefix });
    wf = createWorkflowClient({ url: server.url });
  });
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
    const redis = new Redis(redisUrl!);
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
  });

  it('creates, gets, lists and waits for a workflow; outputs flow downstream', async () => {
    const created = await wf.create(quickDefinition('sdk-happy'));
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(['pending', 'running']).toContain(created.status);
    expect((await wf.get(created.id)).name).toBe('sdk-happy');

    const done = await wf.wait(created.id, { timeoutMs: 10_000 });
    expect(done.status).toBe('succeeded');
    const report = done.steps[1].tasks.find((t) => t.id === 'report')!;
    expect(report.output).toEqual({ params: { note: 'hi' }, upstream: { first: { slept_ms: 20 } } });

    const page = await wf.list({ limit: 5, status: 'succeeded' });
    expect(page.items.map((w) => w.id)).toContain(created.id);
    expect(page.items.every((w) => w.status === 'succeeded')).toBe(true);
    const named = await wf.list({ name: 'SDK-HAP', status: 'succeeded' });
    expect(named).toEqual({ items: [expect.objectContaining({ id: created.id, name: 'sdk-happy' })], next_cursor: null });
    expect((await wf.list({ name: 'sdk-happy-not' })).items).toEqual([]);
    expect(await wf.tasks()).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'sleep' }), expect.objectContaining({ name: 'echo' })]));
    expect(await wf.trpc.health.query()).toMatchObject({ status: 'ok', store: 'redis' });
  });

  it('watch streams every transition over SSE, in order, ending at the terminal status', async () => {
    const { paths, fetchFn } = recordingFetch();
    const client = createWorkflowClient({ url: server.url, fetch: fetchFn });
    const created = await client.create(quickDefinition('sdk-watch'));
    const seen: WorkflowStatus[] = [];
    await new Promise<void>((resolve, reject) => {
      client.watch(
        created.id,
        (s) => {
          seen.push(s);
          if (s.status === 'succeeded') resolve();
        },
        { onError: reject },
      );
    });
    expect(seen.at(-1)!.status).toBe('succeeded');
    // Each task is seen running before it is seen succeeded; no status is reported twice.
    for (const id of ['first', 'report', 'second']) {
      const states = seen.map((s) => s.steps.flatMap((st) => st.tasks).find((t) => t.id === id)!.status);
      expect(states.lastIndexOf('running')).toBeLessThan(states.indexOf('succeeded'));
    }
    expect(new Set(seen.map((s) => JSON.stringify(s))).size).toBe(seen.length);
    expect(paths).toContain('workflow.watch');
    expect(paths).not.toContain('workflow.get');
  });

  it('watch falls back to polling when the SSE stream cannot be opened', async () => {
    const { paths, fetchFn } = recordingFetch((url) => url.includes('/trpc/workflow.watch'));
    const client = createWorkflowClient({ url: server.url, fetch: fetchFn });
    const created = await client.create(quickDefinition('sdk-poll'));
    const done = await client.wait(created.id, { timeoutMs: 10_000, pollIntervalMs: 30 });
    expect(done.status).toBe('succeeded');
    expect(paths).toContain('workflow.watch');
    expect(paths.filter((p) => p.includes('workflow.get')).length).toBeGreaterThan(0);
  });

  it('watch survives a server crash and restart: it reconnects and still sees the end', async () => {
    const { id } = await wf.create({ name: 'sdk-restart', steps: [{ execution_type: 'sequential', tasks: [{ id: 'nap', name: 'sleep', params: { ms: 1500 } }] }] });
    const seen: string[] = [];
    let napping = false;
    const final = new Promise<WorkflowStatus>((resolve, reject) =>
      wf.watch(
        id,
        (s) => {
          seen.push(s.status);
          if (s.steps[0].tasks[0].status === 'running') napping = true;
          if (s.status === 'succeeded') resolve(s);
        },
        // The restart takes a few seconds on a loaded machine: poll through it.
        { onError: reject, pollIntervalMs: 100, maxConsecutiveErrors: 300 },
      ),
    );
    // Crash once the task runs (create answers `pending`, before the run starts).
    await expect.poll(() => napping, { timeout: 5000 }).toBe(true);
    await server.kill();
    server = await server.restart();
    const done = await final;
    // The resumed task ran again after the crash: at-least-once, counted as an attempt.
    expect(done.steps[0].tasks[0].attempts).toBe(2);
    expect(seen.at(-1)).toBe('succeeded');
  }, 60_000);

  it('wait resolves with a failed workflow (the call worked), error and all', async () => {
    const done = await wf.wait((await wf.create(failingDefinition('sdk-fail'))).id, { timeoutMs: 10_000 });
    expect(done.status).toBe('failed');
    expect(done.error).toContain('broken');
    const broken = done.steps[0].tasks[0];
    expect([broken.status, broken.attempts]).toEqual(['failed', 2]);
    expect(done.steps[1].tasks[0].status).toBe('skipped');
  });

  it('wait rejects with a typed TIMEOUT, and with ABORTED when its signal fires; cancel ends the workflow', async () => {
    const { id } = await wf.create(slowDefinition('sdk-slow'));
    const timeout = await expectCode(wf.wait(id, { timeoutMs: 1000 }), 'TIMEOUT');
    expect(timeout).toBeInstanceOf(WaitTimeoutError);
    expect((timeout as WaitTimeoutError).lastStatus?.status).toBe('running');

    const controller = new AbortController();
    const aborted = wf.wait(id, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expectCode(aborted, 'ABORTED');

    const waiting = wf.wait(id, { timeoutMs: 10_000 });
    expect((await wf.cancel(id)).status).toBe('cancelled');
    expect((await waiting).status).toBe('cancelled');
  });

  it('rejects with codes, not messages: NOT_FOUND, BAD_REQUEST with field issues, UNREACHABLE', async () => {
    await expectCode(wf.get('no-such-workflow'), 'NOT_FOUND');
    const bad = await expectCode(
      wf.create({ name: 'bad', steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep', params: { timeout: -1 } }] }] }),
      'BAD_REQUEST',
    );
    expect(bad.issues.map((i) => i.path)).toEqual(['steps.0.tasks.0.params.timeout']);
    // A validation error is FastAPI's 422, whichever API carries it.
    expect(bad.httpStatus).toBe(422);
    const unknownTask = await expectCode(
      // @ts-expect-error an unknown task name does not compile; a client that casts it away is rejected by the server
      wf.create({ name: 'bad', steps: [{ execution_type: 'sequential', tasks: [{ name: 'no_such_task' }] }] }),
      'BAD_REQUEST',
    );
    expect(unknownTask.issues.map((i) => i.path)).toContain('steps.0.tasks.0.name');

    const watchError = await new Promise<FlowstateClientError>((resolve) => wf.watch('no-such-workflow', () => {}, { onError: resolve, pollIntervalMs: 20 }));
    expect(watchError.code).toBe('NOT_FOUND');

    const nowhere = createWorkflowClient({ url: `http://127.0.0.1:${await freePort()}` });
    await expectCode(nowhere.list(), 'UNREACHABLE');
    await expectCode(nowhere.wait('abc', { pollIntervalMs: 10 }), 'UNREACHABLE');
    expect(() => createWorkflowClient({ url: 'ftp://example' })).toThrow(FlowstateClientError);
  });
});

describe('SDK with an API key (memory store)', () => {
  const key = 'sdk-test-key-0123456789abcdef';
  let server: ServerHandle;
  beforeAll(async () => {
    server = await startServer({ API_KEY: key });
  });
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
    expect(server.logs()).not.toContain(key);
  });

  it('sends the key on calls and on the SSE stream', async () => {
    const { paths, fetchFn } = recordingFetch();
    const wf = createWorkflowClient({ url: server.url, apiKey: key, fetch: fetchFn });
    const created = await wf.create(quickDefinition('sdk-auth'));
    expect((await wf.wait(created.id, { timeoutMs: 10_000 })).status).toBe('succeeded');
    // Had the stream been refused, watch would have fallen back to polling `get`.
    expect(paths).toContain('workflow.watch');
    expect(paths).not.toContain('workflow.get');
  });

  it('is UNAUTHORIZED without the key or with a wrong one, for calls and for wait', async () => {
    const id = (await createWorkflowClient({ url: server.url, apiKey: key }).create(quickDefinition('sdk-auth2'))).id;
    for (const apiKey of [undefined, 'wrong-key']) {
      const wf = createWorkflowClient({ url: server.url, apiKey });
      await expectCode(wf.list(), 'UNAUTHORIZED');
      await expectCode(wf.wait(id, { timeoutMs: 5000, pollIntervalMs: 20 }), 'UNAUTHORIZED');
      expect(await wf.trpc.health.query()).toMatchObject({ status: 'ok' });
    }
  });
});
