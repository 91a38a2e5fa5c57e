import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerHandle } from '../../helpers/server.ts';
import { sendOver as send, whileHeld } from '../../helpers/heldServer.ts';
import { call, type Answer } from './http.ts';

const sleepingDefinition = (name: string) => ({ name, steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep', params: { ms: 30_000 } }] }] });

describe('backpressure: creates are answered or refused, never left waiting', () => {
  let server: ServerHandle;
  beforeAll(async () => {
    server = await startServer({ OVERLOAD_STALL_MS: '300', MAX_CONCURRENT_WORKFLOWS: '1', MAX_QUEUED_WORKFLOWS: '2' });
  });
  afterAll(async () => {
    await server?.kill();
  });

  it('a process whose event loop was held (SIGSTOP) refuses the creates that waited through it with 503 + Retry-After, stores none of them, still answers reads, and takes creates again after', async () => {
    const agents = [0, 1, 2].map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
    try {
      // Open each connection first, so the requests below are read in the first turn after the stall.
      for (const agent of agents) expect((await send(agent, server.url, 'GET', '/health')).status).toBe(200);

      const [rest, trpc, read] = await whileHeld(server, 1000, () => [
        send(agents[0], server.url, 'POST', '/api/workflow', sleepingDefinition('held-rest')),
        send(agents[1], server.url, 'POST', '/trpc/workflow.create', { json: sleepingDefinition('held-trpc') }),
        send(agents[2], server.url, 'GET', '/api/workflows'),
      ]);

      const refusedRest = await rest;
      expect(refusedRest.status).toBe(503);
      expect(refusedRest.headers.get('retry-after')).toBe('1');
      expect(refusedRest.body).toMatchObject({ error: { code: 'UNAVAILABLE', message: expect.stringMatching(/overloaded .* nothing was stored/) } });
      const refusedTrpc = await trpc;
      expect(refusedTrpc.status).toBe(503);
      expect(refusedTrpc.headers.get('retry-after')).toBe('1');
      expect(JSON.stringify(refusedTrpc.body)).toContain('SERVICE_UNAVAILABLE');
      // Reads are never refused.
      expect((await read).status).toBe(200);

      const health = await call<{ overload: { refused_creates: number } }>(server.url, '/health');
      expect(health.body.overload.refused_creates).toBe(2);
      const stored = await call<Array<{ name: string }>>(server.url, '/api/workflows');
      expect(stored.body.map((w) => w.name)).not.toContain('held-rest');
      expect(stored.body.map((w) => w.name)).not.toContain('held-trpc');

      // A client that waits as Retry-After says gets its create through.
      await new Promise((resolve) => setTimeout(resolve, Number(refusedRest.headers.get('retry-after')) * 1000));
      const after = await call(server.url, '/api/workflow', { method: 'POST', json: sleepingDefinition('after-stall') });
      expect(after.status).toBe(202);
    } finally {
      for (const agent of agents) agent.destroy();
    }
  });

  it('past MAX_QUEUED_WORKFLOWS waiting for a slot, create answers 503 with Retry-After at once; /health shows the backlog', async () => {
    // One runs (MAX_CONCURRENT_WORKFLOWS=1, taken by the test above or the first create here), two may wait.
    const answers: Answer<{ status?: string }>[] = [];
    for (let i = 0; i < 4; i++) answers.push(await call(server.url, '/api/workflow', { method: 'POST', json: sleepingDefinition(`queued-${i}`) }));
    const refused = answers.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const answer of refused) {
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(answer.body).toMatchObject({ error: { code: 'UNAVAILABLE', message: expect.stringContaining('waiting for a slot') } });
    }
    const health = await call<{ workflows: { running: number; queued: number } }>(server.url, '/health');
    expect(health.body.workflows).toMatchObject({ running: 1, queued: 2 });
  });
});
