import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../../../server/api/router.ts';
import { startServer, type ServerHandle } from '../../helpers/server.ts';
import { call, quickWorkflow } from './http.ts';
import { collectWatch, trpcClient, type TrpcTestClient } from './trpcClient.ts';

/** The tRPC error code of a rejected call (fails the test when it did not reject with a TRPCClientError). */
async function trpcCode(promise: Promise<unknown>): Promise<{ code: string; httpStatus?: number; flowstateCode?: string; issues?: Array<{ path: string }> }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCClientError);
    const data = (error as TRPCClientError<AppRouter>).data as { code: string; httpStatus?: number; issues?: Array<{ path: string }>; stack?: string };
    expect(data.stack).toBeUndefined();
    return data;
  }
  throw new Error('expected the call to fail');
}

describe('tRPC through the real server', () => {
  let server: ServerHandle;
  let client: TrpcTestClient;
  beforeAll(async () => {
    server = await startServer();
    client = trpcClient(server.url);
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it('health, task.list', async () => {
    expect(await client.health.query()).toMatchObject({ status: 'ok', store: 'memory' });
    const tasks = await client.task.list.query();
    expect(tasks.map((t) => t.name)).toEqual(expect.arrayContaining(['task_a', 'sleep', 'fail', 'echo', 'http']));
    expect(tasks.find((t) => t.name === 'fail')!.params_schema).toMatchObject({ type: 'object' });
  });

  it('workflow.create → get → list → cancel (batched and unbatched links)', async () => {
    for (const batch of [true, false]) {
      const c = trpcClient(server.url, { batch });
      const created = await c.workflow.create.mutate(quickWorkflow(`trpc-${batch}`));
      expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.name).toBe(`trpc-${batch}`);
      const got = await c.workflow.get.query({ id: created.id });
      expect(got.id).toBe(created.id);

      const long = await c.workflow.create.mutate({ name: 'long', steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep', params: { ms: 30_000 } }] }] });
      const cancelled = await c.workflow.cancel.mutate({ id: long.id });
      expect(cancelled.id).toBe(long.id);

      const page = await c.workflow.list.query({ limit: 2 });
      expect(page.items.map((w) => w.id)).toEqual([long.id, created.id]);
      expect(typeof page.next_cursor === 'string' || page.next_cursor === null).toBe(true);
    }
  });

  it('workflow.list pages with next_cursor and filters by status', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 100; i++) {
      const page = await client.workflow.list.query({ limit: 3, cursor });
      seen.push(...page.items.map((w) => w.id));
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    const all = await client.workflow.list.query({ limit: 500 });
    expect(seen).toEqual(all.items.map((w) => w.id));
    const cancelled = await client.workflow.list.query({ status: 'cancelled' });
    expect(cancelled.items.length).toBeGreaterThan(0);
    expect(cancelled.items.every((w) => w.status === 'cancelled')).toBe(true);
  });

  it('errors arrive as typed tRPC errors: NOT_FOUND; validation errors as UNPROCESSABLE_CONTENT (422, our BAD_REQUEST) with issue paths', async () => {
    expect(await trpcCode(client.workflow.get.query({ id: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404 });
    expect(await trpcCode(client.workflow.cancel.mutate({ id: 'missing' }))).toMatchObject({ code: 'NOT_FOUND' });

    const badId = await trpcCode(client.workflow.get.query({ id: '../etc' }));
    expect(badId).toMatchObject({ code: 'UNPROCESSABLE_CONTENT', httpStatus: 422, flowstateCode: 'BAD_REQUEST' });
    expect(badId.issues!.map((i) => i.path)).toEqual(['id']);

    // The whole definition is checked by the engine, against its registry ...
    const noSteps = await trpcCode(client.workflow.create.mutate({ name: 'x' } as never));
    expect(noSteps).toMatchObject({ code: 'UNPROCESSABLE_CONTENT', httpStatus: 422, flowstateCode: 'BAD_REQUEST' });
    expect(noSteps.issues!.map((i) => i.path)).toContain('steps');
    // ... task names and each task's own params included.
    // @ts-expect-error an unknown task name does not compile; cast away, the engine rejects it
    const unknown = await trpcCode(client.workflow.create.mutate({ name: 'x', steps: [{ execution_type: 'parallel', tasks: [{ name: 'nope' }] }] }));
    expect(unknown.code).toBe('UNPROCESSABLE_CONTENT');
    expect(unknown.issues!.map((i) => i.path)).toEqual(['steps.0.tasks.0.name']);
    const badParam = await trpcCode(
      client.workflow.create.mutate({ name: 'x', steps: [{ execution_type: 'parallel', tasks: [{ name: 'echo' }, { name: 'sleep', params: { timeout: -3 } }] }] }),
    );
    expect(badParam.issues!.map((i) => i.path)).toEqual(['steps.0.tasks.1.params.timeout']);

    const badLimit = await trpcCode(client.workflow.list.query({ limit: 0 }));
    expect(badLimit.issues!.map((i) => i.path)).toEqual(['limit']);
  });

  it('raw /trpc requests: deep nesting → 400, not a crash; unknown procedure → 404', async () => {
    const d = 100_000;
    const deep = `{"0":{"json":{"name":"x","steps":[{"execution_type":"sequential","tasks":[{"name":"echo","params":{"d":${'['.repeat(d)}${']'.repeat(d)}}}]}]}}}`;
    const res = await call<{ error: { json: { data: { code: string } } } }>(server.url, '/trpc/workflow.create?batch=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: deep,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.json.data.code).toBe('BAD_REQUEST');
    const missing = await call(server.url, '/trpc/workflow.nope');
    expect(missing.status).toBe(404);
  });

  it('workflow.watch streams every transition, in order, and ends at the terminal status', async () => {
    const created = await client.workflow.create.mutate({
      name: 'watched',
      steps: [
        {
          execution_type: 'sequential',
          tasks: [
            { name: 'sleep', id: 'first', params: { ms: 300 } },
            { name: 'fail', id: 'flaky', params: { times: 1, retry_count: 1, retry_delay: 0.2 } },
          ],
        },
        { execution_type: 'parallel', tasks: [{ name: 'sleep', id: 'slow', params: { ms: 150 } }, { name: 'echo', id: 'quick' }] },
      ],
    });
    const events = await collectWatch(client, created.id);

    const ids = events.map((e) => Number(e.id));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1])).toBe(true);
    const last = events.at(-1)!.data;
    expect(last.status).toBe('succeeded');
    expect(events.slice(0, -1).every((e) => e.data.status === 'running' || e.data.status === 'pending')).toBe(true);
    expect(await client.workflow.get.query({ id: created.id })).toEqual(last);

    // Each task's own history, as (state, attempt) with repeats collapsed.
    const history = (taskId: string) => {
      const out: string[] = [];
      for (const e of events) {
        const t = e.data.steps.flatMap((s) => s.tasks).find((x) => x.id === taskId)!;
        const entry = `${t.status}#${t.attempts}`;
        if (out.at(-1) !== entry) out.push(entry);
      }
      return out;
    };
    expect(history('first')).toEqual(['running#1', 'succeeded#1']);
    expect(history('flaky')).toEqual(['pending#0', 'running#1', 'retrying#1', 'running#2', 'succeeded#2']);
    expect(history('slow')).toEqual(['pending#0', 'running#1', 'succeeded#1']);
    expect(history('quick').at(-1)).toBe('succeeded#1');
  });

  it('watch resumes from lastEventId: only what is newer is sent', async () => {
    const created = await client.workflow.create.mutate(quickWorkflow('resume', 30));
    const all = await collectWatch(client, created.id);
    expect(all.length).toBeGreaterThan(1);
    const final = all.at(-1)!;

    // A client that saw an earlier event gets the final status only, then the end.
    const resumed = await collectWatch(client, created.id, all[0].id);
    expect(resumed.map((e) => e.id)).toEqual([final.id]);
    expect(resumed[0].data).toEqual(final.data);
    // A client that saw the final event gets nothing more.
    expect(await collectWatch(client, created.id, final.id)).toEqual([]);
  });

  it('watch of an unknown id fails with NOT_FOUND', async () => {
    expect(await trpcCode(collectWatch(client, '00000000-0000-4000-8000-000000000000'))).toMatchObject({ code: 'NOT_FOUND' });
  });
});
