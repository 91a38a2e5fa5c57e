import fc from 'fast-check';
import type { FuzzCase } from './fuzzRig.ts';

/** A well-formed id no workflow has: routes that take an id then answer 404. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

const JSON_TYPE = { 'content-type': 'application/json' };
const VALID = { name: 'ok', steps: [{ execution_type: 'sequential', tasks: [{ name: 'echo' }] }] };
const trpcQuery = (proc: string, input: unknown) => `/trpc/${proc}?input=${encodeURIComponent(JSON.stringify(input))}`;

/** Every POST target, each with junk in its body: none may accept it. */
const POST_TARGETS = [
  '/api/workflow',
  `/api/workflow/${UNKNOWN_ID}/cancel`,
  '/api/workflows',
  '/api/tasks',
  '/health',
  '/openapi.json',
  '/docs',
  '/trpc/workflow.create',
  '/trpc/workflow.cancel',
  '/trpc/workflow.get',
  '/trpc/workflow.watch',
  '/trpc/task.list',
  '/trpc/workflow.create,workflow.cancel?batch=1',
];

/** Random bytes (mostly not UTF-8, rarely JSON) under random content types, to every POST target. */
export function randomBodyCases(count: number, seed: number): FuzzCase[] {
  const arb = fc.record({
    bytes: fc.uint8Array({ maxLength: 2048 }),
    path: fc.constantFrom(...POST_TARGETS),
    type: fc.option(fc.constantFrom('application/json', 'text/plain', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/x+json')),
  });
  return fc.sample(arb, { numRuns: count, seed }).map(({ bytes, path, type }): FuzzCase => ({
    label: 'random bytes',
    method: 'POST',
    path,
    headers: type ? { 'content-type': type } : ({} as Record<string, string>),
    body: Buffer.from(bytes),
    // The cancel of an unknown id ignores its body: 404 whatever was sent. Everything else refuses junk.
    expect: 'error',
  }));
}

/** A valid definition under content types that are not JSON (415) and some that are (accepted). */
export function contentTypeCases(seed: number): FuzzCase[] {
  const notJson = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/json', 'json', ' ', 'application/jsonp', 'application/octet-stream', '*/*'];
  const json = ['application/json; charset=utf-8', 'APPLICATION/JSON', 'application/vnd.api+json', 'application/json;;;'];
  // Printable ASCII only: node's client refuses other bytes in a header value.
  const random = fc.sample(fc.string({ maxLength: 40, unit: 'binary-ascii' }).filter((s) => /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(s)), { numRuns: 40, seed });
  const cases: FuzzCase[] = [];
  for (const path of ['/api/workflow', '/trpc/workflow.create']) {
    const body = JSON.stringify(path.startsWith('/trpc') ? { json: VALID } : VALID);
    for (const type of notJson) cases.push({ label: 'content type', method: 'POST', path, headers: { 'content-type': type }, body, expect: 'error' });
    for (const type of [...json, ...random]) cases.push({ label: 'content type', method: 'POST', path, headers: { 'content-type': type }, body, expect: 'any' });
  }
  return cases;
}

/** Nesting around and beyond the 64-level bound, bare and inside a definition, in bodies and tRPC query strings. */
export function nestingCases(): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const nest = (open: string, close: string, depth: number, inner = '1') => open.repeat(depth) + inner + close.repeat(depth);
  for (const depth of [65, 100, 1000, 50_000, 200_000]) {
    for (const [open, close] of [['[', ']'], ['{"a":', '}'], ['[{"a":', '}]']]) {
      const bare = nest(open, close, depth);
      const inDefinition = `{"name":"x","steps":[{"execution_type":"sequential","tasks":[{"name":"echo","params":{"deep":${bare}}}]}]}`;
      for (const body of [bare, inDefinition, `${open.repeat(depth)}`]) {
        cases.push({ label: `nesting ${depth}`, method: 'POST', path: '/api/workflow', headers: JSON_TYPE, body, expect: 'error' });
        cases.push({ label: `nesting ${depth}`, method: 'POST', path: '/trpc/workflow.create', headers: JSON_TYPE, body: `{"json":${body}}`, expect: 'error' });
      }
    }
  }
  // GET inputs do not go through the body reader: the query string carries them (bounded by the header size).
  for (const depth of [63, 64, 65, 500, 2000]) {
    const deep = JSON.parse(nest('{"a":', '}', Math.min(depth, 2000)));
    for (const proc of ['workflow.get', 'workflow.list', 'workflow.watch']) {
      cases.push({ label: `query nesting ${depth}`, method: 'GET', path: trpcQuery(proc, { json: { id: 'x', deep } }), expect: 'any' });
      cases.push({ label: `query meta nesting ${depth}`, method: 'GET', path: trpcQuery(proc, { json: { id: 'x' }, meta: { values: deep } }), expect: 'any' });
      cases.push({ label: `query nesting ${depth}`, method: 'GET', path: `/trpc/${proc}?input=${'['.repeat(depth)}${']'.repeat(depth)}`, expect: 'error' });
    }
  }
  return cases;
}

/** Arrays far past every bound, in every position of a definition. */
export function hugeArrayCases(): FuzzCase[] {
  const many = (n: number, item: string) => Array.from({ length: n }, () => item).join(',');
  const step = (tasks: string) => `{"execution_type":"parallel","tasks":[${tasks}]}`;
  const bodies = [
    `{"name":"x","steps":[${many(200_000, '0')}]}`,
    `{"name":"x","steps":[${many(20_000, '{}')}]}`,
    `{"name":"x","steps":[${step(many(300_000, '1'))}]}`,
    `{"name":"x","steps":[${step(many(10_000, '{"name":"echo"}'))}]}`,
    `{"name":"x","steps":[${many(101, step('{"name":"echo"}'))}]}`,
    `{"name":"x","steps":[${many(100, step(many(51, '{"name":"echo"}')))}]}`,
    `{"name":"x","steps":[${step(`{"name":"echo","params":{"list":[${many(300_000, '0')}]}}`)}]}`,
    `[${many(400_000, '0')}]`,
    `{"name":[${many(100_000, '"n"')}],"steps":[]}`,
  ];
  const cases: FuzzCase[] = [];
  for (const body of bodies) {
    cases.push({ label: 'huge array', method: 'POST', path: '/api/workflow', headers: JSON_TYPE, body, expect: 'error' });
    cases.push({ label: 'huge array', method: 'POST', path: '/trpc/workflow.create', headers: JSON_TYPE, body: `{"json":${body}}`, expect: 'error' });
  }
  return cases;
}

/** A definition whose every field is invalid many times over: the error answer must stay bounded. */
export function manyIssuesBody(): string {
  const tasks = Array.from({ length: 1000 }, () => '1').join(',');
  return `{"name":"x","steps":[${Array.from({ length: 100 }, () => `{"execution_type":"parallel","tasks":[${tasks}]}`).join(',')}]}`;
}
