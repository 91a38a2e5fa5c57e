import { request, type Agent } from 'node:http';

/**
 * POSTs `body` (JSON) to `url` over `agent` and resolves with the status once
 * the whole answer is in, or null when the request failed, was cut off, or
 * got no answer within `timeoutMs` (so a server that hangs cannot hang the bench).
 */
export function postOnce(agent: Agent, url: URL, body: string, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        // A response cut off half-way never ends: count it as failed, do not wait for it.
        res.on('close', () => {
          if (!res.complete) resolve(null);
        });
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error('no answer in time')));
    req.on('error', () => resolve(null));
    req.end(body);
  });
}
