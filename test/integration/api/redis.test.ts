import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowStatus } from '../../../shared/status.ts';
import type { CreateWorkflowResponse } from '../../../server/api/restRoutes.ts';
import { deleteKeysWithPrefix, keysWithPrefix, randomPrefix, redisUrlForTests } from '../../helpers/redis.ts';
import { startServer, type ServerHandle } from '../../helpers/server.ts';
import { MAX_NAME_FILTER_LENGTH } from '../../../shared/api.ts';
import { call, expectError, issuePaths, quickWorkflow, waitForEnd, waitForStatus, type Answer } from './http.ts';
import { trpcClient, type WatchEvent } from './trpcClient.ts';

const redisUrl = await redisUrlForTests();

describe.skipIf(!redisUrl)('the API on real Redis (random key prefix)', () => {
  const prefix = randomPrefix();
  let redis: Redis;
  let server: ServerHandle;
  const env = () => ({ REDIS_URL: redisUrl!, REDIS_PREFIX: prefix, SHUTDOWN_GRACE_MS: '0' });
  const create = async (base: string, json: unknown) => (await call<CreateWorkflowResponse>(base, '/api/workflow', { method: 'POST', json })).body.workflow_id;

  beforeAll(async () => {
    redis = new Redis(redisUrl!);
    server = await startServer(env());
  });
  afterAll(async () => {
    await server?.stop();
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
  });

  it('says it runs on Redis, in /health and in its start line (host:port and prefix, never a password)', async () => {
    expect((await call(server.url, '/health')).body).toMatchObject({ status: 'ok', store: 'redis' });
    const line = server.stdout().trim();
    expect(line).toContain('redis at');
    expect(line).toContain(prefix);
  });

  it('REST happy path and pagination; every key lands under the prefix', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await create(server.url, quickWorkflow(`redis-${i}`, 20)));
    for (const id of ids) expect((await waitForEnd(server.url, id)).status).toBe('succeeded');

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: WorkflowStatus[]; headers: Headers } = await call<WorkflowStatus[]>(server.url, `/api/workflows?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...page.body.map((w) => w.id));
      cursor = page.headers.get('x-next-cursor');
    } while (cursor);
    expect(seen.filter((id) => ids.includes(id))).toEqual([...ids].reverse());
    expect((await keysWithPrefix(redis, prefix)).length).toBeGreaterThan(0);
  });

  it('GET /api/workflows?name= lists the names containing the text (any case), pages by cursor, combines with status; tRPC too', async () => {
    const etl: string[] = [];
    const other: string[] = [];
    for (let i = 0; i < 5; i++) {
      etl.push(await create(server.url, quickWorkflow(`Nightly-ETL-${i}`, 20)));
      other.push(await create(server.url, quickWorkflow(`report-${i}`, 20)));
    }
    for (const id of [...etl, ...other]) expect((await waitForEnd(server.url, id)).status).toBe('succeeded');
    const failing = await create(server.url, { name: 'etl-broken', steps: [{ execution_type: 'sequential', tasks: [{ name: 'fail', params: { message: 'no' } }] }] });
    expect((await waitForEnd(server.url, failing)).status).toBe('failed');

    const walk = async (query: string) => {
      const seen: WorkflowStatus[] = [];
      let cursor: string | null = null;
      let calls = 0;
      do {
        const page: Answer<WorkflowStatus[]> = await call<WorkflowStatus[]>(server.url, `/api/workflows?limit=2&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(page.status).toBe(200);
        seen.push(...page.body);
        cursor = page.headers.get('x-next-cursor');
      } while (cursor && ++calls < 50);
      return seen;
    };
    const byName = await walk('name=nightly-etl');
    expect(byName.map((w) => w.id)).toEqual([...etl].reverse());
    expect((await walk('name=ETL')).map((w) => w.id)).toEqual([failing, ...[...etl].reverse()]);
    expect((await walk('name=ETL&status=failed')).map((w) => w.id)).toEqual([failing]);
    expect((await walk('name=REPORT-3')).map((w) => w.name)).toEqual(['report-3']);
    expect(await walk(`name=${encodeURIComponent('no such name')}`)).toEqual([]);
    // Percent-encoded Unicode and pattern characters are plain text.
    expect(await walk(`name=${encodeURIComponent('.*')}`)).toEqual([]);

    const trpc = trpcClient(server.url);
    const page = await trpc.workflow.list.query({ name: 'etl', status: 'succeeded', limit: 3 });
    expect(page.items.map((w) => w.id)).toEqual([...etl].reverse().slice(0, 3));
    expect(page.next_cursor).not.toBeNull();

    // Over MAX_NAME_FILTER_LENGTH (200): 422 naming the query parameter, in both error formats; tRPC's 422 too.
    const tooLong = expectError(await call(server.url, `/api/workflows?name=${'x'.repeat(MAX_NAME_FILTER_LENGTH + 1)}`), 422, 'BAD_REQUEST');
    expect(issuePaths(tooLong)).toEqual(['name']);
    expect((tooLong.detail as Array<{ loc: unknown[]; type: string }>).map((d) => [d.loc, d.type])).toEqual([[['query', 'name'], 'string_too_long']]);
    expect((await call(server.url, `/api/workflows?name=${'x'.repeat(MAX_NAME_FILTER_LENGTH)}`)).status).toBe(200);
    const rejected = await trpc.workflow.list.query({ name: 'x'.repeat(MAX_NAME_FILTER_LENGTH + 1) }).then(
      () => undefined,
      (e: { data?: unknown }) => e.data,
    );
    expect(rejected).toMatchObject({ code: 'UNPROCESSABLE_CONTENT', httpStatus: 422, flowstateCode: 'BAD_REQUEST', issues: [{ path: 'name' }] });
  });

  it('finished workflows survive a restart; an interrupted one runs again and finishes (SIGTERM, grace 0)', async () => {
    const done = await create(server.url, quickWorkflow('before-restart', 10));
    await waitForEnd(server.url, done);
    const interrupted = await create(server.url, {
      name: 'interrupted',
      steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep', id: 'slow', params: { ms: 1000 } }, { name: 'echo', id: 'after' }] }],
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(await server.stop()).toBe(0);

    server = await server.restart();
    expect((await call<WorkflowStatus>(server.url, `/api/workflow/${done}`)).body.status).toBe('succeeded');
    const resumed = await waitForEnd(server.url, interrupted);
    expect(resumed.status).toBe('succeeded');
    const slow = resumed.steps[0].tasks.find((t) => t.id === 'slow')!;
    // The attempt cut short by the shutdown counts: at-least-once.
    expect(slow.attempts).toBe(2);
  });

  it('SIGTERM lets a task finish within SHUTDOWN_GRACE_MS, persists it, and exits 0', async () => {
    await server.stop();
    server = await server.restart({ SHUTDOWN_GRACE_MS: '5000' });
    const id = await create(server.url, { name: 'drained', steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep', id: 'nap', params: { ms: 500 } }] }] });
    // Create answers before a worker takes the workflow: stop only once its task runs (a loaded machine may take a while).
    await waitForStatus(server.url, id, (s) => s.steps[0].tasks[0].attempts > 0);
    expect(await server.stop()).toBe(0);

    server = await server.restart();
    const status = (await call<WorkflowStatus>(server.url, `/api/workflow/${id}`)).body;
    expect(status.status).toBe('succeeded');
    expect(status.steps[0].tasks[0].attempts).toBe(1);
  });

  it('a watch stream survives a server crash: the client reconnects with its last event id and sees the end', async () => {
    const client = trpcClient(server.url);
    const created = await client.workflow.create.mutate({
      name: 'watched-through-crash',
      steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep', id: 'long', params: { ms: 2500 } }, { name: 'echo', id: 'tail' }] }],
    });
    const events: WatchEvent[] = [];
    const ended = new Promise<void>((resolve, reject) => {
      const sub = client.workflow.watch.subscribe(
        { id: created.id },
        {
          onData: (e) => events.push(e as WatchEvent),
          onError: (error) => {
            sub.unsubscribe();
            reject(error);
          },
          onComplete: () => resolve(),
        },
      );
    });
    // Crash once the long task runs (create answers `pending`, before the run starts).
    const running = () => events.some((e) => e.data.steps[0].tasks[0].status === 'running');
    for (let i = 0; i < 250 && !running(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(running()).toBe(true);
    const beforeCrash = events.length;

    await server.kill();
    server = await server.restart();
    await ended;

    expect(events.length).toBeGreaterThan(beforeCrash);
    const ids = events.map((e) => Number(e.id));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1])).toBe(true);
    const last = events.at(-1)!.data;
    expect(last.status).toBe('succeeded');
    expect(last.steps[0].tasks[0].attempts).toBe(2);
  }, 20_000);
});
