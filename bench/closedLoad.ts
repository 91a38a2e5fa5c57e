import { Agent } from 'node:http';
import { postOnce } from './postOnce.ts';

/** What a closed-loop run saw. */
export interface ClosedResult {
  /** ms from each request's send to the end of its answer. */
  latencies: number[];
  statuses: Map<number, number>;
  /** Requests that failed on the socket or got no answer within the timeout. */
  errors: number;
  /** From the first send to the last answer. */
  seconds: number;
}

/**
 * Sends `amount` POSTs over `connections` keep-alive connections, each
 * sending its next request as soon as its last is answered (how a client
 * with a connection pool pushes a batch in), and resolves the moment the last
 * answer is in (autocannon's `amount` ends on its own second tick instead,
 * which would blur a figure measured from the end of the batch).
 */
export async function closedLoad(options: { url: string; body: string; connections: number; amount: number; timeoutMs?: number }): Promise<ClosedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const url = new URL(options.url);
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let errors = 0;
  let started = 0;
  const connection = async () => {
    while (started < options.amount) {
      started++;
      const t = performance.now();
      const status = await postOnce(agent, url, options.body, options.timeoutMs ?? 30_000);
      if (status === null) {
        errors++;
        continue;
      }
      latencies.push(performance.now() - t);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(options.connections, options.amount) }, connection));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return { latencies, statuses, errors, seconds };
}
