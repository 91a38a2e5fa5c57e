import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../shared/api.ts';
import type { WorkflowStatus } from '../../../shared/status.ts';
import { startServer, type ServerHandle } from '../../helpers/server.ts';
import { call, expectError, issuePaths, waitForEnd } from './http.ts';

/** Issue 11: strict at the edge, over the wire (REST and tRPC), FastAPI's 422 `detail` alongside our `error`. */
const sample = readFileSync(new URL('../../../examples/sample.json', import.meta.url), 'utf8');
const task = (t: unknown) => JSON.stringify({ name: 'strict', steps: [{ execution_type: 'sequential', tasks: [t] }] });

describe('strict definitions over HTTP (issue 11)', () => {
  let server: ServerHandle;
  const postText = (body: string) => call(server.url, '/api/workflow', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const rejected = async (body: string) => expectError(await postText(body), 422, 'BAD_REQUEST');
  const messageAt = (body: ErrorBody, path: string) => body.error.issues?.find((i) => i.path === path)?.message;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it("accepts the original engine's sample verbatim", async () => {
    const res = await postText(sample);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    await call(server.url, `/api/workflow/${(res.body as { workflow_id: string }).workflow_id}/cancel`, { method: 'POST' });
  });

  it('rejects an unknown key at every level, at its own path, suggesting the near miss', async () => {
    const typo = await rejected(
      JSON.stringify({
        name: 'typos',
        nmae: 'x',
        steps: [{ execution_type: 'sequential', fail_fsat: true, tasks: [{ name: 'task_a', params: { timeout: 30 } }, { name: 'task_b', optinal: true, params: { retry_cout: 3 } }] }],
      }),
    );
    expect(issuePaths(typo).sort()).toEqual(['nmae', 'steps.0.fail_fsat', 'steps.0.tasks.1.optinal', 'steps.0.tasks.1.params.retry_cout']);
    // The suggestion is the feature: the key it names is the one meant.
    expect(messageAt(typo, 'steps.0.tasks.1.params.retry_cout')).toContain('"retry_count"');
    expect(messageAt(typo, 'steps.0.fail_fsat')).toContain('"fail_fast"');
    const detail = typo.detail as { loc: unknown[]; type: string }[];
    expect(detail).toContainEqual(expect.objectContaining({ loc: ['body', 'steps', 0, 'tasks', 1, 'params', 'retry_cout'], type: 'extra_forbidden' }));

    // A task's own params are strict too: sleep takes `ms`, not `seconds`; timeout is not `timout`.
    const own = await rejected(task({ name: 'sleep', params: { seconds: 1, timout: 0.5 } }));
    expect(issuePaths(own).sort()).toEqual(['steps.0.tasks.0.params.seconds', 'steps.0.tasks.0.params.timout']);
    expect(messageAt(own, 'steps.0.tasks.0.params.timout')).toContain('"timeout"');
  });

  it('a task whose schema takes any params (echo) still does, but a near miss of an engine param is refused', async () => {
    const ok = await postText(task({ name: 'echo', params: { anything: { goes: [1, 2] }, note: 'hi', timeout: 5 } }));
    expect(ok.status, JSON.stringify(ok.body)).toBe(202);
    const near = await rejected(task({ name: 'echo', params: { retry_cont: 2, note: 'hi' } }));
    expect(issuePaths(near)).toEqual(['steps.0.tasks.0.params.retry_cont']);
  });

  it('rejects numbers JSON would change (beyond 2^53, past a double) naming the field; keeps exact ones', async () => {
    const body = (n: string) => `{"name":"n","steps":[{"execution_type":"sequential","tasks":[{"name":"echo","params":{"n":${n}}}]}]}`;
    for (const n of ['1e400', '-1e400', '12345678901234567890123', '9007199254740993', '1e-400']) {
      const bad = await rejected(body(n));
      expect(issuePaths(bad), n).toEqual(['steps.0.tasks.0.params.n']);
    }
    for (const [text, value] of [['9007199254740991', 9007199254740991], ['1e300', 1e300], ['-0.5', -0.5], ['123456789012345.75', 123456789012345.75]] as const) {
      const res = await postText(body(text));
      expect(res.status, text).toBe(202);
      expect((res.body as { workflow: WorkflowStatus }).workflow.steps[0].tasks[0].params, text).toEqual({ n: value });
    }
    // Digits inside strings are text, not numbers.
    expect((await postText(body('"12345678901234567890123"'))).status).toBe(202);
  });

  it('rejects empty, blank and invisible-only names and lone surrogates with one message each', async () => {
    for (const name of ['""', '"   "', '"\\u200b"', '"\\u200b\\u200d\\ufeff"', '"a\\ud800"', '"\\udc00"']) {
      const bad = await rejected(`{"name":${name},"steps":[{"execution_type":"sequential","tasks":[{"name":"echo"}]}]}`);
      expect(bad.error.issues, name).toHaveLength(1);
      expect(issuePaths(bad), name).toEqual(['name']);
      const taskName = await rejected(`{"name":"ok","steps":[{"execution_type":"sequential","tasks":[{"name":${name}}]}]}`);
      expect(issuePaths(taskName), name).toEqual(['steps.0.tasks.0.name']);
    }
    // Lone surrogates are refused in params too; a proper pair is text like any other.
    expect(issuePaths(await rejected(task({ name: 'echo', params: { s: 'x\ud800' } })))).toEqual(['steps.0.tasks.0.params.s']);
    expect((await postText(task({ name: 'echo', params: { s: '🚀' } }))).status).toBe(202);
  });

  it('tRPC answers the same problems as a 422 with the same paths', async () => {
    const trpc = (body: string) =>
      call<{ error: { json: { data: { code: string; httpStatus: number; flowstateCode: string; issues: { path: string }[] } } } }>(server.url, '/trpc/workflow.create', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"json":${body}}`,
      });
    const typo = await trpc(task({ name: 'task_b', params: { retry_cout: 3 } }));
    expect(typo.status).toBe(422);
    expect(typo.body.error.json.data).toMatchObject({ code: 'UNPROCESSABLE_CONTENT', flowstateCode: 'BAD_REQUEST', issues: [{ path: 'steps.0.tasks.0.params.retry_cout' }] });
    const big = await trpc(`{"name":"n","steps":[{"execution_type":"sequential","tasks":[{"name":"echo","params":{"n":1e400}}]}]}`);
    expect(big.status).toBe(422);
  });

  it("a failed workflow's error counts steps from 1, as the CLI and the dashboard do (paths stay 0-based)", async () => {
    const res = await postText(JSON.stringify({ name: 'numbering', steps: [{ execution_type: 'sequential', tasks: [{ name: 'echo' }] }, { execution_type: 'sequential', tasks: [{ name: 'fail', id: 'boom' }] }] }));
    expect(res.status).toBe(202);
    const end = await waitForEnd(server.url, (res.body as { workflow_id: string }).workflow_id);
    expect(end.status).toBe('failed');
    expect(end.error).toMatch(/^step 2\/2 task "boom" /);
  });

  it('every other error carries `detail` as a string; malformed JSON stays a 400 with both shapes', async () => {
    const malformed = expectError(await postText('{"name": '), 400, 'BAD_REQUEST');
    expect(malformed.detail).toBe(malformed.error.message);
    const missing = expectError(await call(server.url, '/api/workflow/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
    expect(missing.detail).toBe('Workflow not found');
    const route = expectError(await call(server.url, '/api/nowhere'), 404, 'NOT_FOUND');
    expect(typeof route.detail).toBe('string');
  });
});
