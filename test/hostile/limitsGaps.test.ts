import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import superjson from 'superjson';
import { ErrorBodySchema } from '../../shared/api.ts';
import { CONFIG_ENV_KEYS } from '../../server/config.ts';
import { startServer, type ServerHandle } from '../helpers/server.ts';
import { rawRequest, type RawAnswer } from './rawRequest.ts';
import { SMALL_LIMITS_ENV } from '../integration/api/http.ts';

/**
 * The bounds test/integration/api/restErrors.test.ts does not reach: the
 * tRPC edge (create, list, body size), task names and idempotency keys,
 * bytes (not characters) for params and bodies, the exact boundary of the
 * body limit, and that each configured bound is documented where users read.
 */
const ENV = SMALL_LIMITS_ENV;
const JSON_TYPE = { 'content-type': 'application/json' };
const echo = { name: 'echo' };
const step = (n: number, task: object = echo) => ({ execution_type: 'parallel', tasks: Array.from({ length: n }, () => task) });
const def = (extra: object = {}, steps = [step(1)]) => ({ name: 'x', steps, ...extra });

describe('limits at the edge: the gaps (tRPC, task names, idempotency keys, bytes vs characters, documentation)', () => {
  let server: ServerHandle;
  beforeAll(async () => {
    server = await startServer(ENV);
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
    expect(server.logs()).not.toMatch(/unexpected error|procedure failed/);
  });

  const rest = (body: unknown) => rawRequest(server.url, { method: 'POST', path: '/api/workflow', headers: JSON_TYPE, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const trpc = (body: unknown) => rawRequest(server.url, { method: 'POST', path: '/trpc/workflow.create', headers: JSON_TYPE, body: JSON.stringify(superjson.serialize(body)) });
  const restPaths = (res: RawAnswer) => {
    expect(res.status, res.text).toBe(422);
    return [...new Set(ErrorBodySchema.parse(res.json).error.issues!.map((i) => i.path))];
  };
  const trpcError = (res: RawAnswer) => superjson.deserialize<{ data: { code: string; httpStatus: number; issues?: Array<{ path: string }> } }>((res.json as { error: never }).error).data;
  const trpcPaths = (res: RawAnswer) => {
    expect(res.status, res.text).toBe(422);
    const data = trpcError(res);
    expect(data.code).toBe('UNPROCESSABLE_CONTENT');
    return [...new Set(data.issues!.map((i) => i.path))];
  };

  const overBounds: Array<[string, unknown, string]> = [
    ['MAX_STEPS', def({}, [step(1), step(1), step(1), step(1)]), 'steps'],
    ['MAX_TASKS_PER_STEP', def({}, [step(4)]), 'steps.0.tasks'],
    ['MAX_TOTAL_TASKS', def({}, [step(3), step(2)]), 'steps'],
    ['MAX_PARAMS_BYTES', def({}, [step(1, { name: 'echo', params: { blob: 'b'.repeat(300) } })]), 'steps.0.tasks.0.params'],
    ['MAX_NAME_LENGTH (workflow)', def({ name: 'n'.repeat(17) }), 'name'],
    ['MAX_NAME_LENGTH (task name)', def({}, [step(1, { name: 'e'.repeat(17) })]), 'steps.0.tasks.0.name'],
    ['MAX_NAME_LENGTH (task id)', def({}, [step(1, { name: 'echo', id: 'i'.repeat(17) })]), 'steps.0.tasks.0.id'],
    ['MAX_NAME_LENGTH (idempotency key)', def({ idempotency_key: 'k'.repeat(17) }), 'idempotency_key'],
  ];

  it('tRPC create enforces every configured bound with a 422 naming the field, as REST does', async () => {
    for (const [bound, body, path] of overBounds) {
      expect(trpcPaths(await trpc(body)), `tRPC ${bound}`).toEqual([path]);
      expect(restPaths(await rest(body)), `REST ${bound}`).toEqual([path]);
    }
    // Just inside every bound is accepted on both.
    const inside = def({ name: 'n'.repeat(16), idempotency_key: 'k'.repeat(16) }, [step(3), step(1, { name: 'echo', id: 'i'.repeat(16), params: { blob: 'b'.repeat(200) } })]);
    expect((await trpc(inside)).status).toBe(200);
    expect((await rest({ ...inside, idempotency_key: 'j'.repeat(16) })).status).toBe(202);
  });

  it('params are bounded in UTF-8 bytes, not characters', async () => {
    // 200 characters, 400 bytes: over MAX_PARAMS_BYTES=256.
    const wide = def({}, [step(1, { name: 'echo', params: { s: 'é'.repeat(200) } })]);
    expect(restPaths(await rest(wide))).toEqual(['steps.0.tasks.0.params']);
    expect(trpcPaths(await trpc(wide))).toEqual(['steps.0.tasks.0.params']);
    const narrow = def({}, [step(1, { name: 'echo', params: { s: 'e'.repeat(200) } })]);
    expect((await rest(narrow)).status).toBe(202);
  });

  it('the body limit is in bytes, exact at the boundary, on REST and tRPC alike', async () => {
    const sized = (bytes: number, filler: string, wrap = (s: string) => s) => {
      // Over the limit the body is refused before it is parsed, so an unknown `pad` field does not matter.
      const base = wrap(JSON.stringify({ ...def(), pad: '' }));
      const padBytes = bytes - Buffer.byteLength(base);
      const pad = filler.repeat(Math.floor(padBytes / Buffer.byteLength(filler)));
      return wrap(JSON.stringify({ ...def(), pad }));
    };
    // At the limit it is parsed, and unknown fields are refused (issue 11): pad with whitespace instead.
    const padded = (bytes: number, wrap = (s: string) => s) => {
      const body = wrap(JSON.stringify(def()));
      return body + ' '.repeat(bytes - Buffer.byteLength(body));
    };
    const atLimit = padded(4096);
    expect(Buffer.byteLength(atLimit)).toBe(4096);
    expect((await rest(atLimit)).status).toBe(202);
    expect((await rest(sized(4097, 'p'))).status).toBe(413);
    // 2-byte characters: fewer characters than the limit, more bytes.
    const wide = sized(4098, 'é');
    expect(wide.length).toBeLessThan(4096);
    const tooWide = await rest(wide);
    expect(tooWide.status).toBe(413);
    expect(ErrorBodySchema.parse(tooWide.json).error.code).toBe('PAYLOAD_TOO_LARGE');

    const wrapTrpc = (s: string) => `{"json":${s}}`;
    const trpcAt = padded(4096, wrapTrpc);
    expect(Buffer.byteLength(trpcAt)).toBe(4096);
    const post = (body: string, headers: Record<string, string> = JSON_TYPE) => rawRequest(server.url, { method: 'POST', path: '/trpc/workflow.create', headers, body });
    expect((await post(trpcAt)).status).toBe(200);
    const over = await post(sized(4097, 'p', wrapTrpc));
    expect(over.status).toBe(413);
    expect(trpcError(over)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 });
    // No Content-Length: counted while reading.
    const chunked = await post('x'.repeat(8192), { ...JSON_TYPE, 'transfer-encoding': 'chunked' });
    expect(chunked.status).toBe(413);
  });

  it('tRPC list enforces MAX_LIST_LIMIT', async () => {
    const list = (limit: number) => rawRequest(server.url, { method: 'GET', path: `/trpc/workflow.list?input=${encodeURIComponent(JSON.stringify({ json: { limit } }))}` });
    expect(trpcPaths(await list(21))).toEqual(['limit']);
    expect((await list(20)).status).toBe(200);
  });

  it('every bound is documented: the OpenAPI description states the configured values, the README names each variable', async () => {
    const doc = (await rawRequest(server.url, { method: 'GET', path: '/openapi.json' })).json as { info: { description: string } };
    const limitsLine = doc.info.description.split('\n').find((l) => l.startsWith('Limits:'))!;
    for (const value of Object.values(ENV)) expect(limitsLine).toMatch(new RegExp(`\\b${value}\\b`));
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const key of Object.keys(ENV)) {
      expect(CONFIG_ENV_KEYS).toContain(key);
      expect(readme).toContain(`\`${key}\``);
    }
  });
});
