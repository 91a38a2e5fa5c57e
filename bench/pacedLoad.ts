import { Agent, request } from 'node:http';

/** What a paced run saw: every response time and status, and how late sends went out. */
export interface PacedResult {
  latencies: number[];
  statuses: Map<number, number>;
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
 * measured from the send to the end of the response, over keep-alive sockets.
 */
export async function pacedLoad(options: { url: string; body: string; rate: number; seconds: number }): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const url = new URL(options.url);
  const total = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let errors = 0;
  let sent = 0;
  let maxSendLagMs = 0;
  const inFlight = new Set<Promise<void>>();

  const send = () => {
    const start = performance.now();
    const done = new Promise<void>((resolve) => {
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(options.body) } },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - start);
            statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(options.body);
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
        maxSendLagMs = Math.max(maxSendLagMs, now - (t0 + (sent * 1000) / options.rate));
        send();
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
  return { latencies, statuses, errors, sent, seconds, maxSendLagMs };
}
