import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CONFIG_ENV_KEYS } from '../../server/config.ts';
import { freePort } from './redis.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = 'server/main.ts';
/**
 * Node's flags for the server, the same as package.json's `start` and
 * `worker` scripts give it (test/unit/serverNodeFlags.test.ts holds them
 * together): V8 starts with room in its old generation, so a fresh server's
 * first bursts pay no mark-compact pauses (see README, "Sizing the concurrency").
 */
export const SERVER_NODE_FLAGS = ['--initial-old-space-size=256'];

/** A spawned `server/main.ts` process. */
export interface ServerHandle {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The env it was started with (before inheritance), for restarts. */
  readonly env: Readonly<Record<string, string>>;
  readonly process: ChildProcess;
  /** SIGTERM, then wait for exit; resolves with the exit code (SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL (a crash); resolves once the process is gone. */
  kill(): Promise<void>;
  /** Resolves with the exit code once the process has exited (null when killed by a signal). */
  exited(): Promise<number | null>;
  /** stdout and stderr so far, interleaved as received. */
  logs(): string;
  stdout(): string;
  stderr(): string;
  /** A new server on the same port with the same env (call after stop/kill). */
  restart(extraEnv?: Record<string, string>): Promise<ServerHandle>;
}

/** Options of {@link startServer} and {@link spawnServer}. */
export interface StartServerOptions {
  /** Port to listen on (default: a free one). */
  port?: number;
  /** How long to wait for /health (default 20 s). */
  timeoutMs?: number;
  /** The /health status that means "up" (default 200; 503 for a process meant to start degraded). */
  healthStatus?: number;
  /** The checkout whose server/main.ts runs (default this one; the bench compares two). */
  root?: string;
  /** Flags for node after tsx's loader, before the script (e.g. `--cpu-prof`, or a preload written in TypeScript). */
  nodeArgs?: string[];
}

const children = new Set<ChildProcess>();
// A test process that dies must not leave servers behind.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * Spawns the real server (`node --import tsx` with {@link SERVER_NODE_FLAGS}, `server/main.ts`) with `env` on
 * 127.0.0.1 and resolves once `/health` answers 200. The test process's own
 * environment is passed through, minus every Flowstate setting (so a
 * REDIS_URL meant for the test suite does not leak into a memory-store
 * server); `env` sets what the test wants. Rejects with the server's output
 * when it exits or does not come up in time.
 */
export async function startServer(env: Record<string, string> = {}, options: StartServerOptions = {}): Promise<ServerHandle> {
  const handle = await spawnServer(env, options);
  try {
    await waitForHealth(handle, options.timeoutMs ?? 20_000, options.healthStatus);
  } catch (error) {
    await handle.kill();
    throw error;
  }
  return handle;
}

/**
 * Spawns the server without waiting for it (for tests of start-up failures:
 * await `exited()`). Same environment rules as {@link startServer}.
 */
export async function spawnServer(env: Record<string, string> = {}, options: StartServerOptions = {}): Promise<ServerHandle> {
  const port = options.port ?? Number(env.PORT ?? (await freePort()));
  // Short BullMQ locks: a killed server's workflows move on within ~5 s, not the production ~15 s.
  const ownEnv: Record<string, string> = { HOST: '127.0.0.1', LOG_LEVEL: 'warn', LOCK_DURATION_MS: '3000', STALLED_INTERVAL_MS: '1000', ...env, PORT: String(port) };
  const inherited: Record<string, string | undefined> = { ...process.env };
  for (const key of CONFIG_ENV_KEYS) delete inherited[key];
  // vitest sets NODE_ENV=test and friends; the server must behave as in production.
  delete inherited.NODE_ENV;
  delete inherited.VITEST;

  const child = spawn(process.execPath, ['--import', 'tsx', ...SERVER_NODE_FLAGS, ...(options.nodeArgs ?? []), MAIN], {
    cwd: options.root ?? ROOT,
    env: { ...inherited, ...ownEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const all: string[] = [];
  const out: string[] = [];
  const err: string[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out.push(chunk), all.push(chunk)));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err.push(chunk), all.push(chunk)));
  const exit = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    });
  });
  // Wait for the pipes to drain too, so logs() is complete once exited() resolves.
  const closed = new Promise<number | null>((resolve) => child.once('close', () => resolve(child.exitCode)));

  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const handle: ServerHandle = {
    url: `http://127.0.0.1:${port}`,
    port,
    env: { ...env },
    process: child,
    async stop(timeoutMs = 15_000) {
      if (!gone()) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        await exit;
        return await closed;
      } finally {
        clearTimeout(timer);
      }
    },
    async kill() {
      if (!gone()) child.kill('SIGKILL');
      await exit;
      await closed;
    },
    async exited() {
      await exit;
      return closed;
    },
    logs: () => all.join(''),
    stdout: () => out.join(''),
    stderr: () => err.join(''),
    restart: (extraEnv = {}) => startServer({ ...env, ...extraEnv }, { port, timeoutMs: options.timeoutMs, root: options.root, nodeArgs: options.nodeArgs }),
  };
  return handle;
}

async function waitForHealth(handle: ServerHandle, timeoutMs: number, healthStatus = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedCode: number | null | undefined;
  void handle.exited().then((code) => (exitedCode = code));
  while (Date.now() < deadline) {
    if (exitedCode !== undefined || handle.process.exitCode !== null) {
      await handle.exited();
      throw new Error(`server exited with ${handle.process.exitCode} before answering /health:\n${handle.logs()}`);
    }
    try {
      const res = await fetch(`${handle.url}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.status === healthStatus) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not answer /health within ${timeoutMs} ms:\n${handle.logs()}`);
}
