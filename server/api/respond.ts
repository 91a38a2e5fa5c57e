import type { ServerResponse } from 'node:http';
import type { Logger } from '../logger.ts';
import { toErrorBody } from './errorMapping.ts';

/** Writes a JSON response. API answers are never cached: they describe state that moves. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/**
 * Writes the error body for anything thrown (`{ error: { code, message, issues? } }`).
 * A 413 closes the connection: the rest of an oversized body is not worth reading.
 */
export function sendError(res: ServerResponse, error: unknown, logger: Logger, headers: Record<string, string> = {}): void {
  const { status, body } = toErrorBody(error, logger);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // 503 (store away, shutting down, too many waiting): say when to come back.
  const extra: Record<string, string> = status === 413 ? { connection: 'close' } : status === 503 ? { 'retry-after': '1' } : {};
  sendJson(res, status, body, { ...headers, ...extra });
}
