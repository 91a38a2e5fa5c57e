import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskInfo } from '../../../shared/api.ts';
import { startServer, type ServerHandle } from '../../helpers/server.ts';
import { call, expectError, issuePaths, SMALL_LIMITS_ENV } from './http.ts';

const MAX_BODY_BYTES = Number(SMALL_LIMITS_ENV.MAX_BODY_BYTES);

/** A valid one-task workflow with `patch` applied to its single task. */
function oneTask(task: Record<string, unknown>) {
  return { name: 'bad', steps: [{ execution_type: 'sequential', tasks: [task] }] };
}

describe('REST bad input: 4xx with the field named, never a 500 or a stack', () => {
  let server: ServerHandle;
  const post = (json: unknown) => call(server.url, '/api/workflow', { method: 'POST', json });

  beforeAll(async () => {
    server = await startServer(SMALL_LIMITS_ENV);
  });
  afterAll(async () => {
    // Nothing above may have hurt the server: it still answers and exits cleanly.
    expect((await call(server.url, '/health')).status).toBe(200);
    expect(await server.stop()).toBe(0);
    expect(server.logs()).not.toMatch(/unexpected error|procedure failed/);
  });

  it('malformed JSON → 400 BAD_REQUEST', async () => {
    const res = await call(server.url, '/api/workflow', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": "x", "steps": [' });
    expectError(res, 400, 'BAD_REQUEST');
  });

  it('an empty body → 400; a JSON value that is not an object → 422', async () => {
    expectError(await call(server.url, '/api/workflow', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' }), 400, 'BAD_REQUEST');
    expectError(await post([1, 2]), 422, 'BAD_REQUEST');
    expectError(await post('text'), 422, 'BAD_REQUEST');
  });

  it('missing steps → 422 naming `steps`', async () => {
    const body = expectError(await post({ name: 'x' }), 422, 'BAD_REQUEST');
    expect(issuePaths(body)).toContain('steps');
  });

  it('empty steps → 422 naming `steps`', async () => {
    const body = expectError(await post({ name: 'x', steps: [] }), 422, 'BAD_REQUEST');
    expect(issuePaths(body)).toContain('steps');
  });

  it('more steps than MAX_STEPS → 422 naming `steps`', async () => {
    const step = { execution_type: 'sequential', tasks: [{ name: 'echo' }] };
    const body = expectError(await post({ name: 'x', steps: [step, step, step, step] }), 422, 'BAD_REQUEST');
    expect(issuePaths(body)).toContain('steps');
  });

  it('each configured bound is enforced with a 422 naming the field', async () => {
    const echo = { name: 'echo' };
    const step = (n: number) => ({ execution_type: 'parallel', tasks: Array.from({ length: n }, () => echo) });
    // MAX_TASKS_PER_STEP=3
    expect(issuePaths(expectError(await post({ name: 'x', steps: [step(4)] }), 422, 'BAD_REQUEST'))).toEqual(['steps.0.tasks']);
    // MAX_TOTAL_TASKS=4
    expect(issuePaths(expectError(await post({ name: 'x', steps: [step(3), step(2)] }), 422, 'BAD_REQUEST'))).toEqual(['steps']);
    // MAX_NAME_LENGTH=16: workflow names, task names and ids
    expect(issuePaths(expectError(await post({ name: 'n'.repeat(17), steps: [step(1)] }), 422, 'BAD_REQUEST'))).toEqual(['name']);
    expect(issuePaths(expectError(await post(oneTask({ name: 'echo', id: 'i'.repeat(17) })), 422, 'BAD_REQUEST'))).toEqual(['steps.0.tasks.0.id']);
    // MAX_PARAMS_BYTES=256
    expect(issuePaths(expectError(await post(oneTask({ name: 'echo', params: { blob: 'b'.repeat(300) } })), 422, 'BAD_REQUEST'))).toEqual([
      'steps.0.tasks.0.params',
    ]);
    // Just inside every bound is accepted.
    const ok = await post({ name: 'n'.repeat(16), steps: [step(3), { execution_type: 'sequential', tasks: [{ name: 'echo', id: 'i'.repeat(16), params: { blob: 'b'.repeat(200) } }] }] });
    expect(ok.status).toBe(202);
  });

  it('unknown task name → 422 naming the field, listing every known task', async () => {
    const body = expectError(await post(oneTask({ name: 'no_such_task' })), 422, 'BAD_REQUEST');
    expect(issuePaths(body)).toEqual(['steps.0.tasks.0.name']);
    const tasks = await call<TaskInfo[]>(server.url, '/api/tasks');
    for (const { name } of tasks.body) expect(body.error.issues![0].message).toContain(name);
  });

  it('bad execution_type → 422 naming `steps.0.execution_type`', async () => {
    const body = expectError(await post({ name: 'x', steps: [{ execution_type: 'sideways', tasks: [{ name: 'echo' }] }] }), 422, 'BAD_REQUEST');
    expect(issuePaths(body)).toEqual(['steps.0.execution_type']);
  });

  it('negative timeout → 422 naming `steps.0.tasks.1.params.timeout`', async () => {
    const def = { name: 'x', steps: [{ execution_type: 'sequential', tasks: [{ name: 'echo' }, { name: 'echo', params: { timeout: -1 } }] }] };
    const body = expectError(await post(def), 422, 'BAD_REQUEST');
    expect(issuePaths(body)).toEqual(['steps.0.tasks.1.params.timeout']);
  });

  it("a task's own bad param → 422 naming it (sleep.ms must be a non-negative integer)", async () => {
    const body = expectError(await post(oneTask({ name: 'sleep', params: { ms: -5 } })), 422, 'BAD_REQUEST');
    expect(issuePaths(body)).toEqual(['steps.0.tasks.0.params.ms']);
    const typed = expectError(await post(oneTask({ name: 'sleep', params: { ms: 'soon' } })), 422, 'BAD_REQUEST');
    expect(issuePaths(typed)).toEqual(['steps.0.tasks.0.params.ms']);
  });

  it('several problems at once are all named', async () => {
    const def = {
      name: 'x',
      steps: [
        { execution_type: 'sequential', tasks: [{ name: 'nope' }] },
        { execution_type: 'parallel', tasks: [{ name: 'sleep', params: { ms: -1 } }] },
      ],
    };
    const body = expectError(await post(def), 422, 'BAD_REQUEST');
    expect(issuePaths(body).sort()).toEqual(['steps.0.tasks.0.name', 'steps.1.tasks.0.params.ms']);
  });

  it('body over MAX_BODY_BYTES → 413 PAYLOAD_TOO_LARGE (declared length and chunked)', async () => {
    const big = { name: 'x', pad: 'y'.repeat(MAX_BODY_BYTES), steps: [{ execution_type: 'sequential', tasks: [{ name: 'echo' }] }] };
    expectError(await post(big), 413, 'PAYLOAD_TOO_LARGE');

    // No Content-Length: the limit is enforced while reading.
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${server.url}/api/workflow`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c) => (text += c)).on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on('error', reject);
      for (let i = 0; i < 8; i++) req.write('x'.repeat(1024));
      req.end();
    });
    expectError({ status: chunked.status, headers: new Headers(), body: JSON.parse(chunked.body) }, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('wrong content type → 415', async () => {
    const form = await call(server.url, '/api/workflow', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=x' });
    expectError(form, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const text = await call(server.url, '/api/workflow', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expectError(text, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('deeply nested JSON and `__proto__` keys → 400, not a crash', async () => {
    const deep = '['.repeat(1500) + ']'.repeat(1500);
    expectError(await call(server.url, '/api/workflow', { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep }), 400, 'BAD_REQUEST');
    const proto = '{"name":"x","steps":[{"execution_type":"sequential","tasks":[{"name":"echo","params":{"__proto__":{"polluted":true}}}]}]}';
    expectError(await call(server.url, '/api/workflow', { method: 'POST', headers: { 'content-type': 'application/json' }, body: proto }), 400, 'BAD_REQUEST');
    const escaped = '{"name":"x","\\u005f_proto__":{"polluted":true},"steps":[]}';
    expectError(await call(server.url, '/api/workflow', { method: 'POST', headers: { 'content-type': 'application/json' }, body: escaped }), 400, 'BAD_REQUEST');
  });

  it('unknown workflow id → 404 with the original\'s detail; malformed id → 422 naming `id` in the path', async () => {
    // FastAPI clients of the original engine read `detail`: it says what the original said.
    expect(expectError(await call(server.url, '/api/workflow/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND').detail).toBe('Workflow not found');
    const cancel = expectError(await call(server.url, '/api/workflow/00000000-0000-4000-8000-000000000000/cancel', { method: 'POST' }), 404, 'NOT_FOUND');
    expect(cancel.detail).toBe('Workflow not found');
    for (const bad of ['..%2F..%2Fetc%2Fpasswd', 'has%20space', '%E2%9C%93', 'x'.repeat(65), '%zz']) {
      const body = expectError(await call(server.url, `/api/workflow/${bad}`), 422, 'BAD_REQUEST');
      expect(issuePaths(body)).toEqual(['id']);
      expect((body.detail as { loc: unknown[] }[]).map((d) => d.loc)).toEqual([['path', 'id']]);
    }
  });

  it('bad list query → 422 naming the parameter', async () => {
    expect(issuePaths(expectError(await call(server.url, '/api/workflows?limit=0'), 422, 'BAD_REQUEST'))).toEqual(['limit']);
    expect(issuePaths(expectError(await call(server.url, '/api/workflows?limit=abc'), 422, 'BAD_REQUEST'))).toEqual(['limit']);
    // MAX_LIST_LIMIT=20 for this server.
    expect(issuePaths(expectError(await call(server.url, '/api/workflows?limit=21'), 422, 'BAD_REQUEST'))).toEqual(['limit']);
    expect(issuePaths(expectError(await call(server.url, '/api/workflows?status=asleep'), 422, 'BAD_REQUEST'))).toEqual(['status']);
    expect(issuePaths(expectError(await call(server.url, `/api/workflows?name=${'é'.repeat(201)}`), 422, 'BAD_REQUEST'))).toEqual(['name']);
    expect((await call(server.url, '/api/workflows?name=&status=failed')).status).toBe(200);
    expect((await call(server.url, '/api/workflows?limit=20')).status).toBe(200);
  });
});
