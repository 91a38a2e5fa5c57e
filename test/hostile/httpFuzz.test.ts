import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canStartRedisServer } from '../helpers/redis.ts';
import { contentTypeCases, hugeArrayCases, manyIssuesBody, nestingCases, randomBodyCases } from './fuzzCases.ts';
import { methodCases, queryCases, rawPathCases, traversalCases } from './fuzzPathCases.ts';
import { startFuzzRig, type FuzzRig } from './fuzzRig.ts';
import { prototypeKeyCases, unicodeNameCases } from './fuzzDataCases.ts';
import { rawRequest } from './rawRequest.ts';

// FUZZ_SEED=<n> replays a run; the seed in use is printed at the end.
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe.skipIf(!canStartRedisServer())('HTTP fuzzing of every route (real server, a Redis of its own, random prefix)', () => {
  let rig: FuzzRig;

  beforeAll(async () => {
    rig = await startFuzzRig({ SHUTDOWN_GRACE_MS: '0' });
  });
  afterAll(async () => {
    if (!rig) return;
    const keys = await rig.checkKeyspace();
    await rig.stop();
    // Whatever was thrown at it, nothing reached the unexpected-error path.
    expect(rig.server.logs()).not.toMatch(/unexpected error|procedure failed|uncaught/i);
    const total = [...rig.counts.values()].reduce((a, b) => a + b, 0);
    console.log(`HTTP fuzz (seed ${SEED}): ${total} inputs tried ${JSON.stringify(Object.fromEntries(rig.counts))}; ${keys} Redis keys, all under the prefix`);
  });

  it('random bytes to every POST target → 4xx', async () => {
    await rig.run('random bytes', randomBodyCases(300, SEED));
    await rig.checkHealthy();
  });

  it('wrong content types → 415; JSON ones with parameters or +json are read as JSON; random ones never 5xx', async () => {
    await rig.run('content types', contentTypeCases(SEED));
    await rig.checkHealthy();
  });

  it('deep nesting (bodies and tRPC query inputs) → 4xx', async () => {
    await rig.run('nesting', nestingCases());
    await rig.checkHealthy();
  });

  it('huge arrays in every position → 4xx', async () => {
    await rig.run('huge arrays', hugeArrayCases());
    await rig.checkHealthy();
  });

  it('an error answer stays bounded, however many problems the input has', async () => {
    const body = manyIssuesBody();
    for (const [path, payload] of [['/api/workflow', body], ['/trpc/workflow.create', `{"json":${body}}`]]) {
      const res = await rawRequest(rig.server.url, { method: 'POST', path, headers: { 'content-type': 'application/json' }, body: payload });
      rig.counts.set('many issues', (rig.counts.get('many issues') ?? 0) + 1);
      // A validation error: FastAPI's 422 on REST and tRPC alike.
      expect(res.status).toBe(422);
      // 100,000 bad tasks must not turn a 200 KB request into a multi-megabyte answer.
      expect(res.text.length, `${path} answered ${res.text.length} bytes to a ${payload.length}-byte request`).toBeLessThan(64 * 1024);
    }
    await rig.checkHealthy();
  });

  it('prototype-pollution keys: __proto__ refused everywhere; constructor/prototype refused as unknown fields or kept as inert data in params', async () => {
    const { refused, accepted } = prototypeKeyCases();
    await rig.run('prototype keys', refused);
    for (const c of accepted) {
      const res = await rawRequest(rig.server.url, c.request);
      rig.counts.set('prototype keys', (rig.counts.get('prototype keys') ?? 0) + 1);
      await c.verify(rig.server.url, res);
    }
    await rig.checkHealthy();
  });

  it('unicode and control characters in names: control characters, blank, invisible-only and lone surrogates → 422 naming `name`; the rest kept verbatim', async () => {
    const { refused, accepted } = unicodeNameCases(SEED);
    await rig.run('unicode names', refused);
    for (const c of accepted) {
      const res = await rawRequest(rig.server.url, c.request);
      rig.counts.set('unicode names', (rig.counts.get('unicode names') ?? 0) + 1);
      await c.verify(rig.server.url, res);
    }
    await rig.checkHealthy();
  });

  it('path traversal, odd encodings and very long ids → 4xx (or the route the URL folds to)', async () => {
    await rig.run('traversal', traversalCases(SEED));
    await rig.run('raw request lines', rawPathCases());
    await rig.checkHealthy();
  });

  it('bogus list queries (REST and tRPC) → 4xx; random ones never 5xx', async () => {
    await rig.run('queries', queryCases(SEED));
    await rig.checkHealthy();
  });

  it('every route under every other method → 405/404, never 5xx', async () => {
    await rig.run('methods', methodCases());
    await rig.checkHealthy();
  });
});
