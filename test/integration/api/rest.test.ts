import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskInfo } from '../../../shared/api.ts';
import type { WorkflowStatus } from '../../../shared/status.ts';
import { SAMPLE_WORKFLOW } from '../../../server/api/openapi.ts';
import type { CreateWorkflowResponse } from '../../../server/api/restRoutes.ts';
import { startServer, type ServerHandle } from '../../helpers/server.ts';
import { call, expectError, quickWorkflow, waitForEnd } from './http.ts';

describe('REST routes through the real server (memory store)', () => {
  let server: ServerHandle;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it('GET /health says ok and which store is in use', async () => {
    const res = await call<{ status: string; store: string }>(server.url, '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', store: 'memory', workflows: { running: expect.any(Number), queued: 0, unsaved: expect.any(Number) } });
  });

  it('runs a two-step workflow: 202 with workflow_id/status/message, then succeeded with outputs flowing downstream', async () => {
    const created = await call<CreateWorkflowResponse>(server.url, '/api/workflow', { method: 'POST', json: quickWorkflow('happy') });
    expect(created.status).toBe(202);
    const { workflow_id, status, message, workflow } = created.body;
    expect(workflow_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(['pending', 'running']).toContain(status);
    expect(typeof message).toBe('string');
    expect(workflow.id).toBe(workflow_id);
    expect(created.headers.get('location')).toBe(`/api/workflow/${workflow_id}`);

    const done = await waitForEnd(server.url, workflow_id);
    expect(done.status).toBe('succeeded');
    expect(done.name).toBe('happy');
    expect(done.finished_at).not.toBeNull();
    const tasks = done.steps.flatMap((s) => s.tasks);
    // Two tasks named `sleep` and two named `echo` stay four distinct tasks.
    expect(new Set(tasks.map((t) => t.id)).size).toBe(4);
    expect(tasks.every((t) => t.status === 'succeeded' && t.attempts === 1)).toBe(true);
    const lastEcho = done.steps[1].tasks.find((t) => t.name === 'echo')!;
    const firstSleep = done.steps[0].tasks[0];
    expect((lastEcho.output as { upstream: Record<string, unknown> }).upstream[firstSleep.id]).toEqual({ slept_ms: 50 });
  });

  it("runs the original engine's sample workflow (task_a, task_b, task_c) to success", async () => {
    const created = await call<CreateWorkflowResponse>(server.url, '/api/workflow', { method: 'POST', json: SAMPLE_WORKFLOW });
    expect(created.status).toBe(202);
    const done = await waitForEnd(server.url, created.body.workflow_id, {}, 10_000);
    expect(done.status).toBe('succeeded');
    expect(done.steps.map((s) => s.tasks.map((t) => [t.id, t.status]))).toEqual([
      [
        ['task_a', 'succeeded'],
        ['task_b', 'succeeded'],
      ],
      [['task_c', 'succeeded']],
    ]);
    // Sequential: task_b starts only after task_a finished.
    const [a, b] = done.steps[0].tasks;
    expect(Date.parse(b.started_at!)).toBeGreaterThanOrEqual(Date.parse(a.finished_at!));
  }, 15_000);

  it('a failing task fails the workflow; later steps are skipped and `error` names the task', async () => {
    const created = await call<CreateWorkflowResponse>(server.url, '/api/workflow', {
      method: 'POST',
      json: {
        name: 'failing',
        steps: [
          { execution_type: 'sequential', tasks: [{ name: 'fail', id: 'boom', params: { message: 'nope' } }] },
          { execution_type: 'sequential', tasks: [{ name: 'echo' }] },
        ],
      },
    });
    const done = await waitForEnd(server.url, created.body.workflow_id);
    expect(done.status).toBe('failed');
    expect(done.error).toContain('boom');
    expect(done.steps[0].tasks[0].status).toBe('failed');
    expect(done.steps[1].tasks[0].status).toBe('skipped');
  });

  it('POST /api/workflow/:id/cancel cancels a running workflow', async () => {
    const created = await call<CreateWorkflowResponse>(server.url, '/api/workflow', {
      method: 'POST',
      json: { name: 'long', steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep', params: { ms: 30_000 } }] }] },
    });
    const id = created.body.workflow_id;
    const cancelled = await call<WorkflowStatus>(server.url, `/api/workflow/${id}/cancel`, { method: 'POST' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.id).toBe(id);
    const done = await waitForEnd(server.url, id);
    expect(done.status).toBe('cancelled');
    expect(done.steps[0].tasks[0].status).toBe('cancelled');
    // Cancelling a finished workflow returns it as it is.
    const again = await call<WorkflowStatus>(server.url, `/api/workflow/${id}/cancel`, { method: 'POST' });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('cancelled');
  });

  it('GET /api/workflows is a JSON array, newest first, paged with limit + X-Next-Cursor, filtered by status', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await call<CreateWorkflowResponse>(server.url, '/api/workflow', { method: 'POST', json: quickWorkflow(`page-${i}`, 0) });
      ids.push(res.body.workflow_id);
    }
    for (const id of ids) await waitForEnd(server.url, id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/workflows?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await call<WorkflowStatus[]>(server.url, query);
      expect(page.status).toBe(200);
      expect(Array.isArray(page.body)).toBe(true);
      expect(page.body.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.map((w) => w.id));
      cursor = page.headers.get('x-next-cursor');
      pages++;
    } while (cursor && pages < 50);
    expect(cursor).toBeNull();
    // Every workflow once, ours newest first and in a row (nothing else was created meanwhile in this test).
    expect(new Set(seen).size).toBe(seen.length);
    const ours = seen.filter((id) => ids.includes(id));
    expect(ours).toEqual([...ids].reverse());

    const succeeded = await call<WorkflowStatus[]>(server.url, '/api/workflows?status=succeeded&limit=100');
    expect(succeeded.body.length).toBeGreaterThanOrEqual(5);
    expect(succeeded.body.every((w) => w.status === 'succeeded')).toBe(true);
    const none = await call<WorkflowStatus[]>(server.url, '/api/workflows?status=pending');
    expect(none.body).toEqual([]);
    expect(none.headers.get('x-next-cursor')).toBeNull();
  });

  it('GET /api/tasks lists the built-in tasks with their param schemas', async () => {
    const res = await call<TaskInfo[]>(server.url, '/api/tasks');
    expect(res.status).toBe(200);
    const names = res.body.map((t) => t.name);
    for (const name of ['task_a', 'task_b', 'task_c', 'sleep', 'fail', 'echo', 'http']) expect(names).toContain(name);
    const sleep = res.body.find((t) => t.name === 'sleep')!;
    expect(sleep.params_schema).toMatchObject({ type: 'object', properties: { ms: { type: 'integer' } } });
  });

  it('HEAD works wherever GET does; a trailing slash is the same route; / is the dashboard', async () => {
    const head = await fetch(`${server.url}/health`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await call(server.url, '/api/tasks/')).status).toBe(200);
    const root = await fetch(`${server.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(200);
    expect(root.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await root.text()).toContain('src="/dashboard/app.js"');
  });

  it('params nested 100,000 deep (inside the default 1 MB body limit) → 400, not a stack overflow', async () => {
    const d = 100_000;
    const body = `{"name":"x","steps":[{"execution_type":"sequential","tasks":[{"name":"echo","params":{"d":${'['.repeat(d)}${']'.repeat(d)}}}]}]}`;
    const res = await call(server.url, '/api/workflow', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expectError(res, 400, 'BAD_REQUEST');
    expect((await call(server.url, '/health')).status).toBe(200);
  });

  it('unknown routes are 404 and wrong methods 405 with an Allow header', async () => {
    expectError(await call(server.url, '/nope'), 404, 'NOT_FOUND');
    expectError(await call(server.url, '/api/nope'), 404, 'NOT_FOUND');
    // Issue 11: the id left out says so (FastAPI-style: a missing path parameter).
    const missingId = expectError(await call(server.url, '/api/workflow/', { method: 'GET' }), 422, 'BAD_REQUEST');
    expect(missingId.detail).toEqual([{ loc: ['path', 'id'], msg: expect.any(String), type: 'missing' }]);
    const wrong = await call(server.url, '/api/workflow', { method: 'PUT' });
    expectError(wrong, 405, 'METHOD_NOT_ALLOWED');
    expect(wrong.headers.get('allow')).toBe('GET, POST, HEAD');
    const del = await call(server.url, '/api/workflow/abc', { method: 'DELETE' });
    expectError(del, 405, 'METHOD_NOT_ALLOWED');
    expect(del.headers.get('allow')).toBe('GET, HEAD');
    const put = await call(server.url, '/api/workflows', { method: 'PUT' });
    expectError(put, 405, 'METHOD_NOT_ALLOWED');
    expectError(await call(server.url, '/api/workflow/abc/cancel', { method: 'GET' }), 405, 'METHOD_NOT_ALLOWED');
  });
});
