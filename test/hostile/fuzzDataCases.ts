import fc from 'fast-check';
import superjson from 'superjson';
import { expect } from 'vitest';
import { ErrorBodySchema } from '../../shared/api.ts';
import { isTerminal, type WorkflowStatus } from '../../shared/status.ts';
import type { FuzzCase } from './fuzzRig.ts';
import { rawRequest, type RawAnswer, type RawRequest } from './rawRequest.ts';

/** A request whose answer needs more than a status check: `verify` reads back what was stored. */
export interface CheckedCase {
  request: RawRequest;
  verify(base: string, answer: RawAnswer): Promise<void>;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const post = (path: string, body: string): RawRequest => ({ method: 'POST', path, headers: JSON_TYPE, body });
const oneTask = (task: string, extra = '') => `{"name":"x"${extra},"steps":[{"execution_type":"sequential","tasks":[${task}]}]}`;

async function waitForEnd(base: string, id: string): Promise<WorkflowStatus> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const res = await rawRequest(base, { method: 'GET', path: `/api/workflow/${id}` });
    expect(res.status, res.text).toBe(200);
    const status = res.json as WorkflowStatus;
    if (isTerminal(status.status) || Date.now() > deadline) return status;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The status as tRPC's `workflow.get` answers it (superjson-decoded, as the SDK would read it). */
async function trpcGet(base: string, id: string): Promise<WorkflowStatus> {
  const res = await rawRequest(base, { method: 'GET', path: `/trpc/workflow.get?input=${encodeURIComponent(JSON.stringify({ json: { id } }))}` });
  expect(res.status, res.text).toBe(200);
  return superjson.deserialize((res.json as { result: { data: Parameters<typeof superjson.deserialize>[0] } }).result.data);
}

function createdId(answer: RawAnswer): string {
  expect([200, 202], answer.text).toContain(answer.status);
  const body = answer.json as { workflow_id?: string; result?: { data: { json: { id: string } } } };
  return body.workflow_id ?? body.result!.data.json.id;
}

/** Accepted, ran to success, and both REST and tRPC give back `params` of task 0 exactly as sent. */
function keptVerbatim(params: Record<string, unknown>): CheckedCase['verify'] {
  return async (base, answer) => {
    const id = createdId(answer);
    const end = await waitForEnd(base, id);
    expect(end.status, JSON.stringify(end)).toBe('succeeded');
    expect(end.steps[0].tasks[0].params).toEqual(params);
    expect((await trpcGet(base, id)).steps[0].tasks[0].params).toEqual(params);
  };
}

/** `__proto__` anywhere (plainly or escaped), and superjson paths through prototypes: refused. Prototype-ish keys as data: kept, inert. */
export function prototypeKeyCases(): { refused: FuzzCase[]; accepted: CheckedCase[] } {
  const proto = '{"polluted":true}';
  const refusedBodies = [
    `{"__proto__":${proto},"name":"x","steps":[{"execution_type":"sequential","tasks":[{"name":"echo"}]}]}`,
    `{"name":"x","steps":[{"__proto__":${proto},"execution_type":"sequential","tasks":[{"name":"echo"}]}]}`,
    oneTask(`{"name":"echo","__proto__":${proto}}`),
    oneTask(`{"name":"echo","params":{"__proto__":${proto}}}`),
    oneTask(`{"name":"echo","params":{"a":[{"b":{"__proto__":${proto}}}]}}`),
    oneTask(`{"name":"echo","params":{"\\u005f_proto__":${proto}}}`),
    oneTask(`{"name":"echo","params":{"__pro\\u0074o__":${proto}}}`),
    oneTask(`{"name":"echo","params":{"\\u005F\\u005Fproto\\u005F\\u005F":${proto}}}`),
  ];
  const refused: FuzzCase[] = [];
  for (const body of refusedBodies) {
    refused.push({ label: '__proto__', ...post('/api/workflow', body), expect: 'error' });
    refused.push({ label: '__proto__', ...post('/trpc/workflow.create', `{"json":${body}}`), expect: 'error' });
  }
  // superjson meta walks paths into the input: none may reach a prototype.
  const def = JSON.parse(oneTask('{"name":"echo","params":{"a":"1"}}'));
  const metas = [
    { values: { 'constructor.prototype.polluted': ['undefined'] } },
    { values: { 'steps.0.constructor.prototype.polluted': ['Date'] } },
    { values: { prototype: ['set'] } },
    { referentialEqualities: { name: ['constructor.prototype.polluted'] } },
    { referentialEqualities: { 'steps.0': ['steps.constructor.prototype'] } },
  ];
  for (const meta of metas) refused.push({ label: 'superjson meta', ...post('/trpc/workflow.create', JSON.stringify({ json: def, meta })), expect: 'error' });
  const getInput = (input: unknown) => `/trpc/workflow.get?input=${encodeURIComponent(JSON.stringify(input))}`;
  refused.push({ label: 'superjson meta', method: 'GET', path: getInput({ json: { id: 'x' }, meta: { values: { 'constructor.prototype.polluted': ['undefined'] } } }), expect: 'error' });
  refused.push({ label: '__proto__ in query', method: 'GET', path: `/trpc/workflow.get?input=${encodeURIComponent(`{"json":{"id":"x","__proto__":${proto}}}`)}`, expect: 'error' });

  const inert = { constructor: { prototype: { polluted: true } }, prototype: { polluted: true }, toString: 'x', hasOwnProperty: 1, valueOf: null };
  const accepted: CheckedCase[] = [
    { request: post('/api/workflow', oneTask(`{"name":"echo","params":${JSON.stringify(inert)}}`)), verify: keptVerbatim(inert) },
    { request: post('/trpc/workflow.create', `{"json":${oneTask(`{"name":"echo","params":${JSON.stringify(inert)}}`)}}`), verify: keptVerbatim(inert) },
    // Unknown keys at other levels are refused (issue 11), whatever their name, each at its own path.
    {
      request: post('/api/workflow', `{"constructor":${proto},"prototype":${proto},"name":"x","steps":[{"constructor":${proto},"execution_type":"sequential","tasks":[{"name":"echo","prototype":${proto}}]}]}`),
      async verify(_base, answer) {
        expect(answer.status, answer.text).toBe(422);
        const paths = ErrorBodySchema.parse(answer.json).error.issues?.map((i) => i.path);
        expect(paths?.sort()).toEqual(['constructor', 'prototype', 'steps.0.constructor', 'steps.0.tasks.0.prototype']);
      },
    },
  ];
  // `__proto__` as a task id would key the upstream outputs by assignment (setting a prototype): refused.
  refused.push({ label: '__proto__ id', ...post('/api/workflow', oneTask('{"name":"echo","id":"__proto__"}')), expect: 'error' });
  refused.push({ label: '__proto__ id', ...post('/trpc/workflow.create', `{"json":${oneTask('{"name":"echo","id":"__proto__"}')}}`), expect: 'error' });
  // Other Object.prototype member names: distinct tasks, and each other's upstream.
  const ids = ['constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
  const idsDef = { name: 'ids', steps: [{ execution_type: 'parallel', tasks: ids.map((id) => ({ name: 'echo', id, params: { id } })) }, { execution_type: 'sequential', tasks: [{ name: 'echo', id: 'last' }] }] };
  accepted.push({
    request: post('/api/workflow', JSON.stringify(idsDef)),
    async verify(base, answer) {
      const end = await waitForEnd(base, createdId(answer));
      expect(end.status, JSON.stringify(end)).toBe('succeeded');
      expect(end.steps[0].tasks.map((t) => t.id)).toEqual(ids);
      const upstream = (end.steps[1].tasks[0].output as { upstream: Record<string, unknown> }).upstream;
      expect(Object.keys(upstream).sort()).toEqual([...ids].sort());
      for (const id of ids) expect(Object.getOwnPropertyDescriptor(upstream, id)?.value).toEqual({ params: { id }, upstream: {} });
    },
  });
  return { refused, accepted };
}

/**
 * Names with control characters, empty, blank or invisible-only names and lone
 * surrogates are refused naming `name`; any other unicode is stored and given back exactly.
 */
export function unicodeNameCases(seed: number): { refused: FuzzCase[]; accepted: CheckedCase[] } {
  const controls = [...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)), '\u007f'];
  // Lengths count characters (code points), not UTF-16 units: 128 rockets fit, 129 do not.
  const bad = [...controls.map((c) => `a${c}b`), '', '🚀'.repeat(129), 'x'.repeat(129)];
  const good = ['\u202e evil', 'zero\u200bwidth', '🚀'.repeat(128), 'e\u0301', '\ufeffbom', '<script>alert(1)</script>', "'; DROP TABLE x;--", '${7*7}{{7*7}}', '../../etc/passwd', '%2e%2e%2f', 'line\u2028sep', 'c1\u0085', '中文名字', 'x'.repeat(128)];
  // Issue 11: each of these is refused with one message.
  const invisible = [' ', '   ', '\t', '\u200b', '\u200b\u200c\u200d', '\ufeff', '\u00a0', '\u3000', 'lone\ud800', '\udfffx', 'cut\ud83d'];
  const random = fc.sample(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), { numRuns: 40, seed });
  const refusedName = (name: string): CheckedCase => ({
    request: post('/api/workflow', JSON.stringify({ name, steps: [{ execution_type: 'sequential', tasks: [{ name: 'echo' }] }] })),
    async verify(_base, answer) {
      expect(answer.status, `${JSON.stringify(name)}: ${answer.text}`).toBe(422);
      // One clear message per bad name.
      expect(ErrorBodySchema.parse(answer.json).error.issues?.map((i) => i.path)).toEqual(['name']);
    },
  });
  const keptName = (name: string): CheckedCase => ({
    request: post('/api/workflow', JSON.stringify({ name, steps: [{ execution_type: 'sequential', tasks: [{ name: 'echo', params: { name } }] }] })),
    async verify(base, answer) {
      expect(answer.status, `${JSON.stringify(name)}: ${answer.text}`).toBe(202);
      const id = createdId(answer);
      const end = await waitForEnd(base, id);
      expect(end.name, 'the name given back differs').toBe(name);
      expect(end.steps[0].tasks[0].params).toEqual({ name });
      expect((await trpcGet(base, id)).name).toBe(name);
    },
  });
  const wellFormed = (n: string) => (n as unknown as { isWellFormed(): boolean }).isWellFormed();
  const onlyInvisible = (n: string) => /^[\s\u200b-\u200f\u2060-\u2064\ufeff\u180e\u00ad\u034f\u115f\u1160\u3164\uffa0]*$/.test(n);
  const isBad = (n: string) => n.length === 0 || [...n].length > 128 || /[\u0000-\u001f\u007f]/.test(n) || !wellFormed(n) || onlyInvisible(n);
  const accepted = [...[...bad, ...invisible].map(refusedName), ...[...good, ...random].map((n) => (isBad(n) ? refusedName(n) : keptName(n)))];
  // Unicode and control characters in ids and queries, percent-encoded.
  const refused: FuzzCase[] = ['%E2%80%AE', '%00', '%0A', '%7F', 'a%20b', '%F0%9F%9A%80'].flatMap((id) => [
    { label: 'unicode id', method: 'GET', path: `/api/workflow/${id}`, expect: 'error' as const },
    { label: 'unicode id', method: 'POST', path: `/api/workflow/${id}/cancel`, expect: 'error' as const },
    { label: 'unicode id', method: 'GET', path: `/trpc/workflow.get?input=${encodeURIComponent(JSON.stringify({ json: { id: decodeURIComponent(id) } }))}`, expect: 'error' as const },
  ]);
  return { refused, accepted };
}
