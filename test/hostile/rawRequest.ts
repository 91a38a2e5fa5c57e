import { request } from 'node:http';
import { connect } from 'node:net';

/** One raw HTTP exchange: the path is sent byte for byte (no URL normalisation, unlike fetch). */
export interface RawRequest {
  method: string;
  /** Sent as is: may hold `../`, raw unicode, percent-escapes, anything. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** The answer must be complete within this time, or the request counts as a hang (default 5 s). */
  timeoutMs?: number;
}

/** What came back. `json` is the parsed body when it parses as JSON. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json?: unknown;
}

/** Raised when the server does not answer in time: the one outcome a fuzz test never accepts. */
export class HangError extends Error {
  constructor(req: RawRequest, ms: number) {
    super(`no complete answer within ${ms} ms to ${req.method} ${req.path.slice(0, 200)}`);
    this.name = 'HangError';
  }
}

/**
 * Sends one request with `node:http` on a fresh connection and reads the
 * whole answer. Rejects with {@link HangError} on timeout, and with the
 * socket error when the server drops the connection without answering.
 */
export function rawRequest(base: string, req: RawRequest): Promise<RawAnswer> {
  const timeoutMs = req.timeoutMs ?? 5000;
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'transfer-encoding')) {
      headers['content-length'] = Buffer.byteLength(req.body);
    }
    const outgoing = request(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent: false, insecureHTTPParser: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            // not JSON: the caller decides whether that is allowed
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    const timer = setTimeout(() => {
      outgoing.destroy();
      reject(new HangError(req, timeoutMs));
    }, timeoutMs);
    function fail(error: Error) {
      clearTimeout(timer);
      reject(error);
    }
    outgoing.on('error', fail);
    if (req.body !== undefined) outgoing.write(req.body);
    outgoing.end();
  });
}

/**
 * Writes `head` (request line and headers, without the blank line) and
 * `body` over a bare TCP socket, for requests `node:http` refuses to send
 * (spaces, control or non-Latin-1 characters in the path, malformed
 * headers). Asks for `Connection: close` and parses the answer by hand.
 */
export function rawSocketRequest(base: string, head: string | Buffer, body: Buffer = Buffer.alloc(0), timeoutMs = 5000): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new HangError({ method: 'RAW', path: head.toString('latin1').split('\r\n', 1)[0] }, timeoutMs));
    }, timeoutMs);
    socket.on('connect', () => {
      const extra = `\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n`;
      socket.end(Buffer.concat([Buffer.isBuffer(head) ? head : Buffer.from(head, 'latin1'), Buffer.from(extra, 'latin1'), body]));
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    // A reset after the answer was sent is fine; what matters is what arrived.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const headText = (split < 0 ? all : all.subarray(0, split)).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(headText)?.[1] ?? 0);
      if (status === 0) return reject(new Error(`connection closed without an HTTP answer (${all.length} bytes)`));
      const headers: Record<string, string> = {};
      for (const line of headText.split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      let payload: Buffer = split < 0 ? Buffer.alloc(0) : all.subarray(split + 4);
      if (headers['transfer-encoding'] === 'chunked') payload = dechunk(payload);
      const text = payload.toString('utf8');
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        // not JSON
      }
      resolve({ status, headers, text, json });
    });
  });
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const eol = data.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
