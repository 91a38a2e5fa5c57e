import { describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/redis.ts';
import { spawnServer, startServer } from '../../helpers/server.ts';
import { call } from '../api/http.ts';

// Issue 9: Redis is not silently optional in a cluster.
describe('roles when the configured Redis does not answer at start', () => {
  const nowhere = async () => ({ REDIS_URL: `redis://127.0.0.1:${await freePort()}`, REDIS_CONNECT_TIMEOUT_MS: '300' });

  for (const env of [{ ROLE: 'worker' }, { ROLE: 'api' }, { REDIS_FALLBACK: 'false' }] as Array<Record<string, string>>) {
    it(`${JSON.stringify(env)}: exits non-zero with one line naming the problem`, async () => {
      const server = await spawnServer({ ...(await nowhere()), ...env });
      expect(await server.exited()).not.toBe(0);
      const lines = server.stderr().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^flowstate: failed to start: Redis at .* did not answer/);
    });
  }

  it('the default process falls back to memory and says it is degraded (503) with the reason', async () => {
    const server = await startServer(await nowhere(), { healthStatus: 503 });
    try {
      const health = await call<{ status: string; reason: string; store: string }>(server.url, '/health');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'degraded', store: 'memory' });
      expect(health.body.reason).toMatch(/did not answer/);
    } finally {
      await server.stop();
    }
  });

  it('a worker or API-only process without any Redis configured is a configuration error', async () => {
    const server = await spawnServer({ ROLE: 'worker' });
    expect(await server.exited()).toBe(1);
    expect(server.stderr()).toContain('ROLE=worker needs Redis');
  });
});
