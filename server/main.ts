import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ConfigError, describeRedisUrl, loadConfig, type Config } from './config.ts';
import { createEngine } from './engine/createEngine.ts';
import type { WorkflowEngine } from './engine/WorkflowEngine.ts';
import { createLogger, type Logger } from './logger.ts';
import { openStore } from './store/openStore.ts';
import type { WorkflowStore } from './store/WorkflowStore.ts';
import { createHttpServer } from './api/httpServer.ts';
import { openCluster } from './cluster/openCluster.ts';

/** Extra time past the grace period before a stuck shutdown gives up and exits 1. */
const SHUTDOWN_SLACK_MS = 5_000;

/**
 * Starts Flowstate: config → store → engine (resuming unfinished workflows)
 * → HTTP. Prints one line saying where it listens and on which store.
 * SIGTERM / SIGINT drain it: no new connections, running tasks get
 * SHUTDOWN_GRACE_MS, state is persisted, then it exits 0.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`flowstate: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  if (config.apiKey && config.apiKey.length < 16) {
    logger.warn('API_KEY is shorter than 16 characters; use a long random key');
  }

  let degradedReason: string | undefined;
  const store = await openStore({
    redisUrl: config.redisUrl,
    redisPrefix: config.redisPrefix,
    retentionSeconds: config.retentionSeconds,
    connectTimeoutMs: config.redisConnectTimeoutMs,
    maxEvents: config.maxEventsPerWorkflow,
    // Only the default process may run on memory instead; its /health then says why it is degraded.
    fallback: config.role === 'all' && config.redisFallback,
    onFallback: (reason) => (degradedReason = `${reason}; running on the in-memory store`),
    logger,
  });
  const cluster = openCluster(config, store, logger);
  const engine = createEngine({
    store,
    maxConcurrentWorkflows: config.maxConcurrentWorkflows,
    limits: config.limits,
    logger,
    cluster,
    runWorkflows: config.role !== 'api',
    maxEventsPerWorkflow: config.maxEventsPerWorkflow,
  });
  await engine.start();

  const server = createHttpServer({ engine, config, logger, healthInfo: { role: config.role, degradedReason } });
  await listen(server, config);
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const storeText =
    store.kind === 'redis' && config.redisUrl
      ? `redis at ${describeRedisUrl(config.redisUrl)} (prefix "${config.redisPrefix}")`
      : 'memory (workflows will not survive a restart)';
  const roleText = config.role === 'all' ? '' : config.role === 'api' ? ' — role: api only (runs no workflows)' : ' — role: worker (serves /health only)';
  const clusterText = cluster ? ` — process ${cluster.processId}` : '';
  process.stdout.write(`Flowstate listening on ${url} — store: ${storeText}${roleText}${clusterText} — docs: ${url}/docs${config.apiKey ? ' — API key required' : ''}\n`);

  installShutdown({ server, engine, store, logger, graceMs: config.shutdownGraceMs });
}

function listen(server: Server, config: Config): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function installShutdown(deps: { server: Server; engine: WorkflowEngine; store: WorkflowStore; logger: Logger; graceMs: number }): void {
  const { server, engine, store, logger, graceMs } = deps;
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`second ${signal}: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal}: draining`, { grace_ms: graceMs });
    // A shutdown that hangs (a store that never answers) must still end.
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, graceMs + SHUTDOWN_SLACK_MS).unref();

    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await engine.stop({ graceMs });
    // Watch streams and keep-alive sockets would hold close() open forever.
    server.closeAllConnections();
    await closed;
    await store.close();
    logger.info('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      shutdown(signal).catch((error) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      });
    });
  }
}

main().catch((error: unknown) => {
  // One line, no stack: the common causes (port taken, bad address) say all in their message.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`flowstate: failed to start: ${message}\n`);
  process.exit(1);
});
