import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

/** A file served from memory: its bytes, gzipped once, and an ETag. */
export interface StaticAsset {
  readonly type: string;
  readonly body: Buffer;
  readonly gzipped: Buffer;
  readonly etag: string;
}

/**
 * Same-origin only: scripts, styles, images and API calls from this server and
 * nowhere else. The browser enforces it, so a page can never reach the internet
 * at run time. Inline styles stay allowed: UI libraries set `style` attributes.
 */
export const LOCAL_ONLY_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Wraps `body` as an asset of content type `type` (gzip computed now, once). */
export function staticAsset(type: string, body: string | Buffer): StaticAsset {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return {
    type,
    body: bytes,
    gzipped: gzipSync(bytes, { level: 9 }),
    etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`,
  };
}

/**
 * Sends an asset: gzipped when the client accepts it, 304 when its ETag
 * matches, revalidated on every load (`no-cache`), so a restarted server with
 * a new bundle is picked up at once while an unchanged one costs a 304.
 */
export function sendAsset(req: IncomingMessage, res: ServerResponse, asset: StaticAsset, headers: Record<string, string> = {}): void {
  const common = { etag: asset.etag, 'cache-control': 'no-cache', vary: 'accept-encoding', 'x-content-type-options': 'nosniff', ...headers };
  if (req.headers['if-none-match'] === asset.etag) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? asset.gzipped : asset.body;
  res.writeHead(200, {
    ...common,
    'content-type': asset.type,
    'content-length': body.length,
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(body);
}
