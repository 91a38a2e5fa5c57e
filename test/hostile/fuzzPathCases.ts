import fc from 'fast-check';
import type { FuzzCase } from './fuzzRig.ts';
import { UNKNOWN_ID } from './fuzzCases.ts';

/** Every route the server has, as method + path (ids filled in by the caller). */
export function routeList(id: string): Array<[string, string]> {
  const q = (input: unknown) => encodeURIComponent(JSON.stringify({ json: input }));
  return [
    ['POST', '/api/workflow'],
    ['GET', `/api/workflow/${id}`],
    ['GET', '/api/workflows'],
    ['POST', `/api/workflow/${id}/cancel`],
    ['GET', '/api/tasks'],
    ['GET', '/health'],
    ['GET', '/openapi.json'],
    ['GET', '/docs'],
    ['GET', '/'],
    ['GET', '/trpc/health'],
    ['GET', '/trpc/task.list'],
    ['GET', `/trpc/workflow.get?input=${q({ id })}`],
    ['GET', `/trpc/workflow.list?input=${q({})}`],
    ['GET', `/trpc/workflow.watch?input=${q({ id })}`],
    ['POST', '/trpc/workflow.create'],
    ['POST', '/trpc/workflow.cancel'],
    ['GET', `/trpc/workflow.get,workflow.list?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { json: { id } }, 1: { json: {} } }))}`],
  ];
}

/** Every route under methods it does not serve (and HEAD/OPTIONS, which some do). */
export function methodCases(): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (const [served, path] of routeList(UNKNOWN_ID)) {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE']) {
      if (method === served) continue;
      // HEAD of a GET route and OPTIONS (a CORS preflight to tRPC) may succeed; no body, no data.
      const lenient = method === 'HEAD' || method === 'OPTIONS' || (method === 'GET' && path.startsWith('/trpc/workflow.c'));
      cases.push({ label: `method ${method}`, method, path, headers: { 'content-type': 'application/json' }, body: '{}', expect: lenient ? 'any' : 'error' });
    }
  }
  return cases;
}

/**
 * Path traversal in ids and paths, encoded every way. `expect: 'any'` where
 * the URL parser folds the dots into another real route (`/api/workflow/..
 * /workflows` is `/api/workflows`): normalisation, not an escape.
 */
export function traversalCases(seed: number): FuzzCase[] {
  const folds = ['/api/workflow/../workflows', '/api/workflow/%2e%2e/workflows', '/api/workflow/.%2E/workflows', '/trpc/../api/workflows', '/trpc/workflow.get/../../health', '/api/workflow/x/../../../docs', '/api/workflow/x/cancel/../../../tasks', 'http://evil.example/api/workflows'];
  const refused = [
    '/api/workflow/..%2f..%2fetc%2fpasswd',
    '/api/workflow/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/api/workflow/%252e%252e%252f',
    '/api/workflow/..%5c..%5cwindows%5cwin.ini',
    '/api/workflow/a%2fb',
    '/api/workflow/a%00',
    '/api/workflow/%2e%2e',
    '/api/workflow/..',
    '/api/workflow/.',
    '/api/workflow/%',
    '/api/workflow/%zz',
    '/api/workflow/%C0%AE%C0%AE',
    '/api/workflow/%FF',
    '/api/workflow/%E2%9C%93',
    '/api/workflow/%F0%9F%98%80',
    '/api/workflow/%EF%BB%BFabc',
    `/api/workflow/${'a'.repeat(65)}`,
    `/api/workflow/${'a'.repeat(10_000)}`,
    `/api/workflow/${'a'.repeat(20_000)}`,
    `/api/workflow/${'a'.repeat(65)}/cancel`,
    '/api/workflow/..%2f..%2fetc%2fpasswd/cancel',
    '/../../../../etc/passwd',
    '/api/../../etc/passwd',
    '//etc/passwd',
    '/api/workflow//',
    '/api//workflow',
    '/trpc/..%2f..%2fetc%2fpasswd',
    '/trpc/workflow.get%00',
    '/trpc/',
    '/trpc',
    '/trpc/nope.nope',
    '/trpc/workflow',
    '/trpc/workflow.create.x',
    `/trpc/${'workflow.get,'.repeat(300)}workflow.get?batch=1`,
  ];
  const cases: FuzzCase[] = [];
  for (const path of folds) cases.push({ label: 'traversal (folds to a route)', method: 'GET', path, expect: 'any' });
  for (const path of refused) {
    const method = path.endsWith('/cancel') ? 'POST' : 'GET';
    cases.push({ label: 'traversal', method, path, expect: 'error' });
  }
  // Random walks over the pieces traversal attacks are made of.
  const piece = fc.constantFrom('..', '.', '%2e', '%2E%2e', '%2f', '%5c', '%00', '%25', '/', 'api', 'workflow', 'workflows', 'trpc', 'x', '%', '~', ';', 'cancel', UNKNOWN_ID);
  for (const parts of fc.sample(fc.array(piece, { minLength: 1, maxLength: 10 }), { numRuns: 120, seed })) {
    cases.push({ label: 'random traversal', method: fc.sample(fc.constantFrom('GET', 'POST'), { numRuns: 1, seed: parts.length })[0], path: `/${parts.join('/')}`, expect: 'any' });
  }
  return cases;
}

/** Request lines node's HTTP client will not send: control characters, spaces, raw UTF-8 in the path. */
export function rawPathCases(): FuzzCase[] {
  const paths = ['/api/workflow/a b', '/api/workflow/\x01', '/api/workflow/\x7f', '/api/workflow/\xe2\x9c\x93', '/api/workflow/\xff\xfe', '/api/workflows?status=\x00', '/trpc/workflow.get?input=\x1b[31m'];
  const cases: FuzzCase[] = paths.map((path) => ({ label: 'raw path', method: 'GET', path, raw: Buffer.from(`GET ${path} HTTP/1.1\r\nHost: x`, 'latin1'), expect: 'error' as const }));
  cases.push({ label: 'raw request', method: 'GET', path: '*', raw: 'OPTIONS * HTTP/1.1\r\nHost: x', expect: 'any' });
  cases.push({ label: 'raw request', method: 'GET', path: '/health', raw: 'GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6', expect: 'error' });
  cases.push({ label: 'raw request', method: 'GET', path: '/health', raw: 'GET /health HTTP/1.1\r\nHost: x\r\nBad Header: y', expect: 'error' });
  return cases;
}

/** Bogus list queries, REST and tRPC, with the answer each must get. */
export function queryCases(seed: number): FuzzCase[] {
  const refused = ['limit=-1', 'limit=0', 'limit=1e9', 'limit=1e400', 'limit=NaN', 'limit=', 'limit=1.5', 'limit=5abc', 'limit=%00', 'limit=Infinity', 'status=bogus', 'status=RUNNING', 'status=', 'status=%E2%9C%93', 'cursor=garbage', 'cursor=-1', 'cursor=1.5', `cursor=${'9'.repeat(40)}`, `cursor=${'x'.repeat(200)}`, 'cursor=%00', 'cursor=%F0%9F%98%80', 'cursor=', 'limit=-1&status=bogus&cursor=garbage'];
  const cases: FuzzCase[] = refused.map((q) => ({ label: 'list query', method: 'GET', path: `/api/workflows?${q}`, expect: 'error' as const }));
  for (const q of ['limit=0x10', 'limit=%205', 'limit[]=1', '=&&&=', 'limit=1&limit=-1', 'foo=bar', `x=${'y'.repeat(10_000)}`]) cases.push({ label: 'list query (tolerated)', method: 'GET', path: `/api/workflows?${q}`, expect: 'any' });
  const trpcRefused: unknown[] = [{ limit: -1 }, { limit: 1e9 }, { limit: '5' }, { limit: null }, { cursor: 5 }, { cursor: {} }, { cursor: 'garbage' }, { cursor: 'x'.repeat(129) }, { status: 'bogus' }, [], 'x', 7];
  for (const input of trpcRefused) cases.push({ label: 'tRPC list input', method: 'GET', path: `/trpc/workflow.list?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, expect: 'error' });
  for (const input of ['{', '%', '%zz', 'null', '{"json":', '{"meta":{"values":5}}']) cases.push({ label: 'tRPC raw input', method: 'GET', path: `/trpc/workflow.list?input=${input}`, expect: 'any' });
  // Random values for each parameter: never a 5xx, whatever they are.
  const value = fc.string({ maxLength: 60, unit: 'grapheme' });
  for (const [limit, cursor, status] of fc.sample(fc.tuple(value, value, value), { numRuns: 120, seed })) {
    const query = new URLSearchParams({ limit, cursor, status }).toString();
    cases.push({ label: 'random list query', method: 'GET', path: `/api/workflows?${query}`, expect: 'any' });
    cases.push({ label: 'random tRPC list input', method: 'GET', path: `/trpc/workflow.list?input=${encodeURIComponent(JSON.stringify({ json: { limit, cursor, status } }))}`, expect: 'error' });
  }
  return cases;
}
