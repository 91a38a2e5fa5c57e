import autocannon, { type Options, type Result } from 'autocannon';

/** What one autocannon run saw: its own summary, plus every response's time and status. */
export interface AutocannonRun {
  result: Result;
  /** Every response time, ms (autocannon's own histogram has 1 ms buckets). */
  latencies: number[];
  statuses: Map<number, number>;
}

/** Runs autocannon once, collecting every response time exactly and counting statuses. */
export function autocannonLoad(options: Options): Promise<AutocannonRun> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve({ result, latencies, statuses })));
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
    });
  });
}
