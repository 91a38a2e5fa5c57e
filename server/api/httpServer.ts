import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Config } from '../config.ts';
import { FlowstateError } from '../errors.ts';
import type { WorkflowEngine } from '../engine/WorkflowEngine.ts';
import type { Logger } from '../logger.ts';
import { createApiKeyCheck } from './auth.ts';
import { dashboardRoutes } from './dashboardAssets.ts';
import { docsRoutes } from './docs.ts';
import { health, type HealthInfo } from './health.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { createOverloadGuard } from './overloadGuard.ts';
import { sendError, sendJson } from './respond.ts';
import { restRoutes, type Route, type RouteHandler } from './restRoutes.ts';
import { createAppRouter } from './router.ts';
import { createTrpcHandler } from './trpcHandler.ts';

/** What the HTTP server is built from. */
export interface HttpServerOptions {
  engine: WorkflowEngine;
  config: Pick<Config, 'apiKey' | 'limits' | 'overloadStallMs'>;
  logger: Logger;
  /** Role and degraded reason for /health; a `worker` serves nothing but /health. */
  healthInfo?: HealthInfo;
}

/**
 * The whole HTTP surface on plain `node:http` (no framework: routing five
 * paths by regex costs microseconds, and nothing sits between a request and
 * the engine): tRPC at `/trpc`, REST at `/api`, `/health`, `/openapi.json`,
 * `/docs` and the dashboard at `/`. With an API key configured, everything but `/health`,
 * `/openapi.json` and `/docs` wants `Authorization: Bearer <key>`: the
 * document and page describe the API (the same on every deployment, no
 * workflow or task data), and a browser cannot send a header to open them.
 */
export function createHttpServer({ engine, config, logger, healthInfo: roleInfo = { role: 'all' } }: HttpServerOptions): http.Server {
  const auth = createApiKeyCheck(config.apiKey);
  // A worker serves no creates: nothing to guard.
  const overload = roleInfo.role === 'worker' ? undefined : createOverloadGuard(config.overloadStallMs, logger);
  const healthInfo: HealthInfo = { ...roleInfo, overload };
  const trpc = createTrpcHandler({ router: createAppRouter({ engine, limits: config.limits, healthInfo, overload }), auth, maxBodyBytes: config.limits.maxBodyBytes, logger });
  const openApi = buildOpenApiDocument({ limits: config.limits, authRequired: auth.required, tasks: engine.tasks() });
  const openApiJson = JSON.stringify(openApi);

  const healthRoute: Route = {
    pattern: /^\/health$/,
    public: true,
    methods: {
      async GET(_req, res) {
        const body = await health(engine, healthInfo);
        sendJson(res, body.status === 'ok' ? 200 : 503, body);
      },
    },
  };
  const routes: Route[] = healthInfo.role === 'worker' ? [healthRoute] : [
    healthRoute,
    {
      pattern: /^\/openapi\.json$/,
      public: true,
      methods: { GET: (_req, res) => send(res, 200, 'application/json; charset=utf-8', openApiJson) },
    },
    ...docsRoutes(openApi),
    ...dashboardRoutes(logger),
    ...restRoutes(engine, config.limits, overload),
  ];

  const server = http.createServer((req, res) => {
    const started = performance.now();
    res.once('finish', () => {
      // Path only: a query string may carry a cursor or, for SSE, connection params.
      logger.debug('request', { method: req.method, path: (req.url ?? '').split('?', 1)[0], status: res.statusCode, ms: Math.round((performance.now() - started) * 10) / 10 });
    });
    // Once the server stops listening (shutdown), finish what is in flight and close each connection.
    if (!server.listening) res.setHeader('connection', 'close');
    dispatch(req, res).catch((error) => sendError(res, error, logger));
  });

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://flowstate.invalid');
    } catch (cause) {
      throw new FlowstateError('BAD_REQUEST', 'malformed request URL', { cause });
    }
    if (healthInfo.role !== 'worker' && (url.pathname === '/trpc' || url.pathname.startsWith('/trpc/'))) return trpc(req, res);

    const path = url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
    for (const route of routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      if (!route.public && !auth.checkHeader(req.headers.authorization)) throw unauthorized(res);
      const handler = methodHandler(route, req.method);
      if (!handler) {
        res.setHeader('allow', allowed(route));
        throw new FlowstateError('METHOD_NOT_ALLOWED', `${req.method} is not allowed here; use ${allowed(route)}`);
      }
      return handler(req, res, match.slice(1), url);
    }
    // Unknown paths under /api answer 401 before 404 so a caller without the key learns nothing.
    if (path.startsWith('/api/') && !auth.checkHeader(req.headers.authorization)) throw unauthorized(res);
    throw new FlowstateError('NOT_FOUND', `no route ${path}; see /docs`);
  }

  server.once('close', () => overload?.close());
  return server;
}

function unauthorized(res: ServerResponse): FlowstateError {
  res.setHeader('www-authenticate', 'Bearer');
  return new FlowstateError('UNAUTHORIZED', 'missing or wrong API key: send Authorization: Bearer <API_KEY>');
}

function methodHandler(route: Route, method: string | undefined): RouteHandler | undefined {
  // HEAD is GET without a body (node drops the body for HEAD).
  if (method === 'HEAD') return route.methods.GET;
  if (method === 'GET' || method === 'POST') return route.methods[method];
  return undefined;
}

function allowed(route: Route): string {
  const methods: string[] = Object.keys(route.methods);
  if (methods.includes('GET')) methods.push('HEAD');
  return methods.join(', ');
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(body);
}
