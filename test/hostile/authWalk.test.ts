import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTerminal, type WorkflowStatus } from '../../shared/status.ts';
import { startServer, type ServerHandle } from '../helpers/server.ts';
import { routeList } from './fuzzPathCases.ts';
import { rawRequest, type RawAnswer } from './rawRequest.ts';

/**
 * Walks every route × method × credential with API_KEY set and checks that
 * nothing but /health, /openapi.json, /docs (and tRPC `health`) answers with
 * workflow data without the key. Complements test/integration/api/auth.test.ts
 * with: wrong keys of the same length, HEAD/OPTIONS/other methods, tRPC
 * batches, paths that fold onto a protected route, keys in connectionParams,
 * and the key (right or wrong) never echoed or logged.
 */
const KEY = 'Zq7-walk-key-0123456789abcdefXY';
const SAME_LENGTH = `${KEY.slice(0, -1)}Z`;
const MARKER = 'secret-output-marker-7f3a';
const PUBLIC = new Set(['/health', '/openapi.json', '/docs', '/', '/trpc/health']);

const credentials: Array<[string, Record<string, string>]> = [
  ['no header', {}],
  ['same-length wrong key', { authorization: `Bearer ${SAME_LENGTH}` }],
  ['longer key', { authorization: `Bearer ${KEY}0` }],
  ['shorter key', { authorization: `Bearer ${KEY.slice(0, -1)}` }],
  ['key in other case', { authorization: `Bearer ${KEY.toLowerCase()}` }],
  ['empty bearer', { authorization: 'Bearer ' }],
  ['key without scheme', { authorization: KEY }],
  ['basic scheme', { authorization: `Basic ${Buffer.from(`user:${KEY}`).toString('base64')}` }],
  ['key then junk', { authorization: `Bearer ${KEY} extra` }],
  ['key as X-API-Key', { 'x-api-key': KEY }],
];

/** In a tRPC batch answer, every call but `health` is UNAUTHORIZED (health answers: it is public). */
function batchProtectedRefused(path: string, res: RawAnswer): boolean {
  const procedures = path.slice('/trpc/'.length).split('?', 1)[0].split(',');
  const answers = res.json as Array<{ error?: { json: { data: { code: string } } } }>;
  return procedures.every((p, i) => p === 'health' || answers[i]?.error?.json.data.code === 'UNAUTHORIZED');
}

describe('API key walk: no route but the public ones gives data without the key', () => {
  let server: ServerHandle;
  let id: string;
  const seen: RawAnswer[] = [];
  const send = async (method: string, path: string, headers: Record<string, string>) => {
    const body = method === 'POST' ? (path.startsWith('/trpc') ? '{"json":{"id":"x"}}' : '{}') : undefined;
    const res = await rawRequest(server.url, { method, path, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body });
    seen.push(res);
    return res;
  };

  beforeAll(async () => {
    server = await startServer({ API_KEY: KEY, LOG_LEVEL: 'debug' });
    const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
    const def = { name: 'secret-data', steps: [{ execution_type: 'sequential', tasks: [{ name: 'echo', params: { marker: MARKER } }] }] };
    const created = await rawRequest(server.url, { method: 'POST', path: '/api/workflow', headers: auth, body: JSON.stringify(def) });
    expect(created.status).toBe(202);
    id = (created.json as { workflow_id: string }).workflow_id;
    for (let s: WorkflowStatus | undefined; !s || !isTerminal(s.status); await new Promise((r) => setTimeout(r, 10))) {
      s = (await rawRequest(server.url, { method: 'GET', path: `/api/workflow/${id}`, headers: auth })).json as WorkflowStatus;
    }
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
    // Debug logging on, and still neither the key nor any wrong key presented appears in the output.
    const logs = server.logs();
    for (const secret of [KEY, SAME_LENGTH, KEY.toLowerCase(), Buffer.from(`user:${KEY}`).toString('base64')]) expect(logs).not.toContain(secret);
    // Nor in any answer.
    for (const res of seen) expect(res.text).not.toContain(KEY);
    console.log(`auth walk: ${seen.length} requests`);
  });

  const leaks = (res: RawAnswer) => res.text.includes(MARKER) || res.text.includes('secret-data') || res.text.includes(id);

  it('with the right key, each protected route does give the data (so the walk below means something)', async () => {
    const auth = { authorization: `Bearer ${KEY}` };
    expect(leaks(await send('GET', `/api/workflow/${id}`, auth))).toBe(true);
    expect(leaks(await send('GET', '/api/workflows', auth))).toBe(true);
    const [, trpcGet] = routeList(id).find(([, p]) => p.startsWith('/trpc/workflow.get?'))!;
    expect(leaks(await send('GET', trpcGet, auth))).toBe(true);
    const [, watch] = routeList(id).find(([, p]) => p.startsWith('/trpc/workflow.watch'))!;
    expect(leaks(await send('GET', watch, auth))).toBe(true);
  });

  it('every route × method × wrong credential: 401 (or an empty answer), never data', async () => {
    const routes = [
      ...routeList(id),
      ['GET', `/api/workflow/${id}/`],
      ['GET', `/api/workflow/x/../${id}`],
      ['GET', '/api/workflow/../workflows'],
      ['GET', '/api/workflows?status=succeeded&limit=1'],
      ['GET', '/api/no-such-route'],
      ['GET', `/trpc/health,workflow.get?batch=1&input=${encodeURIComponent(JSON.stringify({ 1: { json: { id } } }))}`],
    ] as Array<[string, string]>;
    let checked = 0;
    for (const [served, path] of routes) {
      const isPublic = PUBLIC.has(path.split('?', 1)[0]);
      for (const method of new Set([served, 'GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'])) {
        for (const [label, headers] of credentials) {
          const res = await send(method, path, headers);
          const where = `${label}: ${method} ${path.slice(0, 100)} → ${res.status} ${res.text.slice(0, 200)}`;
          checked++;
          expect(leaks(res), `data leaked: ${where}`).toBe(false);
          expect(res.status, where).toBeLessThan(500);
          if (isPublic) continue;
          if (res.status === 401 && !path.startsWith('/trpc')) expect(res.headers['www-authenticate'], where).toBe('Bearer');
          // A subscription answers 200 and carries its refusal in the stream.
          const sse = res.status === 200 && String(res.headers['content-type']).startsWith('text/event-stream');
          const streamRefused = sse && res.text.includes('"UNAUTHORIZED"');
          const streamError = sse && res.text.includes('event: serialized-error') && !res.text.includes('event: message');
          const batchRefused = res.status === 207 && batchProtectedRefused(path, res);
          expect(res.status === 401 || res.text === '' || streamError || batchRefused || (res.status >= 400 && !leaks(res)), where).toBe(true);
          // The route's own method must be refused outright.
          if (method === served && !path.startsWith('/api/no-such')) expect(res.status === 401 || streamRefused || batchRefused, `not refused: ${where}`).toBe(true);
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('the subscription refuses wrong keys in connectionParams too (same length included), and takes the right one', async () => {
    const watch = (apiKey: string) =>
      `/trpc/workflow.watch?input=${encodeURIComponent(JSON.stringify({ json: { id } }))}&connectionParams=${encodeURIComponent(JSON.stringify({ apiKey }))}`;
    for (const wrong of [SAME_LENGTH, `${KEY}0`, '', KEY.toLowerCase()]) {
      const res = await send('GET', watch(wrong), {});
      expect(leaks(res)).toBe(false);
      expect(res.text).toContain('"UNAUTHORIZED"');
    }
    const ok = await send('GET', watch(KEY), {});
    expect(ok.text).toContain(MARKER);
  });

  it('the docs page and the OpenAPI document carry neither the key nor workflow data', async () => {
    for (const path of ['/docs', '/openapi.json', '/health', '/trpc/health']) {
      const res = await send('GET', path, {});
      expect(res.status).toBe(200);
      expect(leaks(res)).toBe(false);
      expect(res.text).not.toContain(KEY);
    }
  });
});
