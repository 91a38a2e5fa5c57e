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
 * The headers an error status brings, on REST and tRPC alike: a 413 closes the
 * connection (the rest of an oversized body is not worth reading); a 503 (store
 * away, shutting down, too many waiting, overloaded) says when to come back.
 */
export function errorStatusHeaders(status: number): Record<string, string> {
  if (status === 413) return { connection: 'close' };
  if (status === 503) return { 'retry-after': '1' };
  return {};
}

/** Writes the error body for anything thrown (`{ error: { code, message, issues? } }`), with {@link errorStatusHeaders}. */
export function sendError(res: ServerResponse, error: unknown, logger: Logger, headers: Record<string, string> = {}): void {
  const { status, body } = toErrorBody(error, logger);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, body, { ...headers, ...errorStatusHeaders(status) });
}
