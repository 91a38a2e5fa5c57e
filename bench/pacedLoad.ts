import { Agent } from 'node:http';
import { postOnce } from './postOnce.ts';

/** What a paced run saw: every response time and status, and how late sends went out. */
export interface PacedResult {
  /** ms from each request's actual send to the end of its response. */
  latencies: number[];
  /**
   * ms from each request's scheduled slot to the end of its response: what a
   * client on that schedule waited, including any time the generator or the
   * socket pool held the request back (no coordinated omission).
   */
  fromSlot: number[];
  statuses: Map<number, number>;
  /** Requests that failed on the socket, or got no answer within the timeout. */
  errors: number;
  sent: number;
  seconds: number;
  /** Worst delay between a request's slot and its actual send (the generator's own lag). */
  maxSendLagMs: number;
}

/**
 * Open-loop load at an even rate: request i goes out at start + i / rate,
 * whatever the answers (autocannon's `overallRate` instead lets each
 * connection send its share of a second back to back, then waits for the next
 * second, so its "500 req/s" arrives as a burst each second). Latency is
 * measured both from the send and from the scheduled slot to the end of the
 * response, over keep-alive sockets (at most `maxSockets`, default 256, open
 * at once: past that, requests wait in the agent, and `fromSlot` counts it).
 * A request unanswered after `timeoutMs` (default 30 s) is dropped and counted
 * as an error, so a server that hangs cannot hang the bench.
 */
export async function pacedLoad(options: { url: string; body: string; rate: number; seconds: number; maxSockets?: number; timeoutMs?: number }): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 256 });
  const url = new URL(options.url);
  const total = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  const fromSlot: number[] = [];
  const statuses = new Map<number, number>();
  let errors = 0;
  let sent = 0;
  let maxSendLagMs = 0;
  const inFlight = new Set<Promise<void>>();

  const send = (slot: number) => {
    const start = performance.now();
    const done = postOnce(agent, url, options.body, options.timeoutMs ?? 30_000).then((status) => {
      if (status === null) {
        errors++;
        return;
      }
      const end = performance.now();
      latencies.push(end - start);
      fromSlot.push(end - slot);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };

  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // Send every request whose slot has come; a late timer sends the backlog at once and records the lag.
      while (sent < total && t0 + (sent * 1000) / options.rate <= now) {
        const slot = t0 + (sent * 1000) / options.rate;
        maxSendLagMs = Math.max(maxSendLagMs, now - slot);
        send(slot);
        sent++;
      }
      if (sent >= total) return resolve();
      setTimeout(tick, Math.max(0, t0 + (sent * 1000) / options.rate - performance.now()));
    };
    tick();
  });
  await Promise.all(inFlight);
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return { latencies, fromSlot, statuses, errors, sent, seconds, maxSendLagMs };
}
