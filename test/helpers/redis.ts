import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A redis-server this test process started, with the knobs fault-injection tests need. */
export interface RedisServerHandle {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Pid of the current process (changes on restart). */
  readonly pid: number;
  /** The current child process (changes on restart). */
  readonly process: ChildProcess;
  /** SIGTERM, then SIGKILL if it has not exited within 2 s; resolves once it is gone (and its own temp dir with it). */
  stop(): Promise<void>;
  /** SIGSTOP: the server keeps its sockets open but answers nothing (a stall). */
  pause(): void;
  /** SIGCONT after {@link pause}. */
  resume(): void;
  /** Stops it and starts it again on the same port and dir (with AOF on, the data survives). */
  restart(): Promise<void>;
}

/** Options of {@link startRedisServer}. */
export interface StartRedisOptions {
  /** Turn the append-only file on (`appendfsync always`), so data survives a restart. */
  appendonly?: boolean;
  /** Working directory for the AOF files (default: a fresh temp dir; only used with appendonly). */
  dir?: string;
  /** More redis-server arguments, e.g. `['--requirepass', 'secret']`. */
  extraArgs?: string[];
}

const started = new Set<ChildProcess>();
// A test process that dies must not leave redis-servers behind.
process.once('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});

/** True when a `redis-server` binary is on PATH. */
export function hasRedisServerBinary(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Whether suites that need a private redis-server (fault injection) can run.
 * Under `CI=true` always true, so a missing binary fails the run loudly; elsewhere
 * false (with a loud warning) when there is no redis-server on PATH.
 */
export function canStartRedisServer(): boolean {
  if (process.env.CI === 'true' || hasRedisServerBinary()) return true;
  console.warn('\n*** SUITES THAT START THEIR OWN REDIS ARE SKIPPED: no redis-server on PATH ***\n');
  return false;
}

/** A TCP port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves true when a Redis at `url` answers PING within `timeoutMs`. */
export async function redisAnswers(url: string, timeoutMs = 500): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs)),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

function spawnRedis(port: number, options: StartRedisOptions): ChildProcess {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--protected-mode', 'no'];
  if (options.appendonly) {
    args.push('--appendonly', 'yes', '--appendfsync', 'always', '--dir', options.dir!);
  } else {
    args.push('--appendonly', 'no');
  }
  args.push(...(options.extraArgs ?? []));
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

// True when something on `port` answers an inline PING with any Redis reply
// (+PONG, or -NOAUTH when a password is required).
async function answersPing(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(/^[+-]/.test(data.toString())));
  });
}

async function waitUntilAnswering(url: string, port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server for ${url} exited with ${child.exitCode}`);
    if (await answersPing(port, 200)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`redis-server for ${url} did not answer within 5 s`);
}

/**
 * Starts a private `redis-server` from PATH on a free loopback port and waits
 * until it answers. Throws if there is no redis-server binary.
 */
export async function startRedisServer(requested: StartRedisOptions = {}): Promise<RedisServerHandle> {
  // Each AOF server gets its own dir, so restarts find their own data and nobody else's.
  const ownDir = requested.appendonly && !requested.dir ? mkdtempSync(join(tmpdir(), 'flowstate-redis-')) : undefined;
  const options = ownDir ? { ...requested, dir: ownDir } : requested;
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child = spawnRedis(port, options);
  await waitUntilAnswering(url, port, child);

  const stopProcess = async () => {
    // A stopped process ignores SIGTERM until continued.
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    if (!(await waitForExit(child, 2000))) {
      child.kill('SIGKILL');
      await waitForExit(child, 2000);
    }
  };
  return {
    url,
    port,
    get pid() {
      return child.pid ?? -1;
    },
    get process() {
      return child;
    },
    async stop() {
      await stopProcess();
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    async restart() {
      await stopProcess();
      child = spawnRedis(port, options);
      await waitUntilAnswering(url, port, child);
    },
  };
}

let shared: Promise<string | null> | undefined;

/**
 * The Redis the suites use: `REDIS_URL`, else a Redis on 127.0.0.1:6379, else
 * a private redis-server started for this test process. When none of this
 * works it throws under `CI=true` (a missing Redis must fail the run) and
 * otherwise returns null with a loud warning, so suites can `describe.skipIf`.
 */
export function redisUrlForTests(): Promise<string | null> {
  shared ??= (async () => {
    if (process.env.REDIS_URL) return process.env.REDIS_URL;
    const local = 'redis://127.0.0.1:6379';
    if (await redisAnswers(local)) return local;
    if (hasRedisServerBinary()) {
      try {
        return (await startRedisServer()).url;
      } catch (error) {
        if (process.env.CI === 'true') throw error;
      }
    }
    if (process.env.CI === 'true') {
      throw new Error('No Redis for tests: set REDIS_URL, run one on 127.0.0.1:6379, or put redis-server on PATH');
    }
    console.warn('\n*** REDIS SUITES SKIPPED: no REDIS_URL, nothing on 127.0.0.1:6379, no redis-server on PATH ***\n');
    return null;
  })();
  return shared;
}

/** A key prefix no other test uses: `test:<uuid>:`. */
export function randomPrefix(): string {
  return `test:${randomUUID()}:`;
}

/** Deletes every key under `prefix` (SCAN is fine here: tests only). Returns how many were deleted. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** Every key under `prefix` (SCAN; tests only). */
export async function keysWithPrefix(redis: Redis, prefix: string): Promise<string[]> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}
