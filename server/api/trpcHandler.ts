import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import superjson from 'superjson';
import { FlowstateError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ApiKeyCheck } from './auth.ts';
import { mapError } from './errorMapping.ts';
import { parseJson, readBody } from './readJsonBody.ts';
import { errorStatusHeaders } from './respond.ts';
import type { AppRouter } from './router.ts';

/** What the tRPC endpoint needs. */
export interface TrpcHandlerOptions {
  router: AppRouter;
  auth: ApiKeyCheck;
  maxBodyBytes: number;
  logger: Logger;
}

/** A request listener for everything under `/trpc/`. */
export type TrpcRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Serves the router at `/trpc` with the standalone adapter (SSE included).
 * POST bodies are read here first, under the same size and nesting bounds as
 * REST, because tRPC's own body handling would let a deeply nested body
 * overflow the stack in the transformer and answer 500.
 */
export function createTrpcHandler({ router, auth, maxBodyBytes, logger }: TrpcHandlerOptions): TrpcRequestHandler {
  const handler = createHTTPHandler({
    router,
    basePath: '/trpc/',
    maxBodySize: maxBodyBytes,
    createContext({ req, info }) {
      // Browsers' EventSource cannot send headers, so a subscription may carry the key in connectionParams.
      const authorized = auth.checkHeader(req.headers.authorization) || auth.checkKey(info.connectionParams?.apiKey);
      return { authorized };
    },
    // A procedure's 503 says when to come back, as REST's do.
    responseMeta: ({ errors }) => (errors.some((e) => e.code === 'SERVICE_UNAVAILABLE') ? { headers: errorStatusHeaders(503) } : {}),
    onError({ error, path, type }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        const cause = error.cause ?? error;
        logger.error('tRPC procedure failed', { path, type, error: cause, stack: cause instanceof Error ? cause.stack : undefined });
      } else {
        logger.debug('tRPC call rejected', { path, type, code: error.code });
      }
    },
  });

  return async (req, res) => {
    // The adapter builds a fetch Request, which throws on TRACE, CONNECT and TRACK: refuse what tRPC cannot serve.
    if (!TRPC_METHODS.has(req.method ?? '')) {
      res.setHeader('allow', 'GET, POST, HEAD, OPTIONS');
      sendTrpcError(res, new FlowstateError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on /trpc; use GET or POST`), logger);
      return;
    }
    if (req.method === 'POST') {
      try {
        const text = await readBody(req, maxBodyBytes);
        if (text !== '') parseJson(text);
        // The standalone adapter takes a string `body` as the already-read request body.
        (req as IncomingMessage & { body?: string }).body = text;
      } catch (error) {
        sendTrpcError(res, error, logger);
        return;
      }
    }
    handler(req, res);
  };
}

/** Methods the tRPC adapter serves (queries, mutations, subscriptions, preflights); anything else is a 405. */
const TRPC_METHODS = new Set(['GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH']);

/** An error body a tRPC client can read (superjson-wrapped error shape). */
function sendTrpcError(res: ServerResponse, error: unknown, logger: Logger): void {
  const m = mapError(error, logger);
  const shape = {
    message: m.message,
    code: TRPC_ERROR_CODES_BY_KEY[m.trpcCode],
    data: { code: m.trpcCode, httpStatus: m.httpStatus, issues: m.issues },
  };
  const body = JSON.stringify({ error: superjson.serialize(shape) });
  res.writeHead(m.httpStatus, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...errorStatusHeaders(m.httpStatus) });
  res.end(body);
}
