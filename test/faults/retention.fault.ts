import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowStatus } from '../../shared/status.ts';
import { canStartRedisServer, keysWithPrefix } from '../helpers/redis.ts';
import { eventually, sleep } from './helpers/async.ts';
import { request } from './helpers/request.ts';
import { createAll, waitAllEnded } from './helpers/workflowApi.ts';
import { startFaultRig, type FaultRig } from './helpers/faultRig.ts';
import { soakWorkflow, SOAK_SHAPES } from './helpers/workflows.ts';

const RETENTION_SECONDS = 1;
const FINISHED = 20;

// Issue 5, item 11 (retention): with RETENTION_SECONDS, finished workflows
// expire from Redis (hash, idempotency key, index entries) and from listings;
// a running workflow does not.
describe.skipIf(!canStartRedisServer())('RETENTION_SECONDS: finished workflows expire from Redis', () => {
  let rig: FaultRig;
  beforeAll(async () => {
    // No grace: the 4 s workflow must not hold up the teardown.
    rig = await startFaultRig({ env: { RETENTION_SECONDS: String(RETENTION_SECONDS), SHUTDOWN_GRACE_MS: '0' } });
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('expires finished workflows and their keys, keeps the running one', async () => {
    const { url } = rig.server;
    const [runningId] = await createAll(url, [
      { name: 'still-running', steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep', params: { ms: 4000 } }] }] },
    ]);
    const definitions = Array.from({ length: FINISHED }, (_, i) => ({
      ...soakWorkflow(SOAK_SHAPES[i % SOAK_SHAPES.length], i),
      idempotency_key: `retention-${i}`,
    }));
    const ids = await createAll(url, definitions);
    const { finals } = await waitAllEnded(url, ids);
    expect(new Set([...finals.values()].map((s) => s.status))).toEqual(new Set(['succeeded', 'failed']));

    // Each finished hash carries an expiry of at most the retention; the running one none.
    const ttls = await eventually('every finished workflow to be written with its expiry', async () => {
      const all = await Promise.all(ids.map((id) => rig.inspector.pttl(`${rig.prefix}wf:${id}`)));
      return all.every((t) => t > 0) ? all : undefined;
    });
    expect(Math.max(...ttls)).toBeLessThanOrEqual(RETENTION_SECONDS * 1000);
    expect(await rig.inspector.pttl(`${rig.prefix}wf:${runningId}`)).toBe(-1);
    expect(await rig.inspector.pttl(`${rig.prefix}idem:retention-0`)).toBeGreaterThan(0);

    await sleep(RETENTION_SECONDS * 1000 + 300);
    for (const id of ids) {
      expect(await rig.inspector.exists(`${rig.prefix}wf:${id}`), id).toBe(0);
      expect((await request(`${url}/api/workflow/${id}`)).status, id).toBe(404);
    }
    // The list no longer shows them (and drops their index entries on the way).
    const listed = await request<WorkflowStatus[]>(`${url}/api/workflows?limit=100`);
    expect(listed.status).toBe(200);
    expect(listed.body.map((s) => s.id)).toEqual([runningId]);
    expect(await rig.inspector.zrange(`${rig.prefix}idx:all`, 0, '-1')).toEqual([runningId]);
    const keys = (await keysWithPrefix(rig.inspector, rig.prefix)).map((k) => k.slice(rig.prefix.length));
    expect(keys.filter((k) => k.startsWith('wf:') || k.startsWith('idem:'))).toEqual([`wf:${runningId}`]);
    expect((await request<WorkflowStatus>(`${url}/api/workflow/${runningId}`)).body.status).toBe('running');

    // An expired idempotency key is free again: the same key makes a new workflow.
    const again = await createAll(url, [definitions[0]]);
    expect(again[0]).not.toBe(ids[0]);
    console.log(`[faults] retention: ${ids.length} finished workflows expired after ${RETENTION_SECONDS} s (keys, index, list); the running one kept`);
  }, 30_000);
});
