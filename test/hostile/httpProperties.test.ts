import fc from 'fast-check';
import { Redis } from 'ioredis';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '../../shared/api.ts';
import { DEFAULT_LIMITS, type Limits } from '../../shared/limits.ts';
import { isTerminal, type WorkflowStatus } from '../../shared/status.ts';
import type { ErrorIssue } from '../../shared/errors.ts';
import { deleteKeysWithPrefix, randomPrefix, redisUrlForTests } from '../helpers/redis.ts';
import { startServer, type ServerHandle } from '../helpers/server.ts';
import { checkEnded, checkRejection } from './checkRun.ts';
import { definitionArbitrary, withFreshIdempotencyKey } from './definitionArbitrary.ts';
import { expectedProblems } from './definitionOracle.ts';
import { rawRequest } from './rawRequest.ts';

const LIMITS: Limits = { ...DEFAULT_LIMITS, maxSteps: 4, maxTasksPerStep: 4, maxTotalTasks: 10, maxParamsBytes: 256, maxNameLength: 24 };
const RUNS = 30;
const redisUrl = await redisUrlForTests();

/** superjson refuses keys like `constructor`; a plain `{ json }` payload is what a non-superjson client sends then. */
function toTrpcInput(input: unknown): unknown {
  try {
    return superjson.serialize(input);
  } catch {
    return { json: input };
  }
}

type Created = { ok: true; status: WorkflowStatus } | { ok: false; issues?: ErrorIssue[] };

describe(`property over HTTP (REST and tRPC, ${redisUrl ? 'Redis' : 'memory'} store): rejected naming a real field, or a consistent end`, () => {
  const prefix = randomPrefix();
  let server: ServerHandle;
  let known: Set<string>;
  const tally = { rest: 0, trpc: 0, accepted: 0, rejected: 0 };

  beforeAll(async () => {
    server = await startServer({
      ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_PREFIX: prefix } : {}),
      MAX_STEPS: String(LIMITS.maxSteps),
      MAX_TASKS_PER_STEP: String(LIMITS.maxTasksPerStep),
      MAX_TOTAL_TASKS: String(LIMITS.maxTotalTasks),
      MAX_PARAMS_BYTES: String(LIMITS.maxParamsBytes),
      MAX_NAME_LENGTH: String(LIMITS.maxNameLength),
    });
    const tasks = await rawRequest(server.url, { method: 'GET', path: '/api/tasks' });
    known = new Set((tasks.json as Array<{ name: string }>).map((t) => t.name));
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
    expect(server.logs()).not.toMatch(/unexpected error|procedure failed/);
    if (redisUrl) {
      const redis = new Redis(redisUrl);
      await deleteKeysWithPrefix(redis, prefix);
      redis.disconnect();
    }
    console.log(`HTTP properties: ${RUNS} definitions tried, ${JSON.stringify(tally)}`);
  });

  async function createRest(input: unknown): Promise<Created> {
    const res = await rawRequest(server.url, { method: 'POST', path: '/api/workflow', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
    if (res.status === 202) return { ok: true, status: (res.json as { workflow: WorkflowStatus }).workflow };
    expect(res.status, res.text).toBe(422);
    const body = ErrorBodySchema.parse(res.json);
    expect(body.error.code).toBe('BAD_REQUEST');
    return { ok: false, issues: body.error.issues };
  }

  async function createTrpc(input: unknown): Promise<Created> {
    const res = await rawRequest(server.url, { method: 'POST', path: '/trpc/workflow.create', headers: { 'content-type': 'application/json' }, body: JSON.stringify(toTrpcInput(input)) });
    const answer = res.json as { result?: { data: Parameters<typeof superjson.deserialize>[0] }; error?: Parameters<typeof superjson.deserialize>[0] };
    if (res.status === 200) return { ok: true, status: superjson.deserialize<WorkflowStatus>(answer.result!.data) };
    expect(res.status, res.text).toBe(422);
    const error = superjson.deserialize<{ data: { code: string; flowstateCode?: string; issues?: ErrorIssue[] } }>(answer.error!);
    expect(error.data).toMatchObject({ code: 'UNPROCESSABLE_CONTENT', flowstateCode: 'BAD_REQUEST' });
    return { ok: false, issues: error.data.issues };
  }

  async function waitForEnd(id: string): Promise<WorkflowStatus> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const res = await rawRequest(server.url, { method: 'GET', path: `/api/workflow/${id}` });
      expect(res.status, res.text).toBe(200);
      const status = res.json as WorkflowStatus;
      if (isTerminal(status.status)) return status;
      if (Date.now() > deadline) throw new Error(`workflow ${id} still ${status.status} after 10 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it(`holds for ${RUNS} random definitions through the real server`, async () => {
    let serial = 0;
    await fc.assert(
      fc.asyncProperty(definitionArbitrary({ limits: LIMITS }), fc.constantFrom('rest', 'trpc'), async (raw, via) => {
        const input = withFreshIdempotencyKey(raw, `idem-${++serial}-${Date.now()}`);
        tally[via]++;
        const created = via === 'rest' ? await createRest(input) : await createTrpc(input);
        if (!created.ok) {
          checkRejection(input, created.issues, LIMITS, known);
          tally.rejected++;
          return;
        }
        tally.accepted++;
        expect([...expectedProblems(input, LIMITS, known)], `accepted a definition the oracle finds invalid: ${JSON.stringify(input)}`).toEqual([]);
        checkEnded(input as Record<string, unknown>, await waitForEnd(created.status.id), { cancelRequested: false });
      }),
      { numRuns: RUNS },
    );
    expect(tally.accepted).toBeGreaterThan(0);
    expect(tally.rejected).toBeGreaterThan(0);
  });
});
