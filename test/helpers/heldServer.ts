import { Agent, request } from 'node:http';
import type { ServerHandle } from './server.ts';

/** A parsed answer of {@link sendOver}. */
export interface HeldAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** One request over `agent` (give it `keepAlive`, so it rides a connection opened before), answered as status, headers and parsed body. */
export function sendOver(agent: Agent, base: string, method: string, path: string, body?: unknown): Promise<HeldAnswer> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers = text ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) } : {};
    const req = request(base + path, { method, agent, headers }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (data += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: new Headers(res.headers as Record<string, string>), body: data ? JSON.parse(data) : undefined }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

/**
 * Holds the server's process (SIGSTOP) for `ms`, sending what `send` sends
 * meanwhile, then lets it go on (SIGCONT): its event loop meets those
 * requests after a stall of `ms`, as after a long GC or CPU-bound work.
 * Resolves with what `send` returned once the process runs again.
 */
export async function whileHeld<T>(server: ServerHandle, ms: number, send: () => T): Promise<T> {
  server.process.kill('SIGSTOP');
  try {
    const sent = send();
    await new Promise((resolve) => setTimeout(resolve, ms));
    return sent;
  } finally {
    server.process.kill('SIGCONT');
  }
}
