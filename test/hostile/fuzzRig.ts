import { expect } from 'vitest';
import { Redis } from 'ioredis';
import { ErrorBodySchema } from '../../shared/api.ts';
import { isTerminal, type WorkflowStatus } from '../../shared/status.ts';
import { randomPrefix, startRedisServer, type RedisServerHandle } from '../helpers/redis.ts';
import { startServer, type ServerHandle } from '../helpers/server.ts';
import { rawRequest, rawSocketRequest, type RawAnswer, type RawRequest } from './rawRequest.ts';

/**
 * What a fuzz case may get back. `error`: a 4xx (the input is bad). `any`:
 * whatever status, as long as it is not a 5xx (the route may ignore the junk).
 */
export type Expectation = 'error' | 'any';

/** One hostile request: sent with `node:http`, or as raw bytes over a socket (`raw` holds the request line and headers). */
export type FuzzCase = (RawRequest | { raw: string | Buffer; body?: Buffer; path: string; method: string }) & { expect: Expectation; label: string };

/** A server on a Redis of its own (so the whole keyspace can be checked), and a counter of inputs tried. */
export interface FuzzRig {
  server: ServerHandle;
  redis: RedisServerHandle;
  prefix: string;
  /** Inputs sent so far, by group. */
  counts: Map<string, number>;
  /** Sends each case (a few at a time), checks its answer, counts it. */
  run(group: string, cases: Iterable<FuzzCase>): Promise<void>;
  /** /health answers 200 with the keys it had at start, and a normal workflow still runs to success. */
  checkHealthy(): Promise<void>;
  /** Every key in the Redis starts with the prefix; returns how many keys there are. */
  checkKeyspace(): Promise<number>;
  stop(): Promise<void>;
}

/** How many requests are in flight at once: enough to overlap, few enough for two cores. */
const CONCURRENCY = 8;

/** A workflow of two quick steps that must succeed. */
export const NORMAL_WORKFLOW = {
  name: 'normal',
  steps: [
    { execution_type: 'sequential', tasks: [{ name: 'sleep', params: { ms: 1 } }, { name: 'echo', params: { n: 1 } }] },
    { execution_type: 'parallel', tasks: [{ name: 'echo' }, { name: 'fail', params: { times: 1, retry_count: 1, retry_delay: 0 } }] },
  ],
};

/** Starts a private redis-server and the real server on it, under a random prefix. */
export async function startFuzzRig(env: Record<string, string> = {}): Promise<FuzzRig> {
  const redis = await startRedisServer();
  const prefix = randomPrefix();
  const server = await startServer({ REDIS_URL: redis.url, REDIS_PREFIX: prefix, ...env });
  const healthKeys = Object.keys((await rawRequest(server.url, { method: 'GET', path: '/health' })).json as object).sort();
  const counts = new Map<string, number>();

  async function send(c: FuzzCase): Promise<RawAnswer> {
    if ('raw' in c) return rawSocketRequest(server.url, c.raw, c.body);
    return rawRequest(server.url, c);
  }

  async function runOne(group: string, c: FuzzCase): Promise<void> {
    const answer = await send(c);
    counts.set(group, (counts.get(group) ?? 0) + 1);
    checkAnswer(c, answer);
  }

  return {
    server,
    redis,
    prefix,
    counts,
    async run(group, cases) {
      const queue = [...cases];
      const workers = Array.from({ length: CONCURRENCY }, async () => {
        for (let c = queue.shift(); c; c = queue.shift()) await runOne(group, c);
      });
      await Promise.all(workers);
    },
    async checkHealthy() {
      const health = await rawRequest(server.url, { method: 'GET', path: '/health' });
      expect(health.status).toBe(200);
      expect(Object.keys(health.json as object).sort()).toEqual(healthKeys);
      const created = await rawRequest(server.url, { method: 'POST', path: '/api/workflow', headers: { 'content-type': 'application/json' }, body: JSON.stringify(NORMAL_WORKFLOW) });
      expect(created.status, created.text).toBe(202);
      const id = (created.json as { workflow_id: string }).workflow_id;
      const deadline = Date.now() + 5000;
      let status: WorkflowStatus;
      do {
        const res = await rawRequest(server.url, { method: 'GET', path: `/api/workflow/${id}` });
        expect(res.status).toBe(200);
        status = res.json as WorkflowStatus;
        if (!isTerminal(status.status)) await new Promise((r) => setTimeout(r, 10));
      } while (!isTerminal(status.status) && Date.now() < deadline);
      expect(status.status).toBe('succeeded');
      // Nothing leaked onto Object.prototype shows up as an extra key in what the server sends.
      expect(Object.keys(status).sort()).toEqual(['created_at', 'error', 'finished_at', 'id', 'name', 'priority', 'started_at', 'status', 'steps']);
      expect(JSON.stringify(status)).not.toContain('polluted');
      expect(status.steps[0].tasks[1].output).toEqual({ params: { n: 1 }, upstream: { sleep: { slept_ms: 1 } } });
    },
    async checkKeyspace() {
      const client = new Redis(redis.url);
      try {
        const keys: string[] = [];
        let cursor = '0';
        do {
          const [next, found] = await client.scan(cursor, 'COUNT', 1000);
          cursor = next;
          keys.push(...found);
        } while (cursor !== '0');
        expect(keys.filter((k) => !k.startsWith(prefix))).toEqual([]);
        return keys.length;
      } finally {
        client.disconnect();
      }
    },
    async stop() {
      const code = await server.stop();
      await redis.stop();
      expect(code).toBe(0);
    },
  };
}

/** No 5xx ever; a 4xx where the case is an error; REST errors in the JSON error shape, tRPC errors in tRPC's. */
export function checkAnswer(c: FuzzCase, answer: RawAnswer): void {
  const where = `${c.label}: ${c.method} ${c.path.slice(0, 120)} → ${answer.status} ${answer.text.slice(0, 300)}`;
  expect(answer.status, where).toBeGreaterThanOrEqual(200);
  expect(answer.status, where).toBeLessThan(500);
  expect(answer.text, `file contents leaked: ${where}`).not.toMatch(/root:x:0:0|\[fonts\]/);
  // A subscription answers 200 and carries its error in the stream.
  if (answer.status === 200 && isSse(answer)) return checkSseErrors(answer, c.expect, where);
  if (c.expect === 'error') expect(answer.status, where).toBeGreaterThanOrEqual(400);
  if (answer.status < 400) return;
  // Node's HTTP parser answers malformed requests itself (400/431, no body) before any route sees them.
  if (answer.headers['content-type'] === undefined && answer.text === '') return;
  if (c.method === 'HEAD') return;
  if (isTrpcPath(c.path)) {
    type Shape = { error?: { json?: { data?: { code?: unknown; httpStatus?: number } } } };
    // A batch answers one result per call; an all-error batch carries each call's own status.
    const shapes = (Array.isArray(answer.json) ? answer.json : [answer.json]) as Shape[];
    for (const shape of shapes) {
      expect(typeof shape?.error?.json?.data?.code, `tRPC error shape: ${where}`).toBe('string');
      const status = shape.error!.json!.data!.httpStatus!;
      expect(Array.isArray(answer.json) ? status >= 400 && status < 500 : status === answer.status, `tRPC status in body: ${where}`).toBe(true);
    }
  } else {
    expect(ErrorBodySchema.safeParse(answer.json).success, `REST error shape: ${where}`).toBe(true);
  }
  expect(answer.text, `stack trace leaked: ${where}`).not.toMatch(/\bat .+\.(ts|js):\d+/);
}

// The server routes on the WHATWG-parsed path; one that does not parse is a REST-shaped 400.
function isTrpcPath(path: string): boolean {
  try {
    const { pathname } = new URL(path, 'http://flowstate.invalid');
    return pathname === '/trpc' || pathname.startsWith('/trpc/');
  } catch {
    return false;
  }
}

function isSse(answer: RawAnswer): boolean {
  return String(answer.headers['content-type'] ?? '').startsWith('text/event-stream');
}

// A subscription answers 200 and carries its error in the stream: that error must be a 4xx too.
function checkSseErrors(answer: RawAnswer, expectation: Expectation, where: string): void {
  const errors = [...answer.text.matchAll(/event: serialized-error\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]) as { json: { data: { httpStatus: number } } });
  for (const e of errors) {
    expect(e.json.data.httpStatus, `SSE error: ${where}`).toBeGreaterThanOrEqual(400);
    expect(e.json.data.httpStatus, `SSE error: ${where}`).toBeLessThan(500);
  }
  if (expectation === 'error') expect(errors.length, `SSE without an error: ${where}`).toBeGreaterThan(0);
}
