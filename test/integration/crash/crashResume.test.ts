import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { WorkflowStatus } from '../../../shared/status.ts';
import { deleteKeysWithPrefix, randomPrefix, redisUrlForTests } from '../../helpers/redis.ts';
import { startServer, type ServerHandle } from '../../helpers/server.ts';
import { call, waitForEnd } from '../api/http.ts';

const redisUrl = await redisUrlForTests();

/** Polls until `predicate` holds for the workflow's status. */
async function waitUntil(base: string, id: string, predicate: (s: WorkflowStatus) => boolean, timeoutMs = 10_000): Promise<WorkflowStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await call<WorkflowStatus>(base, `/api/workflow/${id}`);
    if (predicate(body)) return body;
    if (Date.now() > deadline) throw new Error(`workflow ${id} did not get there: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Issue 2: a workflow on Redis survives the server being SIGKILLed mid-task and mid-backoff.
describe.skipIf(!redisUrl)('crash resume: SIGKILL the real server, restart, the workflow finishes', () => {
  const prefix = randomPrefix();
  let redis: Redis;
  let server: ServerHandle;

  beforeAll(async () => {
    redis = new Redis(redisUrl!);
    server = await startServer({ REDIS_URL: redisUrl!, REDIS_PREFIX: prefix });
  });
  afterAll(async () => {
    await server?.stop();
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
  });

  it('re-runs the task that was running as a second attempt', async () => {
    const created = await call<{ workflow_id: string }>(server.url, '/api/workflow', {
      method: 'POST',
      json: {
        name: 'crash-mid-task',
        steps: [
          { execution_type: 'sequential', tasks: [{ id: 'first', name: 'echo', params: { v: 1 } }, { id: 'slow', name: 'sleep', params: { ms: 1500 } }] },
          { execution_type: 'parallel', tasks: [{ id: 'last', name: 'echo' }] },
        ],
      },
    });
    expect(created.status).toBe(202);
    const id = created.body.workflow_id;
    await waitUntil(server.url, id, (s) => s.steps[0].tasks[1].status === 'running');
    await new Promise((r) => setTimeout(r, 100)); // let the write of that transition land
    await server.kill();

    server = await server.restart();
    const done = await waitForEnd(server.url, id);
    expect(done.status).toBe('succeeded');
    const [first, slow] = done.steps[0].tasks;
    expect(first.attempts).toBe(1);
    expect(slow.attempts).toBe(2);
    expect(done.steps[1].tasks[0].output).toMatchObject({ upstream: { first: { params: { v: 1 } }, slow: { slept_ms: 1500 } } });
  });

  it('keeps a retry backoff across the crash and retries when it ends', async () => {
    const created = await call<{ workflow_id: string }>(server.url, '/api/workflow', {
      method: 'POST',
      json: {
        name: 'crash-mid-backoff',
        steps: [{ execution_type: 'sequential', tasks: [{ id: 'flaky', name: 'fail', params: { times: 1, retry_count: 2, retry_delay: 1.5 } }] }],
      },
    });
    const id = created.body.workflow_id;
    const retrying = await waitUntil(server.url, id, (s) => s.steps[0].tasks[0].status === 'retrying');
    const deadline = Date.parse(retrying.steps[0].tasks[0].next_attempt_at!);
    await new Promise((r) => setTimeout(r, 100));
    await server.kill();

    server = await server.restart();
    const done = await waitForEnd(server.url, id);
    expect(done.status).toBe('succeeded');
    const flaky = done.steps[0].tasks[0];
    expect(flaky.attempts).toBe(2);
    expect(Date.parse(flaky.finished_at!)).toBeGreaterThanOrEqual(deadline - 5);
  });
});
