import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateWorkflowResponse } from '../../../server/api/restRoutes.ts';
import { startServer, type ServerHandle } from '../../helpers/server.ts';
import { call, expectError, quickWorkflow, waitForEnd } from './http.ts';
import { collectWatch, trpcClient } from './trpcClient.ts';

const KEY = 'k3y-for-tests-0123456789abcdef';
const auth = { authorization: `Bearer ${KEY}` };

async function trpcErrorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCClientError);
    return ((error as TRPCClientError<never>).data as unknown as { code: string }).code;
  }
  throw new Error('expected the call to fail');
}

describe('API key (API_KEY set)', () => {
  let server: ServerHandle;
  let workflowId: string;
  beforeAll(async () => {
    server = await startServer({ API_KEY: KEY, LOG_LEVEL: 'debug' });
    const created = await call<CreateWorkflowResponse>(server.url, '/api/workflow', { method: 'POST', json: quickWorkflow('secret-data', 10), headers: auth });
    expect(created.status).toBe(202);
    workflowId = created.body.workflow_id;
    await waitForEnd(server.url, workflowId, auth);
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
    // Debug logging is on, and still the key appears nowhere in the output.
    expect(server.logs()).not.toContain(KEY);
  });

  it('every REST route but /health answers 401 without the key, or with a wrong one', async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['POST', '/api/workflow', quickWorkflow()],
      ['GET', `/api/workflow/${workflowId}`],
      ['POST', `/api/workflow/${workflowId}/cancel`],
      ['GET', '/api/workflows'],
      ['GET', '/api/tasks'],
      ['GET', '/api/no-such-route'],
      ['DELETE', '/api/workflows'],
    ];
    const wrong: Array<Record<string, string>> = [{}, { authorization: 'Bearer nope' }, { authorization: `Basic ${KEY}` }, { authorization: `Bearer ${KEY}x` }, { authorization: KEY }];
    for (const [method, path, json] of routes) {
      for (const headers of wrong) {
        const res = await call(server.url, path, { method, headers, json });
        expectError(res, 401, 'UNAUTHORIZED');
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
        expect(JSON.stringify(res.body)).not.toContain('secret-data');
        expect(JSON.stringify(res.body)).not.toContain(KEY);
      }
    }
  });

  it('with the key, REST works (the scheme is case-insensitive)', async () => {
    expect((await call(server.url, `/api/workflow/${workflowId}`, { headers: auth })).status).toBe(200);
    expect((await call(server.url, '/api/workflows', { headers: { authorization: `bearer ${KEY}` } })).status).toBe(200);
    expect((await call(server.url, '/api/tasks', { headers: auth })).status).toBe(200);
  });

  it('/health, /openapi.json and /docs stay open; they hold no workflow data', async () => {
    for (const path of ['/health', '/openapi.json', '/docs']) {
      const res = await call(server.url, path);
      expect(res.status).toBe(200);
      const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
      expect(text).not.toContain('secret-data');
      expect(text).not.toContain(workflowId);
    }
  });

  it('tRPC queries and mutations answer UNAUTHORIZED (HTTP 401) without the key; health stays open', async () => {
    const anonymous = trpcClient(server.url);
    expect(await trpcErrorCode(anonymous.workflow.get.query({ id: workflowId }))).toBe('UNAUTHORIZED');
    expect(await trpcErrorCode(anonymous.workflow.list.query({}))).toBe('UNAUTHORIZED');
    expect(await trpcErrorCode(anonymous.workflow.create.mutate(quickWorkflow()))).toBe('UNAUTHORIZED');
    expect(await trpcErrorCode(anonymous.workflow.cancel.mutate({ id: workflowId }))).toBe('UNAUTHORIZED');
    expect(await trpcErrorCode(anonymous.task.list.query())).toBe('UNAUTHORIZED');
    expect(await trpcErrorCode(trpcClient(server.url, { apiKey: 'wrong' }).workflow.get.query({ id: workflowId }))).toBe('UNAUTHORIZED');
    expect((await anonymous.health.query()).status).toBe('ok');

    const raw = await call(server.url, `/trpc/workflow.get?input=${encodeURIComponent(JSON.stringify({ json: { id: workflowId } }))}`);
    expect(raw.status).toBe(401);
    expect(JSON.stringify(raw.body)).not.toContain('secret-data');

    const keyed = trpcClient(server.url, { apiKey: KEY });
    expect((await keyed.workflow.get.query({ id: workflowId })).name).toBe('secret-data');
  });

  it('the watch subscription refuses without the key and streams with it (header or connectionParams)', async () => {
    expect(await trpcErrorCode(collectWatch(trpcClient(server.url), workflowId))).toBe('UNAUTHORIZED');
    expect(await trpcErrorCode(collectWatch(trpcClient(server.url, { connectionParamsKey: 'wrong' }), workflowId))).toBe('UNAUTHORIZED');

    // A raw SSE request without the key carries the error, not the workflow.
    const raw = await fetch(`${server.url}/trpc/workflow.watch?input=${encodeURIComponent(JSON.stringify({ json: { id: workflowId } }))}`, {
      headers: { accept: 'text/event-stream' },
    });
    const text = await raw.text();
    expect(text).toContain('UNAUTHORIZED');
    expect(text).not.toContain('secret-data');

    const viaHeader = await collectWatch(trpcClient(server.url, { apiKey: KEY }), workflowId);
    expect(viaHeader.at(-1)!.data.status).toBe('succeeded');
    const viaParams = await collectWatch(trpcClient(server.url, { connectionParamsKey: KEY }), workflowId);
    expect(viaParams.at(-1)!.data.status).toBe('succeeded');
  });

  it('the OpenAPI document declares the bearer scheme', async () => {
    const doc = (await call<{ security: unknown; components: { securitySchemes: Record<string, { scheme: string }> } }>(server.url, '/openapi.json')).body;
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.securitySchemes.bearerAuth.scheme).toBe('bearer');
  });
});
