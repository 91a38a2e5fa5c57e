import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../server/logger.ts';
import { openStore } from '../../server/store/openStore.ts';
import type { WorkflowStore } from '../../server/store/WorkflowStore.ts';
import { canStartRedisServer, deleteKeysWithPrefix, freePort, randomPrefix, redisUrlForTests, startRedisServer, type RedisServerHandle } from '../helpers/redis.ts';
import { rejectionCode } from './storeTestKit.ts';
import { makeRecord, nextVersion } from './fixtures.ts';

interface Entry {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

/** A logger that keeps what it is told, so tests can read the lines a user would see. */
function recordingLogger(): Logger & { entries: Entry[] } {
  const entries: Entry[] = [];
  const make = (base: Record<string, unknown>): Logger => ({
    debug: (message, fields) => void entries.push({ level: 'debug', message, fields: { ...base, ...fields } }),
    info: (message, fields) => void entries.push({ level: 'info', message, fields: { ...base, ...fields } }),
    warn: (message, fields) => void entries.push({ level: 'warn', message, fields: { ...base, ...fields } }),
    error: (message, fields) => void entries.push({ level: 'error', message, fields: { ...base, ...fields } }),
    child: (fields) => make({ ...base, ...fields }),
  });
  return Object.assign(make({}), { entries });
}

const url = await redisUrlForTests();
const canSpawn = canStartRedisServer();

describe('openStore', () => {
  const toClose: WorkflowStore[] = [];
  const servers: RedisServerHandle[] = [];
  afterEach(async () => {
    for (const store of toClose.splice(0)) await store.close();
    for (const server of servers.splice(0)) await server.stop();
  });

  it('opens the memory store when no Redis is configured, and says so once', async () => {
    const logger = recordingLogger();
    const store = await openStore({ logger });
    toClose.push(store);
    expect(store.kind).toBe('memory');
    expect(logger.entries.map((e) => e.level)).toEqual(['info']);
  });

  it.skipIf(url === null)('opens the Redis store when Redis answers', async () => {
    const logger = recordingLogger();
    const prefix = randomPrefix();
    const store = await openStore({ redisUrl: url!, redisPrefix: prefix, logger });
    toClose.push(store);
    expect(store.kind).toBe('redis');
    const record = makeRecord();
    await store.create(record);
    expect(await store.getStatus(record.id)).toEqual(record.status);
    expect(logger.entries.filter((e) => e.level === 'warn')).toEqual([]);
    const admin = new Redis(url!);
    await deleteKeysWithPrefix(admin, prefix);
    await admin.quit();
  });

  it('falls back to memory within ~2 s when nothing answers, with one warning that hides the password', async () => {
    const port = await freePort();
    const logger = recordingLogger();
    const started = Date.now();
    const store = await openStore({ redisUrl: `redis://:s3cret-pa55@127.0.0.1:${port}`, logger });
    toClose.push(store);
    const elapsed = Date.now() - started;
    expect(store.kind).toBe('memory');
    expect(elapsed).toBeLessThan(2500);
    const warnings = logger.entries.filter((e) => e.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].fields?.redis).toBe(`redis://:***@127.0.0.1:${port}`);
    expect(JSON.stringify(logger.entries)).not.toContain('s3cret-pa55');
    // Give a leftover reconnect loop the chance to log; it must not.
    await new Promise((r) => setTimeout(r, 300));
    expect(logger.entries.filter((e) => e.level === 'warn')).toHaveLength(1);
  });

  it.skipIf(!canSpawn)('rejects a write quickly while Redis is down, and works again once it is back', async () => {
    const server = await startRedisServer();
    servers.push(server);
    const logger = recordingLogger();
    const store = await openStore({ redisUrl: server.url, redisPrefix: randomPrefix(), logger });
    toClose.push(store);
    expect(store.kind).toBe('redis');
    const record = makeRecord();
    await store.create(record);
    await server.stop();

    const started = Date.now();
    expect(await rejectionCode(store.saveMany([nextVersion(record, 'running')]))).toBe('UNAVAILABLE');
    expect(await rejectionCode(store.getStatus(record.id))).toBe('UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(logger.entries.filter((e) => e.level === 'warn')).toHaveLength(1);

    await server.restart();
    const deadline = Date.now() + 5000;
    let back = false;
    while (!back && Date.now() < deadline) {
      back = await store.ping().then(() => true, () => false);
      if (!back) await new Promise((r) => setTimeout(r, 100));
    }
    expect(back).toBe(true);
    // No AOF on this server: the data is gone, which the version check reports as a conflict.
    expect(await store.saveMany([nextVersion(record, 'running')])).toEqual({ conflicts: [record.id] });
    expect(logger.entries.filter((e) => e.level === 'info').map((e) => e.message)).toContain('Redis connection restored');
  });

  it.skipIf(!canSpawn)('rejects a write to a stalled Redis after the command timeout, and the retry lands once', async () => {
    const server = await startRedisServer();
    servers.push(server);
    const store = await openStore({ redisUrl: server.url, redisPrefix: randomPrefix(), commandTimeoutMs: 300, logger: recordingLogger() });
    toClose.push(store);
    const record = makeRecord();
    await store.create(record);
    const running = nextVersion(record, 'running');
    server.pause();
    const started = Date.now();
    expect(await rejectionCode(store.saveMany([running]))).toBe('UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(1500);
    server.resume();
    // The timed-out write still reached Redis; retrying it is not a conflict.
    expect(await store.saveMany([running])).toEqual({ conflicts: [] });
    expect(await store.get(record.id)).toMatchObject({ version: 2, status: { status: 'running' } });
  });

  it.skipIf(!canSpawn)('authenticates with the password in the URL, and never logs it', async () => {
    const server = await startRedisServer({ extraArgs: ['--requirepass', 'hunter2-secret'] });
    servers.push(server);
    const logger = recordingLogger();
    const good = await openStore({ redisUrl: `redis://:hunter2-secret@127.0.0.1:${server.port}`, redisPrefix: randomPrefix(), logger });
    toClose.push(good);
    expect(good.kind).toBe('redis');
    await good.ping();

    const wrong = await openStore({ redisUrl: `redis://:not-the-password@127.0.0.1:${server.port}`, connectTimeoutMs: 500, logger });
    toClose.push(wrong);
    expect(wrong.kind).toBe('memory');
    const text = JSON.stringify(logger.entries);
    expect(text).not.toContain('hunter2-secret');
    expect(text).not.toContain('not-the-password');
    expect(logger.entries.filter((e) => e.level === 'warn')).toHaveLength(1);
  });
});
