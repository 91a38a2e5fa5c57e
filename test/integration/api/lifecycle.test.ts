import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../shared/limits.ts';
import { loadConfig } from '../../../server/config.ts';
import { ConfigError } from '../../../server/errors.ts';
import { spawnServer, startServer } from '../../helpers/server.ts';
import { call } from './http.ts';
import { trpcClient } from './trpcClient.ts';

describe('start-up configuration', () => {
  it('a bad env value stops start-up: exit 1, one line naming the variable, no stack trace', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ PORT: 'eighty' }, 'PORT'],
      [{ API_KEY: 'has a space in it' }, 'API_KEY'],
    ];
    const servers = await Promise.all(cases.map(([env]) => spawnServer(env)));
    for (const [i, server] of servers.entries()) {
      const [env, variable] = cases[i];
      expect(await server.exited()).toBe(1);
      const lines = server.stderr().trim().split('\n');
      expect(lines, server.stderr()).toHaveLength(1);
      expect(lines[0]).toContain(variable);
      expect(lines[0]).not.toMatch(/\bat .+:\d+/);
      // The rejected value of a secret is not echoed.
      if (variable === 'API_KEY') expect(lines[0]).not.toContain(env.API_KEY);
      expect(server.stdout()).toBe('');
    }
  });

  it('loadConfig names every bad variable (the same check main runs)', () => {
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ MAX_BODY_BYTES: '-1' }, ['MAX_BODY_BYTES']],
      [{ LOG_LEVEL: 'loud', DEBUG: 'maybe' }, ['DEBUG', 'LOG_LEVEL']],
      [{ REDIS_URL: 'http://127.0.0.1:6379' }, ['REDIS_URL']],
      [{ REDIS_URL: 'redis://a:1', REDIS_HOST: 'b' }, ['REDIS_URL']],
      [{ MAX_CONCURRENT_WORKFLOWS: '0' }, ['MAX_CONCURRENT_WORKFLOWS']],
      [{ RETENTION_SECONDS: '1.5' }, ['RETENTION_SECONDS']],
      [{ SHUTDOWN_GRACE_MS: 'soon' }, ['SHUTDOWN_GRACE_MS']],
      [{ MAX_TASKS_PER_STEP: '50', MAX_TOTAL_TASKS: '10' }, ['MAX_TASKS_PER_STEP']],
      [{ REDIS_PREFIX: 'has space' }, ['REDIS_PREFIX']],
    ];
    for (const [env, variables] of cases) {
      let error: unknown;
      try {
        loadConfig(env);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(env)).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variables.sort()).toEqual(variables);
      expect((error as ConfigError).message).not.toContain('\n');
    }
  });

  it('loadConfig defaults, the Redis URL built from parts, and empty values as unset', () => {
    const defaults = loadConfig({});
    expect(defaults).toMatchObject({ port: 8000, host: '127.0.0.1', redisPrefix: 'flowstate:', maxConcurrentWorkflows: 1000, shutdownGraceMs: 10_000, logLevel: 'info' });
    expect(defaults.redisUrl).toBeUndefined();
    expect(defaults.apiKey).toBeUndefined();
    expect(defaults.retentionSeconds).toBeUndefined();
    expect(defaults.limits).toEqual(DEFAULT_LIMITS);
    expect(loadConfig({ REDIS_HOST: 'cache', REDIS_PORT: '6380', REDIS_PASSWORD: 'p@ss/word' }).redisUrl).toBe('redis://:p%40ss%2Fword@cache:6380');
    expect(loadConfig({ REDIS_PORT: '6390' }).redisUrl).toBe('redis://127.0.0.1:6390');
    expect(loadConfig({ PORT: '', API_KEY: '', REDIS_URL: '' })).toMatchObject({ port: 8000, apiKey: undefined, redisUrl: undefined });
    expect(loadConfig({ DEBUG: '1' }).logLevel).toBe('debug');
    expect(loadConfig({ DEBUG: '1', LOG_LEVEL: 'warn' }).logLevel).toBe('warn');
    expect(loadConfig({ MAX_STEPS: '5', MAX_LIST_LIMIT: '10', RETENTION_SECONDS: '3600' })).toMatchObject({ retentionSeconds: 3600, limits: { maxSteps: 5, maxListLimit: 10 } });
  });

  it('a port already in use: exit 1 with one line', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const server = await spawnServer({}, { port });
      expect(await server.exited()).toBe(1);
      expect(server.stderr().trim().split('\n').at(-1)).toContain('EADDRINUSE');
    } finally {
      blocker.close();
    }
  });

  it('prints one line at start naming the URL, the store and the docs', async () => {
    const server = await startServer();
    try {
      const lines = server.stdout().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(server.url);
      expect(lines[0]).toContain('memory');
      expect(lines[0]).toContain(`${server.url}/docs`);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});

describe('shutdown', () => {
  it('SIGTERM with a watch stream open and a task running: exits 0 within the grace period (plus a little)', async () => {
    const server = await startServer({ SHUTDOWN_GRACE_MS: '300' });
    const client = trpcClient(server.url);
    const created = await client.workflow.create.mutate({ name: 'long', steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep', params: { ms: 60_000 } }] }] });
    const events: unknown[] = [];
    const sub = client.workflow.watch.subscribe({ id: created.id }, { onData: (e) => events.push(e), onError: () => {} });
    for (let i = 0; i < 100 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(events.length).toBeGreaterThan(0);

    const started = Date.now();
    expect(await server.stop(10_000)).toBe(0);
    expect(Date.now() - started).toBeLessThan(3000);
    sub.unsubscribe();
  });

  it('SIGTERM waits for a task that finishes within the grace period; new connections are refused meanwhile', async () => {
    const server = await startServer({ SHUTDOWN_GRACE_MS: '5000', LOG_LEVEL: 'info' });
    const created = await call<{ workflow_id: string }>(server.url, '/api/workflow', {
      method: 'POST',
      json: { name: 'short', steps: [{ execution_type: 'sequential', tasks: [{ name: 'sleep', params: { ms: 700 } }] }] },
    });
    expect(created.status).toBe(202);
    const started = Date.now();
    const exit = server.stop(10_000);
    await new Promise((r) => setTimeout(r, 200));
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    expect(await exit).toBe(0);
    const took = Date.now() - started;
    // It waited for the task (about 700 ms), not for the whole grace period.
    expect(took).toBeGreaterThanOrEqual(400);
    expect(took).toBeLessThan(4000);
  });
});
