import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP server that counts the requests workflows' `http` tasks make, outside Flowstate. */
export interface HitCounter {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /**
   * The URL a task calls to count one execution of `key`; it answers after
   * `delayMs` (a task that takes that long), with a 500 for the first
   * `failFirst` hits (the `http` task retries a 5xx).
   */
  hitUrl(key: string, delayMs?: number, failFirst?: number): string;
  /** Requests received for `key` (executions that started). */
  hits(key: string): number;
  /** Requests for `key` whose caller hung up before the answer (the task's AbortSignal fired). */
  aborted(key: string): number;
  close(): Promise<void>;
}

/** Starts a {@link HitCounter} on a free port. */
export async function startHitCounter(): Promise<HitCounter> {
  const hits = new Map<string, number>();
  const aborted = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://counter');
    const key = decodeURIComponent(url.pathname.replace(/^\/hit\//, ''));
    bump(hits, key);
    const delay = Number(url.searchParams.get('delay') ?? 0);
    const failing = (hits.get(key) ?? 0) <= Number(url.searchParams.get('fail') ?? 0);
    req.resume();
    let answered = false;
    const timer = setTimeout(() => {
      answered = true;
      res.writeHead(failing ? 500 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ key }));
    }, delay);
    res.on('close', () => {
      if (answered) return;
      clearTimeout(timer);
      bump(aborted, key);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hitUrl: (key, delayMs = 0, failFirst = 0) => `${url}/hit/${encodeURIComponent(key)}?delay=${delayMs}&fail=${failFirst}`,
    hits: (key) => hits.get(key) ?? 0,
    aborted: (key) => aborted.get(key) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
